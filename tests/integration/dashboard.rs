//! The staff web page on the bot's HTTP server: over HTTP (who gets in, the headers, views
//! recorded) and in a real headless Chromium driven through chromedriver (the list with its
//! colours, a case's history, the filters, refused sign-ins, screenshots at phone and desktop
//! width into `target/screenshots/`).
//!
//! The browser part needs Debian's `chromium` and `chromium-driver`; without them it says so
//! and is skipped, unless `CSKH_REQUIRE_BROWSER` is set (CI sets it, after installing them).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use cskh::web::auth;
use serde_json::{json, Value};
use tokio::sync::oneshot;

use crate::fake_api::FakeBotApi;
use crate::registry::{a_week_of_work, complaint};
use crate::support::{TestApp, STAFF_CHAT};

const HOA: i64 = 9001;
const OUTSIDER: i64 = 6666;
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

fn user_json(id: i64, name: &str) -> String {
    json!({ "id": id, "first_name": name, "username": name.to_lowercase() }).to_string()
}

/// Init data as Telegram hands it to the page, signed `age` seconds before `now`.
fn init_data(user: i64, name: &str, now: i64, age: i64) -> String {
    let auth_date = (now - age).to_string();
    auth::sign(
        &[
            ("auth_date", auth_date.as_str()),
            ("query_id", "AAHdF6IQAAAAAN0XohDhrOrc"),
            ("user", user_json(user, name).as_str()),
        ],
        FakeBotApi::TOKEN,
    )
}

/// The work of `a_week_of_work` at 11:30 on 24/11, one more complaint just made, the staff
/// page served on loopback with membership asked of the fake Bot API.
struct Served {
    app: TestApp,
    _fake: FakeBotApi,
    base: String,
    now: i64,
    stop: Option<oneshot::Sender<()>>,
}

impl Served {
    async fn start() -> Served {
        let app = a_week_of_work().await;
        app.clock.set(
            chrono::DateTime::parse_from_rfc3339("2026-11-24T11:30:00+07:00")
                .unwrap()
                .with_timezone(&chrono::Utc),
        );
        // KN-000006: made now; its call-back is due at 15:30.
        complaint(&app, 806, None, "0901000006").await;
        let fake = FakeBotApi::start().await;
        fake.set_member(STAFF_CHAT, HOA, "member");
        fake.set_member(STAFF_CHAT, OUTSIDER, "left");
        let check = cskh::channels::telegram::staff_check(fake.bot(), STAFF_CHAT);
        let router = cskh::web::router(app.engine.clone(), FakeBotApi::TOKEN.to_string(), check);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(cskh::http::serve(listener, router, async move {
            let _ = stopped.await;
        }));
        let now = app.engine.clock.now().timestamp();
        Served {
            app,
            _fake: fake,
            base,
            now,
            stop: Some(stop),
        }
    }

    async fn get(&self, path: &str, data: Option<&str>) -> reqwest::Response {
        let mut req = reqwest::Client::new().get(format!("{}{path}", self.base));
        if let Some(d) = data {
            req = req.header("Authorization", format!("tma {d}"));
        }
        req.send().await.unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_staff_page_lets_in_staff_with_fresh_signed_init_data_and_nobody_else() {
    let s = Served::start().await;
    let good = init_data(HOA, "Hoa", s.now, 60);

    // The page itself holds no data; its headers forbid caching and foreign scripts.
    let page = s.get("/staff", None).await;
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.starts_with("default-src 'none'; script-src 'sha256-"),
        "{csp}"
    );
    assert_eq!(page.headers()["cache-control"], "no-store, max-age=0");
    let body = page.text().await.unwrap();
    assert!(!body.contains("KN-000001"), "no data in the page itself");

    let list = s.get("/staff/view", Some(&good)).await;
    assert_eq!(list.status(), 200);
    assert_eq!(list.headers()["cache-control"], "no-store, max-age=0");
    let list = list.text().await.unwrap();
    for number in [
        "KN-000001",
        "KN-000003",
        "KN-000004",
        "KN-000006",
        "HT-000003",
    ] {
        assert!(list.contains(number), "{number} listed");
    }
    for gone in ["KN-000002", "KN-000005", "BL-000001", "BL-000002"] {
        assert!(!list.contains(&format!(">{gone}<")), "{gone} is not open");
    }

    // Refused: no init data, another bot's signature, a changed user, stale, an outsider.
    let forged = good.replace(&format!("%22id%22%3A{HOA}"), "%22id%22%3A9002");
    assert_ne!(forged, good);
    let other_bot = auth::sign(
        &[
            ("auth_date", &s.now.to_string()),
            ("user", &user_json(HOA, "Hoa")),
        ],
        "999999:another-bots-token",
    );
    let stale = init_data(HOA, "Hoa", s.now, 25 * 3600);
    let outsider = init_data(OUTSIDER, "Tuan", s.now, 60);
    for (why, data) in [
        ("none", None),
        ("forged", Some(forged.as_str())),
        ("another bot", Some(other_bot.as_str())),
        ("stale", Some(stale.as_str())),
        ("outsider", Some(outsider.as_str())),
    ] {
        for path in [
            "/staff/view",
            "/staff/view/case/KN-000001",
            "/staff/chart/weeks",
        ] {
            let r = s.get(path, data).await;
            assert_eq!(r.status(), 401, "{why} {path}");
            let text = r.text().await.unwrap();
            assert!(!text.contains("0901000001"), "{why} {path}: {text}");
        }
    }

    // A case's history, and the chart, for staff; each view of personal data is on record.
    let case = s.get("/staff/view/case/KN-000001", Some(&good)).await;
    assert_eq!(case.status(), 200);
    let case = case.text().await.unwrap();
    assert!(
        case.contains("0901000001") && case.contains("Vùng da bị sưng đỏ"),
        "{case}"
    );
    let chart = s.get("/staff/chart/weeks", Some(&good)).await;
    assert_eq!(chart.headers()["content-type"], "image/png");
    assert!(chart.bytes().await.unwrap().starts_with(b"\x89PNG"));
    let views = s.app.engine.store.personal_data_views().await.unwrap();
    let seen: Vec<_> = views
        .iter()
        .map(|v| (v.staff_id, v.staff_name.as_str(), v.what.as_str(), v.at))
        .collect();
    assert_eq!(
        seen,
        [
            (HOA, "Hoa", "list", s.now),
            (HOA, "Hoa", "KN-000001", s.now)
        ]
    );
    assert!(views[1].customer_id.is_some());
    // The same views are in the log `cskh privacy log` prints.
    let mut conn = s.app.engine.store.conn().await.unwrap();
    let log = cskh::store::access_log(&mut conn, 0).await.unwrap();
    let logged: Vec<_> = log
        .iter()
        .map(|r| (r.who.as_str(), r.action.as_str(), r.subject.as_str()))
        .collect();
    let who = format!("Hoa ({HOA})");
    assert_eq!(
        logged,
        [
            (who.as_str(), "web", "list"),
            (who.as_str(), "web", "KN-000001")
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// A real browser

/// A WebDriver session of a headless Chromium, through chromedriver.
struct Browser {
    http: reqwest::Client,
    session: String,
    base: String,
    driver: Child,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    /// None (with the reason printed) when chromium or chromedriver is not installed.
    async fn start() -> Option<Browser> {
        let missing = [CHROMEDRIVER, CHROMIUM]
            .into_iter()
            .find(|p| !std::path::Path::new(p).exists());
        if let Some(p) = missing {
            let msg = format!(
                "SKIPPED: the browser test needs {p} (apt-get install chromium chromium-driver)"
            );
            assert!(
                std::env::var_os("CSKH_REQUIRE_BROWSER").is_none(),
                "{msg}, and CSKH_REQUIRE_BROWSER is set"
            );
            eprintln!("{msg}");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        loop {
            let ready = http.get(format!("{base}/status")).send().await;
            if let Ok(r) = ready {
                let v: Value = r.json().await.unwrap_or_default();
                if v["value"]["ready"] == true {
                    break;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver is not ready"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--hide-scrollbars", "--lang=vi"]
            }
        }}});
        let r: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let session = r["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {r}"))
            .to_string();
        Some(Browser {
            http,
            session,
            base,
            driver,
        })
    }

    async fn cmd(&self, post: bool, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let req = if post {
            self.http.post(url).json(&body)
        } else {
            self.http.get(url)
        };
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        assert!(v["value"]["error"].is_null(), "webdriver {path}: {v}");
        v["value"].clone()
    }

    /// Ends the session (Chromium exits).
    async fn quit(&self) {
        let url = format!("{}/session/{}", self.base, self.session);
        let _ = self.http.delete(url).send().await;
    }

    async fn goto(&self, url: &str) {
        self.cmd(true, "/url", json!({ "url": url })).await;
    }

    async fn js(&self, script: &str) -> Value {
        self.cmd(
            true,
            "/execute/sync",
            json!({ "script": script, "args": [] }),
        )
        .await
    }

    /// Waits until `script` returns true (at most 10 s).
    async fn wait(&self, what: &str, script: &str) {
        let started = Instant::now();
        while self.js(script).await != Value::Bool(true) {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "waited 10 s for {what}; the page: {}",
                self.js("return document.body.innerText").await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn click(&self, css: &str) {
        let el = self
            .cmd(
                true,
                "/element",
                json!({ "using": "css selector", "value": css }),
            )
            .await;
        let id = el[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {el}"))
            .to_string();
        self.cmd(true, &format!("/element/{id}/click"), json!({}))
            .await;
    }

    async fn size(&self, width: u32, height: u32) {
        self.cmd(
            true,
            "/window/rect",
            json!({ "width": width, "height": height }),
        )
        .await;
    }

    async fn screenshot(&self, name: &str) {
        let b64 = self.cmd(false, "/screenshot", json!({})).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        std::fs::create_dir_all("target/screenshots").unwrap();
        std::fs::write(format!("target/screenshots/{name}.png"), png).unwrap();
    }

    async fn rows(&self) -> Vec<(String, String, String)> {
        let v = self
            .js(
                "return Array.from(document.querySelectorAll('#rows .row[data-number]')).map(r => \
                 [r.dataset.number, r.dataset.deadline, getComputedStyle(r).borderLeftColor]);",
            )
            .await;
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r[0].as_str().unwrap().to_string(),
                    r[1].as_str().unwrap().to_string(),
                    r[2].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // chromedriver ends the browsers it started when asked to stop.
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.driver.id().to_string())
            .status();
        std::thread::sleep(Duration::from_millis(300));
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The page's address as Telegram opens a Mini App: the init data in the fragment.
fn mini_app_url(base: &str, data: &str) -> String {
    let mut hash = url::form_urlencoded::Serializer::new(String::new());
    hash.append_pair("tgWebAppData", data);
    hash.append_pair("tgWebAppVersion", "8.0");
    hash.append_pair("tgWebAppPlatform", "android");
    format!("{base}/staff#{}", hash.finish())
}

const LOADED: &str = "return document.getElementById('app').dataset.status === '200' \
                      && !document.getElementById('app').hasAttribute('aria-busy')";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_real_browser_staff_see_open_work_in_colour_open_a_case_and_filter() {
    let s = Served::start().await;
    let Some(b) = Browser::start().await else {
        return;
    };
    let good = init_data(HOA, "Hoa", s.now, 60);

    // A phone.
    b.size(390, 844).await;
    b.goto(&mini_app_url(&s.base, &good)).await;
    b.wait("the list", LOADED).await;
    const LATE: &str = "rgb(214, 39, 40)";
    const SOON: &str = "rgb(255, 127, 14)";
    const DUE: &str = "rgb(224, 176, 0)";
    const CALLED: &str = "rgb(44, 160, 44)";
    let row = |n: &str, d: &str, c: &str| (n.to_string(), d.to_string(), c.to_string());
    assert_eq!(
        b.rows().await,
        [
            // Five days old, never called.
            row("KN-000001", "late", LATE),
            // Called 30 minutes after it came.
            row("KN-000003", "called", CALLED),
            // Due at noon, half an hour from now.
            row("KN-000004", "soon", SOON),
            // The eligible refund, called back after 50 minutes.
            row("HT-000003", "called", CALLED),
            // Just made: due at 15:30.
            row("KN-000006", "due", DUE),
        ]
    );
    b.wait(
        "both charts",
        "return document.querySelectorAll('img[data-loaded]').length === 2",
    )
    .await;
    let chart_width = b
        .js("return document.querySelector('img[data-loaded]').naturalWidth")
        .await;
    assert_eq!(chart_width, 1000);
    b.screenshot("dashboard-phone").await;

    // A case's whole history.
    b.click("a[data-view='/case/KN-000001']").await;
    b.wait(
        "the case",
        "return (document.getElementById('case-number') || {}).textContent?.startsWith('KN-000001') === true",
    )
    .await;
    let history = b
        .js("return document.getElementById('history').innerText")
        .await;
    let history = history.as_str().unwrap();
    assert!(history.contains("tạo khiếu nại"), "{history}");
    assert!(
        b.js("return document.body.innerText")
            .await
            .as_str()
            .unwrap()
            .contains("0901000001"),
        "the phone number is shown"
    );
    b.screenshot("dashboard-case-phone").await;
    b.click("#back").await;
    b.wait("the list again", LOADED).await;
    b.wait(
        "the rows",
        "return document.querySelectorAll('#rows .row[data-number]').length === 5",
    )
    .await;

    // Filters: complaints only, then only the late ones.
    b.click("select[name=kind] option[value=complaint]").await;
    b.wait("the complaints", "return document.getElementById('app').dataset.view === '?kind=complaint' && !document.getElementById('app').hasAttribute('aria-busy')").await;
    let numbers: Vec<String> = b.rows().await.into_iter().map(|r| r.0).collect();
    assert_eq!(
        numbers,
        ["KN-000001", "KN-000003", "KN-000004", "KN-000006"]
    );
    b.click("select[name=late] option[value='1']").await;
    b.wait("the late ones", "return document.getElementById('app').dataset.view === '?kind=complaint&late=1' && !document.getElementById('app').hasAttribute('aria-busy')").await;
    assert_eq!(b.rows().await, [row("KN-000001", "late", LATE)]);
    b.click("select[name=who] option[value='-']").await;
    b.wait("nobody's", "return document.getElementById('app').dataset.view === '?kind=complaint&who=-&late=1' && !document.getElementById('app').hasAttribute('aria-busy')").await;
    assert_eq!(b.rows().await.len(), 1);

    // A desktop.
    b.size(1280, 900).await;
    b.goto("about:blank").await;
    b.goto(&mini_app_url(&s.base, &good)).await;
    b.wait("the list", LOADED).await;
    b.wait(
        "both charts",
        "return document.querySelectorAll('img[data-loaded]').length === 2",
    )
    .await;
    assert_eq!(b.rows().await.len(), 5);
    b.screenshot("dashboard-desktop").await;

    // Forged and expired init data: nothing but the refusal.
    let forged = good.replace(&format!("%22id%22%3A{HOA}"), "%22id%22%3A9002");
    let expired = init_data(HOA, "Hoa", s.now, 2 * 86_400);
    for data in [forged, expired] {
        b.goto("about:blank").await;
        b.goto(&mini_app_url(&s.base, &data)).await;
        b.wait(
            "the refusal",
            "return document.getElementById('app').dataset.status === '401'",
        )
        .await;
        let text = b.js("return document.body.innerText").await;
        let text = text.as_str().unwrap();
        assert!(text.contains("Không mở được trang"), "{text}");
        assert!(!text.contains("KN-000001"), "{text}");
        assert_eq!(b.rows().await.len(), 0);
    }

    // Every view of personal data is on record, with who looked.
    let views = s.app.engine.store.personal_data_views().await.unwrap();
    assert!(views
        .iter()
        .all(|v| v.staff_id == HOA && v.staff_name == "Hoa"));
    assert!(views.iter().any(|v| v.what == "KN-000001"));
    assert!(views.iter().filter(|v| v.what == "list").count() >= 5);
    b.quit().await;
}
