//! The staff web page, served by the bot's HTTP server and opened as a Telegram Mini App from
//! the `/dashboard` button: open cases and requests with their age, step, who has them and a
//! colour for the call-back deadline; a case's whole history; filters; the charts.
//!
//! `/staff` is a small page with no data in it. Its script reads the init data Telegram gives
//! the page and asks for the views (`/staff/view…`, `/staff/chart/…`) with it in the
//! `Authorization: tma <init data>` header; every view checks the signature, its age, and that
//! the person is a member of the staff group, else 401. Views of customers' personal data are
//! recorded (who, when, what).

pub mod auth;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use minijinja::{context, Environment, Value};
use serde::{Deserialize, Serialize};

use crate::dialogue::{CaseStatus, RequestStatus};
use crate::engine::{Engine, Span};
use crate::store;

pub use auth::{AuthError, WebUser};

/// Whether a Telegram user is a member of the staff group (asked of the channel).
pub type StaffCheck =
    Arc<dyn Fn(i64) -> Pin<Box<dyn Future<Output = bool> + Send>> + Send + Sync + 'static>;

/// How long a membership answer is trusted, in seconds.
const MEMBERSHIP_TTL: i64 = 60;

#[derive(Clone)]
struct Web {
    engine: Engine,
    token: Arc<str>,
    is_staff: StaffCheck,
    members: Arc<Mutex<HashMap<i64, (bool, i64)>>>,
}

/// The page's script and style, inline; the content security policy names their hashes.
const SCRIPT: &str = include_str!("templates/page.js");
const STYLE: &str = include_str!("templates/page.css");

fn templates() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in [
            ("page.html", include_str!("templates/page.html")),
            ("list.html", include_str!("templates/list.html")),
            ("case.html", include_str!("templates/case.html")),
        ] {
            if let Err(e) = env.add_template(name, source) {
                tracing::error!(error = %e, name, "a page template does not read");
            }
        }
        env
    })
}

/// `Content-Security-Policy`: nothing but this server, the inline script and style by hash,
/// pictures made by the script (blob:), framed only by Telegram's web client.
fn csp() -> &'static str {
    static CSP: OnceLock<String> = OnceLock::new();
    CSP.get_or_init(|| {
        use base64::Engine as _;
        use sha2::Digest;
        let hash =
            |s: &str| base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(s));
        format!(
            "default-src 'none'; script-src 'sha256-{}'; style-src 'sha256-{}'; \
             img-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
             frame-ancestors 'self' https://web.telegram.org",
            hash(SCRIPT),
            hash(STYLE)
        )
    })
}

/// The staff page's routes: `/staff`, `/staff/view`, `/staff/view/case/{number}`,
/// `/staff/chart/{weeks|months}`. `token` is the bot's (it signs the init data).
pub fn router(engine: Engine, token: String, is_staff: StaffCheck) -> Router {
    let web = Web {
        engine,
        token: token.into(),
        is_staff,
        members: Arc::new(Mutex::new(HashMap::new())),
    };
    Router::new()
        .route("/staff", get(page))
        .route("/staff/view", get(list_view))
        .route("/staff/view/case/{number}", get(case_view))
        .route("/staff/chart/{span}", get(chart))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(web)
}

async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp()),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store, max-age=0"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

fn render(name: &str, ctx: minijinja::Value) -> Response {
    match templates().get_template(name).and_then(|t| t.render(ctx)) {
        Ok(body) => html(StatusCode::OK, body),
        Err(e) => {
            tracing::error!(error = %e, name, "rendering the staff page failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "error\n").into_response()
        }
    }
}

/// The words of the page, in the staff's language.
fn words(engine: &Engine) -> HashMap<&'static str, String> {
    let lang = engine.settings.staff_lang;
    [
        "web-title",
        "web-loading",
        "web-refused",
        "web-offline",
        "web-open",
        "web-none",
        "web-filter-status",
        "web-filter-kind",
        "web-filter-who",
        "web-filter-late",
        "web-all",
        "web-nobody",
        "web-number",
        "web-customer",
        "web-age",
        "web-step",
        "web-who",
        "web-deadline",
        "web-charts",
        "web-chart-weeks",
        "web-chart-months",
        "web-back",
        "web-history",
        "web-description",
        "web-phone",
        "web-invoice",
        "web-category",
        "web-urgent",
        "web-viewer",
    ]
    .into_iter()
    .map(|id| (id, engine.renderer.text(lang, id)))
    .collect()
}

async fn page(State(web): State<Web>) -> Response {
    let lang = web.engine.settings.staff_lang;
    render(
        "page.html",
        context! {
            lang => lang.code(),
            t => Value::from(minijinja::value::Serde(words(&web.engine))),
            script => SCRIPT,
            style => STYLE,
        },
    )
}

/// The person behind the request, or the 401 to answer.
async fn sign_in(web: &Web, headers: &HeaderMap) -> Result<WebUser, Response> {
    let refused = |why: &str| {
        tracing::warn!(why, "staff page refused");
        let lang = web.engine.settings.staff_lang;
        html(
            StatusCode::UNAUTHORIZED,
            web.engine.renderer.text(lang, "web-refused"),
        )
    };
    let data = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("tma "))
        .unwrap_or("");
    let now = web.engine.clock.now().timestamp();
    let max_age = web.engine.settings.ops.init_data_max_age_minutes * 60;
    let user = match auth::verify(data, &web.token, now, max_age) {
        Ok(user) => user,
        Err(e) => return Err(refused(&e.to_string())),
    };
    let known = web
        .members
        .lock()
        .ok()
        .and_then(|m| m.get(&user.id).copied())
        .filter(|(_, at)| now - at < MEMBERSHIP_TTL)
        .map(|(member, _)| member);
    let member = match known {
        Some(member) => member,
        None => {
            let member = (web.is_staff)(user.id).await;
            if let Ok(mut m) = web.members.lock() {
                m.insert(user.id, (member, now));
            }
            member
        }
    };
    if !member {
        return Err(refused("not a member of the staff group"));
    }
    Ok(user)
}

/// The list's filters, as the page's form sends them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Filters {
    /// A case status (`open`, `claimed`, `step3`) or a request status (`review`, …); empty: all.
    pub status: String,
    /// `complaint`, `deferral`, `refund`, `handoff`; empty: all.
    pub kind: String,
    /// `1`: only those whose call-back is late.
    pub late: String,
    /// Who has it (a staff member's name, `-` for nobody); empty: anyone.
    pub who: String,
}

/// Where a call-back stands, as a colour on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Deadline {
    /// The customer was called.
    Called,
    /// Not called yet; the deadline is more than an hour away.
    Due,
    /// Not called yet; the deadline is within the hour.
    Soon,
    /// Not called, and the deadline passed.
    Late,
}

/// One open case or request waiting for staff, as the list shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub number: String,
    /// complaint, deferral, refund, handoff.
    pub kind: String,
    pub kind_label: String,
    pub status: String,
    pub status_label: String,
    pub customer: String,
    pub age: String,
    /// Step of a case (1–3); 0 for a request.
    pub step: i64,
    pub who: String,
    pub deadline: Deadline,
    pub deadline_label: String,
    /// A case opens its history.
    pub case: bool,
    pub created_at: i64,
}

fn age_text(seconds: i64) -> String {
    let m = seconds.max(0) / 60;
    if m < 60 {
        format!("{m}′")
    } else if m < 24 * 60 {
        format!("{}h{:02}", m / 60, m % 60)
    } else {
        format!("{}d {}h", m / 1440, m % 1440 / 60)
    }
}

/// The open cases and the requests waiting for staff, oldest first.
pub async fn open_rows(engine: &Engine) -> Result<Vec<Row>, crate::engine::EngineError> {
    let now = engine.clock.now().timestamp();
    let lang = engine.settings.staff_lang;
    let t = |id: &str| engine.renderer.text(lang, id);
    let deadline = |called: bool, due: i64| -> (Deadline, String) {
        if called {
            return (Deadline::Called, t("web-deadline-called"));
        }
        let left = due - now;
        let when = engine.renderer.format_time(due);
        if left < 0 {
            (
                Deadline::Late,
                format!("{} · {when}", t("web-deadline-late")),
            )
        } else if left <= 3600 {
            (
                Deadline::Soon,
                format!("{} · {when}", t("web-deadline-soon")),
            )
        } else {
            (Deadline::Due, format!("{} · {when}", t("web-deadline-due")))
        }
    };
    let mut rows = Vec::new();
    let mut conn = engine.store.conn().await?;
    for case in store::open_cases(&mut conn).await? {
        let events = store::case_events(&mut conn, case.id).await?;
        let called = events.iter().any(|e| e.kind.starts_with("called"));
        let customer = store::customer_of(&mut conn, case.customer_id).await?;
        let (d, label) = deadline(
            called,
            engine.callback_deadline(case.created_at, case.urgent),
        );
        rows.push(Row {
            number: case.number(),
            kind: "complaint".into(),
            kind_label: t("chart-kind-complaint"),
            status: case.status.code().into(),
            status_label: t(&format!("case-status-{}", case.status.code())),
            customer: customer.name,
            age: age_text(now - case.created_at),
            step: case.step,
            who: case.claimed_by.clone().unwrap_or_default(),
            deadline: d,
            deadline_label: label,
            case: true,
            created_at: case.created_at,
        });
    }
    for (req, customer, last_call) in store::waiting_requests(&mut conn).await? {
        let (d, label) = deadline(
            last_call.is_some(),
            engine.callback_deadline(req.created_at, false),
        );
        rows.push(Row {
            number: req.number(),
            kind: req.kind().code().into(),
            kind_label: t(&format!("chart-kind-{}", req.kind().code())),
            status: req.status.code().into(),
            status_label: t(&format!("status-{}", req.status.code())),
            customer: customer.name,
            age: age_text(now - req.created_at),
            step: 0,
            who: req.decided_by.clone().unwrap_or_default(),
            deadline: d,
            deadline_label: label,
            case: false,
            created_at: req.created_at,
        });
    }
    rows.sort_by_key(|r| r.created_at);
    Ok(rows)
}

impl Filters {
    pub fn keeps(&self, row: &Row) -> bool {
        (self.status.is_empty() || row.status == self.status)
            && (self.kind.is_empty() || row.kind == self.kind)
            && (self.late != "1" || row.deadline == Deadline::Late)
            && (self.who.is_empty()
                || (self.who == "-" && row.who.is_empty())
                || row.who == self.who)
    }
}

fn failed(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "the staff page failed");
    (StatusCode::INTERNAL_SERVER_ERROR, "error\n").into_response()
}

async fn record_view(web: &Web, user: &WebUser, what: &str, customer: Option<i64>) -> bool {
    let now = web.engine.clock.now().timestamp();
    let recorded = async {
        let mut conn = web.engine.store.conn().await?;
        store::add_personal_data_view(&mut conn, user.id, &user.name, what, customer, now).await
    }
    .await;
    if let Err(e) = &recorded {
        tracing::error!(error = %e, "recording a view of personal data failed");
    }
    recorded.is_ok()
}

async fn list_view(
    State(web): State<Web>,
    headers: HeaderMap,
    Query(filters): Query<Filters>,
) -> Response {
    let user = match sign_in(&web, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let rows = match open_rows(&web.engine).await {
        Ok(rows) => rows,
        Err(e) => return failed(e),
    };
    // Nothing personal is shown unless the view is on record.
    if !record_view(&web, &user, "list", None).await {
        return failed("the view could not be recorded");
    }
    let lang = web.engine.settings.staff_lang;
    let t = |id: &str| web.engine.renderer.text(lang, id);
    let mut people: Vec<String> = rows
        .iter()
        .filter(|r| !r.who.is_empty())
        .map(|r| r.who.clone())
        .collect();
    people.sort();
    people.dedup();
    let statuses: Vec<(String, String)> =
        [CaseStatus::Open, CaseStatus::Claimed, CaseStatus::Step3]
            .iter()
            .map(|s| {
                (
                    s.code().to_string(),
                    t(&format!("case-status-{}", s.code())),
                )
            })
            .chain(
                [
                    RequestStatus::Review,
                    RequestStatus::Exception,
                    RequestStatus::Handoff,
                ]
                .iter()
                .map(|s| (s.code().to_string(), t(&format!("status-{}", s.code())))),
            )
            .collect();
    let kinds: Vec<(String, String)> = crate::engine::CHART_KINDS
        .iter()
        .map(|k| (k.to_string(), t(&format!("chart-kind-{k}"))))
        .collect();
    let shown: Vec<&Row> = rows.iter().filter(|r| filters.keeps(r)).collect();
    render(
        "list.html",
        context! {
            t => Value::from(minijinja::value::Serde(words(&web.engine))),
            rows => Value::from(minijinja::value::Serde(&shown)),
            total => rows.len(),
            filters => Value::from(minijinja::value::Serde(&filters)),
            people => Value::from(minijinja::value::Serde(&people)),
            statuses => Value::from(minijinja::value::Serde(&statuses)),
            kinds => Value::from(minijinja::value::Serde(&kinds)),
            viewer => user.name,
        },
    )
}

/// One line of a case's history on the page.
#[derive(Debug, Serialize)]
struct EventLine {
    at: String,
    who: String,
    kind: String,
    text: String,
    media: usize,
}

async fn case_view(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Response {
    let user = match sign_in(&web, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let id = number
        .trim()
        .to_ascii_uppercase()
        .trim_start_matches("KN-")
        .parse::<i64>()
        .ok();
    let engine = &web.engine;
    let lang = engine.settings.staff_lang;
    let t = |id: &str| engine.renderer.text(lang, id);
    let found = async {
        let Some(id) = id else { return Ok(None) };
        let mut conn = engine.store.conn().await?;
        let Some(case) = store::case(&mut conn, id).await? else {
            return Ok(None);
        };
        let customer = store::customer_of(&mut conn, case.customer_id).await?;
        let events = store::case_events(&mut conn, case.id).await?;
        Ok::<_, crate::store::StoreError>(Some((case, customer, events)))
    }
    .await;
    let (case, customer, events) = match found {
        Ok(Some(found)) => found,
        Ok(None) => {
            return html(
                StatusCode::NOT_FOUND,
                format!("{} {number}", t("web-case-not-found")),
            )
        }
        Err(e) => return failed(e),
    };
    if !record_view(&web, &user, &case.number(), Some(customer.id)).await {
        return failed("the view could not be recorded");
    }
    let lines: Vec<EventLine> = events
        .iter()
        .map(|e| {
            let who = match e.actor.splitn(3, ':').collect::<Vec<_>>()[..] {
                ["staff", _, name] => name.to_string(),
                _ if e.actor == "customer" => t("actor-customer"),
                _ => t("actor-bot"),
            };
            EventLine {
                at: engine.renderer.format_time(e.at),
                who,
                kind: t(&format!("event-{}", e.kind)),
                text: e.text.clone().unwrap_or_default(),
                media: e.media.len(),
            }
        })
        .collect();
    let called = events.iter().any(|e| e.kind.starts_with("called"));
    let due = engine.callback_deadline(case.created_at, case.urgent);
    render(
        "case.html",
        context! {
            t => Value::from(minijinja::value::Serde(words(engine))),
            number => case.number(),
            status => t(&format!("case-status-{}", case.status.code())),
            step => case.step,
            category => t(&format!("category-{}", case.category.code())),
            urgent => case.urgent,
            customer => customer.name,
            username => customer.username,
            phone => case.phone,
            invoice => case.invoice,
            who => case.claimed_by,
            created => engine.renderer.format_time(case.created_at),
            deadline => engine.renderer.format_time(due),
            called => called,
            late => !called && engine.clock.now().timestamp() > due && case.status.takes_messages(),
            description => case.description,
            events => Value::from(minijinja::value::Serde(&lines)),
            rating => case.rating,
        },
    )
}

async fn chart(State(web): State<Web>, headers: HeaderMap, Path(span): Path<String>) -> Response {
    if let Err(r) = sign_in(&web, &headers).await {
        return r;
    }
    let span = match span.as_str() {
        "weeks" => Span::Week,
        "months" => Span::Month,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    match web.engine.chart_png(span).await {
        Ok(png) => ([(header::CONTENT_TYPE, "image/png")], png).into_response(),
        Err(e) => failed(e),
    }
}
