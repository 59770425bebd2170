//! Each person's phones and browsers: what the sync learns of them, the
//! list the person and the admin see, and signing one out from afar. A
//! device signed out has its session ended at once; at its next contact the
//! sync tells it to empty its store (`SyncError::DeviceRevoked`), after one
//! last push only if the sign-out allowed it.
use chrono::{DateTime, Duration, Utc};
use sqlx::Row;
use uuid::Uuid;

use crate::backend::db::{Db, Flag, now, timestamp};
use crate::backend::policy::{Action, Actor, Resource, audited, authorize};
use crate::error::AppError;
use crate::wire::privacy::{DeviceLine, DevicesView, Revocation};

/// Where a device stands, as the sync endpoints need to know before they
/// read the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Never synced, or in use.
    InUse,
    /// Signed out from afar. `last_push`: one more push is accepted, from
    /// the session it last synced with (`session_hash`).
    Revoked {
        user_id: String,
        last_push: bool,
        session_hash: Option<String>,
    },
}

pub async fn standing(db: &Db, device: Uuid) -> Result<Standing, sqlx::Error> {
    let row = sqlx::query(
        "SELECT user_id, revoked_at, revoke_sends, wiped_at, session_hash FROM sync_devices \
         WHERE device_id = $1",
    )
    .bind(device.to_string())
    .fetch_optional(db)
    .await?;
    let Some(row) = row else {
        return Ok(Standing::InUse);
    };
    if row.try_get::<Option<String>, _>(1)?.is_none() {
        return Ok(Standing::InUse);
    }
    let sends = row.try_get::<Flag, _>(2)?.0;
    let told = row.try_get::<Option<String>, _>(3)?.is_some();
    Ok(Standing::Revoked {
        user_id: row.try_get(0)?,
        last_push: sends && !told,
        session_hash: row.try_get(4)?,
    })
}

/// The device is being told to empty its store: it can push nothing more,
/// so the answers kept for its retries go, and so does any session it
/// still had.
pub async fn told_to_wipe(db: &Db, device: Uuid) -> Result<(), sqlx::Error> {
    let device = device.to_string();
    let mut tx = db.begin().await?;
    end_session(&mut tx, &device, true).await?;
    sqlx::query(
        "UPDATE sync_devices SET wiped_at = COALESCE(wiped_at, $1), pending = 0 \
         WHERE device_id = $2",
    )
    .bind(now())
    .bind(&device)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Ends the session the device last synced with; `answers`: it will never
/// push again, so no retry needs the answers kept for it either.
async fn end_session(
    tx: &mut sqlx::AnyConnection,
    device: &str,
    answers: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM sessions WHERE token_hash IN \
         (SELECT session_hash FROM sync_devices WHERE device_id = $1)",
    )
    .bind(device)
    .execute(&mut *tx)
    .await?;
    if answers {
        sqlx::query("DELETE FROM sync_mutations WHERE device_id = $1")
            .bind(device)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// What a pull tells the server about the device.
pub struct Report<'a> {
    pub device: Uuid,
    pub session_hash: &'a str,
    pub user_agent: &'a str,
    pub pending: Option<u32>,
    pub cursor: i64,
}

/// How often an unchanged device's "last seen" is written by its pulls.
const SEEN_EVERY_MINUTES: i64 = 5;

/// Notes a pull: the device's row is created or brought up to date (at
/// most every few minutes when nothing else changed: pulls stay reads).
pub async fn seen(db: &Db, actor: &Actor, report: Report<'_>) -> Result<(), sqlx::Error> {
    let device = report.device.to_string();
    let browser = browser_label(report.user_agent);
    let pending = i64::from(report.pending.unwrap_or(0));
    let at = Utc::now();
    let row = sqlx::query(
        "SELECT user_id, last_seen_at, pending, pull_cursor, session_hash, browser \
         FROM sync_devices WHERE device_id = $1",
    )
    .bind(&device)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else {
        sqlx::query(
            "INSERT INTO sync_devices (device_id, user_id, last_batch, last_seen_at, \
             first_seen_at, browser, pending, pull_cursor, session_hash) \
             VALUES ($1, $2, 0, $3, $3, $4, $5, $6, $7) ON CONFLICT (device_id) DO NOTHING",
        )
        .bind(&device)
        .bind(&actor.user.id)
        .bind(timestamp(at))
        .bind(&browser)
        .bind(pending)
        .bind(report.cursor)
        .bind(report.session_hash)
        .execute(db)
        .await?;
        return Ok(());
    };
    if row.try_get::<String, _>(0)? != actor.user.id {
        return Ok(());
    }
    let last_seen: String = row.try_get(1)?;
    let stale = DateTime::parse_from_rfc3339(&last_seen)
        .map_or(true, |l| l + Duration::minutes(SEEN_EVERY_MINUTES) <= at);
    let same = row.try_get::<i64, _>(2)? == pending
        && row.try_get::<Option<i64>, _>(3)? == Some(report.cursor)
        && row.try_get::<Option<String>, _>(4)?.as_deref() == Some(report.session_hash)
        && row.try_get::<String, _>(5)? == browser;
    if same && !stale {
        return Ok(());
    }
    sqlx::query(
        "UPDATE sync_devices SET last_seen_at = $1, browser = $2, pending = $3, \
         pull_cursor = $4, session_hash = $5, first_seen_at = COALESCE(first_seen_at, $1) \
         WHERE device_id = $6",
    )
    .bind(timestamp(at))
    .bind(&browser)
    .bind(pending)
    .bind(report.cursor)
    .bind(report.session_hash)
    .bind(&device)
    .execute(db)
    .await?;
    Ok(())
}

/// The person a devices request is about, checked against the policy.
async fn person(
    db: &Db,
    actor: &Actor,
    user_id: &str,
    action: Action,
) -> Result<(String, String), AppError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT structure_id, display_name FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(db)
            .await?;
    let Some((structure_id, name)) = row else {
        return Err(AppError::NotFound);
    };
    let resource = Resource::Devices {
        structure_id: &structure_id,
        user_id,
    };
    authorize(db, actor, action, &resource).await?;
    Ok((structure_id, name))
}

/// A person's devices; `current_session`: the hash of the reader's session
/// (their own current device is marked).
pub async fn list(
    db: &Db,
    actor: &Actor,
    user_id: &str,
    current_session: Option<&str>,
) -> Result<DevicesView, AppError> {
    let (_, person) = person(db, actor, user_id, Action::View).await?;
    let rows = sqlx::query(
        "SELECT d.device_id, d.browser, COALESCE(d.first_seen_at, d.last_seen_at), \
         d.last_seen_at, d.pending, d.session_hash, d.revoked_at, u.display_name, \
         d.revoke_sends, d.wiped_at FROM sync_devices d \
         LEFT JOIN users u ON u.id = d.revoked_by \
         WHERE d.user_id = $1 ORDER BY d.revoked_at IS NOT NULL, d.last_seen_at DESC",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    let idle_before = Utc::now() - Duration::days(crate::backend::sync::DEVICE_ACTIVE_DAYS);
    let mut devices = Vec::with_capacity(rows.len());
    for row in rows {
        let last_seen: String = row.try_get(3)?;
        let session: Option<String> = row.try_get(5)?;
        let revoked_at: Option<String> = row.try_get(6)?;
        let idle = DateTime::parse_from_rfc3339(&last_seen).is_ok_and(|l| l < idle_before);
        devices.push(DeviceLine {
            id: row.try_get(0)?,
            browser: row.try_get(1)?,
            first_seen: shown(&row.try_get::<String, _>(2)?),
            last_seen: shown(&last_seen),
            pending: row.try_get(4)?,
            current: revoked_at.is_none()
                && session.is_some()
                && session.as_deref() == current_session,
            idle,
            revoked: match revoked_at {
                Some(at) => Some(Revocation {
                    at: shown(&at),
                    by: row.try_get::<Option<String>, _>(7)?.unwrap_or_default(),
                    sends: row.try_get::<Flag, _>(8)?.0,
                    wiped_at: row.try_get::<Option<String>, _>(9)?.map(|w| shown(&w)),
                }),
                None => None,
            },
        });
    }
    Ok(DevicesView {
        user_id: user_id.to_string(),
        person,
        own: user_id == actor.user.id,
        devices,
    })
}

/// A stored timestamp as people read it: « 06/12/2026 à 14:32 » (Paris).
fn shown(at: &str) -> String {
    DateTime::parse_from_rfc3339(at).map_or_else(
        |_| at.to_string(),
        |d| {
            crate::backend::db::paris(d.with_timezone(&Utc))
                .format("%d/%m/%Y à %H:%M")
                .to_string()
        },
    )
}

/// Signs a device out from afar: its session ends now; at its next contact
/// it empties its store, after sending what waits on it only if `sends`.
pub async fn revoke(db: &Db, actor: &Actor, device_id: &str, sends: bool) -> Result<(), AppError> {
    let row: Option<(String, Option<String>, String)> = sqlx::query_as(
        "SELECT user_id, revoked_at, browser FROM sync_devices WHERE device_id = $1",
    )
    .bind(device_id)
    .fetch_optional(db)
    .await?;
    let Some((user_id, revoked_at, browser)) = row else {
        return Err(AppError::NotFound);
    };
    person(db, actor, &user_id, Action::Manage).await?;
    if revoked_at.is_some() {
        return Err(AppError::Invalid(
            "Cet appareil est déjà déconnecté.".into(),
        ));
    }
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE sync_devices SET revoked_at = $1, revoked_by = $2, revoke_sends = $3 \
         WHERE device_id = $4",
    )
    .bind(now())
    .bind(&actor.user.id)
    .bind(sends)
    .bind(device_id)
    .execute(&mut *tx)
    .await?;
    end_session(&mut tx, device_id, !sends).await?;
    let details = format!(
        "{} ; {}",
        if browser.is_empty() {
            "appareil"
        } else {
            browser.as_str()
        },
        if sends {
            "ses enregistrements en attente pourront être envoyés une dernière fois"
        } else {
            "ses enregistrements en attente seront effacés sans être envoyés"
        }
    );
    audited(
        &mut *tx,
        actor,
        "device_revoked",
        ("user", &user_id),
        &details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// « Chrome · Android » from a User-Agent header; « Navigateur inconnu »
/// when it says nothing we know.
pub fn browser_label(user_agent: &str) -> String {
    let ua = user_agent;
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("SamsungBrowser") {
        "Samsung Internet"
    } else if ua.contains("Firefox/") || ua.contains("FxiOS") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") || ua.contains("CriOS") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else {
        return "Navigateur inconnu".into();
    };
    let system = if ua.contains("Android") {
        "Android"
    } else if ua.contains("iPhone") {
        "iPhone"
    } else if ua.contains("iPad") {
        "iPad"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS X") {
        "Mac"
    } else if ua.contains("CrOS") {
        "Chromebook"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        return browser.into();
    };
    format!("{browser} · {system}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_user_agent_reads_as_browser_and_system() {
        let cases = [
            (
                "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                "Chrome · Android",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
                "Safari · iPhone",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Firefox · Windows",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
                "Samsung Internet · Android",
            ),
            ("", "Navigateur inconnu"),
            ("<script>alert(1)</script>", "Navigateur inconnu"),
        ];
        for (ua, label) in cases {
            assert_eq!(super::browser_label(ua), label, "{ua}");
        }
    }
}
