//! The structure's entry in its processing register (registre des
//! traitements, GDPR article 30) for Jalon, filled with its settings; the
//! admin downloads it as a PDF (`/api/privacy/register.pdf`).
use crate::backend::db::{Db, Engine};
use crate::backend::policy::{Action, Actor, Resource, authorize};
use crate::error::AppError;
use crate::wire::privacy::RegisterFacts;

pub async fn facts(db: &Db, actor: &Actor) -> Result<RegisterFacts, AppError> {
    let structure_id = actor.user.structure_id.clone();
    authorize(
        db,
        actor,
        Action::Manage,
        &Resource::Administration {
            structure_id: &structure_id,
        },
    )
    .await?;
    let years = crate::backend::settings::retention_years(db, &structure_id).await?;
    let contact = crate::backend::settings::privacy_contact(db, &structure_id).await?;
    Ok(RegisterFacts {
        structure: actor.user.structure_name.clone(),
        contact,
        years,
        counsellors_see_all: actor.counsellors_see_all,
        today: crate::backend::db::today_paris().to_string(),
        engine: match db.engine() {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
        .to_string(),
        idle_days: crate::backend::session::IDLE_DAYS,
        absolute_days: crate::backend::session::ABSOLUTE_DAYS,
    })
}
