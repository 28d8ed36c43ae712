//! Zalo's own records: the Official Account's token pair, and each user's free reply window.

use super::*;

/// The OA's token pair as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZaloTokens {
    pub access_token: String,
    pub refresh_token: String,
    /// Unix seconds when the access token runs out (0: there is none yet).
    pub expires_at: i64,
    /// Until when a process is spending `refresh_token`.
    pub claimed_until: Option<i64>,
    /// The last refresh's error, until a refresh succeeds.
    pub failure: Option<String>,
}

impl Store {
    /// Starts the pair from the settings' first refresh token: once, and again whenever the
    /// settings give another one (a new token from the developer console after a failure).
    pub async fn seed_zalo_tokens(&self, app_id: &str, seed: &str, now: i64) -> Result<()> {
        query(
            "INSERT INTO zalo_tokens (app_id, access_token, refresh_token, expires_at, seed_token, updated_at) \
             VALUES ($1, '', $2, 0, $2, $3) ON CONFLICT (app_id) DO NOTHING",
        )
        .bind(app_id)
        .bind(seed)
        .bind(now)
        .execute(&self.db)
        .await?;
        query(
            "UPDATE zalo_tokens SET access_token = '', refresh_token = $2, expires_at = 0, \
             seed_token = $2, claimed_until = NULL, failure = NULL, failure_told = 0, updated_at = $3 \
             WHERE app_id = $1 AND seed_token <> $2",
        )
        .bind(app_id)
        .bind(seed)
        .bind(now)
        .execute(&self.db)
        .await?;
        Ok(())
    }

    pub async fn zalo_tokens(&self, app_id: &str) -> Result<Option<ZaloTokens>> {
        let row = query(
            "SELECT access_token, refresh_token, expires_at, claimed_until, failure \
             FROM zalo_tokens WHERE app_id = $1",
        )
        .bind(app_id)
        .fetch_optional(&self.db)
        .await?;
        row.map(|r| {
            Ok(ZaloTokens {
                access_token: r.try_get("access_token")?,
                refresh_token: r.try_get("refresh_token")?,
                expires_at: r.try_get("expires_at")?,
                claimed_until: r.try_get("claimed_until")?,
                failure: r.try_get("failure")?,
            })
        })
        .transpose()
    }

    /// Takes the right to spend `refresh_token` until `until`: false when another process holds
    /// it, or the token is no longer the stored one (it was spent).
    pub async fn claim_zalo_refresh(
        &self,
        app_id: &str,
        refresh_token: &str,
        now: i64,
        until: i64,
    ) -> Result<bool> {
        let done = query(
            "UPDATE zalo_tokens SET claimed_until = $4 WHERE app_id = $1 AND refresh_token = $2 \
             AND (claimed_until IS NULL OR claimed_until < $3)",
        )
        .bind(app_id)
        .bind(refresh_token)
        .bind(now)
        .bind(until)
        .execute(&self.db)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The pair a refresh gave, in place of the one it spent.
    pub async fn store_zalo_tokens(
        &self,
        app_id: &str,
        spent: &str,
        access_token: &str,
        refresh_token: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<bool> {
        let done = query(
            "UPDATE zalo_tokens SET access_token = $3, refresh_token = $4, expires_at = $5, \
             claimed_until = NULL, failure = NULL, failure_told = 0, updated_at = $6 \
             WHERE app_id = $1 AND refresh_token = $2",
        )
        .bind(app_id)
        .bind(spent)
        .bind(access_token)
        .bind(refresh_token)
        .bind(expires_at)
        .bind(now)
        .execute(&self.db)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives up the claim on `refresh_token` without spending it (Zalo could not be reached).
    pub async fn release_zalo_claim(&self, app_id: &str, refresh_token: &str) -> Result<()> {
        query(
            "UPDATE zalo_tokens SET claimed_until = NULL WHERE app_id = $1 AND refresh_token = $2",
        )
        .bind(app_id)
        .bind(refresh_token)
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// A refresh's failure, while one lasts (for `/readyz`).
    pub async fn zalo_failure(&self) -> Result<Option<String>> {
        let row: Option<(String,)> =
            query_as("SELECT failure FROM zalo_tokens WHERE failure IS NOT NULL LIMIT 1")
                .fetch_optional(&self.db)
                .await?;
        Ok(row.map(|(f,)| f))
    }

    /// A Zalo user wrote (or followed): their free window starts again, with no replies yet.
    pub async fn zalo_user_wrote(&self, user_id: &str, now: i64) -> Result<()> {
        query(
            "INSERT INTO zalo_windows (user_id, last_in_at, replies) VALUES ($1, $2, 0) \
             ON CONFLICT (user_id) DO UPDATE SET last_in_at = $2, replies = 0 \
             WHERE zalo_windows.last_in_at <= $2",
        )
        .bind(user_id)
        .bind(now)
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// When the user last wrote, and how many messages went to them since.
    pub async fn zalo_window(&self, user_id: &str) -> Result<Option<(i64, i64)>> {
        let row: Option<(i64, i64)> =
            query_as("SELECT last_in_at, replies FROM zalo_windows WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(&self.db)
                .await?;
        Ok(row)
    }

    /// The phone number the customer last gave (with a complaint), if any.
    pub async fn customer_phone(&self, customer_id: i64) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> = query_as(
            "SELECT phone FROM cases WHERE customer_id = $1 AND phone IS NOT NULL AND phone <> '' \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(customer_id)
        .fetch_optional(&self.db)
        .await?;
        Ok(row.and_then(|(p,)| p))
    }

    /// One more message went to the user in their window.
    pub async fn zalo_replied(&self, user_id: &str) -> Result<()> {
        query("UPDATE zalo_windows SET replies = replies + 1 WHERE user_id = $1")
            .bind(user_id)
            .execute(&self.db)
            .await?;
        Ok(())
    }
}

/// A refresh failed: recorded (so `/readyz` shows it); true the first time since the last
/// success, when staff are to be told.
pub async fn zalo_refresh_failed(
    conn: &mut Conn,
    app_id: &str,
    error: &str,
    now: i64,
) -> Result<bool> {
    query(
        "UPDATE zalo_tokens SET failure = $2, claimed_until = NULL, updated_at = $3 WHERE app_id = $1",
    )
    .bind(app_id)
    .bind(error)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let first =
        query("UPDATE zalo_tokens SET failure_told = 1 WHERE app_id = $1 AND failure_told = 0")
            .bind(app_id)
            .execute(conn)
            .await?;
    Ok(first.rows_affected() == 1)
}
