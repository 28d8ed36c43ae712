//! The command line: `cskh shell` (a terminal conversation) and `cskh run` (Telegram).

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use cskh::config::{self, Config};
use cskh::engine::{Engine, StaffChat, SystemClock};
use cskh::store::Store;

#[derive(Parser)]
#[command(
    name = "cskh",
    version,
    about = "Telegram customer-care bot (bảo lưu, hoàn trả, khiếu nại)"
)]
struct Cli {
    /// TOML file with the policy parameters and the company profile (default: ./cskh.toml if present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// A conversation in this terminal, with the staff group's side shown too (the default).
    Shell,
    /// The Telegram bot, by long polling (needs TELOXIDE_TOKEN and STAFF_CHAT_ID).
    Run,
}

/// The staff group the terminal pretends to be when STAFF_CHAT_ID is not set.
const SHELL_STAFF_CHAT: i64 = -1;

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let config = match config::load(|k| std::env::var(k).ok(), cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cskh: {e}");
            std::process::exit(2);
        }
    };
    let shell = matches!(cli.command, None | Some(Cmd::Shell));
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new(if shell { "warn" } else { "info" })
            }),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = if shell {
        run_shell(config).await
    } else {
        run_telegram(config).await
    };
    if let Err(e) = result {
        eprintln!("cskh: {e:#}");
        std::process::exit(1);
    }
}

async fn open(config: &Config, staff: StaffChat) -> anyhow::Result<Engine> {
    let store = Store::connect(&config.database_url)
        .await
        .with_context(|| format!("opening the database DATABASE_URL={}", config.database_url))?;
    Ok(Engine::new(
        store,
        config.settings(staff),
        Arc::new(SystemClock),
    ))
}

async fn run_shell(config: Config) -> anyhow::Result<()> {
    let staff = config.staff_chat.unwrap_or(StaffChat {
        chat_id: SHELL_STAFF_CHAT,
        thread_id: None,
    });
    let engine = open(&config, staff).await?;
    let stdin = tokio::io::BufReader::new(tokio::io::stdin());
    cskh::channels::shell::run(engine, stdin, std::io::stdout()).await?;
    Ok(())
}

async fn run_telegram(config: Config) -> anyhow::Result<()> {
    let (token, staff) = config
        .require_telegram()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let engine = open(&config, staff).await?;
    tracing::info!(
        staff_chat = staff.chat_id,
        "cskh is running on Telegram; Ctrl-C stops it"
    );
    let bot = cskh::channels::telegram::bot(&token, config.api_url.clone());
    cskh::channels::telegram::run(bot, engine, true, async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("stopping");
    })
    .await
    .context("talking to Telegram")?;
    Ok(())
}
