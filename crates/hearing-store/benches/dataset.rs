//! The generated datasets the benches of this crate run on (`bench-data`, crate hearing-benchdata), made once
//! into `target/bench-data/c<cases>-t<entries>-s<seed>/` and reused while their record
//! (`desk_meta.bench_data`) says the same sizes, seed, generator format and schema.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use hearing_store::Store;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

/// `hearing_benchdata::FORMAT`: a dataset of another format is made anew.
pub const DATA_FORMAT: u64 = 2;
/// The dataset's "today" (`bench-data --as-of`).
pub const AS_OF: &str = "2026-11-27";
pub const PERSONS: u64 = 3000;

pub fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// One dataset and how to make it.
pub struct Dataset {
    pub cases: u64,
    pub testimony: u64,
    pub seed: u64,
    /// Make it anew even when a matching one exists.
    pub regen: bool,
    /// The `bench-data` binary.
    pub generator: PathBuf,
    pub target: PathBuf,
}

impl Dataset {
    /// From `<prefix>_CASES`, `_TESTIMONY`, `_SEED`, `_REGEN=1`, `_BENCH_DATA` (the generator;
    /// default `target/release/bench-data`).
    pub fn from_env(prefix: &str, target: PathBuf, cases: u64, testimony: u64) -> Dataset {
        let var = |name: &str| std::env::var(format!("{prefix}_{name}"));
        let generator = var("BENCH_DATA")
            .map(PathBuf::from)
            .unwrap_or_else(|_| target.join("release/bench-data"));
        Dataset {
            cases: env_u64(&format!("{prefix}_CASES"), cases),
            testimony: env_u64(&format!("{prefix}_TESTIMONY"), testimony),
            seed: env_u64(&format!("{prefix}_SEED"), 20_261_127),
            regen: var("REGEN").is_ok_and(|v| v == "1"),
            generator,
            target,
        }
    }

    pub fn dir(&self) -> PathBuf {
        self.target.join(format!(
            "bench-data/c{}-t{}-s{}",
            self.cases, self.testimony, self.seed
        ))
    }

    /// Present while a bench's own writes are in the dataset (removed after cleaning up).
    pub fn dirty_marker(&self) -> PathBuf {
        self.dir().with_extension("dirty")
    }
}

pub fn read_stamp(dir: &Path) -> Option<serde_json::Value> {
    let db = dir.join(hearing_store::DB_FILE);
    if !db.exists() {
        return None;
    }
    let conn = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    let text: String = conn
        .query_row(
            "SELECT value FROM desk_meta WHERE key = 'bench_data'",
            [],
            |r| r.get(0),
        )
        .optional()
        .ok()??;
    serde_json::from_str(&text).ok()
}

/// The schema objects of a database (tables, indexes, views, triggers) but the sync triggers,
/// which every open re-creates.
fn schema_of(db: &Path) -> Option<Vec<(String, String)>> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    let mut stmt = conn
        .prepare(
            "SELECT name, coalesce(sql, '') FROM sqlite_schema
             WHERE name NOT LIKE 'sync_ins_%' AND name NOT LIKE 'sync_upd_%'
               AND name NOT LIKE 'sync_del_%' ORDER BY name",
        )
        .ok()?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .ok()?
        .collect::<rusqlite::Result<Vec<_>>>()
        .ok()?;
    Some(rows)
}

/// True when the dataset's schema is the one this code makes (the migrations, search triggers
/// included, may have changed without a new version while they are being written).
fn schema_current(dir: &Path) -> bool {
    let fresh = std::env::temp_dir().join(format!("hd-bench-schema-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&fresh);
    let made = Store::open_dir(&fresh).is_ok();
    let same = made
        && schema_of(&fresh.join(hearing_store::DB_FILE)).is_some_and(|want| {
            schema_of(&dir.join(hearing_store::DB_FILE)).is_some_and(|have| have == want)
        });
    let _ = std::fs::remove_dir_all(&fresh);
    same
}

fn stamp_matches(cfg: &Dataset, s: &serde_json::Value) -> bool {
    s["format"].as_u64() == Some(DATA_FORMAT)
        && s["cases"].as_u64() == Some(cfg.cases)
        && s["testimony"].as_u64() == Some(cfg.testimony)
        && s["seed"].as_u64() == Some(cfg.seed)
        && s["persons"].as_u64() == Some(PERSONS)
        && s["asOf"].as_str() == Some(AS_OF)
}

/// Makes sure the dataset is there; returns its record and whether it was made by this run.
pub fn ensure(cfg: &Dataset) -> (serde_json::Value, bool) {
    let dir = cfg.dir();
    if !cfg.regen && !cfg.dirty_marker().exists() {
        if let Some(s) = read_stamp(&dir).filter(|s| stamp_matches(cfg, s)) {
            // A dataset of an older schema version is migrated as a user's desk would be (the
            // store's open runs the new migrations); one whose schema then still differs (a
            // migration edited while it is being written) is made anew.
            let migrated = s["schemaVersion"].as_i64() == Some(hearing_store::LATEST_VERSION)
                || Store::open_dir(&dir).is_ok_and(|mut store| {
                    // A migration that rebuilt the search index left it to the background
                    // catch-up, as on a user's desk: done here, before the dataset is used.
                    hearing_store::search::catch_up(&std::cell::RefCell::new(&mut store), |_| {})
                        .is_ok()
                });
            if migrated && schema_current(&dir) {
                println!("bench: reusing the dataset in {}", dir.display());
                return (s, false);
            }
            println!("bench: the dataset's schema is not the current one: generating it anew");
        }
    }
    assert!(
        cfg.generator.exists(),
        "{} is missing: build it first with `cargo build --release -p hearing-benchdata` (`make bench-store` and `make bench-sync` do)",
        cfg.generator.display()
    );
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("remove the old dataset");
    }
    let _ = std::fs::remove_file(cfg.dirty_marker());
    std::fs::create_dir_all(dir.parent().expect("dataset directory has a parent"))
        .expect("create target/bench-data");
    println!(
        "bench: generating {} cases and {} testimony entries into {} …",
        cfg.cases,
        cfg.testimony,
        dir.display()
    );
    let status = Command::new(&cfg.generator)
        .arg("--data-dir")
        .arg(&dir)
        .args(["--cases", &cfg.cases.to_string()])
        .args(["--testimony", &cfg.testimony.to_string()])
        .args(["--seed", &cfg.seed.to_string(), "--as-of", AS_OF])
        .args(["--persons", &PERSONS.to_string()])
        .status()
        .expect("run bench-data");
    assert!(status.success(), "bench-data failed: {status}");
    let s = read_stamp(&dir).expect("the generated dataset has its record");
    assert!(
        stamp_matches(cfg, &s),
        "the generated dataset's record does not match: {s} (is {} up to date?)",
        cfg.generator.display()
    );
    (s, true)
}
