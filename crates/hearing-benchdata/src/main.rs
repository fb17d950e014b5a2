//! `bench-data --data-dir DIR [--cases N --testimony N --persons N --seed N --as-of DATE]`: fills
//! an empty data directory with a generated dataset for the benchmarks (see the library).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use hearing_benchdata::BenchDataArgs;

/// 为性能测试生成大规模虚构数据（开发工具，不随软件发布）。
#[derive(Parser)]
#[command(name = "bench-data", version)]
struct Cli {
    /// The data directory to fill; it must be empty or absent.
    #[arg(long)]
    data_dir: PathBuf,
    #[command(flatten)]
    args: BenchDataArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match hearing_benchdata::run(&cli.data_dir, &cli.args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}
