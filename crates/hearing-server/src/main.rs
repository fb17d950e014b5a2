//! `hearing-server`: the sync server and its admin commands.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use hearing_server::storage::Storage;
use hearing_server::{admin, api};
use hearing_sync::Org;

#[derive(Parser)]
#[command(
    name = "hearing-server",
    version,
    about = "听证工作台同步服务器（市委政法委）：设备注册、按单位范围转发更改、文件存储"
)]
struct Cli {
    /// 数据目录（server.db 与 blobs/；用 PostgreSQL 时只放 blobs/）
    #[arg(long, global = true, env = "HEARING_SERVER_DATA")]
    data: Option<PathBuf>,
    /// PostgreSQL 数据库，如 postgres://hearing:密码@127.0.0.1:5432/hearing（不给则用数据目录中的 SQLite）
    #[arg(
        long,
        global = true,
        env = "HEARING_SERVER_DATABASE",
        hide_env_values = true
    )]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 启动同步服务
    Serve {
        /// 监听地址，如 0.0.0.0:8443 或 127.0.0.1:0（0 表示任选空闲端口）
        #[arg(long)]
        listen: SocketAddr,
        /// TLS 证书链（PEM）；与 --key 同时给出时启用 HTTPS
        #[arg(long, requires = "key")]
        cert: Option<PathBuf>,
        /// TLS 私钥（PEM）
        #[arg(long, requires = "cert")]
        key: Option<PathBuf>,
    },
    /// 单位树
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// 注册码（设备注册用的一次性代码）
    Code {
        #[command(subcommand)]
        command: CodeCommand,
    },
    /// 已注册的设备
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// 演示网络：建立演示城市（青山市）的单位树，并为每个单位签发一次性注册码，
    /// 每行输出“单位代码<TAB>注册码”（单位代码与单机演示相同：QSS、DHQ、DHQFY……）
    Demo {
        /// 注册码有效小时数
        #[arg(long, default_value_t = 168, value_parser = clap::value_parser!(u64).range(1..=8760))]
        ttl_hours: u64,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// 添加单位
    Add {
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        /// 上级单位编号（不给则为根单位）
        #[arg(long)]
        parent: Option<String>,
        #[arg(long, default_value = "")]
        short_name: String,
        /// committee | court | procuratorate | publicSecurity | justiceBureau | other
        #[arg(long, default_value = "other")]
        kind: String,
        /// 单位代码
        #[arg(long, default_value = "")]
        code: String,
    },
    /// 列出单位树
    List,
    /// 从 JSON 文件（单位数组）导入或更新单位
    Import { file: PathBuf },
}

#[derive(Subcommand)]
enum CodeCommand {
    /// 为某单位签发一次性注册码
    Issue {
        #[arg(long)]
        org: String,
        /// 有效小时数
        #[arg(long, default_value_t = 168, value_parser = clap::value_parser!(u64).range(1..=8760))]
        ttl_hours: u64,
        /// 有效秒数（测试用，优先于 --ttl-hours）
        #[arg(long, hide = true)]
        ttl_seconds: Option<u64>,
    },
}

#[derive(Subcommand)]
enum DeviceCommand {
    /// 列出设备
    List,
    /// 停用设备（其令牌此后一律被拒绝）
    Revoke { device_id: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("错误：无法启动运行时：{e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    if matches!(cli.command, Command::Serve { .. }) && cli.data.is_none() {
        return Err("请用 --data 指定数据目录（附件文件存放在其中）".into());
    }
    let store = hearing_server::open_store(cli.data.as_deref(), cli.database.as_deref()).await?;
    let store_ref: &dyn Storage = store.as_ref();
    match cli.command {
        Command::Serve { listen, cert, key } => serve(store, listen, cert.zip(key)).await,
        Command::Org { command } => match command {
            OrgCommand::Add {
                id,
                name,
                parent,
                short_name,
                kind,
                code,
            } => {
                let org = Org {
                    id: id.trim().to_owned(),
                    parent_id: parent.map(|p| p.trim().to_owned()),
                    name: name.trim().to_owned(),
                    short_name,
                    kind,
                    code,
                };
                admin::org_add(store_ref, org.clone()).await?;
                println!("已添加单位 {} {}", org.id, org.name);
                Ok(())
            }
            OrgCommand::List => {
                for (depth, o) in admin::org_list(store_ref).await? {
                    println!(
                        "{}{}\t{}\t{}\t{}",
                        "  ".repeat(depth),
                        o.id,
                        o.name,
                        o.kind,
                        o.code
                    );
                }
                Ok(())
            }
            OrgCommand::Import { file } => {
                let text = std::fs::read_to_string(&file)
                    .map_err(|e| format!("无法读取 {}：{e}", file.display()))?;
                let n = admin::org_import(store_ref, &text).await?;
                println!("已导入 {n} 个单位（未变化的不计）");
                Ok(())
            }
        },
        Command::Demo { ttl_hours } => {
            let codes = admin::demo(store_ref, ttl_hours.saturating_mul(3600)).await?;
            for (org, code) in &codes {
                println!("{org}\t{code}");
            }
            eprintln!(
                "已建立演示城市的 {} 个单位；每个注册码只能用一次，{ttl_hours} 小时内有效。\n在工作台上：hearingctl --data-dir <目录> enroll --server <地址> --code <注册码>，再 hearingctl --data-dir <目录> demo",
                codes.len()
            );
            Ok(())
        }
        Command::Code { command } => match command {
            CodeCommand::Issue {
                org,
                ttl_hours,
                ttl_seconds,
            } => {
                let ttl = ttl_seconds.unwrap_or(ttl_hours.saturating_mul(3600));
                let (code, expires) = admin::code_issue(store_ref, &org, ttl).await?;
                println!("{code}");
                eprintln!(
                    "单位 {org} 的一次性注册码，有效至 {}",
                    admin::show_time(expires)
                );
                Ok(())
            }
        },
        Command::Device { command } => match command {
            DeviceCommand::List => {
                for d in admin::device_list(store_ref).await? {
                    let state = match d.revoked_at {
                        Some(t) => format!("已停用 {}", admin::show_time(t)),
                        None => "在用".to_owned(),
                    };
                    let seen = d
                        .last_seen
                        .map(admin::show_time)
                        .unwrap_or_else(|| "从未同步".into());
                    println!(
                        "{}\t{}\t{}\t注册 {}\t最近 {}\t{}",
                        d.id,
                        d.org_id,
                        d.name,
                        admin::show_time(d.enrolled_at),
                        seen,
                        state
                    );
                }
                Ok(())
            }
            DeviceCommand::Revoke { device_id } => {
                admin::device_revoke(store_ref, &device_id).await?;
                println!("已停用设备 {device_id}");
                Ok(())
            }
        },
    }
}

async fn serve(
    store: Arc<dyn Storage>,
    listen: SocketAddr,
    tls: Option<(PathBuf, PathBuf)>,
) -> Result<(), String> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(false)
        .init();
    let describe = store.describe();
    let app = api::router(api::AppState::new(store));
    let listener =
        std::net::TcpListener::bind(listen).map_err(|e| format!("无法监听 {listen}：{e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("无法取得监听地址：{e}"))?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    // The first line on stdout says where the server listens (tests and scripts read it).
    println!("hearing-server 正在监听 {scheme}://{addr}");
    let _ = std::io::stdout().flush();
    tracing::info!("存储：{describe}");
    match tls {
        Some((cert, key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key)
                .await
                .map_err(|e| {
                    format!(
                        "无法读取证书 {} 或私钥 {}：{e}",
                        cert.display(),
                        key.display()
                    )
                })?;
            let handle = axum_server::Handle::<SocketAddr>::new();
            let stopper = handle.clone();
            tokio::spawn(async move {
                shutdown_signal().await;
                stopper.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
            });
            axum_server::from_tcp_rustls(listener, config)
                .map_err(|e| format!("无法启动 HTTPS：{e}"))?
                .handle(handle)
                .serve(app.into_make_service())
                .await
                .map_err(|e| format!("服务异常停止：{e}"))
        }
        None => {
            listener
                .set_nonblocking(true)
                .map_err(|e| format!("无法设置监听套接字：{e}"))?;
            let listener = tokio::net::TcpListener::from_std(listener)
                .map_err(|e| format!("无法监听 {listen}：{e}"))?;
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown_signal())
                .await
                .map_err(|e| format!("服务异常停止：{e}"))
        }
    }
}

/// Ctrl-C or SIGTERM: stop taking connections, finish the requests in flight.
async fn shutdown_signal() {
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
    tracing::info!("收到停止信号，处理完进行中的请求后退出");
}
