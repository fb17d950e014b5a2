//! `hearingctl enroll` and `hearingctl sync`: the same as the app's 同步 view.

use anyhow::{bail, Result};
use clap::Subcommand;
use hearing_store::Store;

#[derive(Subcommand)]
pub enum SyncCommand {
    /// What this desk knows: server, changes waiting, conflicts, last sync.
    Status,
    /// Changes that were not applied and wait for a person.
    Conflicts,
}

pub fn enroll(store: &mut Store, server: &str, code: &str, name: &str) -> Result<()> {
    let org = store.sync_enroll(server, code, name)?;
    let org_name = hearing_store::orgs::get(store.conn(), &org)
        .map(|o| o.name)
        .unwrap_or(org);
    let st = store.sync_status()?;
    println!(
        "已注册到 {server}：本机属于“{org_name}”，设备 {}；待上报更改 {} 条",
        st.device_id, st.waiting
    );
    Ok(())
}

pub fn sync(store: &mut Store, server: Option<&str>, command: Option<SyncCommand>) -> Result<()> {
    match command {
        Some(SyncCommand::Status) => {
            let st = store.sync_status()?;
            println!("服务器：{}", st.server.as_deref().unwrap_or("（未注册）"));
            println!("设备：{}", st.device_id);
            println!("待上报更改：{} 条", st.waiting);
            println!("待处理冲突：{} 条", st.conflicts);
            println!("上次同步：{}", st.last_sync.as_deref().unwrap_or("从未"));
            if let Some(e) = st.last_error {
                println!("上次错误：{e}");
            }
            Ok(())
        }
        Some(SyncCommand::Conflicts) => {
            let list = store.sync_conflicts()?;
            println!("共 {} 条", list.len());
            for c in list {
                println!(
                    "#{} {} {}.{}[{}]：对方 {}，本机 {}（{}）{}",
                    c.id,
                    c.at,
                    c.table,
                    c.column,
                    c.pk,
                    c.theirs.chars().take(60).collect::<String>(),
                    c.ours.chars().take(60).collect::<String>(),
                    c.reason,
                    if c.settled_at.is_some() {
                        " 已处理"
                    } else {
                        ""
                    }
                );
            }
            Ok(())
        }
        None => {
            if let (Some(want), Some((have, _))) = (server, store.sync_credentials()?) {
                if want.trim_end_matches('/') != have.trim_end_matches('/') {
                    bail!("本机注册在 {have}，不是 {want}；如需更换服务器请重新注册");
                }
            }
            let o = store.sync_now()?;
            let st = store.sync_status()?;
            println!(
                "同步完成：上报 {} 条（服务器已有 {} 条），接收 {} 条，新冲突 {} 条；待处理冲突共 {} 条",
                o.pushed, o.duplicates, o.pulled, o.conflicts, st.conflicts
            );
            // A large pull leaves its records to be indexed for search (the app does this in
            // the background); the command does it before it ends, saying how far it is.
            if st.search_pending > 0 {
                eprintln!("正在为检索建立索引：{} 条记录……", st.search_pending);
                let total = st.search_pending;
                let access = std::cell::RefCell::new(&mut *store);
                hearing_store::search::catch_up(&access, |left| {
                    if left > 0 {
                        eprintln!("  已完成 {} / {total} 条", total - left);
                    }
                })?;
                eprintln!("检索索引已建立。");
            }
            Ok(())
        }
    }
}
