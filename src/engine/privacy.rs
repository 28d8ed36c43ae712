//! Personal data, before the dialogue: nothing personal is kept until the customer agreed to
//! the notice (what they send meanwhile waits, and goes on after "Đồng ý"); their rights at a
//! command (see, correct, withdraw, erase); erasure within its deadline; retention purges.
//! Works for every channel: it knows customers by their identity, and answers through the outbox.

use serde::{Deserialize, Serialize};

use super::{Engine, EngineError, Handled, Incoming};
use crate::dialogue::privacy::{self as notice, ConsentMode, PrivacyButton, PrivacyCommand};
use crate::dialogue::{
    Arg, Attachment, Button, ButtonData, Command, Customer, Input, Lang, MenuItem, Msg, Part,
};
use crate::store::{self, ErasureStatus, PrivacyStatus, SeenUser};
use crate::text::Intent;

/// A personal-data command or button.
fn privacy_input(input: &Input) -> bool {
    match input {
        Input::Text(t) => PrivacyCommand::parse(t).is_some(),
        Input::Button(b) => matches!(b, ButtonData::Privacy(_)),
        _ => false,
    }
}

/// The customer's erasure under way, if any.
fn erasing(status: &PrivacyStatus) -> Option<&store::Erasure> {
    status
        .erasure
        .as_ref()
        .filter(|e| e.status == ErasureStatus::Pending)
}

/// What the gate decided about an input.
enum Gate {
    /// On to the dialogue.
    Pass(Box<Incoming>),
    /// Answered here.
    Handled(Handled),
}

/// An input kept until the customer answers the notice (stored as JSON).
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Held {
    Text {
        text: String,
    },
    Button {
        data: String,
    },
    Media {
        attachment: Attachment,
        caption: Option<String>,
    },
    Contact {
        phone: String,
    },
}

impl Held {
    fn of(input: &Input) -> Option<Held> {
        Some(match input {
            Input::Text(t) => Held::Text { text: t.clone() },
            Input::Button(ButtonData::Unknown) => return None,
            Input::Button(b) => Held::Button { data: b.encode() },
            Input::Media {
                attachment,
                caption,
            } => Held::Media {
                attachment: attachment.clone(),
                caption: caption.clone(),
            },
            Input::Contact { phone } => Held::Contact {
                phone: phone.clone(),
            },
            Input::Unsupported(_) => return None,
        })
    }

    fn input(self) -> Input {
        match self {
            Held::Text { text } => Input::Text(text),
            Held::Button { data } => Input::Button(ButtonData::read(&data)),
            Held::Media {
                attachment,
                caption,
            } => Input::Media {
                attachment,
                caption,
            },
            Held::Contact { phone } => Input::Contact { phone },
        }
    }
}

/// An unconfirmed erasure's button works this long (seconds).
const CONFIRM_WITHIN: i64 = 24 * 3600;
/// Staff are reminded of an erasure waiting for open requests or cases this often (seconds).
const ERASURE_PING_EVERY: i64 = 24 * 3600;

/// An erasure is under way, done by `due` (Unix seconds).
fn erase_pending(due: i64) -> Msg {
    Msg::new(Part::new("privacy-erase-pending").arg("due", Arg::Time(due)))
}

impl Engine {
    /// An input through the privacy gate and the dialogue. The usual one (see
    /// [`straight_on`](Self::straight_on)) takes one transaction, the reading of its sender's
    /// privacy status included; the rest goes through the [gate](Self::privacy_gate) with the
    /// status read.
    pub(super) async fn handle_gated(
        &self,
        inc: Incoming,
        album: Option<String>,
    ) -> Result<Handled, EngineError> {
        let now = self.clock.now();
        let Some(mut tx) = self.begin_once(inc.key.as_deref(), now.timestamp()).await? else {
            return Ok(Handled::Duplicate);
        };
        let status =
            store::privacy_status(&mut tx, &inc.user.channel, &inc.user.external_id).await?;
        if self.straight_on(&inc.input, &status) {
            return self.handle_in(tx, inc, album, now).await;
        }
        // The gate marks the update handled in a transaction of its own.
        tx.rollback().await?;
        match self.privacy_gate(inc, status).await? {
            Gate::Pass(inc) => self.handle_once(*inc, album).await,
            Gate::Handled(handled) => Ok(handled),
        }
    }

    /// An input that goes straight on to the dialogue: the customer agreed to the current
    /// notice, nothing they sent waits for it, nothing of theirs is being erased, and it is no
    /// personal-data command or button.
    fn straight_on(&self, input: &Input, status: &PrivacyStatus) -> bool {
        !privacy_input(input)
            && erasing(status).is_none()
            && self.agreed(status)
            && status.held == 0
    }

    fn agreed(&self, status: &PrivacyStatus) -> bool {
        matches!(status.service, Some((v, true)) if v >= self.settings.privacy.notice_version)
    }

    /// Runs before the dialogue (given the customer's privacy `status`): personal-data
    /// commands and buttons, the notice, inputs held until it is answered, and nothing
    /// processed while an erasure is under way.
    async fn privacy_gate(
        &self,
        inc: Incoming,
        status: PrivacyStatus,
    ) -> Result<Gate, EngineError> {
        if let Input::Text(t) = &inc.input {
            if let Some(cmd) = PrivacyCommand::parse(t) {
                return self
                    .privacy_command(inc, cmd, &status)
                    .await
                    .map(Gate::Handled);
            }
        }
        if let Input::Button(ButtonData::Privacy(b)) = &inc.input {
            let b = *b;
            return self
                .privacy_button(inc, b, &status)
                .await
                .map(Gate::Handled);
        }
        if let Some(e) = erasing(&status) {
            let msg = erase_pending(e.due_at.unwrap_or(e.asked_at));
            return self.answer_only(inc, &status, msg).await.map(Gate::Handled);
        }
        let p = &self.settings.privacy;
        if self.agreed(&status) {
            if let (true, Some(id)) = (status.held > 0, status.customer_id) {
                // Inputs held when a crash came between "Đồng ý" and their turn.
                self.replay_held(&inc.user, id).await?;
            }
            return Ok(Gate::Pass(Box::new(inc)));
        }
        if p.consent == ConsentMode::OnFile {
            let now = self.clock.now().timestamp();
            let mut tx = self.store.begin().await?;
            let customer = store::upsert_customer(&mut tx, &inc.user, now).await?;
            self.service_consent(&mut tx, customer.id, true, "on_file", now)
                .await?;
            tx.commit().await?;
            return Ok(Gate::Pass(Box::new(inc)));
        }
        if self.needs_no_consent(&inc.input) {
            let user = self.user_as_stored(&inc.user, &status).await?;
            return Ok(Gate::Pass(Box::new(Incoming { user, ..inc })));
        }
        self.hold_and_ask(inc, &status).await.map(Gate::Handled)
    }

    /// Questions about the policy, the contact card, help and the language need no consent.
    fn needs_no_consent(&self, input: &Input) -> bool {
        match input {
            Input::Text(t) => match Command::parse(t) {
                Some(cmd) => matches!(
                    cmd,
                    Some(Command::Policy | Command::Contact | Command::Help | Command::Language)
                ),
                None => matches!(self.settings.phrases.intent(t), Some(Intent::Ask(_))),
            },
            Input::Button(b) => matches!(
                b,
                ButtonData::Menu(
                    MenuItem::Policy | MenuItem::Contact | MenuItem::Help | MenuItem::Language
                ) | ButtonData::Language(_)
            ),
            _ => false,
        }
    }

    /// The user as far as already stored: nothing new about someone who has not agreed.
    async fn user_as_stored(
        &self,
        user: &SeenUser,
        status: &PrivacyStatus,
    ) -> Result<SeenUser, EngineError> {
        let stored = match status.customer_id {
            Some(id) => self.store.customer(id).await?,
            None => None,
        };
        Ok(SeenUser {
            name: stored.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
            username: stored.and_then(|c| c.username),
            ..user.clone()
        })
    }

    /// Opens the update's transaction and finds the customer (created, with nothing but the
    /// identity, when new); None when the update was handled before.
    async fn privacy_tx(
        &self,
        inc: &Incoming,
        status: &PrivacyStatus,
        real_user: bool,
    ) -> Result<Option<(store::Tx, Customer, i64)>, EngineError> {
        let now = self.clock.now().timestamp();
        let user = if real_user {
            inc.user.clone()
        } else {
            self.user_as_stored(&inc.user, status).await?
        };
        let Some(mut tx) = self.begin_once(inc.key.as_deref(), now).await? else {
            return Ok(None);
        };
        let customer = store::upsert_customer(&mut tx, &user, now).await?;
        Ok(Some((tx, customer, now)))
    }

    /// The customer's answer to the current notice, given through `channel` (or "on_file").
    async fn service_consent(
        &self,
        conn: &mut store::Conn,
        customer_id: i64,
        given: bool,
        channel: &str,
        now: i64,
    ) -> Result<(), EngineError> {
        let version = self.settings.privacy.notice_version;
        store::record_consent(conn, customer_id, "service", version, given, channel, now).await?;
        Ok(())
    }

    async fn reply(
        &self,
        conn: &mut store::Conn,
        customer: &Customer,
        msg: &Msg,
        now: i64,
    ) -> Result<(), EngineError> {
        let out = self.outgoing(customer.lang, msg, None);
        self.enqueue_to_customer(conn, customer, None, &out, now)
            .await
            .map(drop)
    }

    async fn finish(&self, tx: store::Tx) -> Result<Handled, EngineError> {
        tx.commit().await?;
        self.outbox_changed();
        Ok(Handled::Done)
    }

    /// In the update's transaction (see [`privacy_tx`](Self::privacy_tx)): what `answer`
    /// does and says (given the customer and the time), said to the customer.
    async fn answer_with(
        &self,
        inc: &Incoming,
        status: &PrivacyStatus,
        real_user: bool,
        answer: impl AsyncFnOnce(&mut store::Conn, &Customer, i64) -> Result<Msg, EngineError>,
    ) -> Result<Handled, EngineError> {
        let Some((mut tx, customer, now)) = self.privacy_tx(inc, status, real_user).await? else {
            return Ok(Handled::Duplicate);
        };
        let msg = answer(&mut *tx, &customer, now).await?;
        self.reply(&mut tx, &customer, &msg, now).await?;
        self.finish(tx).await
    }

    /// An answer, and nothing else done.
    async fn answer_only(
        &self,
        inc: Incoming,
        status: &PrivacyStatus,
        msg: Msg,
    ) -> Result<Handled, EngineError> {
        self.answer_with(&inc, status, false, async |_, _, _| Ok(msg))
            .await
    }

    /// Keeps the input until the customer answers the notice, and shows the notice.
    async fn hold_and_ask(
        &self,
        inc: Incoming,
        status: &PrivacyStatus,
    ) -> Result<Handled, EngineError> {
        self.answer_with(&inc, status, false, async |tx, customer, now| {
            if let Some(held) = Held::of(&inc.input) {
                let json = serde_json::to_string(&held)
                    .map_err(|e| store::StoreError::Corrupt(e.to_string()))?;
                store::hold_input(tx, customer.id, &json, now).await?;
            }
            let p = &self.settings.privacy;
            Ok(if status.held > 0 {
                notice::still_waiting(p)
            } else {
                let again = matches!(status.service, Some((_, true)));
                notice::notice(p, &self.settings.company, customer.lang, again)
            })
        })
        .await
    }

    /// What the customer sent before agreeing goes on now, in order. Each input is handled
    /// once (its key is `held:ID`), and deleted once handled.
    async fn replay_held(&self, user: &SeenUser, customer_id: i64) -> Result<(), EngineError> {
        let held = {
            let mut conn = self.store.conn().await?;
            store::held_inputs(&mut conn, customer_id).await?
        };
        for (id, json) in held {
            match serde_json::from_str::<Held>(&json) {
                Ok(h) => {
                    let inc = Incoming {
                        key: Some(format!("held:{id}")),
                        user: user.clone(),
                        input: h.input(),
                    };
                    self.handle_once(inc, None).await?;
                }
                Err(e) => tracing::warn!(id, error = %e, "unreadable held input, dropped"),
            }
            let mut conn = self.store.conn().await?;
            store::delete_held_input(&mut conn, id).await?;
        }
        Ok(())
    }

    async fn privacy_command(
        &self,
        inc: Incoming,
        cmd: PrivacyCommand,
        status: &PrivacyStatus,
    ) -> Result<Handled, EngineError> {
        let p = &self.settings.privacy;
        let agreed = matches!(status.service, Some((v, true)) if v >= p.notice_version);
        match cmd {
            PrivacyCommand::Notice => {
                self.answer_with(&inc, status, agreed, async |_, customer, _| {
                    let company = &self.settings.company;
                    Ok(notice::full_notice(p, company, customer.lang, agreed))
                })
                .await
            }
            PrivacyCommand::MyData => self.send_data(inc, status, true).await,
            PrivacyCommand::Erase => self.ask_erasure(inc, status, false).await,
            PrivacyCommand::Withdraw => self.ask_erasure(inc, status, true).await,
            PrivacyCommand::FixName(name) => self.fix_name(inc, status, name).await,
            PrivacyCommand::FixPhone(phone) => self.fix_phone(inc, status, phone).await,
        }
    }

    async fn privacy_button(
        &self,
        inc: Incoming,
        b: PrivacyButton,
        status: &PrivacyStatus,
    ) -> Result<Handled, EngineError> {
        let p = &self.settings.privacy;
        match b {
            PrivacyButton::Agree(v) if v == p.notice_version => self.agree(inc, status).await,
            PrivacyButton::Refuse(v) if v == p.notice_version => self.refuse(inc, status).await,
            // A button of an earlier notice: the current one, to answer.
            PrivacyButton::Agree(_) | PrivacyButton::Refuse(_) => {
                let again = matches!(status.service, Some((_, true)));
                let msg = notice::notice(p, &self.settings.company, inc.user.lang, again);
                self.answer_only(inc, status, msg).await
            }
            PrivacyButton::Menu => {
                self.answer_with(&inc, status, false, async |tx, customer, _| {
                    let photos = store::photos_allowed(tx, customer.id).await?;
                    Ok(notice::data_menu(photos))
                })
                .await
            }
            PrivacyButton::Download => self.send_data(inc, status, false).await,
            PrivacyButton::Correct => {
                self.answer_only(inc, status, Msg::id("privacy-correct-how"))
                    .await
            }
            PrivacyButton::Photos(yes) => self.photos(inc, status, yes).await,
            PrivacyButton::Erase => self.ask_erasure(inc, status, false).await,
            PrivacyButton::Withdraw => self.ask_erasure(inc, status, true).await,
            PrivacyButton::ConfirmErase(id) => self.confirm_erasure(inc, status, id).await,
            PrivacyButton::Keep(id) => self.keep_data(inc, status, id).await,
        }
    }

    async fn agree(&self, inc: Incoming, status: &PrivacyStatus) -> Result<Handled, EngineError> {
        let p = &self.settings.privacy;
        let user = inc.user.clone();
        let Some((mut tx, customer, now)) = self.privacy_tx(&inc, status, true).await? else {
            return Ok(Handled::Duplicate);
        };
        if matches!(status.service, Some((v, true)) if v >= p.notice_version) {
            self.reply(&mut tx, &customer, &Msg::id("privacy-already-agreed"), now)
                .await?;
            return self.finish(tx).await;
        }
        self.service_consent(&mut tx, customer.id, true, &user.channel, now)
            .await?;
        let held = !store::held_inputs(&mut tx, customer.id).await?.is_empty();
        let mut thanks = notice::agreed(held);
        if !held {
            thanks = thanks.row(vec![Button::new(
                "btn-menu",
                ButtonData::Menu(MenuItem::Menu),
            )]);
        }
        self.reply(&mut tx, &customer, &thanks, now).await?;
        self.reply(&mut tx, &customer, &notice::photos_question(), now)
            .await?;
        self.finish(tx).await?;
        self.replay_held(&user, customer.id).await?;
        Ok(Handled::Done)
    }

    async fn refuse(&self, inc: Incoming, status: &PrivacyStatus) -> Result<Handled, EngineError> {
        let p = &self.settings.privacy;
        self.answer_with(&inc, status, false, async |tx, customer, now| {
            self.service_consent(tx, customer.id, false, &inc.user.channel, now)
                .await?;
            store::drop_held_inputs(tx, customer.id).await?;
            store::stop_customer_reminders(tx, customer.id).await?;
            Ok(notice::refused(p, &self.settings.company))
        })
        .await
    }

    async fn photos(
        &self,
        inc: Incoming,
        status: &PrivacyStatus,
        yes: bool,
    ) -> Result<Handled, EngineError> {
        let version = self.settings.privacy.notice_version;
        self.answer_with(&inc, status, false, async |tx, customer, now| {
            let channel = &inc.user.channel;
            store::record_consent(tx, customer.id, "photos", version, yes, channel, now).await?;
            Ok(Msg::id(if yes {
                "privacy-photos-yes"
            } else {
                "privacy-photos-no"
            }))
        })
        .await
    }

    async fn fix_name(
        &self,
        inc: Incoming,
        status: &PrivacyStatus,
        name: String,
    ) -> Result<Handled, EngineError> {
        self.answer_with(&inc, status, false, async |tx, customer, _| {
            let name = name.trim();
            Ok(if name.is_empty() || name.chars().count() > 100 {
                Msg::id("privacy-correct-how")
            } else {
                store::correct_name(tx, customer.id, name).await?;
                Msg::new(Part::new("privacy-name-fixed").str("name", name))
            })
        })
        .await
    }

    async fn fix_phone(
        &self,
        inc: Incoming,
        status: &PrivacyStatus,
        phone: String,
    ) -> Result<Handled, EngineError> {
        self.answer_with(&inc, status, false, async |tx, customer, _| {
            Ok(match crate::text::Phone::parse(&phone) {
                Ok(p) => {
                    let n = store::correct_phone(tx, customer.id, p.as_str()).await?;
                    Msg::new(
                        Part::new("privacy-phone-fixed")
                            .str("phone", p.as_str())
                            .int("cases", n as i64),
                    )
                }
                Err(_) if phone.trim().is_empty() => Msg::id("privacy-correct-how"),
                Err(_) => Msg::id("privacy-phone-bad"),
            })
        })
        .await
    }

    /// The file with everything kept about them (readable text and JSON); `menu`: the
    /// "Dữ liệu của tôi" menu after it.
    async fn send_data(
        &self,
        inc: Incoming,
        status: &PrivacyStatus,
        menu: bool,
    ) -> Result<Handled, EngineError> {
        let Some((mut tx, customer, now)) = self.privacy_tx(&inc, status, false).await? else {
            return Ok(Handled::Duplicate);
        };
        let data = store::customer_data(&mut tx, customer.id).await?;
        let lang = customer.lang;
        let json = serde_json::to_string_pretty(&data)
            .map_err(|e| store::StoreError::Corrupt(e.to_string()))?;
        let text = self.readable_data(lang, &data);
        let date =
            crate::policy::local_today(self.clock.now(), self.settings.tz).format("%Y-%m-%d");
        for (name, content, caption) in [
            (
                format!("du-lieu-cua-toi-{date}.txt"),
                text,
                "privacy-data-file-text",
            ),
            (
                format!("du-lieu-cua-toi-{date}.json"),
                json,
                "privacy-data-file-json",
            ),
        ] {
            let mut out = self.outgoing(lang, &Msg::id(caption), None);
            out.file = Some(store::File::Made { name, content });
            self.enqueue_to_customer(&mut tx, &customer, None, &out, now)
                .await?;
        }
        if menu {
            let photos = store::photos_allowed(&mut tx, customer.id).await?;
            self.reply(&mut tx, &customer, &notice::data_menu(photos), now)
                .await?;
        }
        self.finish(tx).await
    }

    fn readable_data(&self, lang: Lang, d: &store::CustomerData) -> String {
        use std::fmt::Write as _;
        let label = |id: &str| self.renderer.text(lang, id);
        let time = |t: i64| {
            chrono::DateTime::from_timestamp(t, 0)
                .map(|t| {
                    t.with_timezone(&self.settings.tz)
                        .format("%d/%m/%Y %H:%M")
                        .to_string()
                })
                .unwrap_or_default()
        };
        let mut s = String::new();
        let _ = writeln!(s, "{}\n", label("data-file-title"));
        let _ = writeln!(s, "## {}", label("data-file-profile"));
        let _ = writeln!(s, "{}: {}", label("data-file-name"), d.customer.name);
        if let Some(u) = &d.customer.username {
            let _ = writeln!(s, "{}: @{u}", label("data-file-username"));
        }
        let _ = writeln!(
            s,
            "{}: {}",
            label("data-file-language"),
            d.customer.lang.code()
        );
        for i in &d.identities {
            let _ = writeln!(
                s,
                "{}: {} {}",
                label("data-file-identity"),
                i.channel,
                i.external_id
            );
        }
        let _ = writeln!(s, "\n## {}", label("data-file-consents"));
        for c in &d.consents {
            let _ = writeln!(
                s,
                "{} · {} · v{} · {} · {}",
                time(c.at),
                c.purpose,
                c.notice_version,
                if c.given { "yes" } else { "no" },
                c.channel
            );
        }
        let _ = writeln!(s, "\n## {}", label("data-file-requests"));
        for r in &d.requests {
            let _ = writeln!(
                s,
                "{} · {} · {} · {}",
                r.number(),
                time(r.created_at),
                r.status.code(),
                r.invoice.as_deref().unwrap_or("-")
            );
            if let Some(t) = &r.reason_text {
                let _ = writeln!(s, "  {t}");
            }
            for t in &r.unread_answers {
                let _ = writeln!(s, "  {t}");
            }
        }
        let _ = writeln!(s, "\n## {}", label("data-file-cases"));
        for (c, events) in &d.cases {
            let _ = writeln!(
                s,
                "{} · {} · {} · {}",
                crate::dialogue::case_no(c.id),
                time(c.created_at),
                c.status.code(),
                c.phone.as_deref().unwrap_or("-")
            );
            let _ = writeln!(s, "  {}", c.description);
            for e in events {
                if let Some(t) = &e.text {
                    let _ = writeln!(s, "  {} · {} · {t}", time(e.at), e.actor);
                }
            }
        }
        let _ = writeln!(s, "\n## {}", label("data-file-files"));
        for (at, a) in &d.files {
            let _ = writeln!(
                s,
                "{at} · {:?} · {}",
                a.kind,
                a.file_name.as_deref().unwrap_or(&a.file_id)
            );
        }
        if let Some(c) = &d.conversation {
            let _ = writeln!(s, "\n## {}\n{c}", label("data-file-conversation"));
        }
        s
    }

    /// `/xoadulieu` or "Rút lại đồng ý": what goes and what stays, and the confirmation.
    async fn ask_erasure(
        &self,
        inc: Incoming,
        status: &PrivacyStatus,
        withdrawal: bool,
    ) -> Result<Handled, EngineError> {
        if status.customer_id.is_none() {
            return self
                .answer_only(inc, status, Msg::id("privacy-nothing-kept"))
                .await;
        }
        self.answer_with(&inc, status, false, async |tx, customer, now| {
            Ok(match store::latest_erasure(tx, customer.id).await? {
                Some(e) if e.status == ErasureStatus::Pending => {
                    erase_pending(e.due_at.unwrap_or(now))
                }
                _ => {
                    let id = store::ask_erasure(tx, customer.id, withdrawal, now).await?;
                    let open = store::open_items(tx, customer.id).await?;
                    let days = self.settings.privacy.erasure_days;
                    notice::erase_confirm(id, withdrawal, &open, days)
                }
            })
        })
        .await
    }

    /// The customer's own confirmation: erase now, or, with open requests or cases, tell
    /// staff at once and erase within the deadline.
    async fn confirm_erasure(
        &self,
        inc: Incoming,
        status: &PrivacyStatus,
        id: i64,
    ) -> Result<Handled, EngineError> {
        let Some((mut tx, customer, now)) = self.privacy_tx(&inc, status, false).await? else {
            return Ok(Handled::Duplicate);
        };
        let erasure = store::erasure(&mut tx, id)
            .await?
            .filter(|e| e.customer_id == customer.id);
        let Some(e) = erasure else {
            tracing::warn!(
                id,
                customer = customer.id,
                "erasure confirmed that was never asked"
            );
            self.reply(&mut tx, &customer, &Msg::id("privacy-erase-unknown"), now)
                .await?;
            return self.finish(tx).await;
        };
        let stale = e.status == ErasureStatus::Asked && now - e.asked_at > CONFIRM_WITHIN;
        let msg = match e.status {
            ErasureStatus::Pending => Some(erase_pending(e.due_at.unwrap_or(now))),
            ErasureStatus::Done => Some(Msg::id("privacy-erased")),
            ErasureStatus::Cancelled => Some(Msg::id("privacy-erase-unknown")),
            ErasureStatus::Asked if stale => Some(Msg::id("privacy-erase-unknown")),
            ErasureStatus::Asked => None,
        };
        if let Some(msg) = msg {
            self.reply(&mut tx, &customer, &msg, now).await?;
            return self.finish(tx).await;
        }
        let p = &self.settings.privacy;
        if e.withdrawal {
            self.service_consent(&mut tx, customer.id, false, &inc.user.channel, now)
                .await?;
        }
        store::stop_customer_reminders(&mut tx, customer.id).await?;
        let open = store::open_items(&mut tx, customer.id).await?;
        if open.is_empty() {
            store::move_erasure(
                &mut tx,
                id,
                ErasureStatus::Asked,
                ErasureStatus::Done,
                None,
                now,
            )
            .await?;
            store::erase_customer(&mut tx, customer.id, now).await?;
            self.anonymise_case_cards(&mut tx, customer.id, now).await?;
            self.reply(&mut tx, &customer, &Msg::id("privacy-erased"), now)
                .await?;
        } else {
            let due = now + p.erasure_days * 86_400;
            store::move_erasure(
                &mut tx,
                id,
                ErasureStatus::Asked,
                ErasureStatus::Pending,
                Some(due),
                now,
            )
            .await?;
            let msg = Msg::new(
                Part::new("privacy-erase-scheduled")
                    .str("open", open.join(", "))
                    .arg("due", Arg::Time(due)),
            );
            self.reply(&mut tx, &customer, &msg, now).await?;
            let staff = Msg::new(
                Part::new("privacy-staff-erasure")
                    .str("customer", customer.id.to_string())
                    .str("open", open.join(", "))
                    .arg("due", Arg::Time(due)),
            );
            self.staff_notice(&mut tx, &staff, now).await?;
        }
        self.finish(tx).await
    }

    async fn keep_data(
        &self,
        inc: Incoming,
        status: &PrivacyStatus,
        id: i64,
    ) -> Result<Handled, EngineError> {
        self.answer_with(&inc, status, false, async |tx, customer, now| {
            let mine = store::erasure(tx, id)
                .await?
                .is_some_and(|e| e.customer_id == customer.id);
            let kept = mine
                && store::move_erasure(
                    tx,
                    id,
                    ErasureStatus::Asked,
                    ErasureStatus::Cancelled,
                    None,
                    now,
                )
                .await?;
            Ok(Msg::id(if kept {
                "privacy-erase-kept"
            } else {
                "privacy-erase-unknown"
            }))
        })
        .await
    }

    /// Erasures waiting for open requests or cases: done once none is open or the deadline
    /// came, staff reminded daily meanwhile; then files and free text past the retention
    /// period are purged. Returns (erasures done, records purged).
    pub async fn run_privacy_housekeeping(&self) -> Result<(usize, usize), EngineError> {
        let now = self.clock.now().timestamp();
        let mut erased = 0;
        let pending = {
            let mut conn = self.store.conn().await?;
            store::erasures_pending(&mut conn).await?
        };
        for e in pending {
            let mut tx = self.store.begin().await?;
            let open = store::open_items(&mut tx, e.customer_id).await?;
            let due = e.due_at.unwrap_or(now);
            if open.is_empty() || now >= due {
                if !store::move_erasure(
                    &mut tx,
                    e.id,
                    ErasureStatus::Pending,
                    ErasureStatus::Done,
                    None,
                    now,
                )
                .await?
                {
                    tx.rollback().await?;
                    continue;
                }
                let customer = store::customer_of(&mut tx, e.customer_id).await?;
                store::erase_customer(&mut tx, e.customer_id, now).await?;
                self.anonymise_case_cards(&mut tx, e.customer_id, now)
                    .await?;
                let mut reachable = customer.clone();
                reachable.unreachable = false;
                self.reply(&mut tx, &reachable, &Msg::id("privacy-erased"), now)
                    .await?;
                let staff = Msg::new(
                    Part::new("privacy-staff-erased")
                        .str("customer", e.customer_id.to_string())
                        .str("open", open.join(", ")),
                );
                self.staff_notice(&mut tx, &staff, now).await?;
                erased += 1;
            } else if store::erasure_ping_due(&mut tx, e.id, now - ERASURE_PING_EVERY).await? {
                let staff = Msg::new(
                    Part::new("privacy-staff-erasure-reminder")
                        .str("customer", e.customer_id.to_string())
                        .str("open", open.join(", "))
                        .arg("due", Arg::Time(due)),
                );
                self.staff_notice(&mut tx, &staff, now).await?;
                store::erasure_pinged(&mut tx, e.id, now).await?;
            }
            tx.commit().await?;
        }
        let before = now - self.settings.privacy.retention_days * 86_400;
        let mut tx = self.store.begin().await?;
        let purged = store::purge_expired(&mut tx, before, now).await?.len();
        tx.commit().await?;
        if erased > 0 {
            self.outbox_changed();
        }
        Ok((erased, purged))
    }

    /// What a purge would remove now (for `cskh privacy purge --dry-run`).
    pub async fn expired_records(&self) -> Result<Vec<store::Expired>, EngineError> {
        let now = self.clock.now().timestamp();
        let before = now - self.settings.privacy.retention_days * 86_400;
        let mut conn = self.store.conn().await?;
        Ok(store::expired_records(&mut conn, before).await?)
    }

    /// The staff group's cards and topics of an erased customer's cases show the erased record
    /// from now on (the bot cannot delete what staff were shown; it edits what it can).
    async fn anonymise_case_cards(
        &self,
        conn: &mut store::Conn,
        customer_id: i64,
        now: i64,
    ) -> Result<(), EngineError> {
        for id in store::case_ids_of(conn, customer_id).await? {
            if let Some(case) = store::case(conn, id).await? {
                if case.topic_id.is_some() || case.card_message_id.is_some() {
                    self.refresh_case(conn, id, now).await?;
                }
            }
        }
        Ok(())
    }

    /// A case's card for staff, with whether the customer allows its photos in advertising.
    pub(super) async fn case_card(
        &self,
        conn: &mut store::Conn,
        case: &crate::dialogue::Case,
        customer: &Customer,
    ) -> Result<Msg, EngineError> {
        let mut card = crate::dialogue::cards::case_card(case, customer);
        let photos = store::photos_allowed(conn, customer.id).await?;
        card.parts.push(Part::new("case-card-photos").msg(
            "photos",
            if photos {
                "case-card-photos-yes"
            } else {
                "case-card-photos-no"
            },
        ));
        Ok(card)
    }

    /// The log of staff views of customers' personal data since `since` (Unix seconds).
    pub async fn data_access_log(
        &self,
        since: i64,
    ) -> Result<Vec<store::AccessRecord>, EngineError> {
        let mut conn = self.store.conn().await?;
        Ok(store::access_log(&mut conn, since).await?)
    }

    /// Records a staff view of customers' personal data.
    pub async fn log_data_access(
        &self,
        who: &str,
        action: &str,
        subject: &str,
    ) -> Result<(), EngineError> {
        let now = self.clock.now().timestamp();
        let mut conn = self.store.conn().await?;
        store::log_access(&mut conn, who, action, subject, now).await?;
        Ok(())
    }
}
