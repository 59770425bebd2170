//! The counsellor's side: a feed of the observations about the workers they
//! follow (open alerts first, then unread, then the rest), filters, and the
//! follow-up written on the server — read, acknowledged, replies — which
//! the sync carries back to the supervisors' phones ("Vu par la CIP").
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::{Category, Kind, category_label};
use crate::error::AppError;
use crate::shell::Field;
use crate::shell::Loaded;
use crate::shell::dates::day_label;
use crate::shell::icons::Icon;

/// One counsellor reply, as phones show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub author: String,
    /// Paris time as text ("23/11/2026 à 10:12").
    pub at: String,
    pub body: String,
}

/// What the staff did with an observation (server fields of the record).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    #[serde(default)]
    pub acknowledged_at: Option<String>,
    #[serde(default)]
    pub acknowledged_by: Option<String>,
    #[serde(default)]
    pub seen_at: Option<String>,
    #[serde(default)]
    pub seen_by: Option<String>,
    #[serde(default, deserialize_with = "replies_or_none")]
    pub replies: Vec<Reply>,
}

fn replies_or_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Reply>, D::Error> {
    Ok(Option::<Vec<Reply>>::deserialize(d)?.unwrap_or_default())
}

impl FollowUp {
    /// Read from a record's data (absent fields: nothing yet).
    pub fn of(data: &serde_json::Value) -> FollowUp {
        serde_json::from_value(data.clone()).unwrap_or_default()
    }

    /// The lines a supervisor sees under their observation.
    pub fn view(&self) -> impl IntoView + use<> {
        let acknowledged = self.acknowledged_by.clone().map(|by| {
            format!(
                "Alerte prise en compte par {by}, le {}",
                self.acknowledged_at.clone().unwrap_or_default()
            )
        });
        let seen = self.seen_by.clone().map(|by| {
            format!(
                "Vu par la CIP ({by}, le {})",
                self.seen_at.clone().unwrap_or_default()
            )
        });
        let replies = self
            .replies
            .iter()
            .map(|r| {
                view! {
                    <li class="reply">
                        <p class="card__meta">"Réponse de "{r.author.clone()}", le "{r.at.clone()}</p>
                        <p class="observation__body">{r.body.clone()}</p>
                    </li>
                }
            })
            .collect_view();
        view! {
            {acknowledged.map(|t| view! { <p class="follow follow--ack"><Icon name="check"/>{t}</p> })}
            {seen.map(|t| view! { <p class="follow"><Icon name="check"/>{t}</p> })}
            <ul class="replies" aria-label="Réponses">{replies}</ul>
        }
    }
}

/// The feed's filters; empty strings mean "all".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedFilter {
    #[serde(default)]
    pub worker_id: String,
    #[serde(default)]
    pub team_id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub author_id: String,
    /// Period, `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// How many to show (30 by default, at most 300).
    #[serde(default)]
    pub limit: u32,
}

pub const FEED_PAGE: u32 = 30;
#[cfg(feature = "ssr")]
const FEED_MAX: u32 = 300;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedItem {
    pub id: String,
    pub worker_id: String,
    pub worker_name: String,
    pub team: Option<String>,
    pub author_name: String,
    pub observed_on: String,
    pub observed_at: String,
    pub kind: Kind,
    pub category: String,
    pub body: String,
    pub shared: bool,
    pub sensitive: bool,
    pub retracted: bool,
    pub change_reason: String,
    /// Corrected or retracted since it was written.
    pub edited: bool,
    /// Read by the person looking at the feed.
    pub read: bool,
    /// An alert nobody has acknowledged yet.
    pub alert_open: bool,
    /// They may acknowledge and reply (the worker's counsellors).
    pub can_respond: bool,
    pub follow: FollowUp,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedChoices {
    pub workers: Vec<(String, String)>,
    pub teams: Vec<(String, String)>,
    pub authors: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feed {
    pub items: Vec<FeedItem>,
    pub more: bool,
    pub open_alerts: u32,
    pub unread: u32,
    pub choices: FeedChoices,
}

/// One version of an observation, for its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionLine {
    pub version: i64,
    pub by: String,
    pub at: String,
    pub reason: String,
    /// What it said (empty once retracted: the trace stays, not the text).
    pub text: String,
    pub retracted: bool,
}

#[server(prefix = "/api", endpoint = "observations/feed")]
pub async fn observation_feed(filter: FeedFilter) -> Result<Feed, AppError> {
    let (db, actor) = crate::auth::policy::require_actor().await?;
    ssr::feed(&db, &actor, filter).await
}

#[server(prefix = "/api", endpoint = "observations/mark_read")]
pub async fn mark_observation_read(id: String) -> Result<(), AppError> {
    let (db, actor) = crate::auth::policy::require_actor().await?;
    ssr::follow_up(&db, &actor, &id, ssr::Step::Read).await
}

#[server(prefix = "/api", endpoint = "observations/mark_all_read")]
pub async fn mark_all_observations_read(filter: FeedFilter) -> Result<u32, AppError> {
    let (db, actor) = crate::auth::policy::require_actor().await?;
    ssr::mark_all_read(&db, &actor, filter).await
}

#[server(prefix = "/api", endpoint = "observations/acknowledge")]
pub async fn acknowledge_observation(id: String) -> Result<(), AppError> {
    let (db, actor) = crate::auth::policy::require_actor().await?;
    ssr::follow_up(&db, &actor, &id, ssr::Step::Acknowledge).await
}

#[server(prefix = "/api", endpoint = "observations/reply")]
pub async fn reply_to_observation(id: String, body: String) -> Result<(), AppError> {
    let (db, actor) = crate::auth::policy::require_actor().await?;
    ssr::follow_up(&db, &actor, &id, ssr::Step::Reply(body)).await
}

#[server(prefix = "/api", endpoint = "observations/history")]
pub async fn observation_history(id: String) -> Result<Vec<VersionLine>, AppError> {
    let (db, actor) = crate::auth::policy::require_actor().await?;
    ssr::history(&db, &actor, &id).await
}

/// Checks a reply; the error is a French sentence.
pub fn clean_reply(body: &str) -> Result<String, String> {
    let body = super::clean_text(body);
    if body.is_empty() {
        return Err("Écrivez votre réponse.".into());
    }
    let count = body.chars().count();
    if count > super::MAX_REPLY_CHARS {
        return Err(format!(
            "La réponse est trop longue ({count} caractères, au plus {}).",
            super::MAX_REPLY_CHARS
        ));
    }
    Ok(body)
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use sqlx::Row;

    use super::*;
    use crate::auth::Role;
    use crate::auth::policy::{
        Action, Actor, ObservationRef, Resource, WorkerRef, authorize, can, worker_ref,
    };
    use crate::db::Db;

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
        kind: String,
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
        let row: Option<(String, String, bool, bool, bool, String)> = sqlx::query_as(
            "SELECT worker_id, author_id, sensitive, shared, retracted, kind FROM observations \
             WHERE id = $1 AND structure_id = $2 AND deleted = FALSE",
        )
        .bind(id)
        .bind(&actor.user.structure_id)
        .fetch_optional(db)
        .await?;
        let Some((worker_id, author_id, sensitive, shared, retracted, kind)) = row else {
            return Err(AppError::NotFound.respond());
        };
        Ok(Stored {
            worker: worker_ref(db, actor, &worker_id).await?,
            author_id,
            sensitive,
            shared: shared && !retracted,
            kind,
        })
    }

    async fn audit_sensitive(db: &Db, actor: &Actor, id: &str, how: &str) -> Result<(), AppError> {
        let target = (super::super::RECORD_TYPE, id);
        crate::audit::by_actor(db, actor, "sensitive_read", target, how).await?;
        Ok(())
    }

    /// Records that the actor read an observation (and, for a counsellor,
    /// "Vu par la CIP"; with `acknowledge`, the alert taken into account):
    /// true when the record's server fields changed.
    async fn mark_read_in(
        tx: &mut sqlx::SqliteConnection,
        actor: &Actor,
        id: &str,
        now: &str,
        acknowledge: bool,
    ) -> Result<bool, AppError> {
        let shown = crate::db::paris_text(now);
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
    async fn resequence(tx: &mut sqlx::SqliteConnection, id: &str) -> Result<(), AppError> {
        let seq = crate::sync::server::next_seq(&mut *tx)
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
            Step::Reply(body) => {
                Some(clean_reply(body).map_err(|m| AppError::Invalid(m).respond())?)
            }
            Step::Acknowledge if stored.kind != Kind::Alert.as_str() => {
                return Err(
                    AppError::Invalid("Seules les alertes se prennent en compte.".into()).respond(),
                );
            }
            _ => None,
        };
        let now = crate::db::now();
        let shown = crate::db::paris_text(&now);
        let name = &actor.user.display_name;
        let mut tx = db.begin().await?;
        let acknowledge = matches!(step, Step::Acknowledge);
        let mut changed = mark_read_in(&mut tx, actor, id, &now, acknowledge).await?;
        if let Some(body) = reply {
            sqlx::query(
                "INSERT INTO observation_replies (id, structure_id, observation_id, author_id, body, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(crate::db::new_id())
            .bind(&actor.user.structure_id)
            .bind(id)
            .bind(&actor.user.id)
            .bind(&body)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            let current: String =
                sqlx::query_scalar("SELECT replies FROM observations WHERE id = $1")
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
            .map_err(|_| {
                AppError::Invalid("Indiquez les dates au format jj/mm/aaaa.".into()).respond()
            })
    }

    /// The feed's query over the chosen workers (the policy chose them) and
    /// the filters, with its parameters; sensitive observations narrowed
    /// here and checked again row by row by the caller.
    fn feed_query(
        actor: &Actor,
        chosen: &[&crate::sync::server::Visible],
        filter: &FeedFilter,
        from: Option<&str>,
        to: Option<&str>,
    ) -> (String, Vec<String>) {
        let mut sql = String::from(
            "SELECT o.id, o.worker_id, o.author_id, u.display_name, o.observed_on, o.observed_at, \
             o.kind, o.category, o.body, o.shared, o.sensitive, o.retracted, o.change_reason, \
             o.version, o.acknowledged_at, o.acknowledged_by, o.seen_at, o.seen_by, o.replies, \
             (r.read_at IS NOT NULL) AS is_read, \
             (o.kind = 'alert' AND o.acknowledged_at IS NULL AND o.retracted = FALSE) AS alert_open \
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
    async fn visible(
        db: &Db,
        actor: &Actor,
    ) -> Result<Vec<crate::sync::server::Visible>, AppError> {
        let mut conn = db.acquire().await?;
        crate::sync::server::visible_workers(&mut conn, actor)
            .await
            .map_err(|_| AppError::Internal)
    }

    /// Of those, the ones the filter's person and team pick.
    fn chosen<'a>(
        visible: &'a [crate::sync::server::Visible],
        filter: &FeedFilter,
    ) -> Vec<&'a crate::sync::server::Visible> {
        visible
            .iter()
            .filter(|v| filter.worker_id.is_empty() || v.card.id == filter.worker_id)
            .filter(|v| {
                filter.team_id.is_empty()
                    || v.card.team_id.as_deref() == Some(filter.team_id.as_str())
            })
            .collect()
    }

    /// "Tout marquer comme lu": every unread observation the filter selects
    /// (and the policy lets them read), in one transaction; how many.
    pub async fn mark_all_read(
        db: &Db,
        actor: &Actor,
        filter: FeedFilter,
    ) -> Result<u32, AppError> {
        crate::auth::policy::authorize_reports(db, actor).await?;
        let (from, to) = (valid_day(&filter.from)?, valid_day(&filter.to)?);
        let visible = visible(db, actor).await?;
        let chosen = chosen(&visible, &filter);
        let (sql, binds) = feed_query(actor, &chosen, &filter, from, to);
        let unread = format!(
            "SELECT id, worker_id, author_id, sensitive, shared AND NOT retracted FROM ({sql}) AS f \
             WHERE NOT is_read"
        );
        let mut query = sqlx::query_as::<_, (String, String, String, bool, bool)>(&unread);
        for b in &binds {
            query = query.bind(b);
        }
        let rows = query.fetch_all(db).await?;
        let by_id: std::collections::HashMap<&str, &WorkerRef> = chosen
            .iter()
            .map(|v| (v.card.id.as_str(), &v.worker))
            .collect();
        let now = crate::db::now();
        let mut tx = db.begin().await?;
        let mut count = 0;
        for (id, worker_id, author_id, sensitive, shared) in &rows {
            let Some(worker) = by_id.get(worker_id.as_str()) else {
                continue;
            };
            let policy = ObservationRef {
                worker,
                author_id,
                sensitive: *sensitive,
                shared: *shared,
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
        let chosen: Vec<&crate::sync::server::Visible> = visible.iter().collect();
        let (sql, binds) = feed_query(actor, &chosen, &FeedFilter::default(), None, None);
        let counts_sql = counts_of(&sql);
        let mut counts = sqlx::query_as::<_, (i64, i64)>(&counts_sql);
        for b in &binds {
            counts = counts.bind(b);
        }
        Ok(counts.fetch_one(db).await?)
    }

    pub async fn feed(db: &Db, actor: &Actor, filter: FeedFilter) -> Result<Feed, AppError> {
        crate::auth::policy::authorize_reports(db, actor).await?;
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
        let by_id: std::collections::HashMap<&str, &crate::sync::server::Visible> =
            chosen.iter().map(|v| (v.card.id.as_str(), *v)).collect();
        let mut items = Vec::with_capacity(rows.len());
        for row in rows.iter().take(limit as usize) {
            let worker_id: String = row.try_get(1)?;
            let author_id: String = row.try_get(2)?;
            let Some(v) = by_id.get(worker_id.as_str()) else {
                continue;
            };
            let sensitive: bool = row.try_get(10)?;
            let retracted: bool = row.try_get(11)?;
            let shared: bool = row.try_get(9)?;
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
            items.push(FeedItem {
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
                read: row.try_get(19)?,
                alert_open: row.try_get(20)?,
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
        .bind(super::super::RECORD_TYPE)
        .bind(id)
        .fetch_all(db)
        .await?;
        let versions: Vec<Option<super::super::Observation>> = rows
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
                at: crate::db::paris_text(&at),
                reason,
                text: match (&o, retracted) {
                    (Some(o), false) => o.body.clone(),
                    _ => String::new(),
                },
                retracted: o.is_some_and(|o| o.retracted),
            })
            .collect())
    }
}

/// The history of one observation, fetched when asked for (online).
#[component]
pub fn HistoryButton(id: String) -> impl IntoView {
    let lines = RwSignal::new(None::<Result<Vec<VersionLine>, AppError>>);
    let open = move |_| {
        let id = id.clone();
        leptos::task::spawn_local(async move {
            lines.set(Some(observation_history(id).await));
        });
    };
    view! {
        <button type="button" class="button button--quiet" on:click=open>"Voir l'historique"</button>
        {move || lines.get().map(|result| match result {
            Ok(lines) => view! {
                <ol class="history" aria-label="Historique">
                    {lines.into_iter().map(|l| view! {
                        <li>
                            <p class="card__meta">{format!("Version {} · {} · {}", l.version, l.by, l.at)}</p>
                            {(!l.reason.is_empty()).then(|| view! { <p>{if l.retracted { "Retirée — motif : " } else { "Motif : " }}{l.reason.clone()}</p> })}
                            {(!l.text.is_empty()).then(|| view! { <p class="observation__body">{l.text.clone()}</p> })}
                        </li>
                    }).collect_view()}
                </ol>
            }.into_any(),
            Err(e) => view! { <p class="notice notice--error">{e.to_string()}</p> }.into_any(),
        })}
    }
}

/// Badges shared by the feed and the phone's cards.
pub fn badges(kind: Kind, category: &str, sensitive: bool, shared: bool) -> impl IntoView + use<> {
    let category = category_label(category);
    view! {
        <span class=format!("chip chip--kind chip--{}", kind.as_str())>{kind.label()}</span>
        {(!category.is_empty()).then(|| view! { <span class="chip">{category}</span> })}
        {sensitive.then(|| view! { <span class="chip chip--sensitive">"Sensible"</span> })}
        {shared.then(|| view! { <span class="chip chip--shared">"Partagée avec le salarié"</span> })}
    }
}

/// One filter of the feed: a labelled list, "all" first.
fn pick(
    id: &'static str,
    label: &'static str,
    all: &'static str,
    list: Vec<(String, String)>,
    current: String,
    on_change: impl FnMut(leptos::ev::Event) + Send + 'static,
) -> impl IntoView {
    let options = list
        .into_iter()
        .map(|(value, label)| {
            let selected = value == current;
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <Field id=id label=label>
            <select class="field__input" id=id on:change=on_change>
                <option value="">{all}</option>{options}
            </select>
        </Field>
    }
}

#[component]
pub fn FeedPage() -> impl IntoView {
    // "Ses observations" on a worker file opens the feed on that person.
    let query = leptos_router::hooks::use_query_map();
    let worker_id = query.read_untracked().get("salarie").unwrap_or_default();
    let filter = RwSignal::new(FeedFilter {
        worker_id,
        ..FeedFilter::default()
    });
    let feed = Resource::new(move || filter.get(), observation_feed);
    view! {
        <Title text="Fil des observations"/>
        <section class="page">
            <h1 class="page__title"><Icon name="file"/>"Fil des observations"</h1>
            <Loaded resource=feed render=move |f: Feed| view! { <FeedView feed=f filter refresh=move || feed.refetch()/> }/>
        </section>
    }
}

#[component]
fn FeedView(
    feed: Feed,
    filter: RwSignal<FeedFilter>,
    refresh: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let f = filter.get_untracked();
    let set = move |apply: fn(&mut FeedFilter, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            filter.update(|f| {
                apply(f, value);
                f.limit = 0;
            });
        }
    };
    let kinds: Vec<(String, String)> = Kind::ALL
        .into_iter()
        .map(|k| (k.as_str().to_string(), k.label().to_string()))
        .collect();
    let categories: Vec<(String, String)> = Category::BARRIERS
        .into_iter()
        .map(|c| (c.code().to_string(), format!("Frein : {}", c.label())))
        .chain(Category::BEHAVIOURS.into_iter().map(|c| {
            (
                c.code().to_string(),
                format!("Comportement : {}", c.label()),
            )
        }))
        .collect();
    let filtered = FeedFilter {
        limit: 0,
        ..f.clone()
    } != FeedFilter::default();
    let summary = format!(
        "{} · {}",
        match feed.open_alerts {
            0 => "Aucune alerte à prendre en compte".to_string(),
            1 => "1 alerte à prendre en compte".to_string(),
            n => format!("{n} alertes à prendre en compte"),
        },
        match feed.unread {
            0 => "tout est lu".to_string(),
            1 => "1 non lue".to_string(),
            n => format!("{n} non lues"),
        }
    );
    let more = feed.more;
    let shown = feed.items.len() as u32;
    let unread = feed.unread;
    let mark_error = RwSignal::new(None::<String>);
    let mark_all = {
        let refresh = refresh.clone();
        move |_| {
            let refresh = refresh.clone();
            let current = filter.get_untracked();
            leptos::task::spawn_local(async move {
                match mark_all_observations_read(current).await {
                    Ok(_) => refresh(),
                    Err(e) => mark_error.set(Some(e.to_string())),
                }
            });
        }
    };
    let empty = feed.items.is_empty();
    let items = feed
        .items
        .into_iter()
        .map(|item| view! { <FeedCard item refresh=refresh.clone()/> })
        .collect_view();
    let choices = feed.choices;
    view! {
        <p class="feed__summary" role="status">{summary}</p>
        {(unread > 0).then(|| view! {
            <button type="button" class="button button--quiet" on:click=mark_all>
                {format!("Tout marquer comme lu ({unread})")}
            </button>
        })}
        {move || mark_error.get().map(|m| view! { <p class="notice notice--error" role="alert">{m}</p> })}
        <details class="filters" open=filtered>
            <summary class="button button--secondary">{if filtered { "Filtres (actifs)" } else { "Filtrer" }}</summary>
            <div class="form">
            {pick("f-worker", "Personne", "Toutes", choices.workers, f.worker_id.clone(), set(|f, v| f.worker_id = v))}
            {pick("f-team", "Équipe", "Toutes", choices.teams, f.team_id.clone(), set(|f, v| f.team_id = v))}
            {pick("f-kind", "Type", "Tous", kinds, f.kind.clone(), set(|f, v| f.kind = v))}
            {pick("f-category", "Catégorie", "Toutes", categories, f.category.clone(), set(|f, v| f.category = v))}
            {pick("f-author", "Écrite par", "Tout le monde", choices.authors, f.author_id.clone(), set(|f, v| f.author_id = v))}
            <div class="field__row">
                <Field id="f-from" label="Du">
                    <input class="field__input" id="f-from" type="date" value=f.from.clone() on:change=set(|f, v| f.from = v)/>
                </Field>
                <Field id="f-to" label="Au">
                    <input class="field__input" id="f-to" type="date" value=f.to.clone() on:change=set(|f, v| f.to = v)/>
                </Field>
            </div>
            <button type="button" class="button button--quiet" on:click=move |_| filter.set(FeedFilter::default())>"Effacer les filtres"</button>
            </div>
        </details>
        {empty.then(|| view! { <p class="empty">"Aucune observation pour ces critères."</p> })}
        <ul class="cards" aria-label="Observations">{items}</ul>
        {more.then(|| view! {
            <button type="button" class="button button--secondary button--wide"
                on:click=move |_| filter.update(|f| f.limit = shown + FEED_PAGE)>"Voir plus"</button>
        })}
    }
}

#[component]
fn FeedCard(item: FeedItem, refresh: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let replying = RwSignal::new(false);
    let reply = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let run = {
        let refresh = refresh.clone();
        let id = item.id.clone();
        move |step: u8| {
            let (id, refresh) = (id.clone(), refresh.clone());
            let text = reply.get_untracked();
            if step == 2
                && let Err(message) = clean_reply(&text)
            {
                error.set(Some(message));
                return;
            }
            busy.set(true);
            leptos::task::spawn_local(async move {
                let result = match step {
                    0 => mark_observation_read(id).await,
                    1 => acknowledge_observation(id).await,
                    _ => reply_to_observation(id, text).await,
                };
                busy.set(false);
                match result {
                    Ok(()) => refresh(),
                    Err(e) => error.set(Some(e.to_string())),
                }
            });
        }
    };
    let (mark, ack, send) = (run.clone(), run.clone(), run);
    let class = format!(
        "card observation{}{}",
        if item.alert_open {
            " observation--open-alert"
        } else {
            ""
        },
        if item.read {
            ""
        } else {
            " observation--unread"
        }
    );
    let when = match item.observed_at.as_str() {
        "" => day_label(&item.observed_on),
        at => format!("{} à {at}", day_label(&item.observed_on)),
    };
    let meta = match &item.team {
        Some(team) => format!("{when} · {} · {team}", item.author_name),
        None => format!("{when} · {}", item.author_name),
    };
    let field = format!("reply-{}", item.id);
    view! {
        <li class=class data-kind=item.kind.as_str() data-id=item.id.clone()>
            <div class="card__head">
                <strong class="card__title">{item.worker_name.clone()}</strong>
            </div>
            <div class="chips">
                {item.alert_open.then(|| view! { <span class="chip chip--alert-open"><Icon name="alert"/>"À prendre en compte"</span> })}
                {(!item.read).then(|| view! { <span class="chip chip--new">"Nouvelle"</span> })}
                {badges(item.kind, &item.category, item.sensitive, item.shared)}
            </div>
            <p class="card__meta">{meta}</p>
            {if item.retracted {
                view! { <p class="observation__retracted">"Observation retirée — motif : "{item.change_reason.clone()}</p> }.into_any()
            } else {
                view! { <p class="observation__body">{item.body.clone()}</p> }.into_any()
            }}
            {item.follow.view()}
            {item.edited.then(|| view! { <HistoryButton id=item.id.clone()/> })}
            {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert">{m}</p> })}
            <div class="button-row">
                {(!item.read).then(|| view! {
                    <button type="button" class="button button--secondary" disabled=move || busy.get()
                        on:click=move |_| mark(0)>"Marquer comme lue"</button>
                })}
                {(item.alert_open && item.can_respond).then(|| view! {
                    <button type="button" class="button button--primary" disabled=move || busy.get()
                        on:click=move |_| ack(1)>"Prendre en compte"</button>
                })}
                {(item.can_respond && !item.retracted).then(|| view! {
                    <button type="button" class="button button--quiet" on:click=move |_| replying.update(|r| *r = !*r)>"Répondre"</button>
                })}
            </div>
            <Show when=move || replying.get()>
                {
                    let send = send.clone();
                    let field = field.clone();
                    view! {
                        <div class="reply-form">
                            <Field id=field.clone() label="Votre réponse (l'encadrant la verra sur son téléphone)">
                                <textarea class="field__input field__input--text" id=field.clone() rows="3"
                                    prop:value=move || reply.get()
                                    on:input=move |ev| reply.set(event_target_value(&ev))></textarea>
                            </Field>
                            <button type="button" class="button button--primary" disabled=move || busy.get()
                                on:click=move |_| send(2)>"Envoyer la réponse"</button>
                        </div>
                    }
                }
            </Show>
        </li>
    }
}
