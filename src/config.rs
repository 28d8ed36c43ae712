//! Settings from the environment and an optional TOML file (policy parameters, company profile).
//! A missing or bad setting stops start-up with one line that names it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::channels::zalo::ZaloSettings;
use crate::dialogue::Lang;
use crate::engine::{Settings, StaffChat};
use crate::policy::{Company, Params};
use crate::text::{intent_names, PhraseError, Phrasebook};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{name} is not set: {hint}")]
    Missing {
        name: &'static str,
        hint: &'static str,
    },
    #[error("{name} is not valid ({value:?}): {hint}")]
    Invalid {
        name: String,
        value: String,
        hint: String,
    },
    #[error("config file {path}: {error}")]
    File { path: String, error: String },
}

/// The optional TOML file.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct FileConfig {
    /// IANA time zone of the company (Asia/Ho_Chi_Minh).
    pub timezone: Option<String>,
    /// Language of the staff group: "vi" or "en".
    pub staff_language: Option<String>,
    pub policy: Params,
    /// How soon the hotline calls a customer back.
    pub callback: crate::policy::Callback,
    /// When customer care works: days, opening and closing time, public holidays.
    pub hours: crate::policy::hours::BusinessHours,
    /// Deferred-job reminders and aftercare check-ins.
    pub reminders: crate::policy::Reminders,
    /// The morning summary, the health alerts, the staff web page.
    pub operations: crate::engine::Operations,
    pub company: Company,
    /// Extra phrases per intent, on top of the built-in ones
    /// (`deferral = ["dời buổi làm"]`); keys from [`intent_names`].
    pub phrases: BTreeMap<String, Vec<String>>,
    /// The personal-data notice, consent, retention and erasure.
    pub privacy: crate::dialogue::privacy::PrivacySettings,
}

/// Every setting, read and checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub token: Option<String>,
    pub api_url: Option<url::Url>,
    pub staff_chat: Option<StaffChat>,
    pub file: FileConfig,
    pub tz: chrono_tz::Tz,
    pub staff_lang: Lang,
    /// The built-in intent phrases plus the file's `[phrases]`.
    pub phrasebook: Arc<Phrasebook>,
    /// LINK_SECRET: signs the invoice deep links (unset: made once, kept in the database).
    pub link_secret: Option<String>,
    /// BOT_USERNAME: the bot's username for printed links (unset: remembered from Telegram).
    pub bot_username: Option<String>,
    /// BUSINESS_TAKEOVER_MINUTES: how long the bot steps back in a chat of the company's
    /// Telegram Business account after a person of the company wrote there (default 30).
    pub business_takeover_minutes: i64,
    /// The Zalo Official Account channel, when `ZALO_APP_ID` is set.
    pub zalo: Option<ZaloSettings>,
}

/// The Zalo channel's settings: none without `ZALO_APP_ID`; with it, its secrets are needed.
fn zalo_settings(
    non_empty: &impl Fn(&str) -> Option<String>,
) -> Result<Option<ZaloSettings>, ConfigError> {
    let Some(app_id) = non_empty("ZALO_APP_ID") else {
        return Ok(None);
    };
    let need = |name: &'static str, hint: &'static str| {
        non_empty(name).ok_or(ConfigError::Missing { name, hint })
    };
    let mut z = ZaloSettings::new(
        app_id.trim(),
        need(
            "ZALO_OA_SECRET_KEY",
            "the OA secret key of the Zalo app's webhook page (it signs Zalo's events)",
        )?,
        need(
            "ZALO_APP_SECRET",
            "the Zalo app's secret key (developers.zalo.me, the app's settings)",
        )?,
        need(
            "ZALO_REFRESH_TOKEN",
            "a refresh token from authorising the app on the OA (the API explorer gives one)",
        )?,
    );
    let url = |name: &str, default: String| -> Result<String, ConfigError> {
        match non_empty(name) {
            None => Ok(default),
            Some(v) => url::Url::parse(v.trim())
                .map(|_| v.trim().trim_end_matches('/').to_string())
                .map_err(|e| ConfigError::Invalid {
                    name: name.into(),
                    value: v.clone(),
                    hint: e.to_string(),
                }),
        }
    };
    z.api_url = url("ZALO_API_URL", z.api_url)?;
    z.oauth_url = url("ZALO_OAUTH_URL", z.oauth_url)?;
    z.zns_url = url("ZALO_ZNS_URL", z.zns_url)?;
    if let Some(v) = non_empty("ZALO_ZNS_TEMPLATES") {
        z.zns_templates = crate::channels::zalo::parse_zns_templates(&v).map_err(|hint| {
            ConfigError::Invalid {
                name: "ZALO_ZNS_TEMPLATES".into(),
                value: v.clone(),
                hint,
            }
        })?;
    }
    if let Some(path) = non_empty("ZALO_WEBHOOK_PATH") {
        if !path.starts_with('/') || path.contains(char::is_whitespace) {
            return Err(ConfigError::Invalid {
                name: "ZALO_WEBHOOK_PATH".into(),
                value: path,
                hint: "a path such as /zalo/webhook".into(),
            });
        }
        z.webhook_path = path;
    }
    let number = |name: &str, default: i64, min: i64, max: i64| -> Result<i64, ConfigError> {
        match non_empty(name) {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| ConfigError::Invalid {
                    name: name.into(),
                    value: v.clone(),
                    hint: format!("a whole number from {min} to {max}"),
                }),
        }
    };
    z.window_hours = number("ZALO_WINDOW_HOURS", z.window_hours, 1, 24 * 30)?;
    z.window_replies = number("ZALO_WINDOW_REPLIES", z.window_replies, 1, 1000)?;
    z.max_event_age_secs = number("ZALO_EVENT_MAX_AGE_SECS", z.max_event_age_secs, 10, 86_400)?;
    z.sends_per_sec = number("ZALO_SENDS_PER_SEC", z.sends_per_sec.into(), 1, 1000)? as u32;
    Ok(Some(z))
}

/// Reads the settings from an environment (a lookup function, so tests need not touch the
/// process environment) and the TOML file at `file`, if given or if `cskh.toml` exists.
pub fn load(
    env: impl Fn(&str) -> Option<String>,
    file: Option<&Path>,
) -> Result<Config, ConfigError> {
    let non_empty = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    let path: Option<PathBuf> = match (file, non_empty("CSKH_CONFIG")) {
        (Some(p), _) => Some(p.to_path_buf()),
        (None, Some(p)) => Some(PathBuf::from(p)),
        (None, None) if Path::new("cskh.toml").exists() => Some(PathBuf::from("cskh.toml")),
        _ => None,
    };
    let file = match path {
        Some(p) => {
            let text = std::fs::read_to_string(&p).map_err(|e| ConfigError::File {
                path: p.display().to_string(),
                error: e.to_string(),
            })?;
            parse_file(&text).map_err(|error| ConfigError::File {
                path: p.display().to_string(),
                error,
            })?
        }
        None => FileConfig::default(),
    };
    if let Some(field) = file.policy.invalid_field() {
        return Err(ConfigError::Invalid {
            name: format!("policy.{field}"),
            value: "out of range".into(),
            hint: "a number of days from 0 to 3650".into(),
        });
    }
    let phrasebook = Arc::new(Phrasebook::with_extra(&file.phrases).map_err(|e| match e {
        PhraseError::UnknownIntent(name) => ConfigError::Invalid {
            name: format!("phrases.{name}"),
            value: name,
            hint: format!("not an intent; one of {}", intent_names().join(", ")),
        },
        PhraseError::Empty(name) => ConfigError::Invalid {
            name: format!("phrases.{name}"),
            value: String::new(),
            hint: "every phrase needs at least one word".into(),
        },
    })?);
    if let Some((field, value, hint)) = file.callback.invalid_field() {
        return Err(ConfigError::Invalid {
            name: format!("callback.{field}"),
            value: value.to_string(),
            hint: hint.into(),
        });
    }
    if let Some((field, hint)) = file.operations.invalid_field() {
        return Err(ConfigError::Invalid {
            name: format!("operations.{field}"),
            value: "out of range".into(),
            hint: hint.into(),
        });
    }
    if let Some((field, hint)) = file.privacy.invalid_field() {
        return Err(ConfigError::Invalid {
            name: format!("privacy.{field}"),
            value: "out of range".into(),
            hint: hint.into(),
        });
    }
    if let Some(reason) = file.hours.invalid() {
        return Err(ConfigError::Invalid {
            name: "hours".into(),
            value: format!("{}–{}", file.hours.open, file.hours.close),
            hint: reason.into(),
        });
    }
    if let Some(field) = file.reminders.invalid_field() {
        return Err(ConfigError::Invalid {
            name: format!("reminders.{field}"),
            value: "unreadable".into(),
            hint: "times as \"HH:MM\", days from 0 to 365".into(),
        });
    }
    let tz_name = file
        .timezone
        .clone()
        .unwrap_or_else(|| "Asia/Ho_Chi_Minh".into());
    let tz: chrono_tz::Tz = tz_name.parse().map_err(|_| ConfigError::Invalid {
        name: "timezone".into(),
        value: tz_name.clone(),
        hint: "an IANA time zone such as Asia/Ho_Chi_Minh".into(),
    })?;
    let staff_lang = match file.staff_language.as_deref() {
        None => Lang::Vi,
        Some(code) => Lang::from_code(code).ok_or_else(|| ConfigError::Invalid {
            name: "staff_language".into(),
            value: code.into(),
            hint: "vi or en".into(),
        })?,
    };

    let database_url = non_empty("DATABASE_URL").unwrap_or_else(|| "sqlite://cskh.db".into());
    if !(database_url.starts_with("sqlite:")
        || database_url.starts_with("postgres:")
        || database_url.starts_with("postgresql:"))
    {
        return Err(ConfigError::Invalid {
            name: "DATABASE_URL".into(),
            value: database_url,
            hint: "sqlite://FILE or postgres://USER@HOST/DB".into(),
        });
    }
    let api_url = non_empty("TELOXIDE_API_URL")
        .map(|v| {
            url::Url::parse(&v).map_err(|e| ConfigError::Invalid {
                name: "TELOXIDE_API_URL".into(),
                value: v.clone(),
                hint: e.to_string(),
            })
        })
        .transpose()?;
    let staff_chat = match non_empty("STAFF_CHAT_ID") {
        None => None,
        Some(v) => {
            let chat_id: i64 = v.trim().parse().map_err(|_| ConfigError::Invalid {
                name: "STAFF_CHAT_ID".into(),
                value: v.clone(),
                hint: "the staff group's numeric chat id, e.g. -1001234567890".into(),
            })?;
            let thread_id = match non_empty("STAFF_THREAD_ID") {
                None => None,
                Some(t) => Some(t.trim().parse::<i64>().map_err(|_| ConfigError::Invalid {
                    name: "STAFF_THREAD_ID".into(),
                    value: t.clone(),
                    hint: "the numeric id of a forum topic".into(),
                })?),
            };
            Some(StaffChat { chat_id, thread_id })
        }
    };
    let zalo = zalo_settings(&non_empty)?;
    let business_takeover_minutes = match non_empty("BUSINESS_TAKEOVER_MINUTES") {
        None => 30,
        Some(v) => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|m| (1..=10_080).contains(m))
            .ok_or_else(|| ConfigError::Invalid {
                name: "BUSINESS_TAKEOVER_MINUTES".into(),
                value: v.clone(),
                hint: "a number of minutes from 1 to 10080".into(),
            })?,
    };
    Ok(Config {
        business_takeover_minutes,
        database_url,
        token: non_empty("TELOXIDE_TOKEN"),
        api_url,
        staff_chat,
        file,
        tz,
        staff_lang,
        phrasebook,
        zalo,
        link_secret: non_empty("LINK_SECRET"),
        bot_username: non_empty("BOT_USERNAME")
            .map(|u| u.trim().trim_start_matches('@').to_string()),
    })
}

/// Reads the settings file; an error names the key it is about (`hours.close: …`), on one line.
pub fn parse_file(text: &str) -> Result<FileConfig, String> {
    toml::from_str(text).map_err(|e| {
        let message = e.message().replace('\n', " ");
        match e.span().and_then(|span| key_at(text, span.start)) {
            Some(key) if !message.contains(&key) => format!("{key}: {message}"),
            _ => message,
        }
    })
}

/// The dotted key (`hours.close`) of the line holding byte `offset`: the `key =` on that line
/// under the nearest `[section]` above it.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next()?;
    let key = line.split_once('=')?.0.trim().trim_matches('"');
    if key.is_empty() || key.starts_with('[') {
        return None;
    }
    let section = before[..line_start].lines().rev().find_map(|l| {
        let l = l.trim();
        l.strip_prefix('[')
            .and_then(|l| l.strip_suffix(']'))
            .map(|s| s.trim().to_string())
    });
    Some(match section {
        Some(section) => format!("{section}.{key}"),
        None => key.to_string(),
    })
}

impl Config {
    /// What `cskh run` needs on top: a token and a staff group.
    pub fn require_telegram(&self) -> Result<(String, StaffChat), ConfigError> {
        let token = self.token.clone().ok_or(ConfigError::Missing {
            name: "TELOXIDE_TOKEN",
            hint: "the bot token from @BotFather",
        })?;
        if !token.contains(':') {
            return Err(ConfigError::Invalid {
                name: "TELOXIDE_TOKEN".into(),
                value: "(hidden)".into(),
                hint: "a token looks like 123456:ABC-DEF...".into(),
            });
        }
        let staff = self.staff_chat.ok_or(ConfigError::Missing {
            name: "STAFF_CHAT_ID",
            hint: "the staff group's numeric chat id",
        })?;
        Ok((token, staff))
    }

    pub fn settings(&self, staff: StaffChat) -> Settings {
        Settings {
            params: self.file.policy.clone(),
            company: self.file.company.clone(),
            tz: self.tz,
            staff,
            staff_lang: self.staff_lang,
            callback: self.file.callback.clone(),
            hours: self.file.hours.clone(),
            reminders: self.file.reminders.clone(),
            phrases: self.phrasebook.clone(),
            ops: self.file.operations.clone(),
            privacy: self.file.privacy.clone(),
            link_secret: self.link_secret.clone(),
            bot_username: self.bot_username.clone(),
            business_takeover_minutes: self.business_takeover_minutes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{self, Intent, Question};

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_business_take_over_time_is_thirty_minutes_unless_set_and_must_be_sensible() {
        assert_eq!(load(env(&[]), None).unwrap().business_takeover_minutes, 30);
        let c = load(env(&[("BUSINESS_TAKEOVER_MINUTES", "45")]), None).unwrap();
        assert_eq!(c.business_takeover_minutes, 45);
        for bad in ["0", "-5", "nửa tiếng", "99999"] {
            let pairs: &'static [(&'static str, &'static str)] =
                Box::leak(vec![("BUSINESS_TAKEOVER_MINUTES", bad)].into_boxed_slice());
            assert!(
                matches!(load(env(pairs), None), Err(ConfigError::Invalid { ref name, .. }) if name == "BUSINESS_TAKEOVER_MINUTES"),
                "{bad}"
            );
        }
    }

    #[test]
    fn with_nothing_set_the_bot_uses_sqlite_in_the_working_directory() {
        let c = load(env(&[]), None).unwrap();
        assert_eq!(c.database_url, "sqlite://cskh.db");
        assert_eq!(c.tz, chrono_tz::Asia::Ho_Chi_Minh);
        assert_eq!(c.file.policy, Params::default());
        assert_eq!(c.file.company.hotline, "090 4718 078");
    }

    #[test]
    fn a_bad_staff_chat_id_names_the_setting() {
        let e = load(env(&[("STAFF_CHAT_ID", "abc")]), None).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("STAFF_CHAT_ID is not valid (\"abc\")"),
            "{e}"
        );
    }

    #[test]
    fn running_on_telegram_without_a_token_names_the_token() {
        let c = load(env(&[("STAFF_CHAT_ID", "-100123")]), None).unwrap();
        let e = c.require_telegram().unwrap_err();
        assert!(
            e.to_string().starts_with("TELOXIDE_TOKEN is not set"),
            "{e}"
        );
        let c = load(env(&[("TELOXIDE_TOKEN", "1:A")]), None).unwrap();
        assert!(c
            .require_telegram()
            .unwrap_err()
            .to_string()
            .starts_with("STAFF_CHAT_ID is not set"));
    }

    #[test]
    fn a_bad_api_url_or_database_url_is_refused() {
        assert!(load(env(&[("TELOXIDE_API_URL", "not a url")]), None)
            .unwrap_err()
            .to_string()
            .starts_with("TELOXIDE_API_URL"));
        assert!(load(env(&[("DATABASE_URL", "mysql://x")]), None)
            .unwrap_err()
            .to_string()
            .starts_with("DATABASE_URL"));
    }

    #[test]
    fn the_file_changes_policy_parameters_and_the_company() {
        let f = parse_file("timezone = \"Asia/Bangkok\"\n[policy]\ndefer_max_days = 45\ndefer_auto_approve = false\n[company]\nname = \"ACME\"\n").unwrap();
        assert_eq!(f.policy.defer_max_days, 45);
        assert!(!f.policy.defer_auto_approve);
        assert_eq!(f.policy.defer_notice_days, 7);
        assert_eq!(f.company.name, "ACME");
        assert_eq!(f.company.hotline, "090 4718 078");
    }

    #[test]
    fn the_example_settings_file_is_valid_and_states_the_defaults() {
        let f = parse_file(include_str!("../cskh.example.toml")).unwrap();
        assert_eq!(f.policy, Params::default());
        assert_eq!(f.company, Company::default());
        assert_eq!(f.timezone.as_deref(), Some("Asia/Ho_Chi_Minh"));
        assert!(f.phrases.is_empty());
        assert_eq!(f.operations, crate::engine::Operations::default());
        assert_eq!(
            f.privacy,
            crate::dialogue::privacy::PrivacySettings::default()
        );
    }

    #[test]
    fn consent_is_asked_unless_the_settings_say_it_is_on_file() {
        use crate::dialogue::privacy::ConsentMode;
        assert_eq!(
            load(env(&[]), None).unwrap().file.privacy.consent,
            ConsentMode::Ask
        );
        let f = parse_file("[privacy]\nconsent = \"on_file\"\nretention_days = 30\n").unwrap();
        assert_eq!(f.privacy.consent, ConsentMode::OnFile);
        assert_eq!(f.privacy.retention_days, 30);
        assert!(parse_file("[privacy]\nconsent = \"assumed\"\n").is_err());
        assert!(parse_file("[privacy]\nretension_days = 30\n").is_err());
    }

    #[test]
    fn a_retention_or_erasure_period_out_of_range_names_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cskh.toml");
        std::fs::write(&path, "[privacy]\nerasure_days = 30\n").unwrap();
        let e = load(env(&[]), Some(&path)).unwrap_err();
        assert!(e.to_string().starts_with("privacy.erasure_days"), "{e}");
    }

    #[test]
    fn the_example_phrases_are_valid_once_uncommented() {
        let example = include_str!("../cskh.example.toml");
        let block = example
            .split_once("# [phrases]")
            .map(|(_, rest)| format!("[phrases]{rest}"))
            .unwrap()
            .replace("\n# ", "\n");
        let f = parse_file(&block).unwrap();
        let names = text::intent_names();
        for (name, phrases) in &f.phrases {
            assert!(names.contains(&name.as_str()), "{name}");
            assert!(!phrases.is_empty());
        }
        assert!(f.phrases.contains_key("ask_hotline"));
        Phrasebook::with_extra(&f.phrases).unwrap();
        // The comment lists every key.
        for name in names {
            assert!(example.contains(name), "{name}");
        }
    }

    #[test]
    fn the_file_adds_phrases_to_intents() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cskh.toml");
        std::fs::write(
            &path,
            "[phrases]\ndeferral = [\"dời buổi làm\", \"xin lùi lịch\"]\nask_hotline = [\"số tổng đài\"]\n",
        )
        .unwrap();
        let c = load(env(&[]), Some(&path)).unwrap();
        assert_eq!(c.file.phrases["deferral"], ["dời buổi làm", "xin lùi lịch"]);
        assert_eq!(
            c.phrasebook.intent("em muốn dời buổi làm sang tuần sau"),
            Some(Intent::Deferral)
        );
        assert_eq!(
            c.phrasebook.intent("cho xin số tổng đài"),
            Some(Intent::Ask(Question::Hotline))
        );
        assert_eq!(
            text::detect_intent("em muốn dời buổi làm sang tuần sau"),
            None
        );
        // Without phrases in the file, the built-in table.
        let c = load(env(&[]), None).unwrap();
        assert_eq!(&*c.phrasebook, Phrasebook::builtin());
    }

    #[test]
    fn an_unknown_intent_in_the_phrases_names_the_key_and_the_valid_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cskh.toml");
        std::fs::write(&path, "[phrases]\ndeferal = [\"dời buổi làm\"]\n").unwrap();
        let e = load(env(&[]), Some(&path)).unwrap_err();
        let ConfigError::Invalid { name, hint, .. } = &e else {
            panic!("{e}");
        };
        assert_eq!(name, "phrases.deferal");
        assert!(
            hint.contains("deferral") && hint.contains("ask_hotline"),
            "{hint}"
        );
        assert!(
            e.to_string().starts_with("phrases.deferal is not valid"),
            "{e}"
        );

        std::fs::write(&path, "[phrases]\nrefund = [\"  \"]\n").unwrap();
        let e = load(env(&[]), Some(&path)).unwrap_err();
        assert!(
            e.to_string().starts_with("phrases.refund is not valid"),
            "{e}"
        );
    }

    #[test]
    fn bad_call_back_settings_stop_start_up_with_one_line_naming_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cskh.toml");
        let table = [
            (
                "[callback]\nrepeat_minutes = 0\n",
                "callback.repeat_minutes",
            ),
            (
                "[callback]\nurgent_minutes = -5\n",
                "callback.urgent_minutes",
            ),
            ("[callback]\nnormal_hours = -1\n", "callback.normal_hours"),
            (
                "[callback]\nsupervisor_after = -1\n",
                "callback.supervisor_after",
            ),
            (
                "[callback]\nmissed_call_tries = 0\n",
                "callback.missed_call_tries",
            ),
            ("[callback]\ndigest_over = -1\n", "callback.digest_over"),
            ("[hours]\nclose = \"25:00\"\n", "hours.close"),
            ("[hours]\nopen = \"8h\"\n", "hours.open"),
            ("[reminders]\nat = \"9 giờ\"\n", "reminders.at"),
            ("[policy]\ndefer_max_days = -1\n", "policy.defer_max_days"),
            (
                "[operations]\nsummary_at = \"8 giờ\"\n",
                "operations.summary_at",
            ),
            (
                "[operations]\noutbox_alert_minutes = 0\n",
                "operations.outbox_alert_minutes",
            ),
            (
                "[operations]\npublic_url = \"cskh.example.vn\"\n",
                "operations.public_url",
            ),
        ];
        for (text, key) in table {
            std::fs::write(&path, text).unwrap();
            let e = load(env(&[]), Some(&path)).unwrap_err().to_string();
            assert!(e.contains(key), "{text:?}: {e}");
            assert!(!e.contains('\n'), "one line: {e:?}");
        }
        // 24:00 is a closing time an operator may well write: midnight.
        std::fs::write(&path, "[hours]\nopen = \"18:00\"\nclose = \"24:00\"\n").unwrap();
        let c = load(env(&[]), Some(&path)).unwrap();
        assert_eq!(c.file.hours.invalid(), None);
        std::fs::write(
            &path,
            "[callback]\nrepeat_minutes = 15\nmissed_call_tries = 2\n",
        )
        .unwrap();
        let c = load(env(&[]), Some(&path)).unwrap();
        assert_eq!(c.file.callback.missed_call_tries, 2);
    }

    #[test]
    fn zalo_is_off_without_its_app_id_and_with_it_names_each_missing_secret() {
        let c = load(env(&[]), None).unwrap();
        assert_eq!(c.zalo, None);
        let e = load(env(&[("ZALO_APP_ID", "123")]), None).unwrap_err();
        assert!(
            e.to_string().starts_with("ZALO_OA_SECRET_KEY is not set"),
            "{e}"
        );
        const ALL: &[(&str, &str)] = &[
            ("ZALO_APP_ID", "123"),
            ("ZALO_OA_SECRET_KEY", "oa-key"),
            ("ZALO_APP_SECRET", "app-secret"),
            ("ZALO_REFRESH_TOKEN", "rt-1"),
            ("ZALO_WINDOW_HOURS", "24"),
            ("ZALO_API_URL", "http://127.0.0.1:9/"),
            ("ZALO_ZNS_TEMPLATES", "aftercare=777"),
        ];
        let z = load(env(ALL), None).unwrap().zalo.unwrap();
        assert_eq!(
            (z.app_id.as_str(), z.refresh_token.as_str()),
            ("123", "rt-1")
        );
        assert_eq!((z.window_hours, z.window_replies), (24, 8));
        assert_eq!(z.api_url, "http://127.0.0.1:9");
        assert_eq!(z.webhook_path, "/zalo/webhook");
        assert_eq!(z.zns_url, "https://business.openapi.zalo.me");
        assert_eq!(
            z.zns_templates
                .get(&crate::dialogue::NoticeKind::Aftercare)
                .map(String::as_str),
            Some("777")
        );
        const BAD: &[(&str, &str)] = &[
            ("ZALO_APP_ID", "123"),
            ("ZALO_OA_SECRET_KEY", "k"),
            ("ZALO_APP_SECRET", "s"),
            ("ZALO_REFRESH_TOKEN", "r"),
            ("ZALO_WINDOW_REPLIES", "0"),
        ];
        let e = load(env(BAD), None).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("ZALO_WINDOW_REPLIES is not valid"),
            "{e}"
        );
    }

    #[test]
    fn a_misspelt_key_in_the_file_is_an_error_not_silence() {
        let e = parse_file("[policy]\ndefer_max_dayz = 45\n").unwrap_err();
        assert!(e.contains("defer_max_dayz"), "{e}");
    }
}
