//! Personal data: the notice and its consent, the customer's rights (see, correct, withdraw,
//! erase), the separate yes for photos in advertising, as typed replies and button data.
//! Pure: the engine decides when these are shown and records what the customer answered.

use serde::Deserialize;

use super::{Button, ButtonData, Lang, Msg, Part};
use crate::policy::Company;

/// How consent to keeping personal data is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMode {
    /// The bot shows the notice at first contact and asks "Đồng ý" / "Không đồng ý" (the default).
    #[default]
    Ask,
    /// The company takes every customer's written consent to this notice before giving them the
    /// bot's address (e.g. in the signed contract); the bot records it as `on_file` at first
    /// contact and does not ask. Test installations use it too.
    OnFile,
}

/// The personal-data settings (`[privacy]` in the settings file).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrivacySettings {
    pub consent: ConsentMode,
    /// The notice's version: raising it asks every customer again at their next contact.
    pub notice_version: i64,
    /// Who answers questions about personal data (a person, an email); the company's email
    /// and hotline when empty.
    pub contact: String,
    /// Where the full notice is published, if anywhere.
    pub url: String,
    /// The short notice and the full text, replacing the built-in ones (the company's lawyer's
    /// words), per language; empty: the locales' text.
    pub summary_vi: String,
    pub summary_en: String,
    pub full_text_vi: String,
    pub full_text_en: String,
    /// Days after a request or case is closed when its files and free text are purged.
    pub retention_days: i64,
    /// Days within which a confirmed erasure is done (it waits for open requests and cases).
    pub erasure_days: i64,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        PrivacySettings {
            consent: ConsentMode::Ask,
            notice_version: 1,
            contact: String::new(),
            url: String::new(),
            summary_vi: String::new(),
            summary_en: String::new(),
            full_text_vi: String::new(),
            full_text_en: String::new(),
            retention_days: 365,
            erasure_days: 15,
        }
    }
}

impl PrivacySettings {
    /// The first setting that makes no sense: (key, hint).
    pub fn invalid_field(&self) -> Option<(&'static str, &'static str)> {
        if self.notice_version < 1 {
            return Some(("notice_version", "a whole number from 1"));
        }
        if !(1..=36_500).contains(&self.retention_days) {
            return Some(("retention_days", "a number of days from 1 to 36500"));
        }
        if !(1..=15).contains(&self.erasure_days) {
            return Some(("erasure_days", "a number of days from 1 to 15"));
        }
        None
    }

    fn contact(&self, company: &Company) -> String {
        if self.contact.trim().is_empty() {
            format!("{} · {}", company.email, company.hotline)
        } else {
            self.contact.clone()
        }
    }

    fn own_text(&self, lang: Lang, full: bool) -> &str {
        match (lang, full) {
            (Lang::Vi, false) => &self.summary_vi,
            (Lang::En, false) => &self.summary_en,
            (Lang::Vi, true) => &self.full_text_vi,
            (Lang::En, true) => &self.full_text_en,
        }
    }
}

/// A button of the personal-data functions: `pv:…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrivacyButton {
    /// `pv:ok:V`: "Đồng ý" to notice version V.
    Agree(i64),
    /// `pv:no:V`: "Không đồng ý" to notice version V.
    Refuse(i64),
    /// `pv:data`: the "Dữ liệu của tôi" menu.
    Menu,
    /// `pv:get`: the file with everything kept.
    Download,
    /// `pv:fix`: how to correct the name or phone.
    Correct,
    /// `pv:ph:yes` / `pv:ph:no`: photos in advertising.
    Photos(bool),
    /// `pv:del`: ask to erase (a confirmation follows).
    Erase,
    /// `pv:wd`: withdraw consent (a confirmation follows; it leads to erasure).
    Withdraw,
    /// `pv:del:N`: confirm erasure request N.
    ConfirmErase(i64),
    /// `pv:keep:N`: do not erase after all.
    Keep(i64),
}

impl PrivacyButton {
    pub fn encode(self) -> String {
        match self {
            PrivacyButton::Agree(v) => format!("pv:ok:{v}"),
            PrivacyButton::Refuse(v) => format!("pv:no:{v}"),
            PrivacyButton::Menu => "pv:data".into(),
            PrivacyButton::Download => "pv:get".into(),
            PrivacyButton::Correct => "pv:fix".into(),
            PrivacyButton::Photos(yes) => format!("pv:ph:{}", if yes { "yes" } else { "no" }),
            PrivacyButton::Erase => "pv:del".into(),
            PrivacyButton::Withdraw => "pv:wd".into(),
            PrivacyButton::ConfirmErase(n) => format!("pv:del:{n}"),
            PrivacyButton::Keep(n) => format!("pv:keep:{n}"),
        }
    }

    /// The parts after `pv`.
    pub fn parse(parts: &[&str]) -> Option<PrivacyButton> {
        let num = |s: &str| -> Option<i64> {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        Some(match parts {
            ["ok", v] => PrivacyButton::Agree(num(v)?),
            ["no", v] => PrivacyButton::Refuse(num(v)?),
            ["data"] => PrivacyButton::Menu,
            ["get"] => PrivacyButton::Download,
            ["fix"] => PrivacyButton::Correct,
            ["ph", "yes"] => PrivacyButton::Photos(true),
            ["ph", "no"] => PrivacyButton::Photos(false),
            ["del"] => PrivacyButton::Erase,
            ["wd"] => PrivacyButton::Withdraw,
            ["del", n] => PrivacyButton::ConfirmErase(num(n)?),
            ["keep", n] => PrivacyButton::Keep(num(n)?),
            _ => return None,
        })
    }
}

/// A personal-data command a customer typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrivacyCommand {
    /// `/quyenriengtu`, `/privacy`: the full notice.
    Notice,
    /// `/dulieu`, `/mydata`: the "Dữ liệu của tôi" menu and the file.
    MyData,
    /// `/xoadulieu`, `/erase`: erasure, after a confirmation.
    Erase,
    /// `/suaten NAME`, `/fixname NAME`: correct the name (empty: how to).
    FixName(String),
    /// `/suasdt PHONE`, `/fixphone PHONE`: correct the phone number (empty: how to).
    FixPhone(String),
    /// `/rutdongy`, `/withdraw`: withdraw consent (a confirmation follows).
    Withdraw,
}

/// The personal-data commands in the order they are registered with a channel: (name, the
/// locale id of its description).
pub const COMMANDS: [(&str, &str); 3] = [
    ("quyenriengtu", "cmd-quyenriengtu"),
    ("dulieu", "cmd-dulieu"),
    ("xoadulieu", "cmd-xoadulieu"),
];

impl PrivacyCommand {
    pub fn parse(text: &str) -> Option<PrivacyCommand> {
        let rest = text.trim().strip_prefix('/')?;
        let (word, arg) = match rest.split_once(char::is_whitespace) {
            Some((w, a)) => (w, a.trim().to_string()),
            None => (rest, String::new()),
        };
        let name = word.split('@').next().unwrap_or("").to_ascii_lowercase();
        Some(match name.as_str() {
            "quyenriengtu" | "privacy" => PrivacyCommand::Notice,
            "dulieu" | "mydata" => PrivacyCommand::MyData,
            "xoadulieu" | "erase" => PrivacyCommand::Erase,
            "suaten" | "fixname" => PrivacyCommand::FixName(arg),
            "suasdt" | "fixphone" => PrivacyCommand::FixPhone(arg),
            "rutdongy" | "withdraw" => PrivacyCommand::Withdraw,
            _ => return None,
        })
    }
}

fn text_or(own: &str, part: Part) -> Part {
    if own.trim().is_empty() {
        part
    } else {
        Part::new("privacy-own-text").str("text", own)
    }
}

fn notice_args(part: Part, settings: &PrivacySettings, company: &Company) -> Part {
    part.str("company", &company.name)
        .str("contact", settings.contact(company))
        .str("hotline", &company.hotline)
        .int("days", settings.retention_days)
        .int("version", settings.notice_version)
}

fn url_line(settings: &PrivacySettings) -> Option<Part> {
    (!settings.url.trim().is_empty()).then(|| Part::new("privacy-url").str("url", &settings.url))
}

fn consent_buttons(msg: Msg, version: i64) -> Msg {
    msg.row(vec![
        Button::new(
            "btn-privacy-agree",
            ButtonData::Privacy(PrivacyButton::Agree(version)),
        ),
        Button::new(
            "btn-privacy-refuse",
            ButtonData::Privacy(PrivacyButton::Refuse(version)),
        ),
    ])
}

/// The short notice with "Đồng ý" / "Không đồng ý", shown before the first personal data is
/// kept. `again`: the customer had agreed to an earlier version.
pub fn notice(settings: &PrivacySettings, company: &Company, lang: Lang, again: bool) -> Msg {
    let mut msg = Msg::default();
    if again {
        msg.parts.push(Part::new("privacy-notice-changed"));
    }
    msg.parts.push(text_or(
        settings.own_text(lang, false),
        notice_args(Part::new("privacy-notice"), settings, company),
    ));
    msg.parts.extend(url_line(settings));
    msg.parts.push(Part::new("privacy-notice-ask"));
    consent_buttons(msg, settings.notice_version)
}

/// A message sent before answering the notice is kept until then: the notice's question again.
pub fn still_waiting(settings: &PrivacySettings) -> Msg {
    consent_buttons(
        Msg::new(Part::new("privacy-waiting")),
        settings.notice_version,
    )
}

/// The full notice (`/quyenriengtu`); with the consent buttons when not agreed yet.
pub fn full_notice(settings: &PrivacySettings, company: &Company, lang: Lang, agreed: bool) -> Msg {
    let mut msg = Msg::new(text_or(
        settings.own_text(lang, true),
        notice_args(Part::new("privacy-full"), settings, company),
    ));
    msg.parts.extend(url_line(settings));
    if agreed {
        msg.row(vec![Button::new(
            "btn-my-data",
            ButtonData::Privacy(PrivacyButton::Menu),
        )])
    } else {
        consent_buttons(msg, settings.notice_version)
    }
}

/// After "Đồng ý": thanks, and the separate question about photos in advertising.
pub fn agreed(held: bool) -> Msg {
    let mut msg = Msg::new(Part::new("privacy-agreed"));
    if held {
        msg.parts.push(Part::new("privacy-agreed-held"));
    }
    msg
}

/// The separate yes for photos in advertising (never a condition of being served).
pub fn photos_question() -> Msg {
    Msg::id("privacy-photos-ask").row(vec![
        Button::new(
            "btn-photos-yes",
            ButtonData::Privacy(PrivacyButton::Photos(true)),
        ),
        Button::new(
            "btn-photos-no",
            ButtonData::Privacy(PrivacyButton::Photos(false)),
        ),
    ])
}

/// After "Không đồng ý": nothing kept, the hotline, and a way to change one's mind.
pub fn refused(settings: &PrivacySettings, company: &Company) -> Msg {
    Msg::new(
        Part::new("privacy-refused")
            .str("hotline", &company.hotline)
            .str("contact", settings.contact(company)),
    )
    .row(vec![Button::new(
        "btn-privacy-changed-mind",
        ButtonData::Privacy(PrivacyButton::Agree(settings.notice_version)),
    )])
}

/// The "Dữ liệu của tôi" menu.
pub fn data_menu(photos: bool) -> Msg {
    Msg::new(Part::new("privacy-menu").msg(
        "photos",
        if photos {
            "privacy-photos-on"
        } else {
            "privacy-photos-off"
        },
    ))
    .row(vec![Button::new(
        "btn-data-download",
        ButtonData::Privacy(PrivacyButton::Download),
    )])
    .row(vec![Button::new(
        "btn-data-correct",
        ButtonData::Privacy(PrivacyButton::Correct),
    )])
    .row(vec![if photos {
        Button::new(
            "btn-photos-off",
            ButtonData::Privacy(PrivacyButton::Photos(false)),
        )
    } else {
        Button::new(
            "btn-photos-on",
            ButtonData::Privacy(PrivacyButton::Photos(true)),
        )
    }])
    .row(vec![
        Button::new(
            "btn-data-withdraw",
            ButtonData::Privacy(PrivacyButton::Withdraw),
        ),
        Button::new("btn-data-erase", ButtonData::Privacy(PrivacyButton::Erase)),
    ])
}

/// What erasure removes and keeps, with the confirmation buttons for erasure request `id`.
/// `open`: the numbers of the customer's open requests and cases.
pub fn erase_confirm(id: i64, withdrawal: bool, open: &[String], erasure_days: i64) -> Msg {
    let mut msg = Msg::default();
    if withdrawal {
        msg.parts.push(Part::new("privacy-withdraw-what"));
    }
    msg.parts.push(Part::new("privacy-erase-what"));
    if !open.is_empty() {
        msg.parts.push(
            Part::new("privacy-erase-open")
                .str("open", open.join(", "))
                .int("days", erasure_days),
        );
    }
    msg.row(vec![Button::new(
        if withdrawal {
            "btn-withdraw-confirm"
        } else {
            "btn-erase-confirm"
        },
        ButtonData::Privacy(PrivacyButton::ConfirmErase(id)),
    )])
    .row(vec![Button::new(
        "btn-erase-keep",
        ButtonData::Privacy(PrivacyButton::Keep(id)),
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_privacy_button_reads_back_as_itself_within_telegrams_limit() {
        for b in [
            PrivacyButton::Agree(1),
            PrivacyButton::Refuse(12),
            PrivacyButton::Menu,
            PrivacyButton::Download,
            PrivacyButton::Correct,
            PrivacyButton::Photos(true),
            PrivacyButton::Photos(false),
            PrivacyButton::Erase,
            PrivacyButton::Withdraw,
            PrivacyButton::ConfirmErase(i64::MAX),
            PrivacyButton::Keep(i64::MAX),
        ] {
            let data = ButtonData::Privacy(b).encode();
            assert!(
                data.len() <= super::super::buttons::MAX_DATA_BYTES,
                "{data}"
            );
            assert_eq!(
                ButtonData::parse(&data),
                Some(ButtonData::Privacy(b)),
                "{data}"
            );
        }
    }

    #[test]
    fn the_companys_own_notice_replaces_the_built_in_one_in_its_language_only() {
        let settings = PrivacySettings {
            summary_vi: "Văn bản của luật sư".into(),
            ..PrivacySettings::default()
        };
        let company = Company::default();
        let vi = notice(&settings, &company, Lang::Vi, false);
        assert_eq!(vi.parts[0].id, "privacy-own-text");
        let en = notice(&settings, &company, Lang::En, false);
        assert_eq!(en.parts[0].id, "privacy-notice");
        // The answer buttons carry the notice's version.
        let data: Vec<String> = vi.buttons[0].iter().map(|b| b.data.encode()).collect();
        assert_eq!(data, ["pv:ok:1", "pv:no:1"]);
    }

    #[test]
    fn forged_privacy_data_is_not_read() {
        for data in [
            "pv:ok:",
            "pv:ok:-1",
            "pv:del:+3",
            "pv:ph:maybe",
            "pv",
            "pv:keep",
        ] {
            assert_eq!(ButtonData::parse(data), None, "{data}");
        }
    }

    #[test]
    fn privacy_commands_are_read_in_both_languages_with_their_argument() {
        assert_eq!(
            PrivacyCommand::parse("/quyenriengtu"),
            Some(PrivacyCommand::Notice)
        );
        assert_eq!(
            PrivacyCommand::parse("/privacy@cskh_bot"),
            Some(PrivacyCommand::Notice)
        );
        assert_eq!(
            PrivacyCommand::parse("/XoaDuLieu"),
            Some(PrivacyCommand::Erase)
        );
        assert_eq!(
            PrivacyCommand::parse("/suaten  Trần Thị Hoa "),
            Some(PrivacyCommand::FixName("Trần Thị Hoa".into()))
        );
        assert_eq!(PrivacyCommand::parse("/baoluu"), None);
        assert_eq!(PrivacyCommand::parse("xoadulieu"), None);
    }
}
