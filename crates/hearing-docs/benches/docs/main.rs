//! Time and size of a closure decision and a 100-page transcript, side by side with LibreOffice
//! converting the same text, in one run: `make bench` (or `cargo bench -p hearing-docs --bench
//! docs`). Prints a Markdown report and writes it to `target/bench-docs.md`; the PDFs go to
//! `target/bench-docs/`.
//!
//! Own timing loop rather than criterion: a 100-page document takes about a second, so a few
//! samples with median and min–max say more on a 2-core machine than criterion's 100 samples
//! and would take minutes less. Knobs (environment): `HD_BENCH_LO_RUNS` (LibreOffice runs per
//! input, default 5), `HD_BENCH_COLD_RUNS` (new processes per document, default 5),
//! `HD_BENCH_LIBREOFFICE` (the binary), `HD_BENCH_VERBOSE` (print every sample),
//! `HD_BENCH_LOOP=decision|transcript` (only render that document for 10 s, for `perf record`).

mod corpus;
mod lo;
#[path = "../../../../benches/machine.rs"]
mod machine;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hearing_docs::{
    render_document, templates, DocKind, FontConfig, FontSet, Role, Stamp, Templates,
};

const TARGET_PAGES: usize = 100;
const DECISION_BUDGET_BYTES: usize = 150_000;
const TRANSCRIPT_BUDGET_S: f64 = 1.5;
const SPEED_BUDGET: f64 = 20.0;

/// One document to render: kind, filled text, stamp.
struct Doc {
    name: &'static str,
    kind: DocKind,
    text: String,
    stamp: Option<Stamp>,
}

impl Doc {
    fn render(&self, fonts: &FontSet) -> Vec<u8> {
        render_document(self.kind, &self.text, fonts, self.stamp.as_ref())
            .unwrap_or_else(|e| panic!("{}: {e}", self.name))
    }
}

fn decision() -> Doc {
    let text = Templates::builtin()
        .fill(DocKind::ClosureDecision, &corpus::decision_fields())
        .expect("decision template");
    Doc {
        name: "decision",
        kind: DocKind::ClosureDecision,
        text,
        stamp: Some(corpus::decision_stamp()),
    }
}

fn transcript(entries: usize) -> Doc {
    let text = Templates::builtin()
        .fill(DocKind::Transcript, &corpus::transcript_fields(entries))
        .expect("transcript template");
    Doc {
        name: "transcript",
        kind: DocKind::Transcript,
        text,
        stamp: None,
    }
}

/// Diagnostic, not the app's default: the decision with Noto Serif CJK SC as the body face
/// instead of FandolFang, to see how much of the size is the body face's outlines.
fn noto_body_decision(fonts: &FontSet, doc: &Doc) -> Option<(usize, Stats)> {
    let spec = fonts
        .faces()
        .iter()
        .find(|f| {
            f.spec
                .path
                .file_name()
                .is_some_and(|n| n == "NotoSerifCJK-Regular.ttc")
        })?
        .spec
        .clone();
    let mut config = FontConfig::default();
    config.overrides.insert(Role::Body, vec![spec]);
    let set = FontSet::load(&config).ok()?;
    let bytes = doc.render(&set);
    let t = stats_cpu(&time_loop(2, 10, 100, Duration::from_secs(3), || {
        std::hint::black_box(doc.render(&set));
    }));
    Some((bytes.len(), t))
}

fn pages_of(doc: &Doc, fonts: &FontSet) -> usize {
    let blocks = templates::blocks(&doc.text).expect("blocks");
    hearing_docs::layout(&blocks, fonts).expect("layout").len()
}

/// The fewest testimony entries that make a transcript of `TARGET_PAGES` pages or more.
fn entries_for_target(fonts: &FontSet) -> usize {
    let (mut lo, mut hi) = (1, 64);
    while pages_of(&transcript(hi), fonts) < TARGET_PAGES {
        lo = hi;
        hi *= 2;
    }
    while lo < hi {
        let mid = (lo + hi) / 2;
        if pages_of(&transcript(mid), fonts) >= TARGET_PAGES {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    hi
}

// ---------------------------------------------------------------------------------------------
// Statistics

#[derive(Clone, Copy)]
struct Stats {
    n: usize,
    median: f64,
    min: f64,
    max: f64,
    /// Median CPU time (user + system) of the same samples, where measured.
    cpu: Option<f64>,
}

/// Wall-clock and CPU seconds of one sample.
type Sample = (f64, f64);

/// Wall-clock statistics with the median CPU time.
fn stats_cpu(samples: &[Sample]) -> Stats {
    let wall: Vec<f64> = samples.iter().map(|s| s.0).collect();
    let cpu: Vec<f64> = samples.iter().map(|s| s.1).collect();
    Stats {
        cpu: Some(stats(&cpu).median),
        ..stats(&wall)
    }
}

/// CPU seconds (user + system) used by this process so far, all threads.
fn cpu_self() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// CPU seconds used by the child processes waited for so far (and their waited-for children).
pub fn cpu_children() -> f64 {
    // SAFETY: an all-zero rusage is valid; getrusage only writes into it.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `ru` is a valid, writable rusage.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

fn stats(samples: &[f64]) -> Stats {
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    Stats {
        n,
        median: machine::median(&s),
        min: s[0],
        max: s[n - 1],
        cpu: None,
    }
}

fn fmt_s(secs: f64) -> String {
    if secs < 0.01 {
        format!("{:.2} ms", secs * 1e3)
    } else if secs < 1.0 {
        format!("{:.0} ms", secs * 1e3)
    } else {
        format!("{secs:.2} s")
    }
}

fn fmt_stats(s: Stats) -> String {
    format!(
        "**{}** ({}–{}, n={}){}",
        fmt_s(s.median),
        fmt_s(s.min),
        fmt_s(s.max),
        s.n,
        s.cpu
            .map(|c| format!("; CPU {}", fmt_s(c)))
            .unwrap_or_default()
    )
}

fn fmt_size(bytes: usize) -> String {
    if bytes >= 1_000_000 {
        format!("{:.2} MB ({bytes} B)", bytes as f64 / 1e6)
    } else {
        format!("{:.1} KB ({bytes} B)", bytes as f64 / 1e3)
    }
}

/// Runs `f` after `warmup` untimed calls until `max` samples or `budget` is spent (at least
/// `min` samples).
fn time_loop(
    warmup: usize,
    min: usize,
    max: usize,
    budget: Duration,
    mut f: impl FnMut(),
) -> Vec<Sample> {
    for _ in 0..warmup {
        f();
    }
    let started = Instant::now();
    let mut samples = Vec::new();
    while samples.len() < max && (samples.len() < min || started.elapsed() < budget) {
        let (t, c) = (Instant::now(), cpu_self());
        f();
        samples.push((t.elapsed().as_secs_f64(), cpu_self() - c));
    }
    if std::env::var_os("HD_BENCH_VERBOSE").is_some() {
        let ms: Vec<String> = samples
            .iter()
            .map(|s| format!("{:.1}", s.0 * 1e3))
            .collect();
        eprintln!("bench: samples (ms, in order): {}", ms.join(" "));
    }
    samples
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

// ---------------------------------------------------------------------------------------------
// Cold runs: a new process parses the fonts, then renders one document.

const COLD_VAR: &str = "HD_BENCH_COLD";

/// In the child: prints `COLD <font seconds> <render seconds>`.
fn cold_child(which: &str) {
    let t0 = Instant::now();
    let fonts = FontSet::system().expect("fonts");
    let t_fonts = t0.elapsed().as_secs_f64();
    let doc = match which {
        "decision" => decision(),
        _ => transcript(env_usize("HD_BENCH_ENTRIES", 1)),
    };
    let t1 = Instant::now();
    let bytes = doc.render(&fonts);
    let t_doc = t1.elapsed().as_secs_f64();
    assert!(!bytes.is_empty());
    println!("COLD {t_fonts} {t_doc}");
}

fn cold_runs(which: &str, entries: usize, runs: usize) -> (Vec<f64>, Vec<f64>) {
    let exe = std::env::current_exe().expect("current exe");
    let (mut fonts, mut docs) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let out = Command::new(&exe)
            .env(COLD_VAR, which)
            .env("HD_BENCH_ENTRIES", entries.to_string())
            .output()
            .expect("cold child");
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix("COLD "))
            .unwrap_or_else(|| {
                panic!("cold child: {text}{}", String::from_utf8_lossy(&out.stderr))
            });
        let v: Vec<f64> = line.split(' ').filter_map(|x| x.parse().ok()).collect();
        fonts.push(v[0]);
        docs.push(v[1]);
    }
    (fonts, docs)
}

// ---------------------------------------------------------------------------------------------
// PDF checks with poppler

fn pdf_pages(path: &Path) -> Option<usize> {
    machine::tool("pdfinfo", &[path.to_str()?])?
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|p| p.trim().parse().ok())
}

/// Font name and whether it is embedded as a subset, per font of the PDF.
fn pdf_fonts(path: &Path) -> Option<Vec<(String, bool)>> {
    let out = machine::tool("pdffonts", &[path.to_str()?])?;
    Some(
        out.lines()
            .skip(2)
            .filter_map(|l| {
                let cols: Vec<&str> = l.split_whitespace().collect();
                let n = cols.len();
                (n >= 6).then(|| {
                    let name = cols[0].to_owned();
                    let tagged = name.len() > 7
                        && name.as_bytes()[6] == b'+'
                        && name.as_bytes()[..6].iter().all(u8::is_ascii_uppercase);
                    let subset = cols[n - 5] == "yes" && cols[n - 4] == "yes" && tagged;
                    (name, subset)
                })
            })
            .collect(),
    )
}

/// The embedded font programs of a PDF written by printpdf (uncompressed object syntax): font
/// name and stream length in bytes, largest first. Empty if the syntax is not recognised.
fn font_programs(pdf: &[u8]) -> Vec<(String, usize)> {
    let text = String::from_utf8_lossy(pdf);
    // Object id → its text up to "stream" (dictionaries only).
    let mut objects: Vec<(u32, &str)> = Vec::new();
    let mut rest: &str = &text;
    while let Some(i) = rest.find(" 0 obj") {
        let head = &rest[..i];
        let id_start = head
            .rfind(|c: char| !c.is_ascii_digit())
            .map_or(0, |p| p + 1);
        let id = head[id_start..].parse().unwrap_or(0);
        rest = &rest[i + 6..];
        let end = rest.find("endobj").unwrap_or(rest.len());
        let body = &rest[..end];
        objects.push((id, body.split("stream").next().unwrap_or(body)));
        rest = &rest[end..];
    }
    let after = |s: &str, key: &str| -> Option<String> {
        let i = s.find(key)? + key.len();
        Some(
            s[i..]
                .trim_start()
                .chars()
                .take_while(|c| !c.is_whitespace() && !"/<>[]".contains(*c))
                .collect(),
        )
    };
    let mut out = Vec::new();
    for (_, dict) in &objects {
        let (Some(name), Some(file)) = (after(dict, "/FontName/"), after(dict, "/FontFile3"))
        else {
            continue;
        };
        let Ok(file_id) = file.parse::<u32>() else {
            continue;
        };
        if let Some(len) = objects
            .iter()
            .find(|(id, _)| *id == file_id)
            .and_then(|(_, d)| after(d, "/Length"))
            .and_then(|l| l.parse::<usize>().ok())
        {
            out.push((name, len));
        }
    }
    out.sort_by_key(|b| std::cmp::Reverse(b.1));
    out
}

fn programs_cell(pdf: &[u8]) -> String {
    let p = font_programs(pdf);
    if p.is_empty() {
        return "?".into();
    }
    let total: usize = p.iter().map(|x| x.1).sum();
    let list: Vec<String> = p
        .iter()
        .map(|(n, l)| {
            format!(
                "{} {:.1} KB",
                n.split('+').next_back().unwrap_or(n),
                *l as f64 / 1e3
            )
        })
        .collect();
    format!("{:.1} KB: {}", total as f64 / 1e3, list.join(", "))
}

fn fonts_cell(fonts: &Option<Vec<(String, bool)>>) -> String {
    match fonts {
        None => "pdffonts missing".into(),
        Some(f) => {
            let all = !f.is_empty() && f.iter().all(|(_, s)| *s);
            let names: Vec<&str> = f.iter().map(|(n, _)| n.as_str()).collect();
            format!(
                "{} {} fonts: {}",
                if all { "all" } else { "**NOT all**" },
                f.len(),
                names.join(", ")
            )
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The machine

fn distinct_chars(text: &str) -> usize {
    text.chars()
        .filter(|c| !c.is_ascii())
        .collect::<BTreeSet<_>>()
        .len()
}

// ---------------------------------------------------------------------------------------------
// LibreOffice

#[derive(Default)]
struct LoResult {
    /// One document per invocation, `.fodt`.
    fodt: Vec<Sample>,
    /// One document per invocation, `.txt`.
    txt: Vec<Sample>,
    /// `k` copies in one invocation: total wall and CPU seconds, and `k`.
    batch: Option<(Sample, usize)>,
    fodt_pdf: Option<PathBuf>,
    txt_pdf: Option<PathBuf>,
    error: Option<String>,
}

fn ratio(lo: f64, ours: f64) -> String {
    format!("{:.0}×", lo / ours)
}

fn main() {
    if let Ok(which) = std::env::var(COLD_VAR) {
        cold_child(&which);
        return;
    }
    // For a profiler (`perf record`): render one document over and over for 10 s.
    if let Ok(which) = std::env::var("HD_BENCH_LOOP") {
        let fonts = FontSet::system().expect("fonts");
        let doc = match which.as_str() {
            "decision" => decision(),
            _ => transcript(entries_for_target(&fonts)),
        };
        let (start, mut n) = (Instant::now(), 0);
        while start.elapsed() < Duration::from_secs(10) {
            std::hint::black_box(doc.render(&fonts));
            n += 1;
        }
        println!("{n} renders of the {which} in 10 s");
        return;
    }
    // `cargo test --benches` runs this without `--bench`: nothing to check there.
    if !std::env::args().any(|a| a == "--bench") {
        println!("hearing-docs bench: run with `cargo bench -p hearing-docs --bench docs` or `make bench`");
        return;
    }
    let lo_runs = env_usize("HD_BENCH_LO_RUNS", 5);
    let cold_n = env_usize("HD_BENCH_COLD_RUNS", 5);
    let load_before = machine::loadavg();
    let started = Instant::now();
    let out_dir = machine::target_dir(env!("CARGO_MANIFEST_DIR")).join("bench-docs");
    std::fs::create_dir_all(&out_dir).expect("target/bench-docs");

    // Warm: fonts parsed once, as in the app.
    eprintln!("bench: loading fonts…");
    let fonts: Arc<FontSet> =
        FontSet::system().expect("fonts (make fonts; apt install fonts-noto-cjk)");
    eprintln!("bench: finding the entries for {TARGET_PAGES} pages…");
    let entries = entries_for_target(&fonts);
    let docs = [decision(), transcript(entries)];

    let mut pdfs = Vec::new();
    for d in &docs {
        let bytes = d.render(&fonts);
        let path = out_dir.join(format!("{}.pdf", d.name));
        std::fs::write(&path, &bytes).expect("write pdf");
        pdfs.push((bytes.len(), pdf_pages(&path), pdf_fonts(&path), path));
    }
    if let Some(p) = pdfs[1].1 {
        assert!(
            p >= TARGET_PAGES,
            "transcript has {p} pages, want {TARGET_PAGES}"
        );
    }

    eprintln!("bench: timing the decision…");
    let dec = stats_cpu(&time_loop(3, 20, 200, Duration::from_secs(5), || {
        std::hint::black_box(docs[0].render(&fonts));
    }));
    eprintln!("bench: timing the transcript…");
    let tra = stats_cpu(&time_loop(1, 5, 15, Duration::from_secs(15), || {
        std::hint::black_box(docs[1].render(&fonts));
    }));
    // Where the time goes: layout alone (text → blocks → pages); the rest is the PDF writer
    // (runs split per face, font subsetting, compression).
    let layout_only = |d: &Doc| {
        let blocks = templates::blocks(&d.text).expect("blocks");
        std::hint::black_box(hearing_docs::layout(&blocks, &*fonts).expect("layout"));
    };
    let dec_layout = stats_cpu(&time_loop(2, 20, 200, Duration::from_secs(3), || {
        layout_only(&docs[0])
    }));
    let tra_layout = stats_cpu(&time_loop(1, 5, 15, Duration::from_secs(8), || {
        layout_only(&docs[1])
    }));
    eprintln!("bench: the decision with a Noto Serif body (diagnostic)…");
    let noto_body = noto_body_decision(&fonts, &docs[0]);

    eprintln!("bench: cold runs (new processes)…");
    let (dec_cold_fonts, dec_cold_doc) = cold_runs("decision", entries, cold_n);
    let (tra_cold_fonts, tra_cold_doc) = cold_runs("transcript", entries, cold_n);
    let cold_fonts: Vec<f64> = dec_cold_fonts
        .iter()
        .chain(&tra_cold_fonts)
        .copied()
        .collect();

    // LibreOffice on the same text.
    let work = tempfile::tempdir().expect("temp dir");
    let mut font_dirs: Vec<PathBuf> = fonts
        .faces()
        .iter()
        .filter_map(|f| f.spec.path.parent().map(Path::to_owned))
        .collect();
    font_dirs.sort();
    font_dirs.dedup();
    let office = lo::Office::find(work.path(), &font_dirs);
    let mut lo_first = None;
    let mut lo_res: Vec<LoResult> = docs.iter().map(|_| LoResult::default()).collect();
    if let Some(office) = &office {
        let mut inputs = Vec::new();
        for d in &docs {
            let blocks = templates::blocks(&d.text).expect("blocks");
            let fodt = work.path().join(format!("{}.fodt", d.name));
            let txt = work.path().join(format!("{}.txt", d.name));
            std::fs::write(&fodt, lo::fodt(d.kind, &blocks)).expect("fodt");
            std::fs::write(&txt, lo::plain_text(&d.text)).expect("txt");
            for f in [&fodt, &txt] {
                let _ = std::fs::copy(f, out_dir.join(f.file_name().unwrap()));
            }
            inputs.push((fodt, txt));
        }
        // The first run creates the profile and the font cache: reported on its own.
        eprintln!("bench: LibreOffice first run (new profile)…");
        match office.convert(&[inputs[0].0.clone()], &work.path().join("first")) {
            Ok((t, _)) => lo_first = Some(t),
            Err(e) => lo_res[0].error = Some(e),
        }
        // Runs interleaved, so a load spike on the machine hits all inputs alike.
        for r in 0..lo_runs {
            eprintln!("bench: LibreOffice run {}/{lo_runs}…", r + 1);
            for (i, (fodt, txt)) in inputs.iter().enumerate() {
                for (file, is_fodt) in [(fodt, true), (txt, false)] {
                    let ext = if is_fodt { "fodt" } else { "txt" };
                    let dir = work.path().join(format!("run{r}-{ext}"));
                    match office.convert(std::slice::from_ref(file), &dir) {
                        Ok(t) => {
                            let pdf = dir.join(file.with_extension("pdf").file_name().unwrap());
                            let res = &mut lo_res[i];
                            if is_fodt {
                                res.fodt.push(t);
                                res.fodt_pdf = Some(pdf);
                            } else {
                                res.txt.push(t);
                                res.txt_pdf = Some(pdf);
                            }
                        }
                        Err(e) => lo_res[i].error = Some(e),
                    }
                }
            }
        }
        // Warm-ish: several copies in one invocation, so start-up is paid once.
        for (i, (fodt, _)) in inputs.iter().enumerate() {
            let k = if docs[i].kind == DocKind::Transcript {
                5
            } else {
                10
            };
            eprintln!(
                "bench: LibreOffice {k} × {} in one invocation…",
                docs[i].name
            );
            let copies: Vec<PathBuf> = (0..k)
                .map(|c| {
                    let p = work
                        .path()
                        .join(format!("batch-{}-{c:02}.fodt", docs[i].name));
                    std::fs::copy(fodt, &p).expect("copy");
                    p
                })
                .collect();
            match office.convert(&copies, &work.path().join("batch")) {
                Ok(t) => lo_res[i].batch = Some((t, k)),
                Err(e) => lo_res[i].error = Some(e),
            }
        }
        for (i, d) in docs.iter().enumerate() {
            for (src, suffix) in [(&lo_res[i].fodt_pdf, "fodt"), (&lo_res[i].txt_pdf, "txt")] {
                if let Some(src) = src {
                    let _ = std::fs::copy(
                        src,
                        out_dir.join(format!("libreoffice-{}-{suffix}.pdf", d.name)),
                    );
                }
            }
        }
    }

    // ---- Report --------------------------------------------------------------------------------
    let lo_version = office
        .as_ref()
        .map(|o| format!("{} (`{}`)", o.version, o.bin))
        .unwrap_or_else(|| "not installed".into());
    let mut md = String::new();
    let _ = writeln!(md, "Machine: {}  ", machine::machine());
    let _ = writeln!(md, "LibreOffice: {lo_version}  ");
    let _ = writeln!(
        md,
        "Source: {}  ",
        machine::source_state(
            env!("CARGO_MANIFEST_DIR"),
            &["src", "templates"],
            "crates/hearing-docs/src and templates"
        )
    );
    let _ = writeln!(
        md,
        "Load average before / after: {load_before} / {}; whole run {:.0} s.\n",
        machine::loadavg(),
        started.elapsed().as_secs_f64()
    );
    let _ = writeln!(
        md,
        "Documents: the closure decision (`decision` template, 终结告知书, final with QR stamp; {} characters, {} distinct non-ASCII) and the transcript (`transcript` template, {entries} testimony entries; {} characters, {} distinct non-ASCII).\n",
        docs[0].text.chars().count(),
        distinct_chars(&docs[0].text),
        docs[1].text.chars().count(),
        distinct_chars(&docs[1].text),
    );

    md.push_str("### Time\n\n");
    md.push_str("Median (min–max, n = samples).\n\n");
    md.push_str("| | closure decision | 100-page transcript |\n|---|---|---|\n");
    let _ = writeln!(
        md,
        "| HearingDesk, fonts already loaded (filled text → layout → PDF bytes) | {} | {} |",
        fmt_stats(dec),
        fmt_stats(tra)
    );
    let _ = writeln!(
        md,
        "| … of which layout (filled text → pages, no PDF) | {} | {} |",
        fmt_stats(dec_layout),
        fmt_stats(tra_layout)
    );
    let _ = writeln!(
        md,
        "| HearingDesk, new process: font parsing (`FontSet::system()`, all faces) | {} | (same) |",
        fmt_stats(stats(&cold_fonts))
    );
    let _ = writeln!(
        md,
        "| HearingDesk, new process: first document after font parsing | {} | {} |",
        fmt_stats(stats(&dec_cold_doc)),
        fmt_stats(stats(&tra_cold_doc))
    );
    let lo_cell = |v: &[Sample]| {
        if v.is_empty() {
            "—".to_owned()
        } else {
            fmt_stats(stats_cpu(v))
        }
    };
    let _ = writeln!(
        md,
        "| LibreOffice, first run (creates profile + font cache), .fodt | {} | — |",
        lo_first.map(fmt_s).unwrap_or_else(|| "—".into())
    );
    let _ = writeln!(
        md,
        "| LibreOffice `--convert-to pdf`, one .fodt per invocation | {} | {} |",
        lo_cell(&lo_res[0].fodt),
        lo_cell(&lo_res[1].fodt)
    );
    let _ = writeln!(
        md,
        "| LibreOffice `--convert-to pdf`, one .txt per invocation | {} | {} |",
        lo_cell(&lo_res[0].txt),
        lo_cell(&lo_res[1].txt)
    );
    // Per document in a batch, and per extra document beyond the first (start-up taken out).
    let per_doc = |r: &LoResult| -> Option<(Sample, Sample)> {
        let ((t, c), k) = r.batch?;
        if r.fodt.is_empty() {
            return None;
        }
        let single = stats_cpu(&r.fodt);
        let kf = k as f64;
        Some((
            (t / kf, c / kf),
            (
                ((t - single.median) / (kf - 1.0)).max(0.0),
                ((c - single.cpu.unwrap_or(0.0)) / (kf - 1.0)).max(0.0),
            ),
        ))
    };
    let batch_cell = |r: &LoResult| match (r.batch, per_doc(r)) {
        (Some(((t, c), k)), Some((avg, extra))) => format!(
            "{} for {k} (CPU {}): {} per document (CPU {}); {} per extra document (CPU {})",
            fmt_s(t),
            fmt_s(c),
            fmt_s(avg.0),
            fmt_s(avg.1),
            fmt_s(extra.0),
            fmt_s(extra.1)
        ),
        _ => "—".into(),
    };
    let _ = writeln!(
        md,
        "| LibreOffice, k copies of the .fodt in one invocation (n=1) | {} | {} |",
        batch_cell(&lo_res[0]),
        batch_cell(&lo_res[1])
    );
    let ratio_row = |r: &LoResult, ours: Stats| {
        if r.fodt.is_empty() {
            return "—".to_owned();
        }
        let single = stats_cpu(&r.fodt);
        let (oc, lc) = (ours.cpu.unwrap_or(f64::NAN), single.cpu.unwrap_or(f64::NAN));
        let mut s = format!(
            "{} (one per invocation; CPU {})",
            ratio(single.median, ours.median),
            ratio(lc, oc)
        );
        if let Some((avg, extra)) = per_doc(r) {
            let _ = write!(
                s,
                "; {} (batch, per document; CPU {}); {} (per extra document; CPU {})",
                ratio(avg.0, ours.median),
                ratio(avg.1, oc),
                ratio(extra.0, ours.median),
                ratio(extra.1, oc)
            );
        }
        s
    };
    let _ = writeln!(
        md,
        "| LibreOffice ÷ HearingDesk, fonts loaded (wall medians; CPU medians) | {} | {} |",
        ratio_row(&lo_res[0], dec),
        ratio_row(&lo_res[1], tra)
    );
    let cold_ratio = |r: &LoResult, doc: &[f64]| {
        if r.fodt.is_empty() {
            return "—".to_owned();
        }
        let ours = stats(&cold_fonts).median + stats(doc).median;
        let lo = stats_cpu(&r.fodt).median;
        format!("{} ({} vs {})", ratio(lo, ours), fmt_s(lo), fmt_s(ours))
    };
    let _ = writeln!(
        md,
        "| LibreOffice one per invocation ÷ HearingDesk new process (font parsing + document) | {} | {} |\n",
        cold_ratio(&lo_res[0], &dec_cold_doc),
        cold_ratio(&lo_res[1], &tra_cold_doc)
    );

    md.push_str("### Output\n\n| | closure decision | 100-page transcript |\n|---|---|---|\n");
    let pages = |p: Option<usize>| p.map_or("?".to_owned(), |p| p.to_string());
    let _ = writeln!(
        md,
        "| HearingDesk pages (pdfinfo) | {} | {} |",
        pages(pdfs[0].1),
        pages(pdfs[1].1)
    );
    let _ = writeln!(
        md,
        "| HearingDesk PDF size | **{}** | {} |",
        fmt_size(pdfs[0].0),
        fmt_size(pdfs[1].0)
    );
    let _ = writeln!(
        md,
        "| HearingDesk fonts embedded as subsets (pdffonts) | {} | {} |",
        fonts_cell(&pdfs[0].2),
        fonts_cell(&pdfs[1].2)
    );
    let _ = writeln!(
        md,
        "| HearingDesk embedded font programs (compressed) | {} | {} |",
        programs_cell(&std::fs::read(&pdfs[0].3).unwrap_or_default()),
        programs_cell(&std::fs::read(&pdfs[1].3).unwrap_or_default())
    );
    if let Some((size, t)) = noto_body {
        let _ = writeln!(
            md,
            "| Diagnostic (not the default): decision with Noto Serif CJK SC as body face instead of FandolFang | {}; {} | — |",
            fmt_size(size),
            fmt_stats(t)
        );
    }
    let lo_out = |p: &Option<PathBuf>| match p {
        Some(p) => {
            let size = std::fs::metadata(p).map(|m| m.len() as usize).unwrap_or(0);
            format!("{}, {} pages", fmt_size(size), pages(pdf_pages(p)))
        }
        None => "—".into(),
    };
    let _ = writeln!(
        md,
        "| LibreOffice PDF from .fodt | {} | {} |",
        lo_out(&lo_res[0].fodt_pdf),
        lo_out(&lo_res[1].fodt_pdf)
    );
    let _ = writeln!(
        md,
        "| LibreOffice PDF from .txt | {} | {} |",
        lo_out(&lo_res[0].txt_pdf),
        lo_out(&lo_res[1].txt_pdf)
    );
    let lo_fonts = |p: &Option<PathBuf>| {
        p.as_ref()
            .map(|p| fonts_cell(&pdf_fonts(p)))
            .unwrap_or_else(|| "—".into())
    };
    let _ = writeln!(
        md,
        "| LibreOffice fonts (from .fodt) | {} | {} |\n",
        lo_fonts(&lo_res[0].fodt_pdf),
        lo_fonts(&lo_res[1].fodt_pdf)
    );

    md.push_str("### Budgets\n\n| budget | measured | |\n|---|---|---|\n");
    let verdict = |ok: bool| if ok { "met" } else { "**missed**" };
    match lo_res[0].fodt.is_empty() {
        false => {
            let single = stats_cpu(&lo_res[0].fodt);
            let r = single.median / dec.median;
            let rc = single.cpu.unwrap_or(f64::NAN) / dec.cpu.unwrap_or(f64::NAN);
            let _ = writeln!(
                md,
                "| closure decision ≥ {SPEED_BUDGET:.0}× faster than LibreOffice headless converting the same text, one run | {r:.0}× wall ({} vs {}); {rc:.0}× CPU | {} |",
                fmt_s(single.median),
                fmt_s(dec.median),
                verdict(r >= SPEED_BUDGET)
            );
        }
        true => {
            let _ = writeln!(md, "| closure decision ≥ {SPEED_BUDGET:.0}× faster than LibreOffice | LibreOffice not run | not measured |");
        }
    }
    let _ = writeln!(
        md,
        "| 100-page transcript ≤ {TRANSCRIPT_BUDGET_S} s | {} (fonts loaded); {} + {} font parsing in a new process | {} |",
        fmt_s(tra.median),
        fmt_s(stats(&tra_cold_doc).median),
        fmt_s(stats(&tra_cold_fonts).median),
        verdict(tra.median <= TRANSCRIPT_BUDGET_S)
    );
    let subset_ok = pdfs[0]
        .2
        .as_ref()
        .is_some_and(|f| !f.is_empty() && f.iter().all(|(_, s)| *s));
    let _ = writeln!(
        md,
        "| closure decision ≤ 150 KB, fonts embedded as subsets | {}, subsets: {} | {} |",
        fmt_size(pdfs[0].0),
        if subset_ok { "yes" } else { "NO" },
        verdict(pdfs[0].0 <= DECISION_BUDGET_BYTES && subset_ok)
    );
    for r in &lo_res {
        if let Some(e) = &r.error {
            let _ = writeln!(md, "\nLibreOffice error: `{}`", e.replace('\n', " "));
        }
    }

    println!("\n{md}");
    let report = machine::target_dir(env!("CARGO_MANIFEST_DIR")).join("bench-docs.md");
    std::fs::write(&report, &md).expect("write report");
    eprintln!(
        "bench: report in {}, PDFs in {}",
        report.display(),
        out_dir.display()
    );
}
