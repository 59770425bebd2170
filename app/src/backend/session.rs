//! Server-side sessions. The cookie carries a random 256-bit token; the
//! database keeps only its SHA-256, so a leaked database opens no session.
//!
//! Lifetimes suit a phone used all day and sometimes offline for a week:
//! a session ends after `IDLE_DAYS` without any request, and in any case
//! `ABSOLUTE_DAYS` after sign-in.
use chrono::{DateTime, Duration, Utc};
use http::header::{COOKIE, SET_COOKIE};
use http::{HeaderValue, request::Parts};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::password;
use crate::backend::db::{Db, now};
use crate::error::AppError;
use jalon_core::roles::{CurrentUser, Role};

pub const COOKIE_NAME: &str = "jalon_session";
pub const IDLE_DAYS: i64 = 14;
pub const ABSOLUTE_DAYS: i64 = 60;
/// `last_seen_at` is written at most this often, not on every request.
const TOUCH_EVERY_MINUTES: i64 = 5;

/// Whether cookies get the `Secure` attribute (set when served over HTTPS).
#[derive(Debug, Clone, Copy, Default)]
pub struct CookiePolicy {
    pub secure: bool,
}

/// The address people type (`--public-url`), e.g. `https://jalon.example.org`,
/// provided by the server when it is set: links and QR codes point to it.
#[derive(Clone, Debug)]
pub struct PublicOrigin(pub String);

/// The address of this server as people reach it: `--public-url` when
/// set, else the request's host (links and QR codes point to it).
pub fn request_origin() -> String {
    if let Some(public) = use_context::<PublicOrigin>() {
        return public.0;
    }
    let secure = use_context::<CookiePolicy>().is_some_and(|c| c.secure);
    let host = use_context::<Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .map(String::from)
        })
        .unwrap_or_else(|| "localhost".into());
    format!("{}://{host}", if secure { "https" } else { "http" })
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn cookie_header(value: &str, max_age_secs: i64) -> Option<HeaderValue> {
    let secure = use_context::<CookiePolicy>().unwrap_or_default().secure;
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    ))
    .ok()
}

/// The session token sent by the browser with the current request.
fn request_token() -> Option<String> {
    token_from_headers(&use_context::<Parts>()?.headers)
}

/// The hash of the current request's session token, as the database keeps it.
pub fn current_token_hash() -> Option<String> {
    request_token().map(|t| token_hash(&t))
}

/// The session token carried by a request's cookies.
pub fn token_from_headers(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_string())
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    structure_id: String,
    structure_name: String,
    #[sqlx(try_from = "crate::backend::db::Flag")]
    structure_is_demo: bool,
    display_name: String,
    login: String,
    role: String,
    password_hash: Option<String>,
    #[sqlx(try_from = "crate::backend::db::Flag")]
    half_days: bool,
}

const USER_COLUMNS: &str = "u.id, u.structure_id, s.name AS structure_name, \
     s.is_demo AS structure_is_demo, u.display_name, u.login, u.role, u.password_hash, \
     COALESCE((SELECT st.attendance_half_days FROM structure_settings st \
     WHERE st.structure_id = u.structure_id), FALSE) AS half_days";

impl UserRow {
    fn into_user(self) -> Option<CurrentUser> {
        Some(CurrentUser {
            role: Role::parse(&self.role)?,
            id: self.id,
            structure_id: self.structure_id,
            structure_name: self.structure_name,
            structure_is_demo: self.structure_is_demo,
            display_name: self.display_name,
            login: self.login,
            half_days: self.half_days,
        })
    }
}

/// Checks an identifier and its password (or a worker's PIN).
pub async fn check_credentials(
    db: &Db,
    login: &str,
    secret: &str,
) -> Result<CurrentUser, AppError> {
    let Some(row) = active_user(db, "login", login).await? else {
        password::verify_dummy(secret);
        tracing::info!(login, "sign-in refused: unknown or inactive account");
        return Err(AppError::BadCredentials);
    };
    let ok = row
        .password_hash
        .as_deref()
        .is_some_and(|stored| password::verify(secret, stored));
    if !ok {
        tracing::info!(login, "sign-in refused: wrong secret");
        return Err(AppError::BadCredentials);
    }
    tracing::info!(login, "sign-in");
    row.into_user().ok_or(AppError::Internal)
}

/// An active user by id (after an activation, for instance).
pub async fn user_by_id(db: &Db, id: &str) -> Result<CurrentUser, AppError> {
    active_user(db, "id", id)
        .await?
        .and_then(UserRow::into_user)
        .ok_or(AppError::NotFound)
}

/// An active user found by `id` or by `login`.
async fn active_user(db: &Db, key: &'static str, value: &str) -> Result<Option<UserRow>, AppError> {
    let column = if key == "id" { "u.id" } else { "u.login" };
    Ok(sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users u JOIN structures s ON s.id = u.structure_id \
         WHERE {column} = $1 AND u.active = TRUE"
    ))
    .bind(value)
    .fetch_optional(db)
    .await?)
}

/// Opens a new session for `user` and sets its cookie. A fresh token every
/// time: the session id is never reused across sign-ins.
pub async fn open(db: &Db, user: &CurrentUser) -> Result<(), AppError> {
    // Replace any session the browser already had.
    if let Some(old) = request_token() {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(&old))
            .execute(db)
            .await?;
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now_ts = Utc::now();
    let expires = now_ts + Duration::days(ABSOLUTE_DAYS);
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(token_hash(&token))
    .bind(&user.id)
    .bind(now())
    .bind(expires.to_rfc3339())
    .execute(db)
    .await?;
    if let (Some(res), Some(cookie)) = (
        use_context::<ResponseOptions>(),
        cookie_header(&token, ABSOLUTE_DAYS * 24 * 3600),
    ) {
        res.append_header(SET_COOKIE, cookie);
    }
    Ok(())
}

/// Ends the current session: the row is deleted and the cookie cleared.
pub async fn close(db: &Db) -> Result<(), AppError> {
    if let Some(token) = request_token() {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(&token))
            .execute(db)
            .await?;
    }
    if let (Some(res), Some(cookie)) = (use_context::<ResponseOptions>(), cookie_header("", 0)) {
        res.append_header(SET_COOKIE, cookie);
    }
    Ok(())
}

/// Ends every session of `user_id` except the current request's.
pub async fn close_others(db: &Db, user_id: &str) -> Result<(), AppError> {
    let keep = request_token().map(|t| token_hash(&t)).unwrap_or_default();
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(db)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    last_seen_at: String,
    expires_at: String,
    #[sqlx(try_from = "crate::backend::db::Flag")]
    active: bool,
}

fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// The user of the current request's session, if it is valid.
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    let Some(token) = request_token() else {
        return Ok(None);
    };
    let db = crate::backend::db::db()?;
    user_for_token(&db, &token, Utc::now()).await
}

/// Looks a session token up; expired sessions and inactive users are refused
/// (and the session deleted), so deactivating a user ends their sessions.
pub async fn user_for_token(
    db: &Db,
    token: &str,
    at: DateTime<Utc>,
) -> Result<Option<CurrentUser>, AppError> {
    let hash = token_hash(token);
    let row: Option<SessionRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS}, se.last_seen_at, se.expires_at, u.active \
         FROM sessions se JOIN users u ON u.id = se.user_id \
         JOIN structures s ON s.id = u.structure_id WHERE se.token_hash = $1"
    ))
    .bind(&hash)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let last_seen = parse_ts(&row.last_seen_at);
    let expired = !row.active
        || parse_ts(&row.expires_at).is_none_or(|e| e <= at)
        || last_seen.is_none_or(|l| l + Duration::days(IDLE_DAYS) <= at);
    if expired {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&hash)
            .execute(db)
            .await?;
        return Ok(None);
    }
    if last_seen.is_some_and(|l| l + Duration::minutes(TOUCH_EVERY_MINUTES) <= at) {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(at.to_rfc3339())
            .bind(&hash)
            .execute(db)
            .await?;
    }
    Ok(row.user.into_user())
}

#[cfg(test)]
#[path = "tests/session.rs"]
mod tests;
