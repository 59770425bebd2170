//! The audit log writer: who did what, to what, from where. It takes ids;
//! the policy adds the signed-in person (`policy::audited`).
use crate::backend::db::{new_id, now};

pub struct Entry<'a> {
    pub structure_id: Option<&'a str>,
    pub actor_id: Option<&'a str>,
    pub action: &'a str,
    pub target_type: Option<&'a str>,
    pub target_id: Option<&'a str>,
    /// Free text or JSON: for changes, `{"before": …, "after": …}`.
    pub details: Option<&'a str>,
}

/// A refused sign-in or activation attempt: what the brute-force limits count.
pub async fn failed_attempt(
    db: &crate::backend::db::Db,
    target_type: &str,
    target_id: &str,
) -> Result<(), sqlx::Error> {
    let entry = Entry {
        structure_id: None,
        actor_id: None,
        action: "sign_in_failed",
        target_type: Some(target_type),
        target_id: Some(target_id),
        details: None,
    };
    record(db, entry).await
}

/// The address of the person's device, as the server worked it out (the
/// peer, or behind a trusted reverse proxy the address it forwards).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub std::net::IpAddr);

/// The client address of the current request, when known.
pub fn client_ip() -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    if let Some(ip) = parts.extensions.get::<ClientIp>() {
        return Some(ip.0.to_string());
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string())
}

pub async fn record<'e, E>(executor: E, entry: Entry<'_>) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO audit_log (id, structure_id, at, actor_id, action, target_type, target_id, details, client_ip) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new_id())
    .bind(entry.structure_id)
    .bind(now())
    .bind(entry.actor_id)
    .bind(entry.action)
    .bind(entry.target_type)
    .bind(entry.target_id)
    .bind(entry.details)
    .bind(client_ip())
    .execute(executor)
    .await?;
    Ok(())
}
