//! A terminal conversation with the same engine: the user is the customer, sees what the staff
//! group would receive, and can press the staff buttons too.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

use crate::delivery::{Delivery, SendError, Sent, Transport};
use crate::dialogue::{Attachment, Input, Lang, MediaKind, Msg};
use crate::engine::{
    CaseAction, Engine, Incoming, StaffAction, StaffCaseAction, StaffMessage, StaffOutcome,
};
use crate::store::{Outgoing, SeenUser};

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

impl<W: Write + Send + 'static> Transport for ShellTransport<W> {
    async fn send(
        &self,
        chat_id: i64,
        _thread: Option<i64>,
        msg: &Outgoing,
    ) -> Result<Sent, SendError> {
        let mut screen = self.screen.lock().unwrap();
        let mut out = self.out.lock().unwrap();
        let staff = chat_id == self.staff_chat;
        let id = match msg.edit_message_id {
            Some(id) => id,
            None => {
                screen.next_message_id += 1;
                screen.next_message_id
            }
        };
        let mut text = String::new();
        if let Some(title) = &msg.rename_topic {
            let line = format!("\n┆ {} ⇢ {title}\n", self.staff_title);
            out.write_all(line.as_bytes())
                .map_err(|e| SendError::Transient(e.to_string()))?;
            return Ok(Sent::default());
        }
        if let Some(title) = &msg.new_topic {
            let line = format!("\n┆ {} ⇢ {title}\n", self.staff_title);
            out.write_all(line.as_bytes())
                .map_err(|e| SendError::Transient(e.to_string()))?;
            return Ok(Sent::default());
        }
        if staff {
            text.push_str(&format!(
                "\n┌── {} · #{id}{}\n",
                self.staff_title,
                if msg.edit_message_id.is_some() {
                    " ✎"
                } else {
                    ""
                }
            ));
            for line in msg.text.lines() {
                text.push_str(&format!("│ {line}\n"));
            }
        } else {
            text.push_str(&format!("\n🤖 {}\n", msg.text.replace('\n', "\n   ")));
        }
        if let Some((name, content)) = &msg.upload {
            text.push_str(&format!("   📎 {name} ({} bytes)\n", content.len()));
        }
        if let Some(a) = &msg.attachment {
            text.push_str(&format!(
                "   📎 {:?} {}\n",
                a.kind,
                a.file_name.clone().unwrap_or_else(|| a.file_id.clone())
            ));
        }
        if let Some(label) = &msg.contact_button {
            text.push_str(&format!("   [📱 {label}]\n"));
        }
        if staff {
            for row in &msg.buttons {
                for (label, data) in row {
                    screen.staff.push((data.clone(), id));
                    text.push_str(&format!("│ [s{}] {label}\n", screen.staff.len()));
                }
            }
            text.push_str("└──\n");
        } else if !msg.buttons.is_empty() {
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
        }
        out.write_all(text.as_bytes())
            .map_err(|e| SendError::Transient(e.to_string()))?;
        out.flush()
            .map_err(|e| SendError::Transient(e.to_string()))?;
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
        let input = if let Ok(n) = line.parse::<usize>() {
            let data = screen
                .lock()
                .unwrap()
                .customer
                .get(n.wrapping_sub(1))
                .cloned();
            match data {
                Some(d) if n >= 1 => Input::Button(d),
                _ => Input::Text(line.clone()),
            }
        } else if let Some(name) = line
            .strip_prefix("/file ")
            .or_else(|| line.strip_prefix("/tep "))
        {
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
        } else {
            Input::Text(line.clone())
        };
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

async fn staff_press(
    engine: &Engine,
    data: &str,
    card: i64,
    say: &impl Fn(&str),
) -> Result<(), crate::engine::EngineError> {
    let staff_name = engine
        .renderer
        .text(engine.settings.staff_lang, "shell-staff-name");
    if let Some((action, case_id)) = CaseAction::parse(data) {
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
    if let Some(id) = data
        .strip_prefix("s:c:")
        .and_then(|d| d.parse::<i64>().ok())
    {
        engine.staff_request_called(None, id, &staff_name).await?;
        say("staff-toast-called");
        return Ok(());
    }
    if let Some(id) = data
        .strip_prefix("s:n:")
        .and_then(|d| d.parse::<i64>().ok())
    {
        engine
            .staff_request_no_answer(None, id, &staff_name)
            .await?;
        say("staff-toast-no-answer-plain");
        return Ok(());
    }
    if let Some(id) = data
        .strip_prefix("s:d:")
        .and_then(|d| d.parse::<i64>().ok())
    {
        engine.staff_job_done(None, id, &staff_name).await?;
        return Ok(());
    }
    let mut it = data.split(':');
    let (approve, id) = match (
        it.next(),
        it.next(),
        it.next().and_then(|s| s.parse::<i64>().ok()),
    ) {
        (Some("s"), Some(a @ ("a" | "r")), Some(id)) => (a == "a", id),
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
