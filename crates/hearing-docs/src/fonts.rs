//! Finding and loading the faces for each [`Role`], with per-character fallback.
//!
//! The official faces (方正小标宋, 仿宋_GB2312, 黑体, 楷体_GB2312) are licensed, so by default we
//! use open faces found on the system and let the user point at licensed files through
//! [`FontConfig`]. Each role has a chain: the user's overrides, the preferred open face, then
//! Noto Serif CJK SC Regular (which covers Ext-A/B characters found in names, such as 䶮) and
//! Noto Sans CJK SC. printpdf has no fallback of its own, so the PDF writer asks
//! [`FontSet::face_for`] per character and switches faces within a run.
//!
//! Parsing a 26 MB collection takes about a second, so every face is parsed once per process and
//! shared (`Arc`) between font sets.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use printpdf::ParsedFont;
use serde::{Deserialize, Serialize};

use crate::error::DocError;
use crate::layout::{Measure, Role};

/// One face inside a font file (`index` selects the face of a `.ttc` collection).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FaceSpec {
    pub path: PathBuf,
    pub index: usize,
}

impl FaceSpec {
    pub fn new(path: impl Into<PathBuf>, index: usize) -> Self {
        FaceSpec {
            path: path.into(),
            index,
        }
    }
}

/// Where to look for fonts beyond the defaults.
#[derive(Debug, Clone, Default)]
pub struct FontConfig {
    /// Faces to try first for a role (e.g. a licensed 方正小标宋 for [`Role::Title`]). A missing
    /// override file is an error, so a typo in the settings does not silently change the look.
    pub overrides: HashMap<Role, Vec<FaceSpec>>,
    /// Extra directories searched for the known open faces (FandolFang, LXGW WenKai, Noto CJK).
    pub dirs: Vec<PathBuf>,
}

/// A parsed face.
pub struct Face {
    pub spec: FaceSpec,
    pub font: ParsedFont,
    units_per_em: f32,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face").field("spec", &self.spec).finish()
    }
}

impl Face {
    pub fn has_glyph(&self, ch: char) -> bool {
        self.font
            .lookup_glyph_index(ch as u32)
            .is_some_and(|g| g != 0)
    }

    /// Fandol faces map the fullwidth yen sign to a dollar glyph; such characters go to the
    /// next face of the chain.
    fn draws_wrongly(&self, ch: char) -> bool {
        ch == '￥'
            && self
                .spec
                .path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("Fandol"))
    }

    /// Advance width of `ch` in ems, if the face has it.
    pub fn advance_em(&self, ch: char) -> Option<f32> {
        let gid = self
            .font
            .lookup_glyph_index(ch as u32)
            .filter(|g| *g != 0)?;
        Some(self.font.get_horizontal_advance(gid) as f32 / self.units_per_em)
    }
}

/// Where the fonts shipped with the app are looked for, first match wins: `HEARINGDESK_FONT_DIR`,
/// `fonts/` and `resources/fonts/` beside the executable (a Tauri bundle puts resources in
/// `/usr/lib/<app>/resources`), and in a source checkout `src-tauri/resources/fonts`, which
/// `make fonts` fills from Debian packages.
pub fn bundled_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os("HEARINGDESK_FONT_DIR") {
        dirs.push(PathBuf::from(d));
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_owned))
    {
        dirs.push(exe_dir.join("fonts"));
        dirs.push(exe_dir.join("resources/fonts"));
        dirs.push(exe_dir.join("../lib/hearing-desk/resources/fonts"));
    }
    dirs.push(PathBuf::from("/usr/lib/hearing-desk/resources/fonts"));
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src-tauri/resources/fonts"));
    dirs
}

const SYSTEM_DIRS: &[&str] = &[
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/opentype/noto-cjk",
    "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
    "/usr/share/fonts/truetype/lxgw",
    "/usr/share/fonts/truetype/lxgw-wenkai",
    "/usr/share/fonts/opentype/lxgw-wenkai",
    "/usr/share/fonts/truetype/arphic",
    "/usr/share/fonts/truetype/arphic-ukai",
    "/usr/local/share/fonts",
];

/// Known open faces per role, best first: (file name, face index).
fn preferred(role: Role) -> &'static [(&'static str, usize)] {
    match role {
        Role::Body => &[("FandolFang-Regular.otf", 0)],
        Role::Title => &[
            ("NotoSerifCJK-Black.ttc", 2),
            ("NotoSerifCJKsc-Black.otf", 0),
            ("NotoSerifCJK-Bold.ttc", 2),
            ("NotoSerifCJKsc-Bold.otf", 0),
        ],
        Role::Heading1 => &[
            ("NotoSansCJK-Bold.ttc", 2),
            ("NotoSansCJKsc-Bold.otf", 0),
            ("FandolHei-Bold.otf", 0),
        ],
        Role::Heading2 => &[
            ("LXGWWenKai-Regular.ttf", 0),
            ("ukai.ttc", 0),
            ("FandolKai-Regular.otf", 0),
        ],
        Role::Digits => &[
            ("NotoSerifCJK-Regular.ttc", 2),
            ("NotoSerifCJKsc-Regular.otf", 0),
            ("FandolSong-Regular.otf", 0),
        ],
    }
}

/// The fallbacks every role ends with.
const FALLBACK: &[(&str, usize)] = &[
    ("NotoSerifCJK-Regular.ttc", 2),
    ("NotoSerifCJKsc-Regular.otf", 0),
    ("NotoSansCJK-Regular.ttc", 2),
    ("NotoSansCJKsc-Regular.otf", 0),
];

fn face_cache() -> &'static Mutex<HashMap<FaceSpec, Arc<Face>>> {
    static CACHE: OnceLock<Mutex<HashMap<FaceSpec, Arc<Face>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Parses a face, or returns the one parsed earlier in this process.
pub fn load_face(spec: &FaceSpec) -> Result<Arc<Face>, DocError> {
    let mut cache = face_cache().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(face) = cache.get(spec) {
        return Ok(face.clone());
    }
    let bytes = std::fs::read(&spec.path).map_err(|source| DocError::FontRead {
        path: spec.path.clone(),
        source,
    })?;
    let mut warnings = Vec::new();
    let font = ParsedFont::from_bytes(&bytes, spec.index, &mut warnings).ok_or_else(|| {
        DocError::FontParse {
            path: spec.path.clone(),
            index: spec.index,
        }
    })?;
    let upem = font.font_metrics.units_per_em;
    let face = Arc::new(Face {
        spec: spec.clone(),
        font,
        units_per_em: if upem == 0 { 1000.0 } else { upem as f32 },
    });
    cache.insert(spec.clone(), face.clone());
    Ok(face)
}

/// The faces for every role.
#[derive(Debug, Clone)]
pub struct FontSet {
    faces: Vec<Arc<Face>>,
    chains: HashMap<Role, Vec<usize>>,
}

impl FontSet {
    /// Finds and parses the faces for every role. Fails only if some role has no face at all or
    /// a configured override cannot be used.
    pub fn load(config: &FontConfig) -> Result<FontSet, DocError> {
        let mut dirs: Vec<PathBuf> = config.dirs.clone();
        if let Some(home) = std::env::var_os("HOME") {
            dirs.push(Path::new(&home).join(".local/share/fonts"));
            dirs.push(Path::new(&home).join(".fonts"));
        }
        dirs.extend(bundled_dirs());
        dirs.extend(SYSTEM_DIRS.iter().map(PathBuf::from));
        let find = |name: &str| dirs.iter().map(|d| d.join(name)).find(|p| p.is_file());

        let mut set = FontSet {
            faces: Vec::new(),
            chains: HashMap::new(),
        };
        for role in Role::ALL {
            let mut chain = Vec::new();
            for spec in config.overrides.get(&role).into_iter().flatten() {
                chain.push(set.add(spec)?);
            }
            for (name, index) in preferred(role).iter().chain(FALLBACK) {
                if let Some(path) = find(name) {
                    let spec = FaceSpec::new(path, *index);
                    // A broken system font is skipped rather than fatal; the chain decides.
                    if let Ok(i) = set.add(&spec) {
                        if !chain.contains(&i) {
                            chain.push(i);
                        }
                    }
                }
            }
            if chain.is_empty() {
                let tried: Vec<&str> = preferred(role)
                    .iter()
                    .chain(FALLBACK)
                    .map(|(n, _)| *n)
                    .collect();
                return Err(DocError::FontNotFound {
                    role,
                    tried: tried.join("、"),
                });
            }
            set.chains.insert(role, chain);
        }
        Ok(set)
    }

    /// The font set for the default configuration, loaded once per process.
    pub fn system() -> Result<Arc<FontSet>, DocError> {
        FontSet::for_settings(&FontSettings::default())
    }

    /// The font set for a desk's settings; one per distinct settings value per process.
    pub fn for_settings(settings: &FontSettings) -> Result<Arc<FontSet>, DocError> {
        type Cache = Mutex<HashMap<FontSettings, Arc<FontSet>>>;
        static SETS: OnceLock<Cache> = OnceLock::new();
        let sets = SETS.get_or_init(|| Mutex::new(HashMap::new()));
        if let Some(set) = sets.lock().unwrap_or_else(|e| e.into_inner()).get(settings) {
            return Ok(set.clone());
        }
        // Loading parses files (seconds for a cold collection): not under the lock.
        let set = Arc::new(FontSet::load(&settings.config()?)?);
        sets.lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(settings.clone(), set.clone());
        Ok(set)
    }

    fn add(&mut self, spec: &FaceSpec) -> Result<usize, DocError> {
        if let Some(i) = self.faces.iter().position(|f| &f.spec == spec) {
            return Ok(i);
        }
        self.faces.push(load_face(spec)?);
        Ok(self.faces.len() - 1)
    }

    /// All faces, in load order; [`FontSet::face_index_for`] indexes into this.
    pub fn faces(&self) -> &[Arc<Face>] {
        &self.faces
    }

    /// The chain of faces for a role, primary first.
    pub fn chain(&self, role: Role) -> impl Iterator<Item = &Arc<Face>> {
        self.chains
            .get(&role)
            .into_iter()
            .flatten()
            .map(|i| &self.faces[*i])
    }

    /// Index (into [`FontSet::faces`]) of the first face in the role's chain with a glyph for `ch`.
    pub fn face_index_for(&self, role: Role, ch: char) -> Result<usize, DocError> {
        self.chains
            .get(&role)
            .into_iter()
            .flatten()
            .copied()
            .find(|i| self.faces[*i].has_glyph(ch) && !self.faces[*i].draws_wrongly(ch))
            .ok_or(DocError::MissingGlyph { ch, role })
    }

    /// For each role, the faces of its chain (primary first) as shown in 设置.
    pub fn describe(&self) -> Vec<(Role, Vec<FaceSpec>)> {
        Role::ALL
            .into_iter()
            .map(|r| (r, self.chain(r).map(|f| f.spec.clone()).collect()))
            .collect()
    }

    /// The face that will draw `ch` in `role`.
    pub fn face_for(&self, role: Role, ch: char) -> Result<&Arc<Face>, DocError> {
        Ok(&self.faces[self.face_index_for(role, ch)?])
    }

    /// Checks that every (non-space) character can be drawn; the first one that cannot is named.
    pub fn check_text(&self, role: Role, text: &str) -> Result<(), DocError> {
        for ch in text.chars().filter(|c| !c.is_whitespace() && *c != '|') {
            self.face_index_for(role, ch)?;
        }
        Ok(())
    }
}

impl Measure for FontSet {
    fn advance_em(&self, role: Role, ch: char) -> f32 {
        self.face_for(role, ch)
            .ok()
            .and_then(|f| f.advance_em(ch))
            .unwrap_or(if crate::layout::is_half_width(ch) {
                0.5
            } else {
                1.0
            })
    }
}

/// One face the user chose for a role (a licensed 方正小标宋, 仿宋_GB2312 … installed on this
/// machine).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FontChoice {
    /// A [`Role::key`]: `body`, `title`, `heading1`, `heading2`, `digits`.
    pub role: String,
    pub path: String,
    #[serde(default)]
    pub index: usize,
}

/// The desk's font settings, kept in `<data dir>/fonts.json` (machine-local: font files are
/// installed per machine, so this is not synced).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FontSettings {
    #[serde(default)]
    pub choices: Vec<FontChoice>,
}

pub const FONT_SETTINGS_FILE: &str = "fonts.json";

impl FontSettings {
    /// Reads `<dir>/fonts.json`; no file means the defaults.
    pub fn load(dir: &Path) -> Result<FontSettings, DocError> {
        let path = dir.join(FONT_SETTINGS_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(FontSettings::default())
            }
            Err(e) => return Err(DocError::FontRead { path, source: e }),
        };
        serde_json::from_str(&text).map_err(|e| {
            DocError::Template(format!(
                "字体设置文件 {} 格式错误（{e}）；可在“设置 → 文书字体”中恢复默认",
                path.display()
            ))
        })
    }

    /// Checks every choice (role known, file readable, face parses, draws 中文) and writes
    /// `<dir>/fonts.json`; nothing is written if any choice is unusable.
    pub fn save(&self, dir: &Path) -> Result<(), DocError> {
        FontSet::load(&self.config()?)?;
        for c in &self.choices {
            let face = load_face(&FaceSpec::new(&c.path, c.index))?;
            if let Some(ch) = "终结告知书".chars().find(|ch| !face.has_glyph(*ch)) {
                return Err(DocError::invalid(
                    "path",
                    format!("字体文件 {} 不含汉字“{ch}”，不能用于中文文书", c.path),
                ));
            }
        }
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| DocError::Template(format!("无法保存字体设置：{e}")))?;
        let path = dir.join(FONT_SETTINGS_FILE);
        let tmp = dir.join(format!("{FONT_SETTINGS_FILE}.tmp"));
        std::fs::write(&tmp, text)
            .and_then(|_| std::fs::rename(&tmp, &path))
            .map_err(|source| DocError::FontRead { path, source })
    }

    /// The loader configuration: the chosen faces first in their roles' chains.
    pub fn config(&self) -> Result<FontConfig, DocError> {
        let mut config = FontConfig::default();
        for c in &self.choices {
            let role = Role::parse(&c.role)
                .ok_or_else(|| DocError::invalid("role", format!("未知的字体用途“{}”", c.role)))?;
            if c.path.trim().is_empty() {
                return Err(DocError::invalid("path", "请指定字体文件"));
            }
            config
                .overrides
                .entry(role)
                .or_default()
                .push(FaceSpec::new(&c.path, c.index));
        }
        Ok(config)
    }
}

/// A CJK font installed on this machine, as fontconfig lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstalledFont {
    pub family: String,
    pub style: String,
    pub path: String,
    pub index: usize,
}

/// The Chinese fonts fontconfig knows (`fc-list :lang=zh`), sorted by family; empty when
/// fontconfig is not installed.
pub fn installed_chinese_fonts() -> Vec<InstalledFont> {
    let out = match std::process::Command::new("fc-list")
        .args([":lang=zh", "file", "family", "style", "index"])
        .output()
    {
        Ok(o) if o.status.success() => o.stdout,
        _ => return Vec::new(),
    };
    let mut fonts: Vec<InstalledFont> = String::from_utf8_lossy(&out)
        .lines()
        .filter_map(parse_fc_line)
        .collect();
    fonts.sort_by(|a, b| (&a.family, &a.style, &a.path).cmp(&(&b.family, &b.style, &b.path)));
    fonts.dedup();
    fonts
}

/// One line of `fc-list ... file family style index`:
/// `/path/x.ttc: Family A,Family B:style=Bold:index=2`.
fn parse_fc_line(line: &str) -> Option<InstalledFont> {
    let (path, rest) = line.split_once(": ")?;
    let mut family = String::new();
    let mut style = String::new();
    let mut index = 0;
    for (i, part) in rest.split(':').enumerate() {
        if let Some(v) = part.strip_prefix("style=") {
            style = v.split(',').next().unwrap_or_default().to_owned();
        } else if let Some(v) = part.strip_prefix("index=") {
            index = v.trim().parse().ok()?;
        } else if i == 0 {
            // Prefer the Chinese name when fontconfig lists several.
            let names: Vec<&str> = part.split(',').collect();
            family = names
                .iter()
                .find(|n| n.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
                .or(names.first())
                .map(|n| n.trim().to_owned())
                .unwrap_or_default();
        }
    }
    if family.is_empty() {
        return None;
    }
    Some(InstalledFont {
        family,
        style,
        path: path.to_owned(),
        index,
    })
}

#[cfg(test)]
mod settings_tests {
    use super::*;

    #[test]
    fn fc_lines_parse() {
        let f = parse_fc_line(
            "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc: Noto Serif CJK SC:style=Bold:index=2",
        )
        .unwrap();
        assert_eq!(f.family, "Noto Serif CJK SC");
        assert_eq!(f.style, "Bold");
        assert_eq!(f.index, 2);
        let f = parse_fc_line(
            "/x/fz.ttf: FZXiaoBiaoSong-B05,方正小标宋简体:style=Regular,常规:index=0",
        )
        .unwrap();
        assert_eq!(f.family, "方正小标宋简体");
        assert_eq!(f.style, "Regular");
        assert!(parse_fc_line("garbage").is_none());
    }

    #[test]
    fn settings_round_trip_and_refuse_bad_choices() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            FontSettings::load(dir.path()).unwrap(),
            FontSettings::default()
        );
        let bad = FontSettings {
            choices: vec![FontChoice {
                role: "title".into(),
                path: dir.path().join("missing.ttf").display().to_string(),
                index: 0,
            }],
        };
        let err = bad.save(dir.path()).unwrap_err().to_string();
        assert!(err.contains("missing.ttf"), "{err}");
        assert!(!dir.path().join(FONT_SETTINGS_FILE).exists());
        let unknown = FontSettings {
            choices: vec![FontChoice {
                role: "footer".into(),
                path: "/x.ttf".into(),
                index: 0,
            }],
        };
        assert!(unknown.config().unwrap_err().to_string().contains("footer"));
        std::fs::write(dir.path().join(FONT_SETTINGS_FILE), "{not json").unwrap();
        let err = FontSettings::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("格式错误"), "{err}");
    }
}
