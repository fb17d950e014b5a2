//! The contract of `Storage`, written once and run against every implementation: each test runs
//! per backend (`store_tests!`), SQLite in a temporary directory, PostgreSQL in a fresh database
//! (see `common`).

mod common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use common::{Backend, BackendKind};
use hearing_server::storage::{
    BlobOrg, NewCode, NewDevice, OrgRecord, PullQuery, PushPage, Stamp, Storage, StoreError,
};
use hearing_sync::{Change, Op, Org};
use serde_json::{json, Map};

fn org(id: &str, parent: Option<&str>) -> OrgRecord {
    OrgRecord {
        org: Org {
            id: id.into(),
            parent_id: parent.map(Into::into),
            name: format!("{id} 名称"),
            short_name: String::new(),
            kind: "committee".into(),
            code: id.to_uppercase(),
        },
        stamp: Stamp {
            hlc: "1764201600000-00000".into(),
            device: "server".into(),
            change: format!("c-{id}"),
        },
    }
}

fn change(n: u32, org: &str, device: &str, table: &str) -> Change {
    let mut cols = Map::new();
    cols.insert("title".into(), json!(format!("第{n}条")));
    Change {
        id: format!("{device}-{n:04}"),
        org_id: org.into(),
        device_id: device.into(),
        hlc: format!("1764201600000-{n:05}"),
        table: table.into(),
        pk: format!("row-{n}"),
        op: Op::Upsert,
        cols,
        at: String::new(),
        scope_org: None,
    }
}

fn query(after: u64, limit: usize, orgs: &[&str], exclude: &str) -> PullQuery {
    PullQuery {
        after,
        limit,
        orgs: orgs.iter().map(|s| s.to_string()).collect(),
        pools: Vec::new(),
        exclude_device: exclude.into(),
    }
}

async fn contract(store: Arc<dyn Storage>) {
    // The tree and the log start empty.
    assert!(store.orgs().await.unwrap().is_empty());
    let page = store.pull_page(query(0, 10, &["a"], "x")).await.unwrap();
    assert_eq!((page.changes.len(), page.cursor, page.more), (0, 0, false));

    // A page with org rows and changes of two counties.
    let mut changes = vec![change(0, "city", "server", "orgs")];
    changes.extend((1..=6).map(|n| change(n, "a", "dev-a", "cases")));
    changes.extend((7..=8).map(|n| change(n, "b", "dev-b", "cases")));
    let out = store
        .push_page(PushPage {
            changes: changes.clone(),
            orgs: vec![
                org("city", None),
                org("a", Some("city")),
                org("b", Some("city")),
            ],
            blob_orgs: vec![],
            received_at: 1,
        })
        .await
        .unwrap();
    assert_eq!(out.accepted.len(), 9);
    assert!(out.duplicates.is_empty());
    // Cursors are log positions: increasing, not necessarily dense.
    assert!(out.cursor > 0);
    let mut orgs = store.orgs().await.unwrap();
    orgs.sort_by(|x, y| x.org.id.cmp(&y.org.id));
    assert_eq!(
        orgs,
        vec![
            org("a", Some("city")),
            org("b", Some("city")),
            org("city", None)
        ]
    );

    // Idempotent by id, also within one page; an org row is replaced as given.
    let mut renamed = org("b", Some("a"));
    renamed.org.name = "改".into();
    let again = store
        .push_page(PushPage {
            changes: vec![
                changes[1].clone(),
                change(9, "a", "dev-a", "cases"),
                change(9, "a", "dev-a", "cases"),
            ],
            orgs: vec![renamed.clone()],
            blob_orgs: vec![],
            received_at: 2,
        })
        .await
        .unwrap();
    assert_eq!(again.accepted, vec!["dev-a-0009".to_owned()]);
    assert_eq!(
        again.duplicates,
        vec!["dev-a-0001".to_owned(), "dev-a-0009".to_owned()]
    );
    assert!(again.cursor > out.cursor);
    let end = again.cursor;
    assert!(store.orgs().await.unwrap().contains(&renamed));

    // Pull: the org's changes plus every `orgs` change, not the device's own, in log order,
    // whole changes back.
    let page = store
        .pull_page(query(0, 100, &["b"], "dev-b"))
        .await
        .unwrap();
    assert_eq!(page.changes, vec![changes[0].clone()]);
    assert_eq!((page.cursor, page.more), (end, false));
    let page = store
        .pull_page(query(0, 100, &["a"], "dev-b"))
        .await
        .unwrap();
    assert_eq!(page.changes.len(), 8);
    assert_eq!(page.changes[1], changes[1]);
    let all = store
        .pull_page(query(0, 100, &["city", "a", "b"], "nobody"))
        .await
        .unwrap();
    assert_eq!(all.changes.len(), 10);
    // Paging: a full page ends at its last change and says there is more.
    let p1 = store.pull_page(query(0, 4, &["a"], "x")).await.unwrap();
    assert_eq!((p1.changes.len(), p1.more), (4, true));
    assert!(p1.cursor > 0 && p1.cursor < end);
    let p2 = store
        .pull_page(query(p1.cursor, 4, &["a"], "x"))
        .await
        .unwrap();
    assert_eq!(p2.changes[0].id, "dev-a-0004");
    let p3 = store
        .pull_page(query(p2.cursor, 4, &["a"], "x"))
        .await
        .unwrap();
    assert!(!p3.more);
    assert_eq!(p3.cursor, end);
    let seen: Vec<_> = [p1.changes, p2.changes, p3.changes].concat();
    assert_eq!(seen.len(), 8);
    assert!(matches!(
        store.pull_page(query(end + 1, 4, &["a"], "x")).await,
        Err(StoreError::BadCursor(n)) if n == end + 1
    ));

    // Codes: unknown, expired, used.
    let code = |b: u8, expires_at: i64| NewCode {
        code_hash: [b; 32],
        org_id: "a".into(),
        created_at: 100,
        expires_at,
    };
    store.create_code(code(1, 1_000)).await.unwrap();
    store.create_code(code(2, 150)).await.unwrap();
    let dev = |id: &str, t: u8| NewDevice {
        id: id.into(),
        name: "听证室".into(),
        token_hash: [t; 32],
    };
    assert!(store
        .redeem_code([9; 32], 200, dev("d1", 11))
        .await
        .unwrap()
        .is_none());
    assert!(store
        .redeem_code([2; 32], 200, dev("d1", 11))
        .await
        .unwrap()
        .is_none());
    let d = store
        .redeem_code([1; 32], 200, dev("d1", 11))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (d.id.as_str(), d.org_id.as_str(), d.enrolled_at),
        ("d1", "a", 200)
    );
    assert!(store
        .redeem_code([1; 32], 201, dev("d2", 12))
        .await
        .unwrap()
        .is_none());

    // Devices and tokens.
    assert_eq!(
        store.device_by_token([11; 32]).await.unwrap(),
        Some(d.clone())
    );
    assert_eq!(store.device_by_token([12; 32]).await.unwrap(), None);
    store.touch_device("d1", 300).await.unwrap();
    assert!(store.revoke_device("d1", 400).await.unwrap());
    assert!(store.revoke_device("d1", 500).await.unwrap());
    assert!(!store.revoke_device("nobody", 400).await.unwrap());
    let listed = store.devices().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].last_seen, listed[0].revoked_at),
        (Some(300), Some(400))
    );

    // Blobs.
    let name = "ab".repeat(32);
    assert_eq!(store.blob_len(&name).await.unwrap(), None);
    assert_eq!(store.get_blob(&name).await.unwrap(), None);
    assert!(store.put_blob(&name, b"bytes".to_vec()).await.unwrap());
    assert!(!store.put_blob(&name, b"bytes".to_vec()).await.unwrap());
    assert_eq!(
        store.get_blob(&name).await.unwrap(),
        Some(b"bytes".to_vec())
    );
    assert_eq!(store.blob_len(&name).await.unwrap(), Some(5));

    // The orgs holding a blob: added by an upload or with a pushed page, idempotent.
    let held = |sha: &str, orgs: &[&str]| {
        let (store, sha) = (Arc::clone(&store), sha.to_owned());
        let orgs: Vec<String> = orgs.iter().map(|s| s.to_string()).collect();
        async move { store.blob_held_by(&sha, &orgs).await.unwrap() }
    };
    let other = "cd".repeat(32);
    assert!(!held(&name, &["a", "b", "city"]).await);
    let by = |sha: &str, org: &str| BlobOrg {
        sha256: sha.into(),
        org_id: org.into(),
    };
    store.add_blob_org(by(&name, "a")).await.unwrap();
    store.add_blob_org(by(&name, "a")).await.unwrap();
    assert!(held(&name, &["a"]).await);
    assert!(held(&name, &["city", "a", "b"]).await);
    assert!(!held(&name, &["b"]).await);
    assert!(!held(&name, &[]).await);
    assert!(!held(&other, &["a"]).await);
    let mut referring = change(10, "b", "dev-b", "documents");
    referring
        .cols
        .insert("pdf".into(), json!({ "$blob": other.clone() }));
    let out = store
        .push_page(PushPage {
            changes: vec![referring],
            orgs: vec![],
            blob_orgs: vec![by(&other, "b"), by(&name, "b"), by(&name, "a")],
            received_at: 3,
        })
        .await
        .unwrap();
    assert_eq!(out.accepted, vec!["dev-b-0010".to_owned()]);
    assert!(held(&other, &["b"]).await && !held(&other, &["a"]).await);
    assert!(held(&name, &["b"]).await);
}

/// Every test runs once per storage backend, on a multi-threaded runtime.
macro_rules! store_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::Backend::new(super::BackendKind::Sqlite)).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if super::common::available(super::BackendKind::Postgres) {
                        super::$name(super::Backend::new(super::BackendKind::Postgres)).await
                    }
                }
            )*
        }
    };
}

store_tests!(
    keeps_the_contract,
    a_committees_person_pool_reaches_the_orgs_below,
    refuses_a_newer_database,
    a_version_1_store_learns_which_orgs_hold_its_blobs,
    concurrent_pushes_never_skip_a_change,
);

async fn keeps_the_contract(backend: Backend) {
    contract(backend.open_store().await).await;
    // Reopened, it holds the same.
    let store = backend.open_store().await;
    assert_eq!(store.orgs().await.unwrap().len(), 3);
    let page = store
        .pull_page(query(0, 100, &["city", "a", "b"], "nobody"))
        .await
        .unwrap();
    assert_eq!(page.changes.len(), 11);
    assert_eq!(store.devices().await.unwrap().len(), 1);
    assert_eq!(
        store.get_blob(&"ab".repeat(32)).await.unwrap(),
        Some(b"bytes".to_vec())
    );
    assert!(store
        .blob_held_by(&"ab".repeat(32), &["a".to_owned()])
        .await
        .unwrap());
    let kind = store.describe();
    match backend.kind {
        BackendKind::Sqlite => assert!(kind.starts_with("sqlite:"), "{kind}"),
        BackendKind::Postgres => assert!(kind.starts_with("postgres://hearing@"), "{kind}"),
    }
}

/// `persons` changes of the orgs above a device reach it (a committee's pool serves the hearings
/// of the organs below); nothing else of theirs, and no other org's pool.
async fn a_committees_person_pool_reaches_the_orgs_below(backend: Backend) {
    let store = backend.open_store().await;
    let changes = vec![
        change(1, "city", "dev-city", "persons"),
        change(2, "a", "dev-a", "persons"),
        change(3, "b", "dev-b", "persons"),
        change(4, "city", "dev-city", "cases"),
        change(5, "a1", "dev-a1", "persons"),
    ];
    store
        .push_page(PushPage {
            changes: changes.clone(),
            orgs: vec![
                org("city", None),
                org("a", Some("city")),
                org("a1", Some("a")),
                org("b", Some("city")),
            ],
            blob_orgs: vec![],
            received_at: 1,
        })
        .await
        .unwrap();
    let pull = |orgs: &[&str], pools: &[&str]| {
        let mut q = query(0, 100, orgs, "nobody");
        q.pools = pools.iter().map(|s| s.to_string()).collect();
        let store = store.clone();
        async move {
            let page = store.pull_page(q).await.unwrap();
            page.changes.into_iter().map(|c| c.id).collect::<Vec<_>>()
        }
    };
    // An organ two levels down: its own, and the pools of both committees above.
    assert_eq!(
        pull(&["a1"], &["a", "city"]).await,
        ["dev-city-0001", "dev-a-0002", "dev-a1-0005"]
    );
    // A county: the city's pool, its own and below; not the other county's pool.
    assert_eq!(
        pull(&["b"], &["city"]).await,
        ["dev-city-0001", "dev-b-0003"]
    );
    // Without pools, as before.
    assert_eq!(pull(&["b"], &[]).await, ["dev-b-0003"]);
}

async fn refuses_a_newer_database(backend: Backend) {
    drop(backend.open_store().await);
    backend.set_schema_version(99);
    let err = hearing_server::open_store(
        Some(&backend.data_dir()),
        backend.database.as_ref().map(|d| d.url.as_str()),
    )
    .await
    .err()
    .unwrap();
    assert!(err.contains("新") && err.contains("99"), "{err}");
}

/// A store written by a server of schema version 1 (before blobs were scoped): upgrading gives each
/// blob the orgs of the held changes that refer to it.
async fn a_version_1_store_learns_which_orgs_hold_its_blobs(backend: Backend) {
    let (pdf, scan) = ("ab".repeat(32), "cd".repeat(32));
    let store = backend.open_store().await;
    let mut doc = change(1, "a", "dev-a", "documents");
    doc.cols
        .insert("pdf".into(), json!({ "$blob": pdf.clone() }));
    doc.cols.insert("pdf_sha256".into(), json!(pdf.clone()));
    let mut other = change(2, "b", "dev-b", "documents");
    other
        .cols
        .insert("scan".into(), json!({ "$blob": scan.clone() }));
    let plain = change(3, "a", "dev-a", "cases");
    let owners: std::collections::HashMap<(String, String), String> = [&doc, &other, &plain]
        .iter()
        .map(|c| ((c.table.clone(), c.pk.clone()), c.org_id.clone()))
        .collect();
    store
        .push_page(PushPage {
            changes: vec![doc, other, plain],
            orgs: vec![],
            blob_orgs: vec![],
            received_at: 1,
        })
        .await
        .unwrap();
    drop(store);
    // What version 1 had: no record of the orgs holding a blob, no audit chains, no scopes, no
    // row owners.
    backend.execute_sql("DROP TABLE row_owners");
    backend.execute_sql("DROP TABLE blob_orgs");
    backend.execute_sql("DROP TABLE audit_events");
    backend.execute_sql("ALTER TABLE changes DROP COLUMN scope_org");
    backend.set_schema_version(1);

    let store = backend.open_store().await;
    let held = |sha: &str, org: &str| {
        let (store, sha, org) = (Arc::clone(&store), sha.to_owned(), org.to_owned());
        async move { store.blob_held_by(&sha, &[org]).await.unwrap() }
    };
    assert!(held(&pdf, "a").await && !held(&pdf, "b").await);
    assert!(held(&scan, "b").await && !held(&scan, "a").await);
    // Version 5 learns each row's owner from the log.
    let found = store
        .row_owners(owners.keys().cloned().collect(), vec![])
        .await
        .unwrap();
    assert_eq!(found.owners, owners);
    // Opened again (already upgraded), it keeps them.
    drop(store);
    let store = backend.open_store().await;
    assert!(store.blob_held_by(&pdf, &["a".into()]).await.unwrap());
}

/// Pages pushed at once through two store instances (as by two processes) while a third pulls
/// page by page: the reader's cursors never step over a change committed after them.
async fn concurrent_pushes_never_skip_a_change(backend: Backend) {
    const WRITERS: usize = 4;
    const PAGES: usize = 30;
    const PER_PAGE: usize = 5;
    let stores = [backend.open_store().await, backend.open_store().await];
    let reader = backend.open_store().await;
    let done = Arc::new(AtomicBool::new(false));

    let pull = {
        let done = Arc::clone(&done);
        tokio::spawn(async move {
            let mut cursor = 0;
            let mut seen = Vec::new();
            let mut pulls = 0;
            loop {
                let finished = done.load(Ordering::SeqCst);
                let page = reader
                    .pull_page(query(cursor, 7, &["a"], "nobody"))
                    .await
                    .unwrap();
                pulls += 1;
                assert!(page.cursor >= cursor);
                cursor = page.cursor;
                seen.extend(page.changes.into_iter().map(|c| c.id));
                if finished && !page.more {
                    return (seen, pulls);
                }
                if !page.more {
                    tokio::task::yield_now().await;
                }
            }
        })
    };
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let store = Arc::clone(&stores[w % 2]);
        writers.push(tokio::spawn(async move {
            for p in 0..PAGES {
                let changes: Vec<Change> = (0..PER_PAGE)
                    .map(|k| {
                        let mut c =
                            change((p * PER_PAGE + k) as u32, "a", &format!("w{w}"), "cases");
                        c.id = format!("w{w}-{p:03}-{k}");
                        c
                    })
                    .collect();
                let out = store
                    .push_page(PushPage {
                        changes,
                        orgs: vec![],
                        blob_orgs: vec![],
                        received_at: 1,
                    })
                    .await
                    .unwrap();
                assert_eq!(out.accepted.len(), PER_PAGE);
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let (seen, pulls) = pull.await.unwrap();
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "a change pulled twice");
    let want: BTreeSet<String> = (0..WRITERS)
        .flat_map(|w| {
            (0..PAGES).flat_map(move |p| (0..PER_PAGE).map(move |k| format!("w{w}-{p:03}-{k}")))
        })
        .collect();
    let missing: Vec<&String> = want.iter().filter(|id| !unique.contains(id)).collect();
    assert!(
        missing.is_empty(),
        "{} changes skipped by the cursors ({pulls} pulls), e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
    assert!(
        pulls > 10,
        "the reader did not pull while the writers pushed"
    );
}
