//! A case's thread that was deleted or closed is replaced: a new one, titled as before, with
//! the case's card and a note of the old thread's fate and the latest history; the part that
//! failed goes there, and so does everything after it. Staff read the note once, in the new
//! thread.

use super::{Delivery, SendError, Sent};
use crate::channels::{DynChannel, ThreadFate};
use crate::store::{Content, OutboxRow};

fn transient(e: impl std::fmt::Display) -> SendError {
    SendError::Transient(e.to_string())
}

impl Delivery {
    /// Sends a part into `thread`; when the channel says the case's thread is gone, a new one
    /// is opened, `thread` becomes it, and the part is sent there.
    pub(super) async fn send_part(
        &self,
        channel: &dyn DynChannel,
        row: &OutboxRow,
        thread: &mut Option<i64>,
        part: &Content,
    ) -> Result<Sent, SendError> {
        let result = channel.send(&row.address, *thread, part).await;
        let (Err(error), Some(case_id), Some(old)) = (&result, row.case_id, *thread) else {
            return result;
        };
        let Some(fate) = channel.thread_gone(error) else {
            return result;
        };
        tracing::warn!(
            case_id,
            thread = old,
            fate = fate.code(),
            "a case's thread is gone"
        );
        let new = self
            .renew_thread(channel, &row.address, case_id, old, fate)
            .await?;
        *thread = new;
        match part {
            // The new thread has the case's current title already.
            Content::RenameCaseThread { .. } => Ok(Sent::default()),
            _ => channel.send(&row.address, new, part).await,
        }
    }

    /// Opens the case's new thread (unless another process did already) and shows the card and
    /// the note there; returns the thread the case's messages go to now. A failure to open it
    /// is for a later try: the part waits, nothing is lost.
    async fn renew_thread(
        &self,
        channel: &dyn DynChannel,
        address: &str,
        case_id: i64,
        old: i64,
        fate: ThreadFate,
    ) -> Result<Option<i64>, SendError> {
        let engine = &self.engine;
        let Some(renewal) = engine
            .case_thread_renewal(case_id, fate)
            .await
            .map_err(transient)?
        else {
            return Ok(None);
        };
        if renewal.current != Some(old) {
            return Ok(renewal.current);
        }
        let opened = channel
            .send(
                address,
                None,
                &Content::OpenCaseThread {
                    title: renewal.title,
                },
            )
            .await?;
        let new = opened.thread_id;
        if !engine
            .case_thread_renewed(case_id, old, new)
            .await
            .map_err(transient)?
        {
            // Another process renewed it meanwhile: its thread is the one to use.
            let case = engine.store.case(case_id).await.map_err(transient)?;
            return Ok(case.and_then(|c| c.topic_id));
        }
        let card = Content::Message(renewal.card);
        for (i, part) in channel.parts(&card).iter().enumerate() {
            match channel.send(address, new, part).await {
                Ok(sent) if i == 0 => {
                    if let Some(id) = sent.message_id {
                        if let Err(e) = engine.store.set_case_card(case_id, id).await {
                            tracing::error!(error = %e, case_id, "recording the new card failed");
                        }
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = ?e, case_id, "the card in the new thread failed"),
            }
        }
        let note = Content::Message(renewal.note);
        for part in channel.parts(&note) {
            if let Err(e) = channel.send(address, new, &part).await {
                tracing::warn!(error = ?e, case_id, "the note in the new thread failed");
            }
        }
        tracing::info!(case_id, old, new, "a case has a new thread");
        Ok(new)
    }
}
