//! A terminal conversation with the same engine: the user is the customer, sees what the staff
//! group would receive, and can press the staff buttons too.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

use crate::channels::{Channel, Content, Earlier, File, Limits, SendError, Sent};
use crate::delivery::Delivery;
use crate::dialogue::{Attachment, ButtonData, Input, Lang, MediaKind, Msg};
use crate::engine::{Engine, Incoming, StaffAction, StaffCaseAction, StaffMessage, StaffOutcome};
use crate::store::{Message as Out, SeenUser};

/// The terminal's name as a channel (in customers' identities and outbox rows).
pub const CHANNEL: &str = "shell";

/// The terminal user's id and chat in the terminal channel.
pub const SHELL_CUSTOMER: i64 = 1;

#[derive(Default)]
struct Screen {
    /// Buttons of the customer's last message: callback data.
    customer: Vec<String>,
    /// Staff buttons seen so far: (callback data, card message id).
    staff: Vec<(String, i64)>,
    next_message_id: i64,
}

/// Prints messages to a writer; remembers buttons so the user can press them by number.
pub struct ShellTransport<W: Write + Send + 'static> {
    out: Mutex<W>,
    screen: Arc<Mutex<Screen>>,
    staff_chat: i64,
    staff_title: String,
}

fn io_error(e: std::io::Error) -> SendError {
    SendError::Transient(e.to_string())
}

impl<W: Write + Send + 'static> ShellTransport<W> {
    /// A message in the staff group's frame, its buttons numbered `s1`, `s2`…
    fn staff_lines(&self, screen: &mut Screen, id: i64, msg: &Out) -> String {
        let edited = if msg.edit_of.is_some() { " ✎" } else { "" };
        let mut text = format!("\n┌── {} · #{id}{edited}\n", self.staff_title);
        for line in msg.text.lines() {
            text.push_str(&format!("│ {line}\n"));
        }
        text.push_str(&file_lines(msg));
        for row in &msg.buttons {
            for (label, data) in row {
                screen.staff.push((data.clone(), id));
                text.push_str(&format!("│ [s{}] {label}\n", screen.staff.len()));
            }
        }
        text.push_str("└──\n");
        text
    }

    /// A message to the customer, its buttons numbered `1`, `2`…
    fn customer_lines(&self, screen: &mut Screen, msg: &Out) -> String {
        let mut text = format!("\n🤖 {}\n", msg.text.replace('\n', "\n   "));
        text.push_str(&file_lines(msg));
        if msg.buttons.is_empty() {
            return text;
        }
        screen.customer.clear();
        for row in &msg.buttons {
            let labels: Vec<String> = row
                .iter()
                .map(|(label, data)| {
                    screen.customer.push(data.clone());
                    format!("[{}] {label}", screen.customer.len())
                })
                .collect();
            text.push_str(&format!("   {}\n", labels.join("   ")));
        }
        text
    }
}

/// A message's file and phone request, as lines.
fn file_lines(msg: &Out) -> String {
    let mut text = String::new();
    match &msg.file {
        Some(File::Made { name, content }) => {
            text.push_str(&format!("   📎 {name} ({} bytes)\n", content.len()))
        }
        Some(File::Picture { name, png_base64 }) => text.push_str(&format!(
            "   🖼 {name} ({} bytes of base64)\n",
            png_base64.len()
        )),
        Some(File::Received(a)) => text.push_str(&format!(
            "   📎 {:?} {}\n",
            a.kind,
            a.file_name.clone().unwrap_or_else(|| a.file_id.clone())
        )),
        None => {}
    }
    if let Some((label, address)) = &msg.open_page {
        text.push_str(&format!("   [🌐 {label}: {address}]\n"));
    }
    if let Some(label) = &msg.ask_phone {
        text.push_str(&format!("   [📱 {label}]\n"));
    }
    text
}

impl<W: Write + Send + 'static> Channel for ShellTransport<W> {
    /// A terminal takes any length and any pace; a case thread is a line that names it.
    fn limits(&self) -> Limits {
        Limits {
            buttons: true,
            ..Limits::default()
        }
    }

    async fn send(
        &self,
        address: &str,
        _thread: Option<i64>,
        part: &Content,
    ) -> Result<Sent, SendError> {
        let mut screen = self.screen.lock().unwrap();
        let mut out = self.out.lock().unwrap();
        let msg = match part {
            Content::OpenCaseThread { title } | Content::RenameCaseThread { title } => {
                let line = format!("\n┆ {} ⇢ {title}\n", self.staff_title);
                out.write_all(line.as_bytes()).map_err(io_error)?;
                return Ok(Sent::default());
            }
            Content::Message(m) => m,
        };
        let id = match msg.edit_of {
            Some(Earlier::Message(id)) => id,
            _ => {
                screen.next_message_id += 1;
                screen.next_message_id
            }
        };
        let text = if address == self.staff_chat.to_string() {
            self.staff_lines(&mut screen, id, msg)
        } else {
            self.customer_lines(&mut screen, msg)
        };
        out.write_all(text.as_bytes()).map_err(io_error)?;
        out.flush().map_err(io_error)?;
        Ok(Sent::message(id))
    }
}

/// Runs the terminal conversation until end of input, `/quit` or Ctrl-C.
pub async fn run<R, W>(engine: Engine, input: R, out: W) -> Result<(), crate::engine::EngineError>
where
    R: AsyncBufRead + Unpin,
    W: Write + Send + 'static,
{
    let screen = Arc::new(Mutex::new(Screen::default()));
    let staff_chat = engine.settings.staff.chat_id;
    let lang = Lang::Vi;
    let transport = Arc::new(ShellTransport {
        out: Mutex::new(out),
        screen: screen.clone(),
        staff_chat,
        staff_title: engine
            .renderer
            .text(engine.settings.staff_lang, "shell-staff-title"),
    });
    let delivery = Delivery::new(engine.clone(), transport.clone());
    let say = |id: &str| {
        let text = engine.text(lang, &Msg::id(id));
        let mut o = transport.out.lock().unwrap();
        let _ = writeln!(o, "{text}");
        let _ = o.flush();
    };
    say("shell-intro");
    // Whatever an earlier run left unsent goes out first, then reminders that fell due.
    delivery.flush().await;
    engine.ensure_daily_jobs().await?;
    let user = SeenUser {
        channel: CHANNEL.into(),
        external_id: SHELL_CUSTOMER.to_string(),
        address: SHELL_CUSTOMER.to_string(),
        name: engine.renderer.text(lang, "shell-customer-name"),
        username: None,
        lang,
    };
    let mut lines = input.lines();
    loop {
        // Reminders due by now (call-backs, dates, check-ins) show before the next prompt.
        engine.run_due_jobs().await?;
        delivery.flush().await;
        {
            let mut o = transport.out.lock().unwrap();
            let _ = write!(o, "\n> ");
            let _ = o.flush();
        }
        let line = tokio::select! {
            line = lines.next_line() => line,
            _ = tokio::signal::ctrl_c() => break,
        };
        let Ok(Some(line)) = line else { break };
        let line = line.trim().to_string();
        if line.is_empty() {
            continue;
        }
        if line == "/quit" || line == "/thoat" {
            break;
        }
        // !KN-000001 words: a staff member writes in a case; !/cases, !/case KN-000001.
        if let Some(staff_line) = line.strip_prefix('!') {
            staff_writes(&engine, staff_line.trim(), &say).await?;
            delivery.flush().await;
            continue;
        }
        // s3: press staff button 3.
        if let Some(n) = line.strip_prefix('s').and_then(|n| n.parse::<usize>().ok()) {
            let pressed = screen.lock().unwrap().staff.get(n.wrapping_sub(1)).cloned();
            match pressed {
                Some((data, card)) => staff_press(&engine, &data, card, &say).await?,
                None => say("shell-no-such-button"),
            }
            delivery.flush().await;
            continue;
        }
        let input = customer_input(&line, &screen.lock().unwrap());
        engine
            .handle(Incoming {
                key: None,
                user: user.clone(),
                input,
            })
            .await?;
        delivery.flush().await;
    }
    Ok(())
}

/// A line typed as the customer: a button of the last message by its number, a file
/// (`/file name`), or words.
fn customer_input(line: &str, screen: &Screen) -> Input {
    if let Ok(n) = line.parse::<usize>() {
        return match screen.customer.get(n.wrapping_sub(1)) {
            Some(d) if n >= 1 => Input::Button(ButtonData::read(d)),
            _ => Input::Text(line.to_string()),
        };
    }
    let Some(name) = line
        .strip_prefix("/file ")
        .or_else(|| line.strip_prefix("/tep "))
    else {
        return Input::Text(line.to_string());
    };
    let photo = [".jpg", ".jpeg", ".png"]
        .iter()
        .any(|e| name.to_lowercase().ends_with(e));
    Input::Media {
        attachment: Attachment {
            kind: if photo {
                MediaKind::Photo
            } else {
                MediaKind::Document
            },
            file_id: format!("shell:{name}"),
            file_name: Some(name.trim().to_string()),
        },
        caption: None,
    }
}

async fn staff_press(
    engine: &Engine,
    data: &str,
    card: i64,
    say: &impl Fn(&str),
) -> Result<(), crate::engine::EngineError> {
    let staff_name = engine
        .renderer
        .text(engine.settings.staff_lang, "shell-staff-name");
    let (approve, id) = match ButtonData::read(data) {
        ButtonData::Case { action, case_id } => {
            let outcome = engine
                .staff_case_action(StaffCaseAction {
                    key: None,
                    staff_id: 0,
                    staff_name,
                    case_id,
                    action,
                })
                .await?;
            if !matches!(outcome, crate::engine::CaseActionOutcome::Done { .. }) {
                say("staff-toast-already-plain");
            }
            return Ok(());
        }
        ButtonData::StaffCalled(id) => {
            engine.staff_request_called(None, id, &staff_name).await?;
            say("staff-toast-called");
            return Ok(());
        }
        ButtonData::StaffNoAnswer(id) => {
            engine
                .staff_request_no_answer(None, id, &staff_name)
                .await?;
            say("staff-toast-no-answer-plain");
            return Ok(());
        }
        ButtonData::StaffJobDone(id) => {
            engine.staff_job_done(None, id, &staff_name).await?;
            return Ok(());
        }
        ButtonData::StaffDecide {
            approve,
            request_id,
        } => (approve, request_id),
        _ => {
            say("shell-no-such-button");
            return Ok(());
        }
    };
    let outcome = engine
        .staff_decide(StaffAction {
            key: None,
            staff_id: 0,
            staff_name,
            request_id: id,
            approve,
            card: Some((engine.settings.staff.chat_id, card)),
        })
        .await?;
    if let StaffOutcome::AlreadyDecided { .. } = outcome {
        say("staff-toast-already-plain");
    }
    Ok(())
}

/// A line typed as staff: a staff command, or `KN-000001 words` for a case.
async fn staff_writes(
    engine: &Engine,
    line: &str,
    say: &impl Fn(&str),
) -> Result<(), crate::engine::EngineError> {
    if line.starts_with('/') {
        let staff = engine
            .renderer
            .text(engine.settings.staff_lang, "shell-staff-name");
        if !engine.staff_command_as(None, None, line, &staff).await? {
            say("shell-no-such-command");
        }
        return Ok(());
    }
    let (case, words) = line.split_once(' ').unwrap_or((line, ""));
    let id = case
        .trim_start_matches("KN-")
        .trim_start_matches("kn-")
        .parse::<i64>()
        .ok();
    match (id, words.trim()) {
        (Some(case_id), words) if !words.is_empty() => {
            let staff_name = engine
                .renderer
                .text(engine.settings.staff_lang, "shell-staff-name");
            engine
                .staff_case_message(StaffMessage {
                    key: None,
                    staff_id: 0,
                    staff_name,
                    case_id,
                    text: Some(words.to_string()),
                    media: Vec::new(),
                    // `!KN-000001 words` names the case: meant for the customer.
                    answers_customer: true,
                    source: None,
                    edited: false,
                })
                .await?;
        }
        _ => say("shell-staff-usage"),
    }
    Ok(())
}
