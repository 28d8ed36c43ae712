//! Files sent on Telegram, fetched by their file id for another channel: a file a staff member
//! sends from the group to a Zalo customer goes to Zalo as the file itself. `getFile` gives the
//! file's path on the Bot API server, which then serves its bytes (files up to 20 MB).

use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::FileId;

use crate::channels::{FetchFuture, FileBytes, FileSource};

/// Telegram's files, fetched through the bot.
pub struct TelegramFiles {
    bot: Bot,
}

impl TelegramFiles {
    pub fn new(bot: Bot) -> TelegramFiles {
        TelegramFiles { bot }
    }
}

impl FileSource for TelegramFiles {
    fn fetch<'a>(&'a self, file_id: &'a str) -> FetchFuture<'a> {
        Box::pin(async move {
            let file = self
                .bot
                .get_file(FileId(file_id.to_string()))
                .await
                .map_err(|e| e.to_string())?;
            let mut bytes = Vec::new();
            self.bot
                .download_file(&file.path, &mut bytes)
                .await
                .map_err(|e| e.to_string())?;
            Ok(FileBytes {
                bytes,
                path: file.path,
            })
        })
    }
}
