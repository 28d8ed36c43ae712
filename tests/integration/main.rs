//! The one integration test binary: conversations, Telegram end to end, storage, locales.

mod fake_api;
mod support;

mod conversations;
mod corpus;
mod delivery;
mod kill;
mod limits;
mod links;
mod locales;
mod operations;
mod registry;
mod reminders;
mod replicas;
mod store;
mod telegram;
mod upgrade;
mod webhook;
