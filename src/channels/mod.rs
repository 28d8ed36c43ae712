//! Where inputs come from: Telegram, or a terminal.

pub mod shell;
pub mod telegram;
