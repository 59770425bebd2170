//! Plans in the database.
use crate::backend::db::{Db, Flag, new_id, now};
use crate::backend::policy::{Action, Actor, Resource, authorize};
use crate::error::AppError;
use jalon_core::sessions::{Plan, PlanBody, check_plan};

type Row = (
    String,
    String,
    Flag,
    Flag,
    Flag,
    String,
    String,
    String,
    String,
);

const SELECT: &str = "SELECT p.id, p.title, p.template, p.afest, p.archived, p.author_id, \
     u.display_name, p.updated_at, p.body FROM session_plans p JOIN users u ON u.id = p.author_id";

fn plan_of(row: Row) -> Plan {
    let (id, title, template, afest, archived, author_id, author_name, updated_at, body) = row;
    Plan {
        id,
        title,
        template: template.0,
        afest: afest.0,
        archived: archived.0,
        author_id,
        author_name,
        updated_at,
        body: serde_json::from_str(&body).unwrap_or_default(),
    }
}

pub async fn all(db: &Db, structure_id: &str) -> Result<Vec<Plan>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE p.structure_id = $1 AND p.archived = FALSE \
         ORDER BY p.template DESC, p.title"
    ))
    .bind(structure_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(plan_of).collect())
}

/// A plan the actor may `action`; another structure's is "not found".
pub async fn load(db: &Db, actor: &Actor, action: Action, id: &str) -> Result<Plan, AppError> {
    let row: Option<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE p.id = $1 AND p.structure_id = $2"))
            .bind(id)
            .bind(&actor.user.structure_id)
            .fetch_optional(db)
            .await?;
    let plan = row
        .map(plan_of)
        .ok_or_else(|| AppError::NotFound.respond())?;
    let resource = Resource::SessionPlan {
        structure_id: &actor.user.structure_id,
        author_id: Some(&plan.author_id),
    };
    authorize(db, actor, action, &resource).await?;
    Ok(plan)
}

pub async fn may_create(db: &Db, actor: &Actor) -> Result<(), AppError> {
    let resource = Resource::SessionPlan {
        structure_id: &actor.user.structure_id,
        author_id: None,
    };
    authorize(db, actor, Action::Edit, &resource).await
}

/// Inserts (`id = None`) or updates a plan, checked; returns its id.
pub async fn write(
    db: &Db,
    actor: &Actor,
    id: Option<&str>,
    title: &str,
    flags: (bool, bool),
    body: PlanBody,
) -> Result<String, AppError> {
    let (title, body) = check_plan(title, body).map_err(|m| AppError::Invalid(m).respond())?;
    let json = serde_json::to_string(&body).map_err(|_| AppError::Internal)?;
    let (template, afest) = flags;
    match id {
        Some(id) => {
            sqlx::query(
                "UPDATE session_plans SET title = $1, template = $2, afest = $3, body = $4, \
                 updated_at = $5 WHERE id = $6 AND structure_id = $7",
            )
            .bind(&title)
            .bind(template)
            .bind(afest)
            .bind(json)
            .bind(now())
            .bind(id)
            .bind(&actor.user.structure_id)
            .execute(db)
            .await?;
            Ok(id.to_string())
        }
        None => {
            let id = new_id();
            let at = now();
            sqlx::query(
                "INSERT INTO session_plans (id, structure_id, author_id, title, template, \
                 afest, archived, body, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7, $8, $8)",
            )
            .bind(&id)
            .bind(&actor.user.structure_id)
            .bind(&actor.user.id)
            .bind(&title)
            .bind(template)
            .bind(afest)
            .bind(json)
            .bind(at)
            .execute(db)
            .await?;
            Ok(id)
        }
    }
}
