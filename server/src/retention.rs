//! `jalon retention`, for the operator: who is due for anonymisation
//! (`--dry-run`, the default) or anonymise them now (`--apply`). The server
//! does the same by itself every day (`jobs.rs`); `--on` takes another day
//! as today, to see what a later run will do.
use chrono::NaiveDate;

use crate::cli::RetentionArgs;
use crate::config::Config;
use crate::error::Error;

pub async fn run(config: &Config, args: &RetentionArgs) -> Result<(), Error> {
    let today = match &args.on {
        Some(day) => NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map_err(|_| Error::Invalid(format!("« {day} » n'est pas une date (AAAA-MM-JJ)")))?,
        None => app::backend::db::today_paris(),
    };
    let db = app::backend::db::connect(&config.database_url).await?;
    let due = app::backend::retention::due(&db, today).await?;
    for person in &due {
        println!(
            "{}\t{}\tdernier contact le {}\tà anonymiser depuis le {}",
            person.worker_id, person.name, person.last_contact, person.due_on
        );
    }
    if args.apply {
        let done = app::backend::retention::apply(&db, today, chrono::Utc::now()).await?;
        println!("{} personne(s) anonymisée(s) le {today}.", done.len());
    } else {
        println!(
            "{} personne(s) à anonymiser le {today} (rien n'est modifié ; --apply pour le faire).",
            due.len()
        );
    }
    db.close().await;
    Ok(())
}
