//! A case whose thread (a forum topic) was deleted or closed gets a new one: titled as before,
//! its card, and a note of what became of the old thread with the latest of its history.

use super::{Engine, EngineError};
use crate::channels::ThreadFate;
use crate::dialogue::{cards, Arg, Msg, Part};
use crate::store;

/// How many of a case's latest events the new thread's note repeats.
const HISTORY_LINES: usize = 5;

/// What a case's new thread shows, in the staff language.
#[derive(Debug, Clone)]
pub struct ThreadRenewal {
    /// The case's thread now: when it is no longer the one that failed, another process
    /// renewed it already and nothing is to be made.
    pub current: Option<i64>,
    pub title: String,
    /// The case's card (buttons included): the first message of the new thread.
    pub card: store::Message,
    /// What became of the old thread, and the latest history.
    pub note: store::Message,
}

impl Engine {
    /// What a new thread for the case shows; None when the case is not known.
    pub async fn case_thread_renewal(
        &self,
        case_id: i64,
        fate: ThreadFate,
    ) -> Result<Option<ThreadRenewal>, EngineError> {
        let mut conn = self.store.conn().await?;
        let Some(case) = store::case(&mut conn, case_id).await? else {
            return Ok(None);
        };
        let customer = store::customer_of(&mut conn, case.customer_id).await?;
        let events = store::case_events(&mut conn, case.id).await?;
        let lang = self.settings.staff_lang;
        let title = self
            .renderer
            .part(lang, &cards::case_topic_title(&case, &customer), None);
        let mut card = self.outgoing(lang, &cards::case_card(&case, &customer), None);
        card.case_card = true;
        let mut note = Msg::new(
            Part::new("topic-renewed")
                .arg("case", Arg::RequestNo(case.number()))
                .msg("fate", &format!("topic-fate-{}", fate.code())),
        );
        if !events.is_empty() {
            note.parts.push(Part::new("case-history-header"));
            let skip = events.len().saturating_sub(HISTORY_LINES);
            for e in &events[skip..] {
                note.parts.push(cards::case_event_line(e));
            }
        }
        let note = self.outgoing(lang, &note, None);
        Ok(Some(ThreadRenewal {
            current: case.topic_id,
            title,
            card,
            note,
        }))
    }

    /// The case's new thread is open (`new`; None where the staff group has no threads any
    /// more): it replaces `old`, the card now shown there is the one later edits change, and
    /// the case's history says so. False when another process renewed it first.
    pub async fn case_thread_renewed(
        &self,
        case_id: i64,
        old: i64,
        new: Option<i64>,
    ) -> Result<bool, EngineError> {
        let now = self.clock.now().timestamp();
        let mut tx = self.store.begin().await?;
        if !store::replace_case_topic(&mut tx, case_id, old, new).await? {
            return Ok(false);
        }
        store::add_case_event(&mut tx, case_id, now, "bot", "topic_renewed", None, &[]).await?;
        tx.commit().await?;
        Ok(true)
    }
}
