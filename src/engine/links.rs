//! The links printed on invoices: the secret that signs them, the bot's username they point
//! at, and the link of an invoice.

use super::{Engine, EngineError};
use crate::deeplink;
use crate::store;

/// Why a link cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum LinkSetupError {
    #[error(
        "the bot's username is not known: set BOT_USERNAME (e.g. BOT_USERNAME=cskh_bot), or start \
         the bot once with `cskh run` so that it remembers the name Telegram gives it"
    )]
    NoUsername,
    #[error(transparent)]
    Link(#[from] deeplink::LinkError),
    #[error(transparent)]
    Engine(#[from] EngineError),
}

impl Engine {
    /// The secret that signs invoice links: the setting, or the one kept in the database (made
    /// now when there is none yet).
    pub(super) async fn link_secret(&self, conn: &mut store::Conn) -> Result<String, EngineError> {
        if let Some(s) = &self.settings.link_secret {
            return Ok(s.clone());
        }
        Ok(store::bot_value_or(conn, store::LINK_SECRET, &deeplink::new_secret()).await?)
    }

    /// The bot's username: the setting, or the one Telegram gave at the last start.
    pub async fn bot_username(&self) -> Result<Option<String>, EngineError> {
        if let Some(u) = &self.settings.bot_username {
            return Ok(Some(u.clone()));
        }
        let mut conn = self.store.conn().await?;
        Ok(store::bot_value(&mut conn, store::BOT_USERNAME).await?)
    }

    /// Remembers the username Telegram gave the bot (getMe), for links printed later.
    pub async fn remember_bot_username(&self, username: &str) -> Result<(), EngineError> {
        let mut conn = self.store.conn().await?;
        store::set_bot_value(&mut conn, store::BOT_USERNAME, username).await?;
        Ok(())
    }

    /// The deep link printed on an invoice: it opens the bot with the invoice filled in.
    pub async fn invoice_link(&self, invoice: &str) -> Result<String, LinkSetupError> {
        let bot = self
            .bot_username()
            .await?
            .ok_or(LinkSetupError::NoUsername)?;
        let mut conn = self.store.conn().await.map_err(EngineError::from)?;
        let secret = self.link_secret(&mut conn).await?;
        let payload = deeplink::invoice_payload(secret.as_bytes(), invoice)?;
        Ok(deeplink::link(&bot, &payload))
    }
}
