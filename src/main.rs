//! The command line: `cskh shell` (a terminal conversation) and `cskh run` (Telegram).

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use cskh::app::RunError;
use cskh::config::{self, Config};
use cskh::engine::{Engine, StaffChat};

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
    /// The Telegram bot, by long polling (needs TELOXIDE_TOKEN and STAFF_CHAT_ID), with
    /// /healthz, /readyz and /metrics served on LISTEN_ADDR.
    Run {
        /// Where /healthz, /readyz and /metrics are served.
        #[arg(long, env = "LISTEN_ADDR", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Take updates by webhook at this public HTTPS address instead of long polling
        /// (Telegram posts to it; a proxy forwards it to LISTEN_ADDR, same path).
        #[arg(long, env = "WEBHOOK_URL")]
        webhook: Option<url::Url>,
        /// The secret Telegram sends with each webhook request (1-256 of A-Z a-z 0-9 _ -).
        #[arg(long, env = "WEBHOOK_SECRET", hide_env_values = true)]
        webhook_secret: Option<String>,
        /// How many connections Telegram may open to the webhook at once (1-100; Telegram's
        /// default is 40). 1 hands every update over one after another.
        #[arg(long, env = "WEBHOOK_MAX_CONNECTIONS", value_parser = clap::value_parser!(u8).range(1..=100))]
        webhook_max_connections: Option<u8>,
    },
    /// The invoice registry.
    Invoices {
        #[command(subcommand)]
        action: InvoicesCmd,
    },
    /// QR codes for print: one invoice's code (PNG or SVG, by the file's extension), or with
    /// --registry an A4 sheet (PDF) of every paid invoice of the registry.
    Qr {
        /// The invoice number, as on the paper invoice (HD-2026-0012).
        invoice: Option<String>,
        /// Every paid invoice of the registry, on an A4 sheet.
        #[arg(long, conflicts_with = "invoice")]
        registry: bool,
        /// The file to write: .png, .svg or .pdf.
        #[arg(long, short)]
        out: PathBuf,
    },
    /// Every request or case, for a spreadsheet (CSV, UTF-8 with BOM) or a script (JSON lines).
    Export {
        /// requests or cases
        #[arg(value_enum)]
        what: ExportWhat,
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
        /// Only those created on or after this date (dd/mm/yyyy or yyyy-mm-dd).
        #[arg(long)]
        since: Option<String>,
        /// Write to this file instead of the terminal.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Personal data: the retention purge, and the log of staff views of customers' data.
    Privacy {
        #[command(subcommand)]
        action: PrivacyCmd,
    },
}

#[derive(Subcommand)]
enum PrivacyCmd {
    /// Purge the files and free text of requests and cases closed longer ago than
    /// privacy.retention_days (the running bot does this by itself every hour).
    Purge {
        /// Only list what would go.
        #[arg(long)]
        dry_run: bool,
    },
    /// Who looked at customers' personal data, and when (/case, /export, cskh export).
    Log {
        /// Only views on or after this date (dd/mm/yyyy or yyyy-mm-dd).
        #[arg(long)]
        since: Option<String>,
    },
}

#[derive(Subcommand)]
enum InvoicesCmd {
    /// Import (or update) invoices from a CSV file exported from a spreadsheet.
    Import {
        file: PathBuf,
        /// Import the good rows even when some rows are bad.
        #[arg(long)]
        skip_bad: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportWhat {
    Requests,
    Cases,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    Csv,
    Json,
}

/// The staff group the terminal pretends to be when STAFF_CHAT_ID is not set.
const SHELL_STAFF: StaffChat = StaffChat {
    chat_id: -1,
    thread_id: None,
};

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
    let shell = !matches!(cli.command, Some(Cmd::Run { .. }));
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(if shell { "warn" } else { "info" })
    });
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // LOG_FORMAT=json: one JSON object a line, for a log collector.
    if std::env::var("LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        logs.json().init();
    } else {
        logs.init();
    }
    let result = match cli.command {
        None | Some(Cmd::Shell) => run_shell(config).await,
        Some(Cmd::Run {
            listen,
            webhook,
            webhook_secret,
            webhook_max_connections,
        }) => {
            run_telegram(
                config,
                listen,
                webhook,
                webhook_secret,
                webhook_max_connections,
            )
            .await
        }
        Some(Cmd::Invoices {
            action: InvoicesCmd::Import { file, skip_bad },
        }) => import_invoices(config, &file, skip_bad).await,
        Some(Cmd::Qr {
            invoice,
            registry,
            out,
        }) => print_qr(config, invoice, registry, &out).await,
        Some(Cmd::Export {
            what,
            format,
            since,
            output,
        }) => export(config, what, format, since, output).await,
        Some(Cmd::Privacy { action }) => privacy(config, action).await,
    };
    if let Err(e) = result {
        eprintln!("cskh: {e:#}");
        std::process::exit(1);
    }
}

async fn open(config: &Config, staff: StaffChat) -> anyhow::Result<Engine> {
    cskh::app::open(&config.database_url, config.settings(staff))
        .await
        .with_context(|| format!("opening the database DATABASE_URL={}", config.database_url))
}

async fn run_shell(config: Config) -> anyhow::Result<()> {
    let staff = config.staff_chat.unwrap_or(SHELL_STAFF);
    let engine = open(&config, staff).await?;
    let stdin = tokio::io::BufReader::new(tokio::io::stdin());
    cskh::channels::shell::run(engine, stdin, std::io::stdout()).await?;
    Ok(())
}

async fn run_telegram(
    config: Config,
    listen: std::net::SocketAddr,
    webhook: Option<url::Url>,
    webhook_secret: Option<String>,
    max_connections: Option<u8>,
) -> anyhow::Result<()> {
    let webhook = match (webhook, webhook_secret) {
        (None, _) => None,
        (Some(_), None) => anyhow::bail!(
            "WEBHOOK_SECRET is not set: a webhook needs a secret token (1-256 of A-Z a-z 0-9 _ -)"
        ),
        (Some(_), Some(s)) if !cskh::channels::telegram::valid_secret(&s) => {
            anyhow::bail!("WEBHOOK_SECRET is not valid: 1-256 characters, only A-Z a-z 0-9 _ -")
        }
        (Some(url), Some(secret)) => Some(cskh::channels::telegram::Webhook {
            url,
            secret,
            max_connections,
        }),
    };
    let (token, staff) = config
        .require_telegram()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let engine = open(&config, staff).await?;
    // Bound before Telegram is spoken to, so that a taken port stops start-up with a clear line.
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on LISTEN_ADDR={listen}"))?;
    let bot = cskh::channels::telegram::bot(&token, config.api_url.clone());
    let by_webhook = webhook.is_some();
    if by_webhook {
        tracing::info!(
            staff_chat = staff.chat_id,
            %listen,
            "cskh is running on Telegram by webhook; Ctrl-C stops it"
        );
    } else {
        tracing::info!(
            staff_chat = staff.chat_id,
            "cskh is running on Telegram; Ctrl-C stops it"
        );
    }
    if let Some(z) = &config.zalo {
        tracing::info!(app_id = %z.app_id, path = %z.webhook_path, "Zalo customers by webhook");
    }
    let zalo = config.zalo.clone();
    match cskh::app::run(
        bot,
        engine,
        webhook,
        zalo,
        true,
        listener,
        shutdown_signal(),
    )
    .await
    {
        Ok(()) => Ok(()),
        Err(RunError::Serve(e)) => Err(e).with_context(|| format!("serving HTTP on {listen}")),
        Err(e @ RunError::Telegram(_)) => Err(e).context(if by_webhook {
            "running the webhook"
        } else {
            "talking to Telegram"
        }),
    }
}

/// `cskh qr`: writes one invoice's code, or the sheet of every paid invoice.
async fn print_qr(
    config: Config,
    invoice: Option<String>,
    registry: bool,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !matches!(ext.as_str(), "png" | "svg" | "pdf") {
        anyhow::bail!(
            "--out {}: the file must end in .png, .svg or .pdf",
            out.display()
        );
    }
    let engine = open(&config, SHELL_STAFF).await?;
    let numbers: Vec<String> = match (invoice, registry) {
        (Some(n), false) => {
            let n = cskh::text::Invoice::parse(&n).map_err(|_| {
                anyhow::anyhow!("{n:?} is not an invoice number (e.g. HD-2026-0012)")
            })?;
            vec![n.as_str().to_string()]
        }
        (None, true) => {
            let mut conn = engine.store.conn().await?;
            let paid = cskh::store::paid_invoices(&mut conn).await?;
            if paid.is_empty() {
                anyhow::bail!(
                    "the registry has no paid invoice: import it first with `cskh invoices import FILE`"
                );
            }
            paid.into_iter().map(|i| i.number).collect()
        }
        _ => anyhow::bail!(
            "give an invoice number (cskh qr HD-2026-0012 --out hd.png) or --registry"
        ),
    };
    if numbers.len() > 1 && ext != "pdf" {
        anyhow::bail!("--registry writes an A4 sheet: --out must end in .pdf");
    }
    let caption = say(&engine, cskh::dialogue::Part::new("qr-caption"));
    let mut labels = Vec::with_capacity(numbers.len());
    for number in numbers {
        labels.push(cskh::qr::Label {
            link: engine.invoice_link(&number).await?,
            invoice: number,
            caption: caption.clone(),
        });
    }
    let bytes = match ext.as_str() {
        "png" => cskh::qr::png(&labels[0].link)?,
        "svg" => cskh::qr::svg(&labels[0].link)?.into_bytes(),
        _ => cskh::qr::sheet(
            &say(&engine, cskh::dialogue::Part::new("qr-sheet-title")),
            &labels,
        )?,
    };
    std::fs::write(out, bytes).with_context(|| format!("writing {}", out.display()))?;
    eprintln!("{}: {} code(s)", out.display(), labels.len());
    Ok(())
}

/// Ctrl-C, or SIGTERM from a supervisor (docker stop, systemctl stop).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = async {
                match term.as_mut() {
                    Some(t) => { t.recv().await; }
                    None => std::future::pending::<()>().await,
                }
            } => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("stopping");
}

/// The staff language's text for a message id (the operator reads it).
fn say(engine: &Engine, part: cskh::dialogue::Part) -> String {
    engine.text(engine.settings.staff_lang, &cskh::dialogue::Msg::new(part))
}

/// `--since DATE`: the start of that day in the company's time zone (Unix seconds); none, 0.
fn since_arg(engine: &Engine, since: Option<String>) -> anyhow::Result<i64> {
    let Some(s) = since else {
        return Ok(0);
    };
    let date = cskh::registry::sheet_date(&s).ok_or_else(|| {
        anyhow::anyhow!(
            "--since {s:?}: {}",
            say(engine, cskh::dialogue::Part::new("export-bad-since"))
        )
    })?;
    Ok(
        cskh::policy::local_instant(date, chrono::NaiveTime::MIN, engine.settings.tz)
            .map(|t| t.timestamp())
            .unwrap_or(0),
    )
}

async fn import_invoices(
    config: Config,
    file: &std::path::Path,
    skip_bad: bool,
) -> anyhow::Result<()> {
    let engine = open(&config, SHELL_STAFF).await?;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let read = match cskh::registry::read_invoices(&text) {
        Ok(r) => r,
        Err(cskh::registry::ImportError::MissingColumns(cols)) => {
            let names: Vec<String> = cols
                .iter()
                .map(|c| {
                    engine
                        .renderer
                        .text(engine.settings.staff_lang, &format!("import-column-{c}"))
                })
                .collect();
            anyhow::bail!(
                "{}",
                say(
                    &engine,
                    cskh::dialogue::Part::new("import-missing-columns")
                        .str("columns", names.join(", "))
                )
            );
        }
        Err(e) => return Err(e.into()),
    };
    for (line, problem) in &read.bad {
        let why = engine
            .renderer
            .part(engine.settings.staff_lang, &problem.part(), None);
        eprintln!(
            "{}",
            say(
                &engine,
                cskh::dialogue::Part::new("import-bad-row")
                    .int("line", *line as i64)
                    .str("why", why)
            )
        );
    }
    let now = chrono::Utc::now().timestamp();
    match cskh::registry::import(&engine.store, &read, skip_bad, now).await? {
        Some(s) => {
            println!(
                "{}",
                say(
                    &engine,
                    cskh::dialogue::Part::new("import-summary")
                        .int("added", s.added as i64)
                        .int("updated", s.updated as i64)
                        .int("skipped", s.skipped as i64)
                )
            );
            Ok(())
        }
        None => anyhow::bail!(
            "{}",
            say(
                &engine,
                cskh::dialogue::Part::new("import-nothing").int("bad", read.bad.len() as i64)
            )
        ),
    }
}

async fn export(
    config: Config,
    what: ExportWhat,
    format: ExportFormat,
    since: Option<String>,
    output: Option<PathBuf>,
) -> anyhow::Result<()> {
    let engine = open(&config, SHELL_STAFF).await?;
    let tz = engine.settings.tz;
    let since = since_arg(&engine, since)?;
    // Who ran it: the operating system's user (the log of views of personal data).
    let who = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "cskh export".into());
    let what_name = match what {
        ExportWhat::Requests => "requests",
        ExportWhat::Cases => "cases",
    };
    engine
        .log_data_access(&who, "cli_export", what_name)
        .await?;
    let bytes = match (what, format) {
        (ExportWhat::Requests, ExportFormat::Csv) => {
            cskh::registry::to_csv(&cskh::registry::request_rows(&engine.store, since, tz).await?)?
        }
        (ExportWhat::Requests, ExportFormat::Json) => cskh::registry::to_json_lines(
            &cskh::registry::request_rows(&engine.store, since, tz).await?,
        )?,
        (ExportWhat::Cases, ExportFormat::Csv) => {
            cskh::registry::to_csv(&cskh::registry::case_rows(&engine.store, since, tz).await?)?
        }
        (ExportWhat::Cases, ExportFormat::Json) => cskh::registry::to_json_lines(
            &cskh::registry::case_rows(&engine.store, since, tz).await?,
        )?,
    };
    match output {
        Some(path) => {
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    Ok(())
}

async fn privacy(config: Config, action: PrivacyCmd) -> anyhow::Result<()> {
    let engine = open(&config, SHELL_STAFF).await?;
    let tz = engine.settings.tz;
    let time = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    };
    match action {
        PrivacyCmd::Purge { dry_run } => {
            let expired = engine.expired_records().await?;
            for e in &expired {
                println!("{}\t{}\t{}", e.number, time(e.closed_at), e.files);
            }
            let part = if dry_run {
                cskh::dialogue::Part::new("privacy-purge-would").int("n", expired.len() as i64)
            } else {
                let (_, purged) = engine.run_privacy_housekeeping().await?;
                cskh::dialogue::Part::new("privacy-purge-done").int("n", purged as i64)
            };
            eprintln!("{}", say(&engine, part));
        }
        PrivacyCmd::Log { since } => {
            let since = since_arg(&engine, since)?;
            for r in engine.data_access_log(since).await? {
                println!("{}\t{}\t{}\t{}", time(r.at), r.who, r.action, r.subject);
            }
        }
    }
    Ok(())
}
