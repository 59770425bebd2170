//! Bilans (issue 21): prepared by the counsellor from the records of a
//! period (`prefill`), completed while a draft, frozen once validated,
//! corrected by a new version with its reason, shared with the person, a
//! funder or a partner; and the attestation of skills (`attestations`).
//! Every read and write asks `policy::can` about `Resource::Bilan`; every
//! write is in the audit log, in the same transaction.
use std::collections::HashSet;

use crate::backend::db::{Db, Flag, new_id, now, today_paris};
use crate::backend::policy::{
    Action, Actor, BilanRef, ObservationRef, Resource, WorkerRef, audited, authorize, can,
    worker_ref,
};
use crate::error::AppError;
use crate::wire::bilans::{
    AddedItem, BilanContent, BilanLine, BilanStatus, BilanView, BilanWords, MyBilan, MyPapers,
    PapersOfWorker, Participant, ShareLine,
};
use jalon_core::bilans::{self as rules, Audience, Kind, Recipient};
use jalon_core::observations::Category;
use jalon_core::roles::Role;

pub mod attestations;
mod prefill;

pub use prefill::prefill;

fn invalid(message: impl Into<String>) -> AppError {
    AppError::Invalid(message.into()).respond()
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct Row {
    id: String,
    worker_id: String,
    series_id: String,
    version: i64,
    kind: String,
    audience: String,
    period_from: String,
    period_to: String,
    content: String,
    sensitive: Flag,
    status: String,
    correction_reason: Option<String>,
    created_by: String,
    validated_at: Option<String>,
}

const COLUMNS: &str = "id, worker_id, series_id, version, kind, audience, period_from, \
     period_to, content, sensitive, status, correction_reason, created_by, validated_at";

impl Row {
    fn status(&self) -> BilanStatus {
        BilanStatus::from_code(&self.status).unwrap_or(BilanStatus::Draft)
    }

    fn kind(&self) -> Kind {
        Kind::from_code(&self.kind).unwrap_or(Kind::Request)
    }

    fn audience(&self) -> Audience {
        Audience::from_code(&self.audience).unwrap_or(Audience::Team)
    }

    fn content(&self) -> Result<BilanContent, AppError> {
        serde_json::from_str(&self.content).map_err(|_| AppError::Internal)
    }

    /// The bilan as the policy sees it.
    fn access<'a>(&'a self, worker: &'a WorkerRef, shared_with_worker: bool) -> BilanRef<'a> {
        BilanRef {
            worker,
            author_id: &self.created_by,
            sensitive: self.sensitive.into(),
            validated: self.status() != BilanStatus::Draft,
            shared_with_worker,
        }
    }

    fn line(&self) -> BilanLine {
        BilanLine {
            id: self.id.clone(),
            kind: self.kind(),
            version: self.version,
            status: self.status(),
            audience: self.audience(),
            from: self.period_from.clone(),
            to: self.period_to.clone(),
            validated_at: self.validated_at.clone(),
        }
    }
}

/// Whether the bilan was shared with the worker.
async fn shared_with_worker(db: &Db, bilan_id: &str) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM bilan_shares WHERE bilan_id = $1 AND recipient = 'worker'",
    )
    .bind(bilan_id)
    .fetch_one(db)
    .await?;
    Ok(n > 0)
}

/// The bilan `id` of the actor's structure with its worker, if `action` is
/// allowed on it (else 404, logged).
async fn reach(
    db: &Db,
    actor: &Actor,
    id: &str,
    action: Action,
) -> Result<(Row, WorkerRef), AppError> {
    let row: Row = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM bilans WHERE id = $1 AND structure_id = $2"
    ))
    .bind(id)
    .bind(&actor.user.structure_id)
    .fetch_optional(db)
    .await?
    .ok_or_else(|| AppError::NotFound.respond())?;
    let worker = worker_ref(db, actor, &row.worker_id).await?;
    let shared = shared_with_worker(db, &row.id).await?;
    authorize(
        db,
        actor,
        action,
        &Resource::Bilan(&row.access(&worker, shared)),
    )
    .await?;
    Ok((row, worker))
}

/// Whether the actor may prepare bilans for this worker.
fn may_write(actor: &Actor, worker: &WorkerRef) -> bool {
    let access = BilanRef {
        worker,
        author_id: &actor.user.id,
        sensitive: false,
        validated: false,
        shared_with_worker: false,
    };
    can(actor, Action::Edit, &Resource::Bilan(&access))
}

async fn display_name(db: &Db, user_id: &str) -> Result<String, AppError> {
    Ok(
        sqlx::query_scalar::<_, String>("SELECT display_name FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(db)
            .await?
            .unwrap_or_default(),
    )
}

/// The supervisors of the worker's team, by name.
async fn supervisors_of(db: &Db, worker: &WorkerRef) -> Result<Vec<String>, AppError> {
    let Some(team) = &worker.team_id else {
        return Ok(Vec::new());
    };
    Ok(sqlx::query_scalar(
        "SELECT u.display_name FROM team_supervisors s JOIN users u ON u.id = s.user_id \
         WHERE s.team_id = $1 ORDER BY u.display_name",
    )
    .bind(team)
    .fetch_all(db)
    .await?)
}

/// A person's bilans and attestations, newest first, as the reader may see them.
pub async fn papers(db: &Db, actor: &Actor, worker_id: &str) -> Result<PapersOfWorker, AppError> {
    if actor.user.role == Role::Worker {
        return Err(AppError::NotFound.respond());
    }
    let worker = worker_ref(db, actor, worker_id).await?;
    authorize(db, actor, Action::View, &Resource::Worker(&worker)).await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM bilans WHERE worker_id = $1 ORDER BY period_to DESC, created_at DESC"
    ))
    .bind(worker_id)
    .fetch_all(db)
    .await?;
    let mut bilans = Vec::new();
    for row in rows {
        if can(
            actor,
            Action::View,
            &Resource::Bilan(&row.access(&worker, false)),
        ) {
            bilans.push(row.line());
        }
    }
    let contract_start: String =
        sqlx::query_scalar("SELECT contract_start FROM workers WHERE id = $1")
            .bind(worker_id)
            .fetch_one(db)
            .await?;
    Ok(PapersOfWorker {
        bilans,
        attestations: attestations::lines(db, actor, &worker).await?,
        can_write: may_write(actor, &worker),
        contract_start,
        today: today_paris().to_string(),
        supervisors: supervisors_of(db, &worker).await?,
        head_name: attestations::last_head(db, &worker.structure_id).await?,
    })
}

/// Starts a draft bilan of `worker_id` over the period, prefilled from the
/// period's records, with the person, their supervisors and the counsellor
/// as participants.
pub async fn create(
    db: &Db,
    actor: &Actor,
    worker_id: &str,
    kind: &str,
    audience: &str,
    from: &str,
    to: &str,
) -> Result<String, AppError> {
    let worker = worker_ref(db, actor, worker_id).await?;
    if !may_write(actor, &worker) {
        authorize(db, actor, Action::Manage, &Resource::Parcours(&worker)).await?;
        return Err(AppError::NotFound.respond());
    }
    let kind = Kind::from_code(kind).ok_or_else(|| invalid("Type de bilan : à choisir."))?;
    let audience =
        Audience::from_code(audience).ok_or_else(|| invalid("Destinataire : à choisir."))?;
    let records = prefill(db, actor, worker_id, from, to).await?;
    if records.from > records.to {
        return Err(invalid("La période doit finir après son début."));
    }
    let mut participants = vec![Participant {
        role: "Salarié".into(),
        name: records.worker_name.clone(),
        organisation: String::new(),
    }];
    for name in supervisors_of(db, &worker).await? {
        participants.push(Participant {
            role: "Encadrant".into(),
            name,
            organisation: String::new(),
        });
    }
    if actor.user.role == Role::Counsellor {
        participants.push(Participant {
            role: "CIP".into(),
            name: actor.user.display_name.clone(),
            organisation: String::new(),
        });
    }
    let content = BilanContent {
        words: BilanWords {
            participants,
            ..BilanWords::default()
        },
        added: Vec::new(),
        records,
    };
    let id = new_id();
    let at = now();
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO bilans (id, structure_id, worker_id, series_id, version, kind, audience, \
         period_from, period_to, content, sensitive, status, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $1, 1, $4, $5, $6, $7, $8, FALSE, 'draft', $9, $10, $10)",
    )
    .bind(&id)
    .bind(&worker.structure_id)
    .bind(worker_id)
    .bind(kind.code())
    .bind(audience.code())
    .bind(&content.records.from)
    .bind(&content.records.to)
    .bind(serde_json::to_string(&content).map_err(|_| AppError::Internal)?)
    .bind(&actor.user.id)
    .bind(&at)
    .execute(&mut *tx)
    .await?;
    let details = serde_json::json!({ "kind": kind.code(), "audience": audience.code(),
        "from": content.records.from, "to": content.records.to })
    .to_string();
    audited(&mut *tx, actor, "bilan_created", ("bilan", &id), &details).await?;
    tx.commit().await?;
    Ok(id)
}

/// The observations of the period the actor may add to a bilan of
/// `worker`, sensitive ones among them when she may read them.
async fn addable(
    db: &Db,
    actor: &Actor,
    worker: &WorkerRef,
    from: &str,
    to: &str,
) -> Result<Vec<AddedItem>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Obs {
        id: String,
        author_id: String,
        observed_on: String,
        category: String,
        body: String,
        shared: Flag,
        sensitive: Flag,
    }
    let rows: Vec<Obs> = sqlx::query_as(
        "SELECT id, author_id, observed_on, category, body, shared, sensitive FROM observations \
         WHERE worker_id = $1 AND deleted = FALSE AND retracted = FALSE \
         AND observed_on >= $2 AND observed_on <= $3 ORDER BY observed_on, id",
    )
    .bind(&worker.worker_id)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|o| {
            let access = ObservationRef {
                worker,
                author_id: &o.author_id,
                sensitive: o.sensitive.into(),
                shared: o.shared.into(),
            };
            can(actor, Action::View, &Resource::Observation(&access))
        })
        .map(|o| AddedItem {
            observation_id: o.id,
            day: o.observed_on,
            category: Category::parse(&o.category)
                .map_or("Autre", Category::label)
                .to_string(),
            text: o.body,
            sensitive: o.sensitive.into(),
        })
        .collect())
}

/// Checks and tidies what the counsellor typed.
fn checked_words(words: BilanWords) -> Result<BilanWords, AppError> {
    let participants = rules::items("Participants", &words.participants, |p| {
        let name = rules::item("Nom du participant", &p.name, true)?;
        Ok(Participant {
            role: rules::item("Rôle du participant", &p.role, true)?,
            name,
            organisation: rules::item("Organisation", &p.organisation, false)?,
        })
    })
    .map_err(invalid)?;
    let next_objectives = rules::items("Prochains objectifs", &words.next_objectives, |t| {
        rules::item("Prochain objectif", t, false)
    })
    .map_err(invalid)?
    .into_iter()
    .filter(|t| !t.is_empty())
    .collect();
    let text = |label: &str, value: &str| rules::words(label, value).map_err(invalid);
    Ok(BilanWords {
        participants,
        on_attendance: text("Assiduité", &words.on_attendance)?,
        on_barriers: text("Freins", &words.on_barriers)?,
        on_behaviours: text("Comportements", &words.on_behaviours)?,
        on_skills: text("Compétences", &words.on_skills)?,
        on_objectives: text("Objectifs", &words.on_objectives)?,
        worker_words: text("Les mots de la personne", &words.worker_words)?,
        conclusions: text("Conclusions", &words.conclusions)?,
        next_objectives,
        orientation: text("Orientation", &words.orientation)?,
    })
}

/// Saves a draft: the words, the items added (observations the actor may
/// read, by id), who it is for; the records of the period are gathered
/// again, so a draft follows the records until it is validated.
pub async fn save(
    db: &Db,
    actor: &Actor,
    id: &str,
    audience: &str,
    words: BilanWords,
    added_ids: Vec<String>,
) -> Result<(), AppError> {
    let (row, worker) = reach(db, actor, id, Action::Edit).await?;
    if row.status() != BilanStatus::Draft {
        return Err(invalid(
            "Ce bilan est validé : il ne change plus. Pour le corriger, faites-en une nouvelle version.",
        ));
    }
    let audience =
        Audience::from_code(audience).ok_or_else(|| invalid("Destinataire : à choisir."))?;
    let words = checked_words(words)?;
    if added_ids.len() > rules::MAX_ITEMS {
        return Err(invalid(format!(
            "Éléments ajoutés : au plus {}.",
            rules::MAX_ITEMS
        )));
    }
    let wanted: HashSet<&str> = added_ids.iter().map(String::as_str).collect();
    let available = addable(db, actor, &worker, &row.period_from, &row.period_to).await?;
    let added: Vec<AddedItem> = available
        .into_iter()
        .filter(|a| wanted.contains(a.observation_id.as_str()))
        .collect();
    if added.len() != wanted.len() {
        return Err(invalid(
            "Un élément ajouté n'existe pas ou n'est pas lisible pour vous.",
        ));
    }
    let sensitive = added.iter().any(|a| a.sensitive);
    if sensitive && audience == Audience::Funder {
        return Err(invalid(
            "Un bilan destiné à un financeur ne contient aucune donnée de santé, de handicap ou de justice : retirez l'élément sensible.",
        ));
    }
    let records = prefill(db, actor, &row.worker_id, &row.period_from, &row.period_to).await?;
    let content = BilanContent {
        records,
        words,
        added,
    };
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE bilans SET content = $1, sensitive = $2, audience = $3, updated_at = $4 \
         WHERE id = $5 AND status = 'draft'",
    )
    .bind(serde_json::to_string(&content).map_err(|_| AppError::Internal)?)
    .bind(sensitive)
    .bind(audience.code())
    .bind(now())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(invalid("Ce bilan vient d'être validé : il ne change plus."));
    }
    audited(&mut *tx, actor, "bilan_saved", ("bilan", id), "").await?;
    tx.commit().await?;
    Ok(())
}

/// Validates a draft: from now on it shows what it showed, whatever
/// happens to the records. A correction replaces the version it corrects.
pub async fn validate(db: &Db, actor: &Actor, id: &str) -> Result<(), AppError> {
    let (row, _) = reach(db, actor, id, Action::Edit).await?;
    if row.status() != BilanStatus::Draft {
        return Err(invalid("Ce bilan est déjà validé."));
    }
    let content = row.content()?;
    if content.words.conclusions.trim().is_empty() {
        return Err(invalid(
            "Écrivez les conclusions avant de valider le bilan.",
        ));
    }
    let at = now();
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE bilans SET status = 'validated', validated_by = $1, validated_at = $2, \
         updated_at = $2 WHERE id = $3 AND status = 'draft'",
    )
    .bind(&actor.user.id)
    .bind(&at)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(invalid("Ce bilan est déjà validé."));
    }
    sqlx::query(
        "UPDATE bilans SET status = 'replaced' WHERE series_id = $1 AND version < $2 \
         AND status = 'validated'",
    )
    .bind(&row.series_id)
    .bind(row.version)
    .execute(&mut *tx)
    .await?;
    audited(&mut *tx, actor, "bilan_validated", ("bilan", id), "").await?;
    tx.commit().await?;
    Ok(())
}

/// Starts the correction of a validated bilan: a new draft version with
/// the same content and the reason; the validated one stays in force until
/// the correction is validated.
pub async fn correct(db: &Db, actor: &Actor, id: &str, reason: &str) -> Result<String, AppError> {
    let (row, _) = reach(db, actor, id, Action::Edit).await?;
    if row.status() != BilanStatus::Validated {
        return Err(invalid(
            "Seule la version en vigueur d'un bilan validé se corrige.",
        ));
    }
    let reason = jalon_core::people::reason(reason).map_err(invalid)?;
    let pending: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM bilans WHERE series_id = $1 AND status = 'draft'")
            .bind(&row.series_id)
            .fetch_one(db)
            .await?;
    if pending > 0 {
        return Err(invalid(
            "Une correction de ce bilan est déjà en cours : complétez-la.",
        ));
    }
    let new = new_id();
    let at = now();
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO bilans (id, structure_id, worker_id, series_id, version, kind, audience, \
         period_from, period_to, content, sensitive, status, correction_reason, created_by, \
         created_at, updated_at) \
         SELECT $1, structure_id, worker_id, series_id, version + 1, kind, audience, period_from, \
         period_to, content, sensitive, 'draft', $2, $3, $4, $4 FROM bilans WHERE id = $5",
    )
    .bind(&new)
    .bind(&reason)
    .bind(&actor.user.id)
    .bind(&at)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let details = serde_json::json!({ "corrects": id, "reason": reason }).to_string();
    audited(
        &mut *tx,
        actor,
        "bilan_corrected",
        ("bilan", &new),
        &details,
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}

/// Records that a validated bilan was handed to the person, a funder or a
/// partner (named). Shared with the person, it reaches their phone.
pub async fn share(
    db: &Db,
    actor: &Actor,
    id: &str,
    recipient: &str,
    name: &str,
) -> Result<(), AppError> {
    let (row, _) = reach(db, actor, id, Action::Edit).await?;
    if row.status() != BilanStatus::Validated {
        return Err(invalid(
            "Seul un bilan validé, dans sa version en vigueur, se partage.",
        ));
    }
    let recipient =
        Recipient::from_code(recipient).ok_or_else(|| invalid("Destinataire : à choisir."))?;
    let name = rules::item("Nom du destinataire", name, recipient != Recipient::Worker)
        .map_err(invalid)?;
    if recipient == Recipient::Funder && row.sensitive.into() {
        return Err(invalid(
            "Ce bilan contient une donnée de santé, de handicap ou de justice : il ne va pas à un financeur.",
        ));
    }
    if recipient == Recipient::Worker && shared_with_worker(db, id).await? {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO bilan_shares (id, bilan_id, recipient, name, shared_by, shared_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(id)
    .bind(recipient.code())
    .bind(&name)
    .bind(&actor.user.id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let details = serde_json::json!({ "recipient": recipient.code(), "name": name }).to_string();
    audited(&mut *tx, actor, "bilan_shared", ("bilan", id), &details).await?;
    tx.commit().await?;
    Ok(())
}

/// A bilan as its screen shows it to the reader.
pub async fn view(db: &Db, actor: &Actor, id: &str) -> Result<BilanView, AppError> {
    let (row, worker) = reach(db, actor, id, Action::View).await?;
    let to_worker = actor.user.role == Role::Worker;
    let content = row.content()?.shown_to(row.audience(), to_worker);
    let shares: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT s.recipient, s.name, u.display_name, s.shared_at FROM bilan_shares s \
         JOIN users u ON u.id = s.shared_by WHERE s.bilan_id = $1 ORDER BY s.shared_at",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let versions: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM bilans WHERE series_id = $1 ORDER BY version"
    ))
    .bind(&row.series_id)
    .fetch_all(db)
    .await?;
    let can_write = !to_worker && may_write(actor, &worker);
    let addable = if can_write && row.status() == BilanStatus::Draft {
        addable(db, actor, &worker, &row.period_from, &row.period_to).await?
    } else {
        Vec::new()
    };
    let validated_by: Option<String> = sqlx::query_scalar(
        "SELECT u.display_name FROM bilans b JOIN users u ON u.id = b.validated_by WHERE b.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(BilanView {
        id: row.id.clone(),
        worker_id: row.worker_id.clone(),
        structure: attestations::structure_name(db, &worker.structure_id).await?,
        kind: row.kind(),
        audience: row.audience(),
        version: row.version,
        status: row.status(),
        sensitive: row.sensitive.into(),
        correction_reason: row.correction_reason.clone(),
        content,
        written_by: display_name(db, &row.created_by).await?,
        validated_by,
        validated_at: row.validated_at.clone(),
        shares: shares
            .into_iter()
            .filter_map(|(recipient, name, by, at)| {
                Some(ShareLine {
                    recipient: Recipient::from_code(&recipient)?,
                    name,
                    by,
                    at,
                })
            })
            .collect(),
        versions: if to_worker {
            Vec::new()
        } else {
            versions.iter().map(Row::line).collect()
        },
        can_write,
        addable,
    })
}

/// What a worker's phone keeps: their validated bilans shared with them
/// (the version in force) and their attestations in force.
pub async fn mine(db: &Db, actor: &Actor, origin: &str) -> Result<MyPapers, AppError> {
    if actor.user.role != Role::Worker {
        return Err(AppError::NotFound.respond());
    }
    let Some(worker_id): Option<String> =
        sqlx::query_scalar("SELECT id FROM workers WHERE user_id = $1 AND structure_id = $2")
            .bind(&actor.user.id)
            .bind(&actor.user.structure_id)
            .fetch_optional(db)
            .await?
    else {
        return Ok(MyPapers::default());
    };
    let worker = worker_ref(db, actor, &worker_id).await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM bilans b WHERE worker_id = $1 AND status = 'validated' \
         AND EXISTS (SELECT 1 FROM bilan_shares s WHERE s.bilan_id = b.id AND s.recipient = 'worker') \
         ORDER BY period_to DESC, validated_at DESC"
    ))
    .bind(&worker_id)
    .fetch_all(db)
    .await?;
    let mut bilans = Vec::new();
    for row in rows {
        if !can(
            actor,
            Action::View,
            &Resource::Bilan(&row.access(&worker, true)),
        ) {
            continue;
        }
        bilans.push(MyBilan {
            id: row.id.clone(),
            kind: row.kind(),
            from: row.period_from.clone(),
            to: row.period_to.clone(),
            validated_at: row.validated_at.clone().unwrap_or_default(),
            content: row.content()?.shown_to(row.audience(), true),
        });
    }
    Ok(MyPapers {
        bilans,
        attestations: attestations::in_force_for(db, actor, &worker, origin).await?,
    })
}

/// Creates, in one tap, the next objectives written in a validated bilan
/// (each once: a title already among the person's open objectives is
/// skipped), through the sync like any objective. Returns how many.
pub async fn create_next_objectives(db: &Db, actor: &Actor, id: &str) -> Result<usize, AppError> {
    use jalon_core::objectives::{Kind as ObjectiveKind, Objective};
    use jalon_core::sync::protocol::{Mutation, Op, PushRequest};
    let (row, _) = reach(db, actor, id, Action::Edit).await?;
    if row.status() != BilanStatus::Validated {
        return Err(invalid("Validez le bilan avant d'en créer les objectifs."));
    }
    let content = row.content()?;
    let existing: Vec<String> =
        sqlx::query_scalar("SELECT title FROM objectives WHERE worker_id = $1 AND deleted = FALSE")
            .bind(&row.worker_id)
            .fetch_all(db)
            .await?;
    let target = (today_paris() + chrono::Duration::days(90)).to_string();
    let mutations: Vec<Mutation> = content
        .words
        .next_objectives
        .iter()
        .filter(|t| !existing.iter().any(|e| e.eq_ignore_ascii_case(t)))
        .map(|title| {
            let mut o = Objective::new(&row.worker_id);
            o.kind = ObjectiveKind::JobSearch;
            o.title = title.clone();
            o.target_on = target.clone();
            jalon_core::objectives::validate(&o, today_paris()).map_err(invalid)?;
            Ok(Mutation {
                id: uuid::Uuid::now_v7(),
                record_type: jalon_core::objectives::RECORD_TYPE.into(),
                schema: jalon_core::objectives::SCHEMA,
                record_id: uuid::Uuid::now_v7(),
                op: Op::Create,
                base_version: 0,
                data: serde_json::to_value(&o).map_err(|_| AppError::Internal)?,
            })
        })
        .collect::<Result<_, AppError>>()?;
    let n = mutations.len();
    if n == 0 {
        return Ok(0);
    }
    let req = PushRequest {
        outbox_from: None,
        device_id: uuid::Uuid::now_v7(),
        batch: 1,
        mutations,
    };
    let pushed = crate::backend::sync::push(db, actor, req)
        .await
        .map_err(|_| AppError::Internal)?;
    if pushed.acks.iter().any(|a| {
        !matches!(
            a.outcome,
            jalon_core::sync::protocol::Outcome::Applied { .. }
        )
    }) {
        return Err(AppError::Internal);
    }
    let mut tx = db.begin().await?;
    let details = serde_json::json!({ "objectives": n }).to_string();
    audited(
        &mut *tx,
        actor,
        "bilan_objectives_created",
        ("bilan", id),
        &details,
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}
