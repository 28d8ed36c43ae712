//! cskh: a customer-care bot that applies a service company's published policy.
//!
//! A guided tour, in the order data flows: a channel turns its events into input; the engine
//! loads the conversation, steps the pure dialogue (which reads text and applies the policy),
//! and commits the new state, the records and the outbox in one transaction; delivery hands
//! the outbox to the channel; the scheduler turns due jobs into work for the engine.

/// The channel seam (events in, content out, limits) and the registry delivery routes outbox
/// rows through; Telegram, Zalo and the terminal implement it.
pub mod channels;
/// Reading what people type: dates, invoice and phone numbers, diacritic folding, intents.
pub mod text;
/// The policy's rules as pure functions: facts and today in, a decision with its rules out.
pub mod policy;
/// The conversation state machine: `step(state, input, ctx) -> (state', effects)`, pure.
pub mod dialogue;
/// Fluent locales (vi, en) and the rendering of typed replies.
pub mod i18n;
/// Charts drawn into PNG: requests by type and outcome, call-backs, ratings.
pub mod charts;
/// Every SQL statement: customers and identities, conversations, requests, cases, outbox
/// (channel-neutral content), jobs.
pub mod store;
/// The orchestrator: load, step, commit in one transaction, wake delivery.
pub mod engine;
/// The outbox sender: each row through its channel, per-chat order, retries, blocked
/// customers, messages outside a channel's free window turned into call requests.
pub mod delivery;
/// Due reminders: call-backs, deferred dates, aftercare.
pub mod scheduler;
/// One process of several runs the sender and the reminders: a lease row in the database.
pub mod lease;
/// Health, readiness and Prometheus metrics over HTTP.
pub mod http;
/// Deep links into the bot: signed invoice payloads, flow payloads.
pub mod deeplink;
/// QR codes of invoice links for print: PNG, SVG, and an A4 sheet (PDF) of the registry.
pub mod qr;
/// The invoice registry (CSV import) and the exports (CSV, JSON lines).
pub mod registry;
/// The staff web page (a Telegram Mini App): open work, case histories, charts.
pub mod web;
/// Settings from the environment and the optional TOML file.
pub mod config;
/// Wiring: store, engine, sender under its lease, scheduler, HTTP server, a channel's updates.
pub mod app;
