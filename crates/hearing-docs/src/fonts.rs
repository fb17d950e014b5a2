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

    /// Advance width of `ch` in ems, if the face has it.
    pub fn advance_em(&self, ch: char) -> Option<f32> {
        let gid = self
            .font
            .lookup_glyph_index(ch as u32)
            .filter(|g| *g != 0)?;
        Some(self.font.get_horizontal_advance(gid) as f32 / self.units_per_em)
    }
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
        static SYSTEM: OnceLock<Arc<FontSet>> = OnceLock::new();
        if let Some(set) = SYSTEM.get() {
            return Ok(set.clone());
        }
        let set = Arc::new(FontSet::load(&FontConfig::default())?);
        Ok(SYSTEM.get_or_init(|| set).clone())
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
            .find(|i| self.faces[*i].has_glyph(ch))
            .ok_or(DocError::MissingGlyph { ch, role })
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
