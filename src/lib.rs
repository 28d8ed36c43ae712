//! cskh: a Telegram customer-care bot that applies a service company's published policy.
//!
//! A guided tour, in the order data flows:

/// Wiring: store, engine, sender under its lease, scheduler, HTTP server, a channel's updates.
pub mod app;
/// The channel seam (events in, content out, limits); Telegram and the terminal implement it.
pub mod channels;
/// Settings from the environment and the optional TOML file.
pub mod config;
/// The outbox sender: per-chat order, retries, blocked customers.
pub mod delivery;
/// The conversation state machine: `step(state, input, ctx) -> (state', effects)`, pure.
pub mod dialogue;
/// The orchestrator: load, step, commit in one transaction, wake delivery.
pub mod engine;
/// Health, readiness and Prometheus metrics over HTTP.
pub mod http;
/// Fluent locales (vi, en) and the rendering of typed replies.
pub mod i18n;
/// One process of several runs the sender and the reminders: a lease row in the database.
pub mod lease;
/// The policy's rules as pure functions: facts and today in, a decision with its rules out.
pub mod policy;
/// The invoice registry (CSV import) and the exports (CSV, JSON lines).
pub mod registry;
/// Due reminders: call-backs, deferred dates, aftercare.
pub mod scheduler;
/// Every SQL statement: customers, conversations, requests, cases, outbox (channel-neutral content), jobs.
pub mod store;
/// Reading what people type: dates, invoice and phone numbers, diacritic folding, intents.
pub mod text;
