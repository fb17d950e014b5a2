//! The comparison: the same filled text as a flat ODF text document (A4, GB/T 9704 margins, the
//! same faces and sizes, headings, tables, page-number footer) and as plain text, converted by
//! `libreoffice --headless --convert-to pdf`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use hearing_docs::{Block, DocKind};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="Fang" svg:font-family="FandolFang"/>
 <style:font-face style:name="Kai" svg:font-family="FandolKai"/>
 <style:font-face style:name="Serif" svg:font-family="'Noto Serif CJK SC'"/>
 <style:font-face style:name="Sans" svg:font-family="'Noto Sans CJK SC'"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:line-height="29pt" fo:margin-top="0" fo:margin-bottom="0"/>
  <style:text-properties style:font-name="Fang" fo:font-size="16pt" style:font-name-asian="Fang"
   style:font-size-asian="16pt" fo:letter-spacing="-0.21pt" fo:language="zh" fo:country="CN"/>
 </style:default-style>
 <style:style style:name="Body" style:family="paragraph">
  <style:paragraph-properties fo:text-indent="32pt" fo:text-align="justify"/>
 </style:style>
 <style:style style:name="Flush" style:family="paragraph"/>
 <style:style style:name="Title" style:family="paragraph">
  <style:paragraph-properties fo:text-align="center" fo:line-height="38pt" fo:margin-bottom="29pt"/>
  <style:text-properties style:font-name="Serif" fo:font-size="22pt" fo:font-weight="bold"
   style:font-name-asian="Serif" style:font-size-asian="22pt" style:font-weight-asian="bold"
   fo:letter-spacing="0pt"/>
 </style:style>
 <style:style style:name="Number" style:family="paragraph">
  <style:paragraph-properties fo:text-align="end"/>
 </style:style>
 <style:style style:name="Right" style:family="paragraph">
  <style:paragraph-properties fo:text-align="end" fo:margin-right="64pt"/>
 </style:style>
 <style:style style:name="H1" style:family="paragraph">
  <style:paragraph-properties fo:text-indent="32pt"/>
  <style:text-properties style:font-name="Sans" fo:font-weight="bold"
   style:font-name-asian="Sans" style:font-weight-asian="bold"/>
 </style:style>
 <style:style style:name="H2" style:family="paragraph">
  <style:paragraph-properties fo:text-indent="32pt"/>
  <style:text-properties style:font-name="Kai" style:font-name-asian="Kai"/>
 </style:style>
 <style:style style:name="Cell" style:family="paragraph">
  <style:paragraph-properties fo:line-height="21pt"/>
  <style:text-properties fo:font-size="14pt" style:font-size-asian="14pt" fo:letter-spacing="0pt"/>
 </style:style>
 <style:style style:name="Footer" style:family="paragraph">
  <style:paragraph-properties fo:text-align="center" fo:line-height="100%"/>
  <style:text-properties style:font-name="Serif" fo:font-size="14pt" style:font-name-asian="Serif"
   style:font-size-asian="14pt" fo:letter-spacing="0pt"/>
 </style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="A4">
  <style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm" fo:margin-top="37mm"
   fo:margin-bottom="20mm" fo:margin-left="28mm" fo:margin-right="26mm"/>
  <style:footer-style><style:header-footer-properties fo:min-height="15mm" fo:margin-top="0mm"/></style:footer-style>
 </style:page-layout>
 <style:style style:name="Cellb" style:family="table-cell">
  <style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="1mm"/>
 </style:style>
"#;

/// A flat ODF text document (`.fodt`) with the blocks of a filled text.
pub fn fodt(kind: DocKind, blocks: &[Block]) -> String {
    let mut body = String::new();
    let mut styles = String::new();
    let mut tables = 0;
    for block in blocks {
        match block {
            Block::Title(t) => {
                let parts: Vec<String> = t.split('|').map(esc).collect();
                let _ = writeln!(
                    body,
                    r#"<text:p text:style-name="Title">{}</text:p>"#,
                    parts.join("<text:line-break/>")
                );
            }
            Block::DocNumber(t) => {
                let _ = writeln!(
                    body,
                    r#"<text:p text:style-name="Number">{}</text:p>"#,
                    esc(t)
                );
            }
            Block::Recipient(t) => {
                let _ = writeln!(
                    body,
                    r#"<text:p text:style-name="Flush">{}：</text:p>"#,
                    esc(t.trim_end_matches([':', '：']))
                );
            }
            Block::Paragraph(t) => {
                let _ = writeln!(
                    body,
                    r#"<text:p text:style-name="Body">{}</text:p>"#,
                    esc(t)
                );
            }
            Block::Heading {
                level,
                text,
                body: rest,
            } => {
                let style = match level {
                    1 => "H1",
                    2 => "H2",
                    _ => "Body",
                };
                let _ = writeln!(
                    body,
                    r#"<text:h text:style-name="{style}" text:outline-level="{level}">{}{}</text:h>"#,
                    esc(text),
                    esc(rest.as_deref().unwrap_or(""))
                );
            }
            Block::Spacer(n) => {
                for _ in 0..*n {
                    body.push_str("<text:p text:style-name=\"Flush\"/>\n");
                }
            }
            Block::AttachmentNote(items) => {
                body.push_str("<text:p text:style-name=\"Flush\"/>\n");
                for (i, item) in items.iter().enumerate() {
                    let label = if i == 0 { "附件：" } else { "　　　" };
                    let _ = writeln!(
                        body,
                        r#"<text:p text:style-name="Body">{label}{}. {}</text:p>"#,
                        i + 1,
                        esc(item)
                    );
                }
            }
            Block::Signature { organ, date } => {
                body.push_str(
                    "<text:p text:style-name=\"Flush\"/>\n<text:p text:style-name=\"Flush\"/>\n",
                );
                let _ = writeln!(
                    body,
                    r#"<text:p text:style-name="Right">{}</text:p>"#,
                    esc(organ)
                );
                let _ = writeln!(
                    body,
                    r#"<text:p text:style-name="Right">{}</text:p>"#,
                    esc(date)
                );
            }
            Block::Table(t) => {
                tables += 1;
                let sum: f32 = t.col_weights.iter().sum();
                let _ = writeln!(
                    styles,
                    r#" <style:style style:name="T{tables}" style:family="table"><style:table-properties style:width="156mm" table:align="left"/></style:style>"#
                );
                for (c, w) in t.col_weights.iter().enumerate() {
                    let _ = writeln!(
                        styles,
                        r#" <style:style style:name="T{tables}c{c}" style:family="table-column"><style:table-column-properties style:column-width="{:.2}mm"/></style:style>"#,
                        156.0 * w / sum
                    );
                }
                let _ = writeln!(
                    body,
                    r#"<table:table table:name="Table{tables}" table:style-name="T{tables}">"#
                );
                for c in 0..t.col_weights.len() {
                    let _ = writeln!(
                        body,
                        r#"<table:table-column table:style-name="T{tables}c{c}"/>"#
                    );
                }
                for row in &t.rows {
                    body.push_str("<table:table-row>");
                    for cell in row {
                        let _ = write!(
                            body,
                            r#"<table:table-cell table:style-name="Cellb" office:value-type="string"><text:p text:style-name="Cell">{}</text:p></table:table-cell>"#,
                            esc(cell)
                        );
                    }
                    body.push_str("</table:table-row>\n");
                }
                body.push_str("</table:table>\n");
            }
            // Later block kinds: plain paragraphs of their debug text keep the length honest.
            #[allow(unreachable_patterns)]
            other => {
                let _ = writeln!(
                    body,
                    r#"<text:p text:style-name="Body">{}</text:p>"#,
                    esc(&format!("{other:?}"))
                );
            }
        }
    }
    let footer = if kind == DocKind::Transcript {
        "信访人（签名）：＿＿＿＿＿＿　　　　第 <text:page-number text:select-page=\"current\"/> 页 共 <text:page-count/> 页"
    } else {
        "— <text:page-number text:select-page=\"current\"/> —"
    };
    format!(
        "{HEAD}{styles}</office:automatic-styles>\n<office:master-styles>\n <style:master-page style:name=\"Standard\" style:page-layout-name=\"A4\"><style:footer><text:p text:style-name=\"Footer\">{footer}</text:p></style:footer></style:master-page>\n</office:master-styles>\n<office:body><office:text>\n{body}</office:text></office:body>\n</office:document>\n"
    )
}

/// The filled text as plain text: directives dropped, one paragraph per line.
pub fn plain_text(filled: &str) -> String {
    let mut out = String::new();
    for line in filled.lines() {
        let line = line.trim();
        let text = match line.split_once(' ') {
            Some((d, rest)) if d.starts_with('@') => match d {
                "@table" | "@spacer" => continue,
                "@attach" => format!("附件：{rest}"),
                _ => rest.replace('|', "　"),
            },
            _ if line == "@end" => continue,
            _ => line.to_owned(),
        };
        out.push_str(&text);
        out.push('\n');
    }
    out
}

/// A LibreOffice to run: its own profile (so no desktop instance is reused) and a fontconfig
/// file that adds the directories of the faces HearingDesk uses.
pub struct Office {
    pub bin: String,
    pub version: String,
    profile: PathBuf,
    fontconfig: PathBuf,
}

impl Office {
    pub fn find(work: &Path, font_dirs: &[PathBuf]) -> Option<Office> {
        let candidates = match std::env::var("HD_BENCH_LIBREOFFICE") {
            Ok(b) => vec![b],
            Err(_) => vec!["libreoffice".to_owned(), "soffice".to_owned()],
        };
        let (bin, version) = candidates.into_iter().find_map(|b| {
            let out = Command::new(&b).arg("--version").output().ok()?;
            out.status
                .success()
                .then(|| (b, String::from_utf8_lossy(&out.stdout).trim().to_owned()))
        })?;
        let fontconfig = work.join("fonts.conf");
        let mut conf = String::from(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n",
        );
        let _ = writeln!(
            conf,
            "  <cachedir>{}</cachedir>",
            esc(&work.join("fc-cache").display().to_string())
        );
        conf.push_str("  <include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>\n");
        for d in font_dirs {
            let _ = writeln!(conf, "  <dir>{}</dir>", esc(&d.display().to_string()));
        }
        conf.push_str("</fontconfig>\n");
        std::fs::write(&fontconfig, conf).ok()?;
        Some(Office {
            bin,
            version,
            profile: work.join("lo-profile"),
            fontconfig,
        })
    }

    /// Converts `files` to PDF in `outdir` with one invocation: wall and CPU seconds (all of
    /// LibreOffice's processes).
    pub fn convert(&self, files: &[PathBuf], outdir: &Path) -> Result<(f64, f64), String> {
        std::fs::create_dir_all(outdir).map_err(|e| e.to_string())?;
        let (start, cpu) = (Instant::now(), super::cpu_children());
        let out = Command::new(&self.bin)
            .arg(format!(
                "-env:UserInstallation=file://{}",
                self.profile.display()
            ))
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
            ])
            .arg(outdir)
            .args(files)
            .env("FONTCONFIG_FILE", &self.fontconfig)
            .output()
            .map_err(|e| format!("{}: {e}", self.bin))?;
        let secs = start.elapsed().as_secs_f64();
        let cpu = super::cpu_children() - cpu;
        for f in files {
            let pdf = outdir.join(f.with_extension("pdf").file_name().unwrap_or_default());
            if !out.status.success() || !pdf.is_file() {
                return Err(format!(
                    "{} did not write {}: {}{}",
                    self.bin,
                    pdf.display(),
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
        Ok((secs, cpu))
    }
}
