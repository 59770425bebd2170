//! Database reads behind the home screens. Each reads only what the role may see.
use crate::backend::db::Db;
use crate::error::AppError;
use crate::wire::home::{HomeSummary, TeamLine, WorkerLine};
use jalon_core::dates::french_date;
use jalon_core::roles::{CurrentUser, Role};

pub async fn summary(db: &Db, user: &CurrentUser) -> Result<HomeSummary, AppError> {
    Ok(match user.role {
        Role::Admin => admin(db, user).await?,
        Role::Supervisor => supervisor(db, user).await?,
        Role::Counsellor => counsellor(db, user).await?,
        Role::Worker => worker(db, user).await?,
    })
}

async fn admin(db: &Db, user: &CurrentUser) -> Result<HomeSummary, AppError> {
    let count = |sql: &'static str| {
        sqlx::query_scalar::<_, i64>(sql)
            .bind(user.structure_id.clone())
            .fetch_one(db)
    };
    Ok(HomeSummary::Admin {
        users: count("SELECT COUNT(*) FROM users WHERE structure_id = $1 AND active = TRUE")
            .await?,
        teams: count("SELECT COUNT(*) FROM teams WHERE structure_id = $1").await?,
        active_workers: count(
            "SELECT COUNT(*) FROM workers WHERE structure_id = $1 AND status = 'active'",
        )
        .await?,
    })
}

async fn supervisor(db: &Db, user: &CurrentUser) -> Result<HomeSummary, AppError> {
    /// One team, and one of its workers if it has any.
    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        name: String,
        activity: String,
        worker_id: Option<String>,
        worker: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT t.id, t.name, t.activity, w.id AS worker_id, w.first_name || ' ' || w.last_name AS worker \
         FROM teams t JOIN team_supervisors ts ON ts.team_id = t.id \
         LEFT JOIN workers w ON w.team_id = t.id AND w.status = 'active' \
         WHERE ts.user_id = $1 AND t.structure_id = $2 \
         ORDER BY t.name, t.id, w.last_name, w.first_name",
    )
    .bind(&user.id)
    .bind(&user.structure_id)
    .fetch_all(db)
    .await?;
    let mut teams: Vec<(String, TeamLine)> = Vec::new();
    for Row {
        id,
        name,
        activity,
        worker_id,
        worker,
    } in rows
    {
        if teams.last().is_none_or(|(last, _)| *last != id) {
            teams.push((
                id.clone(),
                TeamLine {
                    name,
                    activity,
                    workers: Vec::new(),
                },
            ));
        }
        if let (Some(wid), Some(w), Some((_, team))) = (worker_id, worker, teams.last_mut()) {
            team.workers.push(WorkerLine {
                id: wid,
                name: w,
                team: None,
                welcome: None,
            });
        }
    }
    Ok(HomeSummary::Supervisor {
        teams: teams.into_iter().map(|(_, t)| t).collect(),
    })
}

async fn counsellor(db: &Db, user: &CurrentUser) -> Result<HomeSummary, AppError> {
    let rows: Vec<(String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT w.id, w.first_name || ' ' || w.last_name, t.name, w.contract_start \
         FROM workers w LEFT JOIN teams t ON t.id = w.team_id \
         WHERE w.counsellor_id = $1 AND w.structure_id = $2 AND w.status = 'active' \
         ORDER BY w.last_name, w.first_name",
    )
    .bind(&user.id)
    .bind(&user.structure_id)
    .fetch_all(db)
    .await?;
    let actor = crate::backend::policy::load_actor(db, user.clone()).await?;
    let (open_alerts, unread) = crate::backend::feed::counts(db, &actor).await?;
    // Workers in their first weeks: how far their welcome is.
    let since = (crate::backend::db::today_paris()
        - chrono::Duration::days(crate::backend::worksite::NEWCOMER_DAYS))
    .to_string();
    // The structure's checklist, read once if anyone is new.
    let mut checklist = None;
    let mut workers = Vec::with_capacity(rows.len());
    for (id, name, team, contract_start) in rows {
        let welcome = if contract_start >= since {
            if checklist.is_none() {
                checklist = Some(crate::backend::worksite::items(db, &user.structure_id).await?);
            }
            let list = checklist.as_deref().unwrap_or_default();
            let (done, total) = crate::backend::worksite::progress_on(db, list, &id).await?;
            Some(format!(
                "début le {} · accueil : {done} étape(s) sur {total}",
                french_date(&contract_start)
            ))
        } else {
            None
        };
        workers.push(WorkerLine {
            id,
            name,
            team,
            welcome,
        });
    }
    Ok(HomeSummary::Counsellor {
        workers,
        open_alerts,
        unread,
    })
}

async fn worker(db: &Db, user: &CurrentUser) -> Result<HomeSummary, AppError> {
    let row: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT w.first_name, t.name, w.contract_end \
         FROM workers w LEFT JOIN teams t ON t.id = w.team_id \
         WHERE w.user_id = $1 AND w.structure_id = $2",
    )
    .bind(&user.id)
    .bind(&user.structure_id)
    .fetch_optional(db)
    .await?;
    let (first_name, team, contract_end) = row.ok_or(AppError::NotFound)?;
    Ok(HomeSummary::Worker {
        first_name,
        team,
        contract_end: contract_end.map(|d| french_date(&d)),
    })
}
