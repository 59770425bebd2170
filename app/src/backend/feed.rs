//! The counsellor's feed on the server: what each person may read, the
//! follow-up (read, acknowledged, replies) and an observation's history.
use sqlx::Row;

use crate::backend::policy::Visible;
use crate::error::AppError;
use crate::wire::feed::*;
use jalon_core::observations::{FollowUp, Kind, Reply, clean_reply};

const FEED_MAX: u32 = 300;
use crate::backend::db::{Db, Flag};
use crate::backend::policy::{
    Action, Actor, ObservationRef, Resource, WorkerRef, authorize, can, worker_ref,
};
use jalon_core::roles::Role;

pub enum Step {
    Read,
    Acknowledge,
    Reply(String),
}

/// An observation's access facts, loaded for a follow-up or its history.
struct Stored {
    worker: WorkerRef,
    author_id: String,
    sensitive: bool,
    shared: bool,
    /// An « Alerte » or a work accident: it is taken into account.
    alert: bool,
}

impl Stored {
    fn policy(&self) -> ObservationRef<'_> {
        ObservationRef {
            worker: &self.worker,
            author_id: &self.author_id,
            sensitive: self.sensitive,
            shared: self.shared,
        }
    }
}

async fn load(db: &Db, actor: &Actor, id: &str) -> Result<Stored, AppError> {
    let row: Option<(String, String, Flag, Flag, Flag, String, Flag)> = sqlx::query_as(
        "SELECT worker_id, author_id, sensitive, shared, retracted, kind, work_accident \
         FROM observations \
         WHERE id = $1 AND structure_id = $2 AND deleted = FALSE",
    )
    .bind(id)
    .bind(&actor.user.structure_id)
    .fetch_optional(db)
    .await?;
    let Some((worker_id, author_id, sensitive, shared, retracted, kind, accident)) = row else {
        return Err(AppError::NotFound.respond());
    };
    Ok(Stored {
        worker: worker_ref(db, actor, &worker_id).await?,
        author_id,
        sensitive: sensitive.0,
        shared: shared.0 && !retracted.0,
        alert: Kind::parse(&kind)
            .is_some_and(|k| jalon_core::observations::is_alert(k, accident.0)),
    })
}

async fn audit_sensitive(db: &Db, actor: &Actor, id: &str, how: &str) -> Result<(), AppError> {
    let target = (jalon_core::observations::RECORD_TYPE, id);
    crate::backend::policy::audited(db, actor, "sensitive_read", target, how).await?;
    Ok(())
}

/// Records that the actor read an observation (and, for a counsellor,
/// "Vu par la CIP"; with `acknowledge`, the alert taken into account):
/// true when the record's server fields changed.
async fn mark_read_in(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    id: &str,
    now: &str,
    acknowledge: bool,
) -> Result<bool, AppError> {
    let shown = crate::backend::db::paris_text(now);
    sqlx::query(
        "INSERT INTO observation_reads (observation_id, user_id, read_at) VALUES ($1, $2, $3) \
         ON CONFLICT (observation_id, user_id) DO NOTHING",
    )
    .bind(id)
    .bind(&actor.user.id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // "Seen by the counsellor" and "acknowledged": set once, by the first.
    let mut changed = false;
    let mut stamps = Vec::new();
    if actor.user.role == Role::Counsellor {
        stamps.push("seen");
    }
    if acknowledge {
        stamps.push("acknowledged");
    }
    for stamp in stamps {
        changed |= sqlx::query(&format!(
            "UPDATE observations SET {stamp}_at = $1, {stamp}_by = $2 \
             WHERE id = $3 AND {stamp}_at IS NULL"
        ))
        .bind(&shown)
        .bind(&actor.user.display_name)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
    }
    Ok(changed)
}

/// A new place in the change sequence: every phone that holds the
/// observation pulls it again, with the follow-up.
async fn resequence(tx: &mut sqlx::AnyConnection, id: &str) -> Result<(), AppError> {
    let seq = crate::backend::sync::next_seq(&mut *tx)
        .await
        .map_err(|_| AppError::Internal)?;
    sqlx::query("UPDATE observations SET seq = $1 WHERE id = $2")
        .bind(seq)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

pub async fn follow_up(db: &Db, actor: &Actor, id: &str, step: Step) -> Result<(), AppError> {
    let stored = load(db, actor, id).await?;
    let action = match step {
        Step::Read => Action::View,
        Step::Acknowledge | Step::Reply(_) => Action::Respond,
    };
    authorize(db, actor, action, &Resource::Observation(&stored.policy())).await?;
    let reply = match &step {
        Step::Reply(body) => Some(clean_reply(body).map_err(|m| AppError::Invalid(m).respond())?),
        Step::Acknowledge if !stored.alert => {
            return Err(
                AppError::Invalid("Seules les alertes se prennent en compte.".into()).respond(),
            );
        }
        _ => None,
    };
    let now = crate::backend::db::now();
    let shown = crate::backend::db::paris_text(&now);
    let name = &actor.user.display_name;
    let mut tx = db.begin().await?;
    let acknowledge = matches!(step, Step::Acknowledge);
    let mut changed = mark_read_in(&mut tx, actor, id, &now, acknowledge).await?;
    if let Some(body) = reply {
        sqlx::query(
            "INSERT INTO observation_replies (id, structure_id, observation_id, author_id, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(crate::backend::db::new_id())
        .bind(&actor.user.structure_id)
        .bind(id)
        .bind(&actor.user.id)
        .bind(&body)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        let current: String = sqlx::query_scalar("SELECT replies FROM observations WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let mut replies: Vec<Reply> = serde_json::from_str(&current).unwrap_or_default();
        replies.push(Reply {
            author: name.clone(),
            at: shown.clone(),
            body,
        });
        let json = serde_json::to_string(&replies).map_err(|_| AppError::Internal)?;
        sqlx::query("UPDATE observations SET replies = $1 WHERE id = $2")
            .bind(json)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        changed = true;
    }
    if changed {
        resequence(&mut tx, id).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn valid_day(day: &str) -> Result<Option<&str>, AppError> {
    if day.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|_| Some(day))
        .map_err(|_| AppError::Invalid("Indiquez les dates au format jj/mm/aaaa.".into()).respond())
}

/// SQL that is true for an alert (`observations::is_alert`): an « Alerte »,
/// or an incident that is a work accident; `alias` is the table's prefix.
pub fn alert_sql(alias: &str) -> String {
    format!("({alias}kind = 'alert' OR {alias}work_accident = TRUE)")
}

/// The feed's query over the chosen workers (the policy chose them) and
/// the filters, with its parameters; sensitive observations narrowed
/// here and checked again row by row by the caller.
fn feed_query(
    actor: &Actor,
    chosen: &[&Visible],
    filter: &FeedFilter,
    from: Option<&str>,
    to: Option<&str>,
) -> (String, Vec<String>) {
    let mut sql = String::from(
        "SELECT o.id, o.worker_id, o.author_id, u.display_name, o.observed_on, o.observed_at, \
         o.kind, o.category, o.body, o.shared, o.sensitive, o.retracted, o.change_reason, \
         o.version, o.acknowledged_at, o.acknowledged_by, o.seen_at, o.seen_by, o.replies, \
         (r.read_at IS NOT NULL) AS is_read, \
         (",
    );
    sql.push_str(&alert_sql("o."));
    sql.push_str(
        " AND o.acknowledged_at IS NULL AND o.retracted = FALSE) AS alert_open, \
         o.skill, o.level, o.work_accident, o.incident \
         FROM observations o JOIN users u ON u.id = o.author_id \
         LEFT JOIN observation_reads r ON r.observation_id = o.id AND r.user_id = $1 \
         WHERE o.structure_id = $2 AND o.deleted = FALSE",
    );
    let mut binds: Vec<String> = vec![actor.user.id.clone(), actor.user.structure_id.clone()];
    let param = |sql: &mut String, binds: &mut Vec<String>, value: &str| {
        binds.push(value.to_string());
        sql.push_str(&format!("${}", binds.len()));
    };
    let one_of = |sql: &mut String, binds: &mut Vec<String>, ids: &[&str]| {
        sql.push_str(" o.worker_id IN (NULL");
        for id in ids {
            sql.push_str(", ");
            param(sql, binds, id);
        }
        sql.push(')');
    };
    let ids: Vec<&str> = chosen.iter().map(|v| v.card.id.as_str()).collect();
    sql.push_str(" AND");
    one_of(&mut sql, &mut binds, &ids);
    sql.push_str(" AND (o.sensitive = FALSE OR o.author_id = $1");
    let followed: Vec<&str> = chosen
        .iter()
        .filter(|v| {
            actor.user.role == Role::Counsellor
                && v.worker.counsellor_id.as_deref() == Some(actor.user.id.as_str())
        })
        .map(|v| v.card.id.as_str())
        .collect();
    sql.push_str(" OR");
    one_of(&mut sql, &mut binds, &followed);
    sql.push(')');
    for (column, value) in [
        ("o.kind", &filter.kind),
        ("o.category", &filter.category),
        ("o.author_id", &filter.author_id),
    ] {
        if !value.is_empty() {
            sql.push_str(&format!(" AND {column} = "));
            param(&mut sql, &mut binds, value);
        }
    }
    if let Some(from) = from {
        sql.push_str(" AND o.observed_on >= ");
        param(&mut sql, &mut binds, from);
    }
    if let Some(to) = to {
        sql.push_str(" AND o.observed_on <= ");
        param(&mut sql, &mut binds, to);
    }
    (sql, binds)
}

/// Open alerts and unread ones among what a feed query selects.
fn counts_of(sql: &str) -> String {
    format!(
        "SELECT COALESCE(SUM(CASE WHEN alert_open THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN is_read THEN 0 ELSE 1 END), 0) FROM ({sql}) AS f"
    )
}

/// The workers the actor may see (the policy decides).
async fn visible(db: &Db, actor: &Actor) -> Result<Vec<Visible>, AppError> {
    let mut conn = db.acquire().await?;
    crate::backend::policy::visible_workers(&mut conn, actor)
        .await
        .map_err(|_| AppError::Internal)
}

/// Of those, the ones the filter's person and team pick.
fn chosen<'a>(visible: &'a [Visible], filter: &FeedFilter) -> Vec<&'a Visible> {
    visible
        .iter()
        .filter(|v| filter.worker_id.is_empty() || v.card.id == filter.worker_id)
        .filter(|v| {
            filter.team_id.is_empty() || v.card.team_id.as_deref() == Some(filter.team_id.as_str())
        })
        .collect()
}

/// "Tout marquer comme lu": every unread observation the filter selects
/// (and the policy lets them read), in one transaction; how many.
pub async fn mark_all_read(db: &Db, actor: &Actor, filter: FeedFilter) -> Result<u32, AppError> {
    crate::backend::policy::authorize_reports(db, actor).await?;
    let (from, to) = (valid_day(&filter.from)?, valid_day(&filter.to)?);
    let visible = visible(db, actor).await?;
    let chosen = chosen(&visible, &filter);
    let (sql, binds) = feed_query(actor, &chosen, &filter, from, to);
    let unread = format!(
        "SELECT id, worker_id, author_id, sensitive, shared AND NOT retracted FROM ({sql}) AS f \
         WHERE NOT is_read"
    );
    let mut query = sqlx::query_as::<_, (String, String, String, Flag, Flag)>(&unread);
    for b in &binds {
        query = query.bind(b);
    }
    let rows = query.fetch_all(db).await?;
    let by_id: std::collections::HashMap<&str, &WorkerRef> = chosen
        .iter()
        .map(|v| (v.card.id.as_str(), &v.worker))
        .collect();
    let now = crate::backend::db::now();
    let mut tx = db.begin().await?;
    let mut count = 0;
    for (id, worker_id, author_id, sensitive, shared) in &rows {
        let Some(worker) = by_id.get(worker_id.as_str()) else {
            continue;
        };
        let policy = ObservationRef {
            worker,
            author_id,
            sensitive: sensitive.0,
            shared: shared.0,
        };
        if !can(actor, Action::View, &Resource::Observation(&policy)) {
            continue;
        }
        if mark_read_in(&mut tx, actor, id, &now, false).await? {
            resequence(&mut tx, id).await?;
        }
        count += 1;
    }
    tx.commit().await?;
    Ok(count)
}

/// What the counsellor's home says: open alerts and unread observations.
pub async fn counts(db: &Db, actor: &Actor) -> Result<(i64, i64), AppError> {
    let visible = visible(db, actor).await?;
    let chosen: Vec<&Visible> = visible.iter().collect();
    let (sql, binds) = feed_query(actor, &chosen, &FeedFilter::default(), None, None);
    let counts_sql = counts_of(&sql);
    let mut counts = sqlx::query_as::<_, (i64, i64)>(&counts_sql);
    for b in &binds {
        counts = counts.bind(b);
    }
    Ok(counts.fetch_one(db).await?)
}

pub async fn feed(db: &Db, actor: &Actor, filter: FeedFilter) -> Result<Feed, AppError> {
    crate::backend::policy::authorize_reports(db, actor).await?;
    let structure_id = actor.user.structure_id.clone();
    let (from, to) = (valid_day(&filter.from)?, valid_day(&filter.to)?);
    let visible = visible(db, actor).await?;
    let chosen = chosen(&visible, &filter);
    let limit = match filter.limit {
        0 => FEED_PAGE,
        n => n.min(FEED_MAX),
    };
    let (mut sql, binds) = feed_query(actor, &chosen, &filter, from, to);
    let counts_sql = counts_of(&sql);
    sql.push_str(&format!(
        " ORDER BY alert_open DESC, is_read ASC, o.observed_on DESC, o.observed_at DESC, o.id DESC LIMIT {}",
        limit + 1
    ));
    let mut query = sqlx::query(&sql);
    let mut counts = sqlx::query_as::<_, (i64, i64)>(&counts_sql);
    for b in &binds {
        query = query.bind(b);
        counts = counts.bind(b);
    }
    let rows = query.fetch_all(db).await?;
    let (open_alerts, unread) = counts.fetch_one(db).await?;
    let more = rows.len() > limit as usize;
    let by_id: std::collections::HashMap<&str, &Visible> =
        chosen.iter().map(|v| (v.card.id.as_str(), *v)).collect();
    let mut items = Vec::with_capacity(rows.len());
    for row in rows.iter().take(limit as usize) {
        let worker_id: String = row.try_get(1)?;
        let author_id: String = row.try_get(2)?;
        let Some(v) = by_id.get(worker_id.as_str()) else {
            continue;
        };
        let sensitive = row.try_get::<Flag, _>(10)?.0;
        let retracted = row.try_get::<Flag, _>(11)?.0;
        let shared = row.try_get::<Flag, _>(9)?.0;
        let policy = ObservationRef {
            worker: &v.worker,
            author_id: &author_id,
            sensitive,
            shared: shared && !retracted,
        };
        if !can(actor, Action::View, &Resource::Observation(&policy)) {
            continue;
        }
        let can_respond = can(actor, Action::Respond, &Resource::Observation(&policy));
        let id: String = row.try_get(0)?;
        if sensitive && author_id != actor.user.id {
            audit_sensitive(db, actor, &id, "fil des observations").await?;
        }
        let replies: String = row.try_get(18)?;
        let kind: String = row.try_get(6)?;
        let version: i64 = row.try_get(13)?;
        let json = |at: usize| -> Result<Option<serde_json::Value>, sqlx::Error> {
            Ok(row
                .try_get::<Option<String>, _>(at)?
                .and_then(|t| serde_json::from_str(&t).ok()))
        };
        let skill_seen = jalon_core::observations::skill_seen_label(
            json(21)?
                .and_then(|v| serde_json::from_value(v).ok())
                .as_ref(),
            json(22)?.and_then(|v| serde_json::from_value(v).ok()),
        );
        items.push(FeedItem {
            skill_seen,
            work_accident: row.try_get::<Flag, _>(23)?.0,
            incident: if retracted {
                None
            } else {
                json(24)?.and_then(|v| serde_json::from_value(v).ok())
            },
            id,
            worker_id,
            worker_name: v.card.name(),
            team: v.card.team.clone(),
            author_name: row.try_get(3)?,
            observed_on: row.try_get(4)?,
            observed_at: row.try_get(5)?,
            kind: Kind::parse(&kind).unwrap_or(Kind::Incident),
            category: row.try_get(7)?,
            body: if retracted {
                String::new()
            } else {
                row.try_get(8)?
            },
            shared,
            sensitive,
            retracted,
            change_reason: row.try_get(12)?,
            edited: version > 1,
            read: row.try_get::<Flag, _>(19)?.0,
            alert_open: row.try_get::<Flag, _>(20)?.0,
            can_respond,
            follow: FollowUp {
                acknowledged_at: row.try_get(14)?,
                acknowledged_by: row.try_get(15)?,
                seen_at: row.try_get(16)?,
                seen_by: row.try_get(17)?,
                replies: serde_json::from_str(&replies).unwrap_or_default(),
            },
        });
    }
    let authors: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT u.id, u.display_name FROM observations o JOIN users u ON u.id = o.author_id \
         WHERE o.structure_id = $1 AND u.role <> 'worker' ORDER BY u.display_name",
    )
    .bind(&structure_id)
    .fetch_all(db)
    .await?;
    let mut teams: Vec<(String, String)> = visible
        .iter()
        .filter_map(|v| Some((v.card.team_id.clone()?, v.card.team.clone()?)))
        .collect();
    teams.sort_by(|a, b| a.1.cmp(&b.1));
    teams.dedup();
    Ok(Feed {
        items,
        more,
        open_alerts: open_alerts as u32,
        unread: unread as u32,
        choices: FeedChoices {
            workers: visible
                .iter()
                .map(|v| (v.card.id.clone(), v.card.name()))
                .collect(),
            teams,
            authors,
        },
    })
}

pub async fn history(db: &Db, actor: &Actor, id: &str) -> Result<Vec<VersionLine>, AppError> {
    let stored = load(db, actor, id).await?;
    authorize(
        db,
        actor,
        Action::View,
        &Resource::Observation(&stored.policy()),
    )
    .await?;
    if stored.sensitive && stored.author_id != actor.user.id {
        audit_sensitive(db, actor, id, "historique").await?;
    }
    let rows: Vec<(i64, Option<String>, String, String, String)> = sqlx::query_as(
        "SELECT h.version, h.data, h.reason, u.display_name, h.changed_at FROM record_history h \
         JOIN users u ON u.id = h.changed_by \
         WHERE h.structure_id = $1 AND h.record_type = $2 AND h.record_id = $3 ORDER BY h.version",
    )
    .bind(&actor.user.structure_id)
    .bind(jalon_core::observations::RECORD_TYPE)
    .bind(id)
    .fetch_all(db)
    .await?;
    let versions: Vec<Option<jalon_core::observations::Observation>> = rows
        .iter()
        .map(|r| r.1.as_deref().and_then(|d| serde_json::from_str(d).ok()))
        .collect();
    // Once retracted, the trace stays (who, when, why), not the texts.
    let retracted = versions
        .last()
        .and_then(|v| v.as_ref())
        .is_some_and(|o| o.retracted);
    Ok(rows
        .into_iter()
        .zip(versions)
        .map(|((version, _, reason, by, at), o)| VersionLine {
            version,
            by,
            at: crate::backend::db::paris_text(&at),
            reason,
            text: match (&o, retracted) {
                (Some(o), false) => o.body.clone(),
                _ => String::new(),
            },
            retracted: o.is_some_and(|o| o.retracted),
        })
        .collect())
}
