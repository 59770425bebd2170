//! The attestation of skills: the skills a person has acquired ("acquis"
//! only), framework by framework, each with the day and the session it was
//! shown in, the professional behaviours acquired, the period and the
//! trade, signed by the supervisor and the structure's head. Frozen when
//! issued; a verification code (and its QR code) opens a public page that
//! says whether it is genuine, withdrawn or unknown, and shows exactly what
//! it states, nothing else about the person.
use rand::Rng;

use crate::backend::db::{Db, new_id, now, today_paris};
use crate::backend::policy::{Action, Actor, Resource, WorkerRef, audited, authorize, worker_ref};
use crate::error::AppError;
use crate::wire::bilans::{
    AttestationContent, AttestationLine, AttestationView, AttestedFramework, AttestedSkill,
    Verification, Withdrawal,
};
use jalon_core::bilans::{self as rules, CODE_ALPHABET, CODE_LEN};
use jalon_core::roles::Role;
use jalon_core::sessions::Level;

fn invalid(message: impl Into<String>) -> AppError {
    AppError::Invalid(message.into()).respond()
}

pub async fn structure_name(db: &Db, structure_id: &str) -> Result<String, AppError> {
    Ok(
        sqlx::query_scalar::<_, String>("SELECT name FROM structures WHERE id = $1")
            .bind(structure_id)
            .fetch_optional(db)
            .await?
            .unwrap_or_default(),
    )
}

/// The head of structure named on the structure's last attestation (the
/// form's default).
pub async fn last_head(db: &Db, structure_id: &str) -> Result<String, AppError> {
    let last: Option<String> = sqlx::query_scalar(
        "SELECT content FROM attestations WHERE structure_id = $1 ORDER BY issued_at DESC LIMIT 1",
    )
    .bind(structure_id)
    .fetch_optional(db)
    .await?;
    Ok(last
        .and_then(|c| serde_json::from_str::<AttestationContent>(&c).ok())
        .map(|c| c.head)
        .unwrap_or_default())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    worker_id: String,
    code: String,
    content: String,
    issued_by: String,
    issued_at: String,
    withdrawn_at: Option<String>,
    withdrawn_reason: Option<String>,
}

const COLUMNS: &str =
    "id, worker_id, code, content, issued_by, issued_at, withdrawn_at, withdrawn_reason";

impl Row {
    fn content(&self) -> Result<AttestationContent, AppError> {
        serde_json::from_str(&self.content).map_err(|_| AppError::Internal)
    }
}

/// The public page that checks an attestation.
pub fn verify_url(origin: &str, code: &str) -> String {
    format!("{}/verifier/{code}", origin.trim_end_matches('/'))
}

/// A person's attestations, newest first (the caller may view the file).
pub async fn lines(
    db: &Db,
    actor: &Actor,
    worker: &WorkerRef,
) -> Result<Vec<AttestationLine>, AppError> {
    authorize(db, actor, Action::View, &Resource::Attestation(worker)).await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM attestations WHERE worker_id = $1 ORDER BY issued_at DESC"
    ))
    .bind(&worker.worker_id)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            let c = r.content()?;
            Ok(AttestationLine {
                id: r.id,
                code: rules::show_code(&r.code),
                issued_at: r.issued_at,
                withdrawn: r.withdrawn_at.is_some(),
                skills: c.frameworks.iter().map(|f| f.skills.len()).sum::<usize>()
                    + c.behaviours.len(),
            })
        })
        .collect()
}

/// What an attestation of `worker` would state today: the skills whose
/// latest level is "acquis".
async fn statement(
    db: &Db,
    actor: &Actor,
    worker: &WorkerRef,
    supervisor: String,
    head: String,
) -> Result<AttestationContent, AppError> {
    let today = today_paris().to_string();
    #[derive(sqlx::FromRow)]
    struct File {
        first_name: String,
        last_name: String,
        contract_start: String,
        contract_end: Option<String>,
        activity: Option<String>,
    }
    let file: File = sqlx::query_as(
        "SELECT w.first_name, w.last_name, w.contract_start, w.contract_end, t.activity \
         FROM workers w LEFT JOIN teams t ON t.id = w.team_id WHERE w.id = $1",
    )
    .bind(&worker.worker_id)
    .fetch_one(db)
    .await?;
    let to = file
        .contract_end
        .filter(|end| *end < today)
        .unwrap_or_else(|| today.clone());
    let records = super::prefill(db, actor, &worker.worker_id, &file.contract_start, &to).await?;
    let mut frameworks: Vec<AttestedFramework> = Vec::new();
    let mut behaviours = Vec::new();
    for s in records
        .skills
        .into_iter()
        .filter(|s| s.level == Level::Acquired)
    {
        let attested = AttestedSkill {
            skill: s.skill,
            on: s.on,
            situation: s.session,
        };
        if s.behaviour {
            behaviours.push(attested);
        } else {
            match frameworks.iter_mut().find(|f| f.framework == s.framework) {
                Some(f) => f.skills.push(attested),
                None => frameworks.push(AttestedFramework {
                    framework: s.framework,
                    skills: vec![attested],
                }),
            }
        }
    }
    Ok(AttestationContent {
        structure: structure_name(db, &worker.structure_id).await?,
        worker_name: format!("{} {}", file.first_name, file.last_name),
        trade: file.activity.unwrap_or_default(),
        from: file.contract_start,
        to,
        frameworks,
        behaviours,
        supervisor,
        head,
        signed_on: today,
    })
}

fn new_code() -> String {
    let mut rng = rand::thread_rng();
    (0..CODE_LEN)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

/// Issues the attestation of `worker_id`'s acquired skills, signed by the
/// supervisor and the head of structure named.
pub async fn issue(
    db: &Db,
    actor: &Actor,
    worker_id: &str,
    supervisor: &str,
    head: &str,
) -> Result<String, AppError> {
    let worker = worker_ref(db, actor, worker_id).await?;
    authorize(db, actor, Action::Edit, &Resource::Attestation(&worker)).await?;
    let supervisor = rules::item("Encadrant qui signe", supervisor, true).map_err(invalid)?;
    let head = rules::item("Responsable de la structure", head, true).map_err(invalid)?;
    let content = statement(db, actor, &worker, supervisor, head).await?;
    if content.frameworks.is_empty() && content.behaviours.is_empty() {
        return Err(invalid(
            "Aucune compétence n'est encore « acquise » : il n'y a rien à attester pour l'instant.",
        ));
    }
    let id = new_id();
    let code = new_code();
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO attestations (id, structure_id, worker_id, code, content, issued_by, issued_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(&worker.structure_id)
    .bind(worker_id)
    .bind(&code)
    .bind(serde_json::to_string(&content).map_err(|_| AppError::Internal)?)
    .bind(&actor.user.id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let details = serde_json::json!({ "skills": content.frameworks.iter().map(|f| f.skills.len()).sum::<usize>() + content.behaviours.len() }).to_string();
    audited(
        &mut *tx,
        actor,
        "attestation_issued",
        ("attestation", &id),
        &details,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn reach(db: &Db, actor: &Actor, id: &str, action: Action) -> Result<Row, AppError> {
    let row: Row = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM attestations WHERE id = $1 AND structure_id = $2"
    ))
    .bind(id)
    .bind(&actor.user.structure_id)
    .fetch_optional(db)
    .await?
    .ok_or_else(|| AppError::NotFound.respond())?;
    let worker = worker_ref(db, actor, &row.worker_id).await?;
    authorize(db, actor, action, &Resource::Attestation(&worker)).await?;
    Ok(row)
}

/// Withdraws an attestation (issued by mistake, or replaced): the public
/// page then says so.
pub async fn withdraw(db: &Db, actor: &Actor, id: &str, reason: &str) -> Result<(), AppError> {
    let row = reach(db, actor, id, Action::Edit).await?;
    let reason = jalon_core::people::reason(reason).map_err(invalid)?;
    if row.withdrawn_at.is_some() {
        return Err(invalid("Cette attestation est déjà retirée."));
    }
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE attestations SET withdrawn_at = $1, withdrawn_by = $2, withdrawn_reason = $3 \
         WHERE id = $4 AND withdrawn_at IS NULL",
    )
    .bind(now())
    .bind(&actor.user.id)
    .bind(&reason)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let details = serde_json::json!({ "reason": reason }).to_string();
    audited(
        &mut *tx,
        actor,
        "attestation_withdrawn",
        ("attestation", id),
        &details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn view_of(
    row: Row,
    issued_by: String,
    origin: &str,
    can_write: bool,
) -> Result<AttestationView, AppError> {
    let content = row.content()?;
    let verify_url = verify_url(origin, &rules::show_code(&row.code));
    Ok(AttestationView {
        id: row.id,
        worker_id: row.worker_id,
        code: rules::show_code(&row.code),
        content,
        issued_by,
        issued_at: crate::backend::db::paris_day(&row.issued_at),
        withdrawn: row.withdrawn_at.map(|at| Withdrawal {
            at: crate::backend::db::paris_day(&at),
            reason: row.withdrawn_reason.unwrap_or_default(),
        }),
        qr_svg: crate::backend::qr::svg(&verify_url),
        verify_url,
        can_write,
    })
}

/// An attestation as its screen (and its PDF) shows it.
pub async fn view(
    db: &Db,
    actor: &Actor,
    id: &str,
    origin: &str,
) -> Result<AttestationView, AppError> {
    let row = reach(db, actor, id, Action::View).await?;
    let worker = worker_ref(db, actor, &row.worker_id).await?;
    let can_write =
        crate::backend::policy::can(actor, Action::Edit, &Resource::Attestation(&worker));
    let issued_by: String = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
        .bind(&row.issued_by)
        .fetch_one(db)
        .await?;
    view_of(row, issued_by, origin, can_write)
}

/// The worker's attestations in force, for their phone.
pub async fn in_force_for(
    db: &Db,
    actor: &Actor,
    worker: &WorkerRef,
    origin: &str,
) -> Result<Vec<AttestationView>, AppError> {
    if actor.user.role != Role::Worker {
        return Err(AppError::NotFound.respond());
    }
    authorize(db, actor, Action::View, &Resource::Attestation(worker)).await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM attestations WHERE worker_id = $1 AND withdrawn_at IS NULL \
         ORDER BY issued_at DESC"
    ))
    .bind(&worker.worker_id)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| view_of(r, String::new(), origin, false))
        .collect()
}

/// What the public verification page says of `typed` (as scanned or
/// typed): genuine with exactly what it states, withdrawn (and when), or
/// unknown. Nothing else about the person; no sign-in needed.
pub async fn verify(db: &Db, typed: &str) -> Result<Verification, AppError> {
    let Some(code) = rules::read_code(typed) else {
        return Ok(Verification::Unknown);
    };
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT content, withdrawn_at FROM attestations WHERE code = $1")
            .bind(&code)
            .fetch_optional(db)
            .await?;
    let Some((content, withdrawn_at)) = row else {
        return Ok(Verification::Unknown);
    };
    let content: AttestationContent =
        serde_json::from_str(&content).map_err(|_| AppError::Internal)?;
    Ok(match withdrawn_at {
        None => Verification::Genuine(content),
        Some(at) => Verification::Withdrawn {
            content,
            on: crate::backend::db::paris_day(&at),
        },
    })
}
