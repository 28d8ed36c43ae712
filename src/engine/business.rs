//! Telegram Business: the company's own account connected to the bot. Its customers are served
//! by the same conversation; a connection's changes and a person of the company taking a chat
//! over are told to staff.

use super::{Engine, EngineError, Handled};
use crate::dialogue::{Msg, Part};
use crate::store::{self, BusinessConnection};

/// Where a customer's message to the company's account goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BusinessChat {
    /// The bot answers: the chat's address (for the customer's identity).
    Serve(i64),
    /// The bot must not answer: the connection is unknown, ended, or may not reply.
    NotAllowed,
    /// A person of the company is answering there until this time (Unix seconds).
    TakenOver(i64),
}

impl Engine {
    /// A connection was made, changed or ended: kept, and staff told what changed for them.
    pub async fn business_connection(
        &self,
        key: Option<String>,
        c: BusinessConnection,
        account: &str,
    ) -> Result<Handled, EngineError> {
        let now = self.clock.now().timestamp();
        let Some(mut tx) = self.begin_once(key.as_deref(), now).await? else {
            return Ok(Handled::Duplicate);
        };
        let before = store::upsert_business_connection(&mut tx, &c, now)
            .await?
            .map(|b| (b.enabled, b.can_reply));
        let notice = match (before, c.enabled, c.can_reply) {
            (Some((false, _)) | None, false, _) => None,
            (_, false, _) => Some("business-disconnected"),
            (Some((true, true)), true, true) => None,
            (_, true, true) => Some("business-connected"),
            (Some((true, false)), true, false) => None,
            (_, true, false) => Some("business-no-reply"),
        };
        if let Some(id) = notice {
            let msg = Msg::new(Part::new(id).str("account", account));
            self.staff_notice(&mut tx, &msg, now).await?;
        }
        tx.commit().await?;
        self.outbox_changed();
        Ok(Handled::Done)
    }

    /// Whether the bot answers a customer's message in this chat of the company's account.
    pub async fn business_chat(
        &self,
        connection_id: &str,
        chat_id: i64,
    ) -> Result<BusinessChat, EngineError> {
        let now = self.clock.now().timestamp();
        let mut conn = self.store.conn().await?;
        match store::business_connection(&mut conn, connection_id).await? {
            Some(c) if c.enabled && c.can_reply => {}
            _ => return Ok(BusinessChat::NotAllowed),
        }
        let (address, quiet_until) =
            store::business_chat(&mut conn, connection_id, chat_id).await?;
        Ok(if quiet_until > now {
            BusinessChat::TakenOver(quiet_until)
        } else {
            BusinessChat::Serve(address)
        })
    }

    /// A person of the company wrote in a chat of its account: the bot steps back there for
    /// the configured time (counted from their latest message); staff are told when it starts.
    /// False when the connection is not known (a message from before it).
    pub async fn business_takeover(
        &self,
        key: Option<String>,
        connection_id: &str,
        chat_id: i64,
        customer: &str,
    ) -> Result<Handled, EngineError> {
        let now = self.clock.now().timestamp();
        let Some(mut tx) = self.begin_once(key.as_deref(), now).await? else {
            return Ok(Handled::Duplicate);
        };
        let (address, _) = store::business_chat(&mut tx, connection_id, chat_id).await?;
        let minutes = self.settings.business_takeover_minutes;
        let started = store::quiet_business_chat(&mut tx, address, now + minutes * 60, now).await?;
        if started {
            let msg = Msg::new(
                Part::new("business-takeover")
                    .str("customer", customer)
                    .int("minutes", minutes),
            );
            self.staff_notice(&mut tx, &msg, now).await?;
        }
        tx.commit().await?;
        self.outbox_changed();
        Ok(Handled::Done)
    }
}
