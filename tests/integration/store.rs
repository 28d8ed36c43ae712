//! The store suite, on SQLite always and on PostgreSQL when TEST_POSTGRES_URL is set.

use cskh::dialogue::{
    Attachment, Conversation, DeferralDetails, HandoffDetails, Lang, MediaKind, RefundRecord,
    Request, RequestDetails, RequestKind, RequestStatus,
};
use cskh::policy::{self, DeferralFacts, Params, Reason};
use cskh::store::{self, Backend, Content, Message, SeenUser, Store};

use crate::support::{date, memory_db, shared_db, SharedDb};

/// A fresh PostgreSQL database for one test (dropped with the guard), or None when
/// TEST_POSTGRES_URL is not set.
async fn postgres() -> Option<(Store, SharedDb)> {
    std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())?;
    let db = shared_db().await;
    let store = Store::connect(&db.url).await.expect("test database opens");
    assert_eq!(store.backend, Backend::Postgres);
    Some((store, db))
}

fn user(id: i64) -> SeenUser {
    SeenUser {
        channel: "telegram".into(),
        external_id: id.to_string(),
        address: id.to_string(),
        name: "Nguyễn Thị Lan".into(),
        username: Some("lan".into()),
        lang: Lang::Vi,
    }
}

fn sample_request(customer_id: i64) -> Request {
    let facts = DeferralFacts {
        paid_on: date("2026-10-01"),
        scheduled_on: Some(date("2026-12-05")),
        new_date: date("2026-12-20"),
        reason: Reason::EconomicFamily,
        has_confirmation: true,
    };
    let decision = policy::decide_deferral(&facts, date("2026-11-24"), &Params::default());
    Request {
        id: 0,
        status: RequestStatus::Review,
        customer_id,
        invoice: Some("HD-2026-0012".into()),
        reason_text: Some("nhà có việc, kinh tế khó khăn".into()),
        attachments: vec![Attachment {
            kind: MediaKind::Voice,
            file_id: "V1".into(),
            file_name: None,
        }],
        unread_answers: vec!["abc".into()],
        registry: None,
        details: RequestDetails::Deferral(DeferralDetails {
            paid_on: facts.paid_on,
            scheduled_on: facts.scheduled_on,
            new_date: facts.new_date,
            reason: Reason::EconomicFamily,
            confirmation: Some(Some(Attachment {
                kind: MediaKind::Photo,
                file_id: "F1".into(),
                file_name: None,
            })),
            decision,
        }),
        created_at: 1_790_000_000,
        decided_by: None,
        decided_at: None,
    }
}

/// A refund request: its facts and decision.
fn sample_refund(customer_id: i64) -> Request {
    use policy::refund::{decide_refund, RefundCause, RefundFacts};
    let facts = RefundFacts {
        paid_on: date("2026-10-01"),
        job_done: false,
        cause: RefundCause::JobNotDone,
        postponement: None,
    };
    let decision = decide_refund(&facts, date("2026-11-24"), &Params::default());
    Request {
        status: RequestStatus::Review,
        attachments: Vec::new(),
        unread_answers: Vec::new(),
        details: RequestDetails::Refund(RefundRecord { facts, decision }),
        ..sample_request(customer_id)
    }
}

/// Every statement the bot runs, with what a user would notice if it broke.
async fn exercise(store: &Store) {
    let mut tx = store.begin().await.unwrap();
    // An update key is handled once.
    assert!(store::mark_update(&mut tx, "tg:1", 1).await.unwrap());
    assert!(!store::mark_update(&mut tx, "tg:1", 2).await.unwrap());
    // Keys recorded before a time are forgotten, at most so many at once.
    for (key, at) in [("tg:2", 3), ("tg:3", 4), ("tg:4", 9)] {
        assert!(store::mark_update(&mut tx, key, at).await.unwrap());
    }
    assert_eq!(store::forget_updates(&mut tx, 5, 2).await.unwrap(), 2);
    assert_eq!(store::forget_updates(&mut tx, 5, 2).await.unwrap(), 1);
    assert_eq!(store::forget_updates(&mut tx, 5, 2).await.unwrap(), 0);
    assert!(
        store::mark_update(&mut tx, "tg:1", 10).await.unwrap(),
        "forgotten"
    );
    assert!(
        !store::mark_update(&mut tx, "tg:4", 10).await.unwrap(),
        "kept"
    );

    // Customers: created, refreshed, language kept separately.
    let c = store::upsert_customer(&mut tx, &user(42), 10)
        .await
        .unwrap();
    assert_eq!(
        (
            c.identity.channel.as_str(),
            c.identity.external_id.as_str(),
            c.identity.address.as_str(),
            c.name.as_str(),
            c.unreachable
        ),
        ("telegram", "42", "42", "Nguyễn Thị Lan", false)
    );
    // The company's id of the customer: the store speaks of them by it from now on.
    let lan = c.id;
    assert_eq!(
        store::customer_of_identity(&mut tx, "telegram", "42")
            .await
            .unwrap(),
        Some(lan)
    );
    let other = store::upsert_customer(&mut tx, &user(43), 10)
        .await
        .unwrap();
    assert_ne!(other.id, lan, "another identity is another customer");
    store::set_customer_lang(&mut tx, lan, Lang::En)
        .await
        .unwrap();
    let c = store::upsert_customer(
        &mut tx,
        &SeenUser {
            name: "Lan".into(),
            ..user(42)
        },
        11,
    )
    .await
    .unwrap();
    assert_eq!(
        (c.name.as_str(), c.lang),
        ("Lan", Lang::En),
        "writing again keeps the chosen language"
    );

    // Conversations round-trip.
    assert_eq!(store::load_conversation(&mut tx, lan).await.unwrap(), None);
    let conv = Conversation {
        greeted: true,
        ..Conversation::new(Lang::En)
    };
    store::save_conversation(&mut tx, lan, &conv, 12)
        .await
        .unwrap();
    store::save_conversation(&mut tx, lan, &conv, 13)
        .await
        .unwrap();
    assert_eq!(
        store::load_conversation(&mut tx, lan).await.unwrap(),
        Some(conv)
    );

    // Requests round-trip exactly, with every field.
    let req = sample_request(lan);
    let id = store::insert_request(&mut tx, &req).await.unwrap();
    let back = store::request(&mut tx, id).await.unwrap().unwrap();
    assert_eq!(back, Request { id, ..req.clone() });
    // A hand-off keeps the answers given so far, "no date yet" and "none exists" apart from
    // "not asked".
    let handoff = Request {
        status: RequestStatus::Handoff,
        details: RequestDetails::Handoff(HandoffDetails {
            paid_on: Some(date("2026-10-01")),
            scheduled_on: Some(None),
            confirmation: Some(None),
            ..HandoffDetails::default()
        }),
        ..req.clone()
    };
    let second = store::insert_request(&mut tx, &handoff).await.unwrap();
    assert!(second > id);
    let back2 = store::request(&mut tx, second).await.unwrap().unwrap();
    assert_eq!(
        back2,
        Request {
            id: second,
            ..handoff
        }
    );
    assert_eq!(back2.kind(), RequestKind::Handoff);
    let empty = Request {
        details: RequestDetails::Handoff(HandoffDetails::default()),
        ..back2.clone()
    };
    let third = store::insert_request(&mut tx, &empty).await.unwrap();
    let back3 = store::request(&mut tx, third).await.unwrap().unwrap();
    assert_eq!(back3, Request { id: third, ..empty });
    // A refund keeps its facts and decision.
    let refund = sample_refund(lan);
    let fourth = store::insert_request(&mut tx, &refund).await.unwrap();
    let back4 = store::request(&mut tx, fourth).await.unwrap().unwrap();
    assert_eq!(
        back4,
        Request {
            id: fourth,
            ..refund
        }
    );
    assert_eq!(
        (back4.kind(), back4.paid_on(), back4.new_date()),
        (RequestKind::Refund, Some(date("2026-10-01")), None)
    );
    let mine = store::customer_requests(&mut tx, lan, chrono_tz::Asia::Ho_Chi_Minh)
        .await
        .unwrap();
    assert_eq!(
        mine.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![fourth, third, second, id],
        "newest first"
    );

    // A decision is taken once: the second press finds it decided.
    let first = store::change_status(
        &mut tx,
        id,
        &[RequestStatus::Review],
        RequestStatus::StaffApproved,
        Some(("An", 7, 100)),
    )
    .await
    .unwrap();
    let again = store::change_status(
        &mut tx,
        id,
        &[RequestStatus::Review],
        RequestStatus::StaffRejected,
        Some(("Bình", 8, 101)),
    )
    .await
    .unwrap();
    assert!(first && !again);
    let decided = store::request(&mut tx, id).await.unwrap().unwrap();
    assert_eq!(
        (
            decided.status,
            decided.decided_by.as_deref(),
            decided.decided_at
        ),
        (RequestStatus::StaffApproved, Some("An"), Some(100))
    );
    store::add_event(&mut tx, id, 100, "staff:7:An", "staff_approved")
        .await
        .unwrap();
    assert_eq!(
        store::events(&mut tx, id).await.unwrap(),
        vec![(100, "staff:7:An".to_string(), "staff_approved".to_string())]
    );

    // The outbox: queued in order, sent, retried, failed for a blocked customer.
    let msg = |t: &str| {
        Content::Message(Message {
            text: t.into(),
            buttons: vec![vec![("OK".into(), "f:ok".into())]],
            ..Message::text("")
        })
    };
    let a = store::enqueue_to_customer(&mut tx, &c, None, &msg("một"), 20)
        .await
        .unwrap();
    let b = store::enqueue(&mut tx, -100, Some(5), None, Some(id), &msg("hai"), 20)
        .await
        .unwrap();
    let c2 = store::enqueue_to_customer(&mut tx, &c, None, &msg("ba"), 20)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let pending = store.pending_outbox(10).await.unwrap();
    assert_eq!(
        pending.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![a, b, c2]
    );
    assert_eq!(pending[1].thread_id, Some(5));
    assert_eq!(pending[0].payload, msg("một"));
    store.mark_sent(a, Some(900), 21).await.unwrap();
    store.mark_retry(b, 99, false, "429").await.unwrap();
    let pending = store.pending_outbox(10).await.unwrap();
    assert_eq!(
        pending
            .iter()
            .map(|r| (r.id, r.next_attempt_at))
            .collect::<Vec<_>>(),
        vec![(b, 99), (c2, 20)]
    );

    let mut tx = store.begin().await.unwrap();
    assert!(store::mark_unreachable(&mut tx, lan, 30).await.unwrap());
    assert!(
        !store::mark_unreachable(&mut tx, lan, 31).await.unwrap(),
        "only the first block is news"
    );
    tx.commit().await.unwrap();
    assert_eq!(
        store
            .pending_outbox(10)
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>(),
        vec![b],
        "nothing waits for a blocked customer"
    );
    assert!(store.customer(lan).await.unwrap().unwrap().unreachable);
    assert_eq!(store.outbox_counts().await.unwrap(), (1, 1, 1));

    // Writing again makes the customer reachable.
    let mut tx = store.begin().await.unwrap();
    let c = store::upsert_customer(&mut tx, &user(42), 40)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(!c.unreachable);
}

#[tokio::test]
async fn the_store_keeps_everything_on_sqlite() {
    let store = Store::connect(&memory_db()).await.unwrap();
    assert_eq!(store.backend, Backend::Sqlite);
    exercise(&store).await;
}

#[tokio::test]
async fn the_store_keeps_everything_on_postgres_when_a_url_is_given() {
    match postgres().await {
        Some((store, _db)) => {
            exercise(&store).await;
            store.close().await;
        }
        None => eprintln!("TEST_POSTGRES_URL not set: PostgreSQL suite not run"),
    }
}

#[tokio::test]
async fn a_sqlite_file_is_created_and_migrated_at_start_and_reopened_intact() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cskh.db").display());
    {
        let store = Store::connect(&url).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        store::upsert_customer(&mut tx, &user(7), 1).await.unwrap();
        tx.commit().await.unwrap();
        store.close().await;
    }
    assert!(dir.path().join("cskh.db").exists());
    let store = Store::connect(&url).await.unwrap();
    let id = store
        .customer_of_identity("telegram", "7")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        store.customer(id).await.unwrap().unwrap().name,
        "Nguyễn Thị Lan"
    );
}

#[tokio::test]
async fn a_database_url_of_another_kind_is_refused_by_name() {
    let err = Store::connect("mysql://localhost/x").await.unwrap_err();
    assert!(err.to_string().contains("DATABASE_URL"), "{err}");
}

/// On SQLite a known customer writing again from the identity they last wrote from, with
/// nothing new about them, is read and not written; anything new about them is written.
#[tokio::test]
async fn a_known_customer_writing_again_unchanged_is_read_and_what_changed_is_written() {
    let store = Store::connect(&memory_db()).await.unwrap();
    let sql = |s: &'static str| {
        let store = store.clone();
        async move {
            store::db::query(s)
                .execute(&mut *store.conn().await.unwrap())
                .await
                .unwrap();
        }
    };
    sql("CREATE TABLE test_writes (what TEXT NOT NULL)").await;
    sql("CREATE TRIGGER test_c AFTER UPDATE ON customers \
         BEGIN INSERT INTO test_writes VALUES ('customer'); END")
    .await;
    sql("CREATE TRIGGER test_i AFTER UPDATE ON identities \
         BEGIN INSERT INTO test_writes VALUES ('identity'); END")
    .await;
    // The rows updated since the last look.
    let writes = || {
        let store = store.clone();
        async move {
            let mut conn = store.conn().await.unwrap();
            let rows: Vec<(String,)> = store::db::query_as("SELECT what FROM test_writes")
                .fetch_all(&mut *conn)
                .await
                .unwrap();
            store::db::query("DELETE FROM test_writes")
                .execute(&mut *conn)
                .await
                .unwrap();
            rows.into_iter().map(|r| r.0).collect::<Vec<_>>()
        }
    };
    let seen = |u: SeenUser, now: i64| {
        let store = store.clone();
        async move {
            let mut tx = store.begin().await.unwrap();
            let c = store::upsert_customer(&mut tx, &u, now).await.unwrap();
            tx.commit().await.unwrap();
            c
        }
    };

    let first = seen(user(42), 10).await;
    assert_eq!(
        writes().await,
        Vec::<String>::new(),
        "a new customer is inserted"
    );
    assert_eq!(seen(user(42), 11).await, first);
    assert_eq!(
        writes().await,
        Vec::<String>::new(),
        "nothing new: nothing written"
    );

    let renamed = SeenUser {
        username: Some("lan2".into()),
        ..user(42)
    };
    let c = seen(renamed.clone(), 12).await;
    assert_eq!((c.id, c.username.as_deref()), (first.id, Some("lan2")));
    assert_eq!(writes().await, ["customer", "identity"]);
    seen(renamed.clone(), 13).await;
    assert_eq!(writes().await, Vec::<String>::new());

    let moved = SeenUser {
        address: "9042".into(),
        ..renamed.clone()
    };
    let c = seen(moved.clone(), 14).await;
    assert_eq!(c.identity.address, "9042");
    assert_eq!(writes().await, ["customer", "identity"]);

    // Blocked, then writing again: reachable again.
    let mut conn = store.conn().await.unwrap();
    assert!(store::mark_unreachable(&mut conn, first.id, 15)
        .await
        .unwrap());
    drop(conn);
    writes().await;
    assert!(!seen(moved.clone(), 16).await.unreachable);
    assert_eq!(writes().await, ["customer", "identity"]);

    // A name staff corrected is kept, and the channel's other name is no change.
    sql("UPDATE customers SET name = 'Trần Lan', name_corrected = 1").await;
    writes().await;
    let c = seen(moved.clone(), 17).await;
    assert_eq!(c.name, "Trần Lan");
    assert_eq!(writes().await, Vec::<String>::new());

    // Another identity of theirs wrote last: this one becomes the one they last wrote from.
    sql(
        "INSERT INTO identities (channel, external_id, customer_id, address, created_at, seen_at) \
         SELECT 'zalo', 'z1', id, 'z1', 18, 18 FROM customers",
    )
    .await;
    let mut conn = store.conn().await.unwrap();
    let c = store::customer(&mut conn, first.id).await.unwrap().unwrap();
    drop(conn);
    assert_eq!(c.identity.channel, "zalo");
    let c = seen(moved.clone(), 19).await;
    assert_eq!((c.id, c.identity.channel.as_str()), (first.id, "telegram"));
    assert_eq!(writes().await, ["customer", "identity"]);
}

/// The sender's reads find pending rows through indexes of pending rows alone (a sent row
/// leaves them), and failed rows through their own: none of them reads the whole outbox.
#[tokio::test]
async fn the_outbox_reads_go_through_indexes_of_the_rows_they_want() {
    let store = Store::connect(&memory_db()).await.unwrap();
    let mut conn = store.conn().await.unwrap();
    let plan = |sql: &'static str| format!("EXPLAIN QUERY PLAN {sql}");
    for (sql, index) in [
        (
            "SELECT id FROM outbox WHERE status = 'pending' AND channel = 'telegram' \
             AND address = '1' ORDER BY id LIMIT 50",
            "outbox_pending_by_chat",
        ),
        (
            "SELECT id FROM outbox WHERE status = 'pending' ORDER BY id LIMIT 50",
            "outbox_pending",
        ),
        (
            "SELECT COUNT(*) FROM outbox WHERE status = 'failed' AND created_at >= 0",
            "outbox_failed",
        ),
        (
            "SELECT id FROM outbox WHERE source = '1:2'",
            "outbox_by_source",
        ),
    ] {
        let rows = store::db::query(&plan(sql))
            .fetch_all(&mut *conn)
            .await
            .unwrap();
        let detail: Vec<String> = rows.iter().map(|r| r.try_get("detail").unwrap()).collect();
        assert!(
            detail.iter().any(|d| d.contains(&format!("INDEX {index} "))
                || d.ends_with(&format!("INDEX {index}"))),
            "{sql}: {detail:?}"
        );
    }
    let sizes: Vec<(String, Option<String>)> = store::db::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' \
         AND name LIKE 'outbox_%' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    for (name, sql) in sizes {
        assert!(
            sql.as_deref().is_some_and(|s| s.contains(" WHERE ")),
            "{name} holds every row: {sql:?}"
        );
    }
}
