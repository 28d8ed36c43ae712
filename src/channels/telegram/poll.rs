//! Long polling: getUpdates, batches handled chat by chat, offsets confirmed once committed.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::UpdateId;
use teloxide::RequestError;

use super::updates::{handle_update, ALLOWED_UPDATES};
use super::Api;
use super::UpdateContext;

/// How long a getUpdates call waits for updates.
const POLL_TIMEOUT_SECS: u32 = 10;
/// How often an update that fails to be handled is tried before it is given up (logged).
const MAX_TRIES: u32 = 5;

/// Long polling on [`handle_update`]: the next getUpdates (whose offset confirms the previous
/// batch to Telegram) is asked for only once every update of the batch is committed. Updates
/// of different chats are handled at the same time, those of one chat in order. An update
/// that fails is fetched and tried again (what was committed of its batch is recognised as
/// handled); one that keeps failing is given up after a few tries, loudly.
pub async fn poll<R>(
    ctx: UpdateContext<R>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), RequestError>
where
    R: Api,
{
    tokio::pin!(shutdown);
    drop_webhook(&ctx.bot).await;
    let ctx = Arc::new(ctx);
    let mut offset: Option<i32> = None;
    // The offset Telegram was last told (by a getUpdates call).
    let mut told: Option<i32> = None;
    let mut failures: HashMap<UpdateId, u32> = HashMap::new();
    let mut backoff = Duration::ZERO;
    loop {
        if !backoff.is_zero() {
            tokio::select! {
                biased;
                _ = &mut shutdown => break,
                _ = tokio::time::sleep(backoff) => {}
            }
        }
        let mut req = ctx
            .bot
            .get_updates()
            .timeout(POLL_TIMEOUT_SECS)
            .allowed_updates(ALLOWED_UPDATES);
        if let Some(o) = offset {
            req = req.offset(o);
        }
        let updates = tokio::select! {
            biased;
            _ = &mut shutdown => break,
            r = req.send() => r,
        };
        told = offset.or(told);
        let updates = match updates {
            Ok(u) => u,
            Err(e) => {
                backoff = (backoff * 2).clamp(Duration::from_millis(500), Duration::from_secs(30));
                tracing::warn!(error = %e, wait = ?backoff, "getUpdates failed, will retry");
                continue;
            }
        };
        let Some(last) = updates.iter().map(|u| u.id.0).max() else {
            backoff = Duration::ZERO;
            continue;
        };
        let failed = handle_batch(&ctx, updates).await;
        let (again, given_up) = count_failures(&mut failures, failed);
        for id in given_up {
            if let Err(e) = ctx.engine.record_update_given_up(&id.0.to_string()).await {
                tracing::error!(error = %e, "recording an update given up failed");
            }
        }
        if again {
            // Fetched again from the same offset: the failed updates come back.
            backoff = (backoff * 2).clamp(Duration::from_millis(500), Duration::from_secs(30));
        } else {
            offset = Some(last as i32 + 1);
            failures.clear();
            backoff = Duration::ZERO;
        }
    }
    // Confirm what was handled since the last getUpdates, so that a restart does not fetch it
    // again (it would be recognised and skipped, but costs a round trip).
    if let Some(o) = offset.filter(|_| offset != told) {
        let confirm = ctx
            .bot
            .get_updates()
            .offset(o)
            .limit(1)
            .timeout(0)
            .allowed_updates(ALLOWED_UPDATES)
            .send();
        let _ = tokio::time::timeout(Duration::from_secs(5), confirm).await;
    }
    Ok(())
}

/// Telegram hands out no updates by getUpdates while a webhook is set: removes one.
async fn drop_webhook<R: Api>(bot: &R) {
    match bot.get_webhook_info().await {
        Ok(info) if info.url.is_some() => {
            if let Err(e) = bot.delete_webhook().await {
                tracing::error!(error = %e, "deleting the webhook failed");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "asking for the webhook failed"),
    }
}

/// Counts a try for each failed update, giving up (loudly) those that failed too often.
/// Returns whether any is to be tried again, and those given up.
fn count_failures(
    failures: &mut HashMap<UpdateId, u32>,
    failed: Vec<UpdateId>,
) -> (bool, Vec<UpdateId>) {
    let mut again = false;
    let mut given_up = Vec::new();
    for id in failed {
        let tries = failures.entry(id).or_insert(0);
        *tries += 1;
        if *tries >= MAX_TRIES {
            tracing::error!(
                update = id.0,
                tries = *tries,
                "an update keeps failing; given up"
            );
            failures.remove(&id);
            given_up.push(id);
        } else {
            again = true;
        }
    }
    (again, given_up)
}

/// Which updates must be handled one after another: those of one chat (or one user).
fn lane(update: &Update) -> i64 {
    update
        .chat()
        .map(|c| c.id.0)
        .or_else(|| update.from().map(|u| u.id.0 as i64))
        .unwrap_or(0)
}

/// Handles a batch, chats side by side and each chat in order; returns the updates that
/// failed (a chat's later updates are not handled after one of its updates failed, and count
/// as failed too, so that its order holds when they come back). The batch's updates share
/// their commits (see [`crate::engine::Batch`]); if one of those was lost, every update of
/// the batch counts as failed (those that did commit are recognised when they come back).
async fn handle_batch<R>(ctx: &Arc<UpdateContext<R>>, updates: Vec<Update>) -> Vec<UpdateId>
where
    R: Api,
{
    let mut lanes: Vec<(i64, Vec<Update>)> = Vec::new();
    for update in updates {
        let l = lane(&update);
        match lanes.iter_mut().find(|(k, _)| *k == l) {
            Some((_, list)) => list.push(update),
            None => lanes.push((l, vec![update])),
        }
    }
    let all: Vec<UpdateId> = lanes
        .iter()
        .flat_map(|(_, l)| l.iter().map(|u| u.id))
        .collect();
    let batch = Arc::new(ctx.engine.batch());
    let mut tasks = tokio::task::JoinSet::new();
    let mut ids_of = HashMap::new();
    for (_, list) in lanes {
        let ctx = ctx.clone();
        let ids: Vec<UpdateId> = list.iter().map(|u| u.id).collect();
        let in_batch = batch.clone();
        let handle = tasks.spawn(async move {
            in_batch
                .run(async move {
                    let mut failed = Vec::new();
                    for update in list {
                        let id = update.id;
                        if !failed.is_empty() {
                            failed.push(id);
                            continue;
                        }
                        if let Err(e) = handle_update(&ctx, update).await {
                            tracing::error!(error = %e, update = id.0, "handling an update failed");
                            failed.push(id);
                        }
                    }
                    failed
                })
                .await
        });
        ids_of.insert(handle.id(), ids);
    }
    let mut failed = Vec::new();
    while let Some(done) = tasks.join_next_with_id().await {
        match done {
            Ok((_, ids)) => failed.extend(ids),
            Err(e) => {
                tracing::error!(error = %e, "an update handler panicked");
                failed.extend(ids_of.remove(&e.id()).unwrap_or_default());
            }
        }
    }
    let batch = Arc::into_inner(batch).expect("the batch's tasks have ended");
    if !batch.finish().await {
        tracing::error!("a batch of updates lost a commit; its updates will be handled again");
        return all;
    }
    failed
}
