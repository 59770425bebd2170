//! What a worker asks about their own data from their phone (« Mes
//! données »): a copy of everything held, or the correction of something
//! inexact. A request reaches those who may answer it — the worker's
//! referent counsellor and the admin, the people who may hand over the
//! access document — on the list of requests and the worker's file; they
//! write how it was answered. Both steps are in the audit log.
use jalon_core::privacy::{RequestKind, check_request};
use jalon_core::roles::Role;
use sqlx::Row;

use crate::backend::db::{Db, new_id, now, paris_day};
use crate::backend::policy::{Action, Actor, Resource, WorkerRef, audited, authorize, can};
use crate::error::AppError;
use crate::wire::privacy::{RequestAnswer, RequestLine};

/// The worker file of a signed-in worker.
async fn own_file(db: &Db, actor: &Actor) -> Result<WorkerRef, AppError> {
    if actor.user.role != Role::Worker {
        return Err(AppError::NotFound);
    }
    let worker: Option<WorkerRef> = sqlx::query_as(
        "SELECT structure_id, id AS worker_id, team_id, counsellor_id, user_id FROM workers \
         WHERE user_id = $1 AND structure_id = $2 AND anonymised_at IS NULL",
    )
    .bind(&actor.user.id)
    .bind(&actor.user.structure_id)
    .fetch_optional(db)
    .await?;
    let worker = worker.ok_or(AppError::NotFound)?;
    authorize(db, actor, Action::React, &Resource::Worker(&worker)).await?;
    Ok(worker)
}

/// A worker's request, checked; one copy request open at a time, and the
/// same correction is not sent twice while open.
pub async fn ask(db: &Db, actor: &Actor, kind: RequestKind, body: &str) -> Result<(), AppError> {
    let worker = own_file(db, actor).await?;
    let body = check_request(kind, body)?;
    let mut tx = db.begin().await?;
    let open: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM data_requests WHERE worker_id = $1 AND kind = $2 \
         AND answered_at IS NULL",
    )
    .bind(&worker.worker_id)
    .bind(kind.code())
    .fetch_all(&mut *tx)
    .await?;
    match kind {
        RequestKind::Access if !open.is_empty() => {
            return Err(AppError::Invalid(
                "Votre demande de copie est déjà envoyée : elle vous sera remise.".into(),
            ));
        }
        RequestKind::Correction if open.contains(&body) => {
            return Err(AppError::Invalid("Cette demande est déjà envoyée.".into()));
        }
        _ => {}
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO data_requests (id, structure_id, worker_id, kind, body, asked_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(&worker.structure_id)
    .bind(&worker.worker_id)
    .bind(kind.code())
    .bind(&body)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audited(
        &mut *tx,
        actor,
        "data_request_made",
        ("worker", &worker.worker_id),
        kind.code(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

const LINE: &str = "SELECT r.id, r.worker_id, w.first_name, w.last_name, r.kind, r.body, \
     r.asked_at, r.answered_at, u.display_name, r.answer, w.structure_id, w.team_id, \
     w.counsellor_id, w.user_id FROM data_requests r JOIN workers w ON w.id = r.worker_id \
     LEFT JOIN users u ON u.id = r.answered_by";

fn line(row: &sqlx::any::AnyRow) -> Result<(RequestLine, WorkerRef), sqlx::Error> {
    let kind = RequestKind::from_code(&row.try_get::<String, _>(4)?).unwrap_or(RequestKind::Access);
    let answered_at: Option<String> = row.try_get(7)?;
    let worker = WorkerRef {
        structure_id: row.try_get(10)?,
        worker_id: row.try_get(1)?,
        team_id: row.try_get(11)?,
        counsellor_id: row.try_get(12)?,
        user_id: row.try_get(13)?,
    };
    let line = RequestLine {
        id: row.try_get(0)?,
        worker_id: row.try_get(1)?,
        worker: format!(
            "{} {}",
            row.try_get::<String, _>(2)?,
            row.try_get::<String, _>(3)?
        ),
        kind,
        body: row.try_get(5)?,
        asked_on: paris_day(&row.try_get::<String, _>(6)?),
        answer: match answered_at {
            Some(at) => Some(RequestAnswer {
                on: paris_day(&at),
                by: row.try_get::<Option<String>, _>(8)?.unwrap_or_default(),
                text: row.try_get(9)?,
            }),
            None => None,
        },
    };
    Ok((line, worker))
}

/// The signed-in worker's own requests, newest first.
pub async fn mine(db: &Db, actor: &Actor) -> Result<Vec<RequestLine>, AppError> {
    let worker = own_file(db, actor).await?;
    let rows = sqlx::query(&format!(
        "{LINE} WHERE r.worker_id = $1 ORDER BY r.asked_at DESC, r.id"
    ))
    .bind(&worker.worker_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .iter()
        .map(line)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .map(|(l, _)| l)
        .collect())
}

/// The requests the actor may answer (their followed workers' for a
/// counsellor, every one for the admin): open ones first, oldest first,
/// then those answered in the last 90 days; `worker`: one person's only.
pub async fn to_answer(
    db: &Db,
    actor: &Actor,
    worker: Option<&str>,
) -> Result<Vec<RequestLine>, AppError> {
    let since = crate::backend::db::timestamp(chrono::Utc::now() - chrono::Duration::days(90));
    let rows = sqlx::query(&format!(
        "{LINE} WHERE r.structure_id = $1 AND w.anonymised_at IS NULL \
         AND (r.answered_at IS NULL OR r.answered_at >= $2) AND ($3 = '' OR r.worker_id = $3) \
         ORDER BY r.answered_at IS NOT NULL, r.asked_at, r.id"
    ))
    .bind(&actor.user.structure_id)
    .bind(since)
    .bind(worker.unwrap_or_default())
    .fetch_all(db)
    .await?;
    let mut out = Vec::new();
    for row in &rows {
        let (l, w) = line(row)?;
        if can(actor, Action::Manage, &Resource::Parcours(&w)) {
            out.push(l);
        }
    }
    Ok(out)
}

/// Writes how a request was answered (once).
pub async fn answer(db: &Db, actor: &Actor, id: &str, text: &str) -> Result<(), AppError> {
    let row = sqlx::query(&format!("{LINE} WHERE r.id = $1 AND r.structure_id = $2"))
        .bind(id)
        .bind(&actor.user.structure_id)
        .fetch_optional(db)
        .await?;
    let Some(row) = row else {
        return Err(AppError::NotFound);
    };
    let (request, worker) = line(&row)?;
    authorize(db, actor, Action::Manage, &Resource::Parcours(&worker)).await?;
    let text = jalon_core::text::note("Réponse", text, jalon_core::privacy::REQUEST_MAX, true)?;
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE data_requests SET answered_at = $1, answered_by = $2, answer = $3 \
         WHERE id = $4 AND answered_at IS NULL",
    )
    .bind(now())
    .bind(&actor.user.id)
    .bind(&text)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(AppError::Invalid(
            "Cette demande a déjà reçu une réponse.".into(),
        ));
    }
    audited(
        &mut *tx,
        actor,
        "data_request_answered",
        ("worker", &request.worker_id),
        request.kind.code(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
