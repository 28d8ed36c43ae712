//! The one integration test binary: conversations, Telegram end to end, storage, locales.

mod fake_api;
mod fake_zalo;
mod support;

mod charts;
mod conversations;
mod corpus;
mod dashboard;
mod delivery;
mod kill;
mod limits;
mod links;
mod locales;
mod operations;
mod privacy;
mod registry;
mod reminders;
mod replicas;
mod store;
mod summary;
mod telegram;
mod upgrade;
mod webhook;
mod zalo;
