//! Runs the scheduled jobs of `app::backend::jobs` from every instance:
//! once at start (before the server answers), then every `LOOK_EVERY`; a
//! job runs on the instance that claims it first in its period.
use std::time::Duration;

use app::backend::db::Db;
use app::backend::jobs::{HOUSEKEEPING, Job, RETENTION, claim, finished, housekeeping};

/// How often an instance looks for a job that is due.
const LOOK_EVERY: Duration = Duration::from_secs(600);

/// Runs every job that is due now, here, if no other instance has.
pub async fn run_due(db: &Db, instance: &str) {
    let now = chrono::Utc::now();
    run(db, instance, HOUSEKEEPING, now, async {
        let swept = housekeeping(db, now).await?;
        let pruned =
            app::backend::sync::prune_tombstones(db, now, app::backend::sync::DEVICE_ACTIVE_DAYS)
                .await?;
        Ok(format!(
            "{} sessions terminées et {} codes d'activation périmés supprimés ; \
             {} suppressions reçues par tous les appareils oubliées (jusqu'au n° {})",
            swept.sessions, swept.activation_codes, pruned.tombstones, pruned.horizon
        ))
    })
    .await;
    run(db, instance, RETENTION, now, async {
        let today = app::backend::db::paris(now).date();
        let done = app::backend::retention::apply(db, today, now).await?;
        Ok(format!("{} personne(s) anonymisée(s)", done.len()))
    })
    .await;
}

/// Runs `job` if this instance claims it, and records how it ended.
async fn run(
    db: &Db,
    instance: &str,
    job: Job,
    now: chrono::DateTime<chrono::Utc>,
    work: impl std::future::Future<Output = Result<String, sqlx::Error>>,
) {
    match claim(db, job, instance, now).await {
        Ok(true) => match work.await {
            Ok(summary) => {
                tracing::info!(job = job.name, %summary, "job done");
                if let Err(err) = finished(db, job, chrono::Utc::now(), &summary).await {
                    tracing::warn!(error = %err, job = job.name, "job end not recorded");
                }
            }
            Err(err) => {
                tracing::warn!(error = %err, job = job.name, "job failed; next try in its next period")
            }
        },
        Ok(false) => {}
        Err(err) => tracing::warn!(error = %err, job = job.name, "could not claim the job"),
    }
}

/// Looks again every `LOOK_EVERY`, for as long as the server runs.
pub fn keep_running(db: Db, instance: String) {
    tokio::spawn(async move {
        let mut tick =
            tokio::time::interval_at(tokio::time::Instant::now() + LOOK_EVERY, LOOK_EVERY);
        loop {
            tick.tick().await;
            run_due(&db, &instance).await;
        }
    });
}

/// Sends the alert e-mails that are due every `SEND_EVERY`, for as long as
/// the server runs (only when an SMTP server is set).
pub fn keep_sending_alerts(db: Db, mailer: app::backend::alert_mail::Mailer) {
    use app::backend::alert_mail::{SEND_EVERY, send_due};
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SEND_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match send_due(&db, &mailer, chrono::Utc::now()).await {
                Ok(pass) if pass.is_empty() => {}
                Ok(pass) => tracing::info!(
                    messages = pass.messages,
                    alerts = pass.alerts,
                    no_address = pass.no_address,
                    moot = pass.moot,
                    expired = pass.expired,
                    failed = pass.failed,
                    "alert e-mails"
                ),
                Err(err) => {
                    tracing::warn!(error = %err, "alert e-mails: pass failed; next in 15 s")
                }
            }
        }
    });
}

#[cfg(test)]
#[path = "tests/jobs.rs"]
mod tests;
