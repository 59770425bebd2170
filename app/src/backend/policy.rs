//! The access policy. One function, `can`, decides who may do what; it denies
//! anything it does not explicitly allow. Every server function and API
//! endpoint goes through `authorize` (or `require_admin`), which records
//! denials in the audit log and answers a denied request like a missing
//! record, so nobody learns what exists outside their reach.
use crate::backend::audit;
use crate::backend::db::Db;
use crate::error::AppError;
use jalon_core::roles::{CurrentUser, Role};
use jalon_core::sync::protocol::WorkerCard;
use sqlx::AnyConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read a record.
    View,
    /// Add to or change a record in the course of the work (notes, steps…).
    Edit,
    /// Administrative change: accounts, teams, contracts, activation codes.
    Manage,
    /// Follow up what someone else wrote: acknowledge an alert, reply
    /// (the worker's counsellors, on observations).
    Respond,
    /// What a worker says about their own file from their phone (a step
    /// they think they have done, a comment on an objective). Workers only.
    React,
}

/// The signed-in user with what the policy needs to know about them,
/// loaded once per request.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: CurrentUser,
    /// Teams this user supervises.
    pub team_ids: Vec<String>,
    /// Structure setting: counsellors may see every worker, not only theirs.
    pub counsellors_see_all: bool,
}

/// A worker file, as far as access is concerned.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct WorkerRef {
    pub structure_id: String,
    pub worker_id: String,
    pub team_id: Option<String>,
    pub counsellor_id: Option<String>,
    pub user_id: Option<String>,
}

/// An observation, as far as access is concerned.
#[derive(Debug, Clone, Copy)]
pub struct ObservationRef<'a> {
    pub worker: &'a WorkerRef,
    pub author_id: &'a str,
    /// Santé or justice: the author and the worker's counsellor only.
    pub sensitive: bool,
    /// Shared with the worker by its author (and not retracted).
    pub shared: bool,
}

/// An objective (or a worker's reaction to one), as far as access is concerned.
#[derive(Debug, Clone, Copy)]
pub struct ObjectiveRef<'a> {
    pub worker: &'a WorkerRef,
    pub author_id: &'a str,
    /// Tied to a santé or justice barrier: the worker, their counsellor and
    /// its author only.
    pub sensitive: bool,
}

/// A bilan, as far as access is concerned.
#[derive(Debug, Clone, Copy)]
pub struct BilanRef<'a> {
    pub worker: &'a WorkerRef,
    pub author_id: &'a str,
    /// Holds an item of a sensitive category: its author and the worker's
    /// counsellor only, like a sensitive observation.
    pub sensitive: bool,
    /// Validated (or replaced by a correction): no longer changes.
    pub validated: bool,
    /// Shared with the worker once validated.
    pub shared_with_worker: bool,
}

#[derive(Debug, Clone, Copy)]
pub enum Resource<'a> {
    /// One objective of a worker, with its steps, notes and reviews.
    Objective(&'a ObjectiveRef<'a>),
    /// One observation about a worker.
    Observation(&'a ObservationRef<'a>),
    /// A structure's accounts, teams, settings and audit log.
    Administration { structure_id: &'a str },
    /// A worker's file and everything recorded about them.
    Worker(&'a WorkerRef),
    /// A worker's sign-in (activation codes).
    WorkerAccount(&'a WorkerRef),
    /// A worker's parcours as a whole: contract renewal, referent counsellor, exit.
    Parcours(&'a WorkerRef),
    /// Figures across workers (attendance rates and exports); each
    /// worker in them must also be visible.
    Reports { structure_id: &'a str },
    /// A structure's skill frameworks (read by staff, managed by the admin).
    Frameworks { structure_id: &'a str },
    /// A learning-session plan; `author_id` is `None` for a new one.
    SessionPlan {
        structure_id: &'a str,
        author_id: Option<&'a str>,
    },
    /// A bilan of a worker's parcours (`Edit`: prepare, complete,
    /// validate, correct, share).
    Bilan(&'a BilanRef<'a>),
    /// A worker's attestations of skills (`Edit`: issue, withdraw).
    Attestation(&'a WorkerRef),
    /// A person's phones and browsers (`View`: the list; `Manage`: sign
    /// one out from afar).
    Devices {
        structure_id: &'a str,
        user_id: &'a str,
    },
    /// A team and its roster.
    Team {
        structure_id: &'a str,
        team_id: &'a str,
    },
}

impl Resource<'_> {
    fn describe(&self) -> (&'static str, String) {
        match self {
            Resource::Administration { structure_id }
            | Resource::Reports { structure_id }
            | Resource::Frameworks { structure_id } => ("structure", structure_id.to_string()),
            Resource::SessionPlan { structure_id, .. } => {
                ("session_plan", structure_id.to_string())
            }
            Resource::Bilan(b) => ("worker", b.worker.worker_id.clone()),
            Resource::Worker(w)
            | Resource::WorkerAccount(w)
            | Resource::Parcours(w)
            | Resource::Attestation(w) => ("worker", w.worker_id.clone()),
            Resource::Observation(o) => ("worker", o.worker.worker_id.clone()),
            Resource::Objective(o) => ("worker", o.worker.worker_id.clone()),
            Resource::Team { team_id, .. } => ("team", team_id.to_string()),
            Resource::Devices { user_id, .. } => ("user", user_id.to_string()),
        }
    }
}

/// Whether `actor` may perform `action` on `resource`. Default deny.
pub fn can(actor: &Actor, action: Action, resource: &Resource) -> bool {
    let user = &actor.user;
    let same_structure = |structure_id: &str| user.structure_id == structure_id;
    let follows = |w: &WorkerRef| {
        w.counsellor_id.as_deref() == Some(user.id.as_str()) || actor.counsellors_see_all
    };
    let supervises =
        |team: Option<&str>| team.is_some_and(|t| actor.team_ids.iter().any(|own| own == t));
    match *resource {
        Resource::Observation(o) => {
            let w = o.worker;
            let author = o.author_id == user.id;
            let their_counsellor = user.role == Role::Counsellor
                && w.counsellor_id.as_deref() == Some(user.id.as_str());
            let readable = can(actor, Action::View, &Resource::Worker(w))
                && if o.sensitive {
                    author || their_counsellor
                } else {
                    user.role != Role::Worker || o.shared
                };
            match action {
                Action::View => readable,
                Action::Edit => {
                    readable
                        && (author || (user.role == Role::Admin && !o.sensitive))
                        && can(actor, Action::Edit, &Resource::Worker(w))
                }
                Action::Respond => readable && user.role == Role::Counsellor,
                Action::Manage | Action::React => false,
            }
        }
        Resource::Objective(o) => {
            let w = o.worker;
            let own = w.user_id.as_deref() == Some(user.id.as_str());
            let their_counsellor = user.role == Role::Counsellor
                && w.counsellor_id.as_deref() == Some(user.id.as_str());
            let readable = can(actor, Action::View, &Resource::Worker(w))
                && (!o.sensitive || own || o.author_id == user.id || their_counsellor);
            match action {
                Action::View => readable,
                Action::Edit => readable && can(actor, Action::Edit, &Resource::Worker(w)),
                Action::React => readable && can(actor, Action::React, &Resource::Worker(w)),
                Action::Manage | Action::Respond => false,
            }
        }
        Resource::Administration { structure_id } => {
            user.role == Role::Admin && same_structure(structure_id)
        }
        Resource::Worker(w) => {
            same_structure(&w.structure_id)
                && match user.role {
                    Role::Admin => action != Action::React,
                    Role::Supervisor => {
                        matches!(action, Action::View | Action::Edit | Action::Respond)
                            && supervises(w.team_id.as_deref())
                    }
                    Role::Counsellor => {
                        matches!(action, Action::View | Action::Edit | Action::Respond)
                            && follows(w)
                    }
                    Role::Worker => {
                        matches!(action, Action::View | Action::React)
                            && w.user_id.as_deref() == Some(user.id.as_str())
                    }
                }
        }
        Resource::Reports { structure_id } => {
            same_structure(structure_id) && action == Action::View && user.role != Role::Worker
        }
        Resource::Frameworks { structure_id } => {
            same_structure(structure_id)
                && match action {
                    Action::View => user.role != Role::Worker,
                    Action::Edit | Action::Manage => user.role == Role::Admin,
                    Action::Respond | Action::React => false,
                }
        }
        Resource::SessionPlan {
            structure_id,
            author_id,
        } => {
            same_structure(structure_id)
                && match action {
                    Action::View => user.role != Role::Worker,
                    Action::Edit => match user.role {
                        Role::Admin => true,
                        Role::Supervisor => author_id.is_none_or(|a| a == user.id),
                        Role::Counsellor | Role::Worker => false,
                    },
                    Action::Manage | Action::Respond | Action::React => false,
                }
        }
        Resource::WorkerAccount(w) => {
            same_structure(&w.structure_id)
                && action == Action::Manage
                && match user.role {
                    Role::Admin => true,
                    Role::Counsellor => follows(w),
                    Role::Supervisor | Role::Worker => false,
                }
        }
        Resource::Parcours(w) => {
            same_structure(&w.structure_id)
                && action == Action::Manage
                && match user.role {
                    Role::Admin => true,
                    Role::Counsellor => follows(w),
                    Role::Supervisor | Role::Worker => false,
                }
        }
        Resource::Bilan(b) => {
            let w = b.worker;
            let own = w.user_id.as_deref() == Some(user.id.as_str());
            let their_counsellor = user.role == Role::Counsellor
                && w.counsellor_id.as_deref() == Some(user.id.as_str());
            let staff_reads = user.role != Role::Worker
                && can(actor, Action::View, &Resource::Worker(w))
                && (!b.sensitive || b.author_id == user.id || their_counsellor);
            let readable = staff_reads || (own && b.validated && b.shared_with_worker);
            match action {
                Action::View => readable,
                Action::Edit => {
                    staff_reads
                        && matches!(user.role, Role::Admin | Role::Counsellor)
                        && can(actor, Action::Manage, &Resource::Parcours(w))
                }
                Action::Manage | Action::Respond | Action::React => false,
            }
        }
        Resource::Attestation(w) => match action {
            Action::View => can(actor, Action::View, &Resource::Worker(w)),
            Action::Edit => {
                user.role != Role::Worker && can(actor, Action::Edit, &Resource::Worker(w))
            }
            Action::Manage | Action::Respond | Action::React => false,
        },
        Resource::Devices {
            structure_id,
            user_id,
        } => {
            same_structure(structure_id)
                && matches!(action, Action::View | Action::Manage)
                && (user.id == user_id || user.role == Role::Admin)
        }
        Resource::Team {
            structure_id,
            team_id,
        } => {
            same_structure(structure_id)
                && match user.role {
                    Role::Admin => true,
                    Role::Supervisor => {
                        matches!(action, Action::View | Action::Edit) && supervises(Some(team_id))
                    }
                    Role::Counsellor => action == Action::View,
                    Role::Worker => false,
                }
        }
    }
}

/// The actor of the current request; `NotSignedIn` (401) for visitors.
pub async fn require_actor() -> Result<(Db, Actor), AppError> {
    let db = crate::backend::db::db()?;
    let user = super::session::current_user()
        .await?
        .ok_or_else(|| AppError::NotSignedIn.respond())?;
    let actor = load_actor(&db, user).await?;
    Ok((db, actor))
}

pub async fn load_actor(db: &Db, user: CurrentUser) -> Result<Actor, AppError> {
    let team_ids: Vec<String> = if user.role == Role::Supervisor {
        sqlx::query_scalar(
            "SELECT ts.team_id FROM team_supervisors ts JOIN teams t ON t.id = ts.team_id \
             WHERE ts.user_id = $1 AND t.structure_id = $2",
        )
        .bind(&user.id)
        .bind(&user.structure_id)
        .fetch_all(db)
        .await?
    } else {
        Vec::new()
    };
    let counsellors_see_all: Option<crate::backend::db::Flag> = sqlx::query_scalar(
        "SELECT counsellors_see_all FROM structure_settings WHERE structure_id = $1",
    )
    .bind(&user.structure_id)
    .fetch_optional(db)
    .await?;
    Ok(Actor {
        user,
        team_ids,
        counsellors_see_all: counsellors_see_all.is_some_and(bool::from),
    })
}

/// Checks the policy; a refusal is logged and answered as "not found".
pub async fn authorize(
    db: &Db,
    actor: &Actor,
    action: Action,
    resource: &Resource<'_>,
) -> Result<(), AppError> {
    if can(actor, action, resource) {
        return Ok(());
    }
    let (target_type, target_id) = resource.describe();
    let details = format!("{action:?}");
    audited(
        db,
        actor,
        "access_denied",
        (target_type, &target_id),
        &details,
    )
    .await?;
    Err(AppError::NotFound.respond())
}

/// Checks that the actor may read figures and lists across workers of
/// their structure (staff); each worker in them must still be visible.
pub async fn authorize_reports(db: &Db, actor: &Actor) -> Result<(), AppError> {
    let structure_id = actor.user.structure_id.clone();
    let reports = Resource::Reports {
        structure_id: &structure_id,
    };
    authorize(db, actor, Action::View, &reports).await
}

/// The actor of the current request, if they administer their structure.
pub async fn require_admin() -> Result<(Db, Actor), AppError> {
    let (db, actor) = require_actor().await?;
    let structure_id = actor.user.structure_id.clone();
    authorize(
        &db,
        &actor,
        Action::Manage,
        &Resource::Administration {
            structure_id: &structure_id,
        },
    )
    .await?;
    Ok((db, actor))
}

/// Loads a worker file's access facts; a file of another structure, or of
/// an anonymised person, is "not found".
pub async fn worker_ref(db: &Db, actor: &Actor, worker_id: &str) -> Result<WorkerRef, AppError> {
    sqlx::query_as::<_, WorkerRef>(
        "SELECT structure_id, id AS worker_id, team_id, counsellor_id, user_id \
         FROM workers WHERE id = $1 AND structure_id = $2 AND anonymised_at IS NULL",
    )
    .bind(worker_id)
    .bind(&actor.user.structure_id)
    .fetch_optional(db)
    .await?
    .ok_or_else(|| AppError::NotFound.respond())
}

/// Writes an audit entry for something the actor did in their structure.
pub async fn audited<'e, E>(
    executor: E,
    actor: &Actor,
    action: &str,
    target: (&str, &str),
    details: &str,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let entry = audit::Entry {
        structure_id: Some(&actor.user.structure_id),
        actor_id: Some(&actor.user.id),
        action,
        target_type: Some(target.0),
        target_id: Some(target.1),
        details: Some(details),
    };
    audit::record(executor, entry).await
}

/// A worker the actor may see, with the card their phone shows.
pub struct Visible {
    pub worker: WorkerRef,
    pub card: WorkerCard,
}

#[derive(sqlx::FromRow)]
struct WorkerRow {
    #[sqlx(flatten)]
    worker: WorkerRef,
    first_name: String,
    last_name: String,
    team: Option<String>,
    #[sqlx(try_from = "crate::backend::db::Flag")]
    ended: bool,
}

/// Every worker of the actor's structure that the policy lets them see,
/// by name: the roster of their phone and the scope of their pulls. An
/// anonymised person is nobody's (`retention.rs`): they leave every phone.
pub async fn visible_workers(
    tx: &mut AnyConnection,
    actor: &Actor,
) -> Result<Vec<Visible>, sqlx::Error> {
    let rows: Vec<WorkerRow> = sqlx::query_as(
        "SELECT w.structure_id, w.id AS worker_id, w.team_id, w.counsellor_id, w.user_id, \
         w.first_name, w.last_name, t.name AS team, (w.status = 'ended') AS ended \
         FROM workers w LEFT JOIN teams t ON t.id = w.team_id \
         WHERE w.structure_id = $1 AND w.anonymised_at IS NULL \
         ORDER BY w.last_name, w.first_name, w.id",
    )
    .bind(&actor.user.structure_id)
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| can(actor, Action::View, &Resource::Worker(&r.worker)))
        .map(|r| Visible {
            card: WorkerCard {
                id: r.worker.worker_id.clone(),
                first_name: r.first_name,
                last_name: r.last_name,
                team: r.team,
                team_id: r.worker.team_id.clone(),
                ended: r.ended,
                writable: !r.ended && can(actor, Action::Edit, &Resource::Worker(&r.worker)),
            },
            worker: r.worker,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, id: &str, teams: &[&str], see_all: bool) -> Actor {
        Actor {
            user: CurrentUser {
                id: id.into(),
                structure_id: "s1".into(),
                structure_name: "S".into(),
                structure_is_demo: false,
                display_name: id.into(),
                login: id.into(),
                role,
                half_days: false,
            },
            team_ids: teams.iter().map(|t| t.to_string()).collect(),
            counsellors_see_all: see_all,
        }
    }

    fn worker(structure: &str, team: &str, counsellor: &str, user: &str) -> WorkerRef {
        WorkerRef {
            structure_id: structure.into(),
            worker_id: format!("w-{user}"),
            team_id: Some(team.into()),
            counsellor_id: Some(counsellor.into()),
            user_id: Some(user.into()),
        }
    }

    use Action::*;

    #[test]
    fn admin_sees_and_manages_everything_of_their_structure_only() {
        let a = actor(Role::Admin, "adm", &[], false);
        let w = worker("s1", "t1", "cip", "u1");
        for action in [View, Edit, Manage] {
            assert!(can(&a, action, &Resource::Worker(&w)));
        }
        assert!(can(
            &a,
            Manage,
            &Resource::Administration { structure_id: "s1" }
        ));
        let other = worker("s2", "t1", "cip", "u1");
        for action in [View, Edit, Manage] {
            assert!(!can(&a, action, &Resource::Worker(&other)));
            assert!(!can(&a, action, &Resource::WorkerAccount(&other)));
        }
        assert!(!can(
            &a,
            View,
            &Resource::Administration { structure_id: "s2" }
        ));
        assert!(!can(
            &a,
            View,
            &Resource::Team {
                structure_id: "s2",
                team_id: "t1"
            }
        ));
    }

    #[test]
    fn supervisor_sees_the_workers_of_their_teams_and_manages_nothing() {
        let s = actor(Role::Supervisor, "enc", &["t1"], false);
        let mine = worker("s1", "t1", "cip", "u1");
        let theirs = worker("s1", "t2", "cip", "u2");
        assert!(can(&s, View, &Resource::Worker(&mine)));
        assert!(can(&s, Edit, &Resource::Worker(&mine)));
        assert!(!can(&s, Manage, &Resource::Worker(&mine)));
        assert!(!can(&s, Manage, &Resource::WorkerAccount(&mine)));
        assert!(!can(&s, Manage, &Resource::Parcours(&mine)));
        assert!(!can(&s, View, &Resource::Worker(&theirs)));
        assert!(can(
            &s,
            View,
            &Resource::Team {
                structure_id: "s1",
                team_id: "t1"
            }
        ));
        assert!(!can(
            &s,
            View,
            &Resource::Team {
                structure_id: "s1",
                team_id: "t2"
            }
        ));
        assert!(!can(
            &s,
            View,
            &Resource::Administration { structure_id: "s1" }
        ));
        let unassigned = WorkerRef {
            team_id: None,
            ..mine.clone()
        };
        assert!(!can(&s, View, &Resource::Worker(&unassigned)));
    }

    #[test]
    fn counsellor_sees_the_workers_they_follow_or_all_if_the_structure_allows() {
        let c = actor(Role::Counsellor, "cip", &[], false);
        let followed = worker("s1", "t1", "cip", "u1");
        let other = worker("s1", "t1", "cip2", "u2");
        assert!(can(&c, View, &Resource::Worker(&followed)));
        assert!(can(&c, Manage, &Resource::WorkerAccount(&followed)));
        assert!(!can(&c, Manage, &Resource::Worker(&followed)));
        assert!(!can(&c, View, &Resource::Worker(&other)));
        assert!(!can(&c, Manage, &Resource::WorkerAccount(&other)));
        // The parcours (contract, referent, exit): theirs, not another's.
        assert!(can(&c, Manage, &Resource::Parcours(&followed)));
        assert!(!can(&c, View, &Resource::Parcours(&followed)));
        assert!(!can(&c, Manage, &Resource::Parcours(&other)));
        let all = actor(Role::Counsellor, "cip", &[], true);
        assert!(can(&all, View, &Resource::Worker(&other)));
        assert!(!can(
            &all,
            View,
            &Resource::Worker(&worker("s2", "t1", "cip", "u3"))
        ));
        assert!(!can(
            &c,
            View,
            &Resource::Administration { structure_id: "s1" }
        ));
    }

    #[test]
    fn worker_sees_only_their_own_file_and_changes_nothing() {
        let me = actor(Role::Worker, "u1", &[], true);
        let mine = worker("s1", "t1", "cip", "u1");
        let colleague = worker("s1", "t1", "cip", "u2");
        assert!(can(&me, View, &Resource::Worker(&mine)));
        assert!(!can(&me, Edit, &Resource::Worker(&mine)));
        assert!(!can(&me, Manage, &Resource::WorkerAccount(&mine)));
        assert!(!can(&me, Manage, &Resource::Parcours(&mine)));
        assert!(!can(&me, View, &Resource::Worker(&colleague)));
        assert!(!can(
            &me,
            View,
            &Resource::Team {
                structure_id: "s1",
                team_id: "t1"
            }
        ));
        assert!(!can(
            &me,
            View,
            &Resource::Administration { structure_id: "s1" }
        ));
    }
    #[test]
    fn observations_follow_the_file_except_sensitive_ones_and_sharing() {
        let w = worker("s1", "t1", "cip", "u1");
        let author = actor(Role::Supervisor, "enc", &["t1"], false);
        let colleague = actor(Role::Supervisor, "enc2", &["t1"], false);
        let other_team = actor(Role::Supervisor, "enc3", &["t2"], false);
        let their_cip = actor(Role::Counsellor, "cip", &[], false);
        let cip_seeing_all = actor(Role::Counsellor, "cip2", &[], true);
        let admin = actor(Role::Admin, "adm", &[], false);
        let other_admin = Actor {
            user: CurrentUser {
                structure_id: "s2".into(),
                ..admin.user.clone()
            },
            ..admin.clone()
        };
        let themselves = actor(Role::Worker, "u1", &[], false);
        let colleague_worker = actor(Role::Worker, "u2", &[], false);
        let obs = |sensitive, shared| ObservationRef {
            worker: &w,
            author_id: "enc",
            sensitive,
            shared,
        };
        let may =
            |who: &Actor, action, o: ObservationRef| can(who, action, &Resource::Observation(&o));
        // (who, plain, shared with the worker, sensitive)
        let expected = [
            (&author, true, true, true),
            (&colleague, true, true, false),
            (&other_team, false, false, false),
            (&their_cip, true, true, true),
            (&cip_seeing_all, true, true, false),
            (&admin, true, true, false),
            (&other_admin, false, false, false),
            (&themselves, false, true, false),
            (&colleague_worker, false, false, false),
        ];
        for (who, plain, shared, sensitive) in expected {
            let name = &who.user.id;
            assert_eq!(may(who, View, obs(false, false)), plain, "{name}: plain");
            assert_eq!(may(who, View, obs(false, true)), shared, "{name}: shared");
            assert_eq!(
                may(who, View, obs(true, false)),
                sensitive,
                "{name}: sensitive"
            );
            // A sensitive one marked shared (never stored so) is still hidden from the worker.
            if who.user.role == Role::Worker {
                assert!(!may(who, View, obs(true, true)), "{name}: sensitive+shared");
            }
            assert!(!may(who, Manage, obs(false, false)));
        }
        // Changing it: its author (and the admin, except sensitive ones).
        assert!(may(&author, Edit, obs(true, false)));
        assert!(!may(&colleague, Edit, obs(false, false)));
        assert!(may(&admin, Edit, obs(false, false)));
        assert!(!may(&admin, Edit, obs(true, false)));
        assert!(!may(&themselves, Edit, obs(false, true)));
        // Acknowledging and replying: counsellors who may read it.
        assert!(may(&their_cip, Respond, obs(true, false)));
        assert!(may(&cip_seeing_all, Respond, obs(false, false)));
        assert!(!may(&cip_seeing_all, Respond, obs(true, false)));
        for who in [&author, &colleague, &admin, &themselves] {
            assert!(!may(who, Respond, obs(false, true)), "{}", who.user.id);
        }
    }
}
