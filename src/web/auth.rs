//! Telegram Mini App sign-in: the init data Telegram hands the page, checked as Telegram's
//! documentation says: `secret_key = HMAC_SHA256(key = "WebAppData", msg = bot_token)`,
//! `hash = hex(HMAC_SHA256(key = secret_key, msg = data_check_string))`, where the data check
//! string is every field but `hash`, as `key=value`, sorted by key, joined by newlines.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The person the init data signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebUser {
    pub id: i64,
    /// First and last name, or the username.
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("no init data")]
    Missing,
    #[error("the init data's signature does not match")]
    BadSignature,
    #[error("the init data is too old (signed {age} s ago)")]
    Expired { age: i64 },
    #[error("the init data has no readable user")]
    NoUser,
}

fn secret_key(bot_token: &str) -> HmacSha256 {
    let mut secret = HmacSha256::new_from_slice(b"WebAppData").expect("any key length");
    secret.update(bot_token.as_bytes());
    let key = secret.finalize().into_bytes();
    HmacSha256::new_from_slice(&key).expect("any key length")
}

/// The fields of init data (URL-encoded `key=value&…`), decoded.
fn fields(init_data: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(init_data.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn data_check_string(fields: &[(String, String)]) -> String {
    let mut rest: Vec<_> = fields.iter().filter(|(k, _)| k != "hash").collect();
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    rest.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks init data signed with `bot_token`, at most `max_age` seconds old at `now`.
pub fn verify(
    init_data: &str,
    bot_token: &str,
    now: i64,
    max_age: i64,
) -> Result<WebUser, AuthError> {
    let fields = fields(init_data);
    let hash = fields
        .iter()
        .find(|(k, _)| k == "hash")
        .map(|(_, v)| v.as_str())
        .ok_or(AuthError::Missing)?;
    let hash = hex::decode(hash).map_err(|_| AuthError::BadSignature)?;
    let mut mac = secret_key(bot_token);
    mac.update(data_check_string(&fields).as_bytes());
    mac.verify_slice(&hash)
        .map_err(|_| AuthError::BadSignature)?;
    let auth_date: i64 = fields
        .iter()
        .find(|(k, _)| k == "auth_date")
        .and_then(|(_, v)| v.parse().ok())
        .ok_or(AuthError::BadSignature)?;
    let age = now - auth_date;
    // A minute of clock skew is allowed the other way.
    if age > max_age || age < -60 {
        return Err(AuthError::Expired { age });
    }
    let user: serde_json::Value = fields
        .iter()
        .find(|(k, _)| k == "user")
        .and_then(|(_, v)| serde_json::from_str(v).ok())
        .ok_or(AuthError::NoUser)?;
    let id = user["id"].as_i64().ok_or(AuthError::NoUser)?;
    let text = |k: &str| user[k].as_str().unwrap_or("").trim().to_string();
    let name = [text("first_name"), text("last_name")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let name = if name.is_empty() {
        text("username")
    } else {
        name
    };
    Ok(WebUser { id, name })
}

/// Init data for `fields` signed with `bot_token`, as Telegram would hand it to the page (for
/// tests, and for trying the page without Telegram).
pub fn sign(fields: &[(&str, &str)], bot_token: &str) -> String {
    let owned: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut mac = secret_key(bot_token);
    mac.update(data_check_string(&owned).as_bytes());
    let hash = hex::encode(mac.finalize().into_bytes());
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        out.append_pair(k, v);
    }
    out.append_pair("hash", &hash);
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11";
    const USER: &str =
        r#"{"id":9001,"first_name":"Hoa","last_name":"Nguyễn","username":"hoa_cskh"}"#;

    #[test]
    fn the_signature_is_the_one_telegram_documents() {
        // Computed independently (Python's hmac and hashlib) for these fields and TOKEN.
        let data = sign(
            &[
                ("auth_date", "1764300000"),
                ("query_id", "AAF"),
                ("user", USER),
            ],
            TOKEN,
        );
        let hash = data.rsplit("hash=").next().unwrap();
        assert_eq!(
            hash,
            "2acb620d4150c744eaa1e9cc44f15acb166c6df233005f480a1af533d29e40c5"
        );
    }

    #[test]
    fn good_init_data_signs_the_user_in() {
        let data = sign(&[("auth_date", "1764300000"), ("user", USER)], TOKEN);
        assert_eq!(
            verify(&data, TOKEN, 1_764_300_100, 3600),
            Ok(WebUser {
                id: 9001,
                name: "Hoa Nguyễn".into()
            })
        );
    }

    #[test]
    fn forged_stale_or_unsigned_init_data_is_refused() {
        let data = sign(&[("auth_date", "1764300000"), ("user", USER)], TOKEN);
        // Another bot's token.
        assert_eq!(
            verify(&data, "999:other", 1_764_300_100, 3600),
            Err(AuthError::BadSignature)
        );
        // Someone else's id put in the signed data.
        let forged = data.replace("9001", "9002");
        assert_eq!(
            verify(&forged, TOKEN, 1_764_300_100, 3600),
            Err(AuthError::BadSignature)
        );
        // Too old.
        assert_eq!(
            verify(&data, TOKEN, 1_764_300_000 + 3601, 3600),
            Err(AuthError::Expired { age: 3601 })
        );
        assert_eq!(verify("", TOKEN, 0, 3600), Err(AuthError::Missing));
        assert_eq!(
            verify("user=x&hash=zz", TOKEN, 0, 3600),
            Err(AuthError::BadSignature)
        );
    }
}
