//! A printed invoice's QR code, followed on Telegram: the bot learns its username from getMe at
//! start (so codes print without Telegram afterwards), the customer taps Start on the link and
//! is greeted with the invoice, and its buttons open a request for it.

use super::*;
use crate::links::{decode_png, REGISTRY};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scanned_invoice_code_on_telegram_greets_with_the_invoice_and_opens_a_refund_for_it() {
    let bot = LiveBot::start().await;
    // Remembered from getMe at start: no BOT_USERNAME was set.
    assert_eq!(
        bot.engine.bot_username().await.unwrap().as_deref(),
        Some(FakeBotApi::BOT_USERNAME)
    );
    let read = cskh::registry::read_invoices(REGISTRY).unwrap();
    cskh::registry::import(&bot.engine.store, &read, false, 0)
        .await
        .unwrap();
    let link = bot.engine.invoice_link("HD-2026-0012").await.unwrap();
    let scanned = decode_png(&cskh::qr::png(&link).unwrap());
    let prefix = format!("https://t.me/{}?start=", FakeBotApi::BOT_USERNAME);
    let payload = scanned
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{scanned}"));

    let hoa = customer(5301, "Hoa");
    let greeting = bot
        .say(&hoa, &format!("/start {payload}"), "HD-2026-0012")
        .await;
    assert!(greeting.text.contains("01/10/2026"), "{}", greeting.text);
    assert!(greeting.text.contains("05/12/2026"), "{}", greeting.text);
    let refund = bot
        .press(&hoa, &greeting, "li:refund", "HD-2026-0012")
        .await;
    assert!(
        refund.text.contains("01/10/2026"),
        "the payment date comes from the registry: {}",
        refund.text
    );
    bot.stop().await;
}
