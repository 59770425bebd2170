//! The demo structure: created on an empty database when `--demo` is given
//! (scripts/run.sh does), never otherwise. Every person in it is invented;
//! its accounts exist nowhere else.
use app::backend::db::Db;
use app::backend::password;
use app::backend::people::{
    NewUser, NewWorker, insert_structure, insert_team, insert_user, insert_worker,
};
use jalon_core::roles::Role;

use crate::error::Error;

mod worksite;

pub const STRUCTURE_NAME: &str = "Atelier Jalon (démonstration)";
/// Demo-only credentials, printed at start and written in the README.
pub const STAFF_PASSWORD: &str = "demo-jalon";
pub const WORKER_PIN: &str = "135790";

const ADMIN: (&str, &str) = ("demo.admin", "Claire Dumas");
const COUNSELLOR: (&str, &str) = ("demo.cip", "Sophie Lambert");

struct DemoTeam {
    supervisor: (&'static str, &'static str),
    name: &'static str,
    activity: &'static str,
    workers: [(&'static str, &'static str); 8],
}

const TEAMS: [DemoTeam; 2] = [
    DemoTeam {
        supervisor: ("demo.encadrant.a", "Julien Morel"),
        name: "Espaces verts – équipe A",
        activity: "Espaces verts",
        workers: [
            ("Amina", "Diallo"),
            ("Kevin", "Lefort"),
            ("Fatou", "Camara"),
            ("Mehdi", "Bouzid"),
            ("Laetitia", "Roux"),
            ("Ousmane", "Traoré"),
            ("Jessica", "Martin"),
            ("Dimitri", "Popescu"),
        ],
    },
    DemoTeam {
        supervisor: ("demo.encadrant.b", "Nadia Ferhat"),
        name: "Second œuvre – équipe B",
        activity: "Second œuvre du bâtiment",
        workers: [
            ("Yasmine", "Haddad"),
            ("Thierry", "Lemaire"),
            ("Aïcha", "Konaté"),
            ("Samuel", "Girard"),
            ("Nour", "Al-Hassan"),
            ("Bruno", "Petit"),
            ("Marina", "Vasquez"),
            ("Ibrahima", "Sow"),
        ],
    },
];

fn worker_login(team: usize, index: usize) -> String {
    format!("demo.s{:02}", team * 8 + index + 1)
}

async fn demo_exists(db: &Db) -> Result<bool, Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM structures WHERE is_demo = TRUE")
        .fetch_one(db)
        .await?;
    Ok(n > 0)
}

/// Creates the demo structure if the database holds no structure at all.
pub async fn ensure(db: &Db) -> Result<(), Error> {
    let structures: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM structures")
        .fetch_one(db)
        .await?;
    if structures > 0 {
        return Ok(());
    }
    let hash =
        |secret: &str| password::hash(secret).map_err(|e| Error::PasswordHash(e.to_string()));
    let staff_hash = hash(STAFF_PASSWORD)?;
    let worker_hash = hash(WORKER_PIN)?;

    let mut tx = db.begin().await?;
    let sid = insert_structure(&mut tx, STRUCTURE_NAME, true).await?;
    let staff = |role, (login, name): (&'static str, &'static str)| NewUser {
        structure_id: &sid,
        role,
        login,
        display_name: name,
        password_hash: Some(&staff_hash),
    };
    insert_user(&mut tx, staff(Role::Admin, ADMIN)).await?;
    let counsellor = insert_user(&mut tx, staff(Role::Counsellor, COUNSELLOR)).await?;
    let today = chrono::Utc::now().date_naive();
    let mut teams = Vec::new();
    let mut newcomer = None;
    for (t, team) in TEAMS.iter().enumerate() {
        let supervisor = insert_user(&mut tx, staff(Role::Supervisor, team.supervisor)).await?;
        let mut members = Vec::new();
        let team_id = insert_team(&mut tx, &sid, team.name, team.activity, &[&supervisor]).await?;
        for (i, (first, last)) in team.workers.iter().enumerate() {
            let login = worker_login(t, i);
            let display = format!("{first} {last}");
            let user_id = insert_user(
                &mut tx,
                NewUser {
                    structure_id: &sid,
                    role: Role::Worker,
                    login: &login,
                    display_name: &display,
                    password_hash: Some(&worker_hash),
                },
            )
            .await?;
            // Contracts started at staggered dates over the last year, 12 months each.
            let start = today - chrono::Duration::days(30 * (i as i64 + 1) + 7 * t as i64);
            let end = start + chrono::Duration::days(365);
            let worker_id = insert_worker(
                &mut tx,
                NewWorker {
                    structure_id: &sid,
                    user_id: Some(&user_id),
                    first_name: first,
                    last_name: last,
                    team_id: Some(&team_id),
                    counsellor_id: Some(&counsellor),
                    contract_start: &start.format("%Y-%m-%d").to_string(),
                    contract_end: Some(&end.format("%Y-%m-%d").to_string()),
                    phone: None,
                    created_by: None,
                },
            )
            .await?;
            members.push(worker_id.clone());
            let who = DemoPerson {
                structure_id: &sid,
                worker_id: &worker_id,
                supervisor: &supervisor,
                seed: t * 8 + i,
            };
            past_attendance(
                &mut tx,
                who,
                start.max(today - chrono::Duration::days(28)),
                today,
            )
            .await?;
        }
        if t == 1 {
            // A newcomer in their first week, without an account yet.
            let (first, last) = worksite::NEWCOMER;
            let start = today - chrono::Duration::days(worksite::NEWCOMER_DAYS);
            let worker_id = insert_worker(
                &mut tx,
                NewWorker {
                    structure_id: &sid,
                    user_id: None,
                    first_name: first,
                    last_name: last,
                    team_id: Some(&team_id),
                    counsellor_id: Some(&counsellor),
                    contract_start: &start.format("%Y-%m-%d").to_string(),
                    contract_end: Some(
                        &(start + chrono::Duration::days(120))
                            .format("%Y-%m-%d")
                            .to_string(),
                    ),
                    phone: None,
                    created_by: None,
                },
            )
            .await?;
            newcomer = Some((supervisor.clone(), worker_id));
        }
        teams.push((supervisor, members, team_id));
    }
    // A parcours that ended almost two years ago: the admin's « Conservation
    // des données » screen shows it among the anonymisations of the month.
    let ended_on = today - chrono::Duration::days(2 * 365 - 20);
    let ended = insert_worker(
        &mut tx,
        NewWorker {
            structure_id: &sid,
            user_id: None,
            first_name: "Lucien",
            last_name: "Marchal",
            team_id: None,
            counsellor_id: Some(&counsellor),
            contract_start: &(ended_on - chrono::Duration::days(300))
                .format("%Y-%m-%d")
                .to_string(),
            contract_end: Some(&ended_on.format("%Y-%m-%d").to_string()),
            phone: None,
            created_by: None,
        },
    )
    .await?;
    sqlx::query("UPDATE workers SET status = 'ended', exit_outcome = 'lasting_job' WHERE id = $1")
        .bind(&ended)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    app::backend::skills::ensure_defaults(db, &sid)
        .await
        .map_err(|e| Error::Invalid(e.to_string()))?;
    for (t, ((supervisor, members, team_id), plan)) in teams.into_iter().zip(DEMO_PLANS).enumerate()
    {
        demo_observations(db, &supervisor, &members).await?;
        let topic = jalon_core::worksite::briefings::TOPICS[t];
        worksite::briefing(db, &supervisor, &team_id, &members, topic).await?;
        if t == 0
            && let Some(first) = members.first()
        {
            worksite::near_miss(db, &supervisor, first).await?;
        }
        demo_session(db, &sid, &supervisor, &members, plan).await?;
        demo_objectives(db, &counsellor, &members).await?;
        if t == 0 {
            demo_bilans(db, &counsellor, &members).await?;
        }
    }
    if let Some((supervisor, worker_id)) = newcomer {
        worksite::newcomer(db, &supervisor, &worker_id).await?;
    }
    tracing::info!("demo structure created");
    Ok(())
}

/// A few invented observations per team, written by its supervisor through
/// the sync (so they have their history like any other): an alert to
/// acknowledge, barriers (one of them sensitive), a strength shared with
/// the worker, a behaviour, a skill.
async fn demo_observations(db: &Db, supervisor: &str, members: &[String]) -> Result<(), Error> {
    use jalon_core::sync::protocol::{Mutation, Op};
    let today = app::backend::db::today_paris();
    let notes = [
        (
            0,
            0,
            "08:10",
            "alert",
            "",
            false,
            "Arrivé très fatigué ; dit dormir dans sa voiture depuis trois jours.",
        ),
        (
            0,
            1,
            "08:20",
            "barrier",
            "mobilite",
            false,
            "Le bus de 7 h 10 ne passe plus : arrivé à 8 h 15 deux fois cette semaine.",
        ),
        (
            0,
            2,
            "10:30",
            "strength",
            "",
            true,
            "A montré au nouveau comment régler la machine, calmement et clairement.",
        ),
        (
            1,
            3,
            "14:05",
            "behaviour",
            "securite",
            false,
            "A travaillé sans lunettes de protection malgré deux rappels.",
        ),
        (
            2,
            4,
            "11:00",
            "barrier",
            "sante",
            false,
            "Dit avoir mal au dos et ne pas pouvoir porter de charges lourdes.",
        ),
        (
            2,
            6,
            "15:40",
            "skill",
            "",
            true,
            "Tâche du jour réalisée seul, sans erreur, dans le temps prévu.",
        ),
    ];
    let mutations = notes
        .iter()
        .filter_map(|(who, days_ago, at, kind, category, shared, body)| {
            let worker = members.get(*who)?;
            let data = serde_json::json!({
                "worker_id": worker,
                "observed_on": (today - chrono::Duration::days(*days_ago)).to_string(),
                "observed_at": at,
                "kind": kind,
                "category": category,
                "body": body,
                "shared": shared,
            });
            Some(Mutation {
                id: uuid::Uuid::now_v7(),
                record_type: jalon_core::observations::RECORD_TYPE.into(),
                schema: jalon_core::observations::SCHEMA,
                record_id: uuid::Uuid::now_v7(),
                op: Op::Create,
                base_version: 0,
                data,
            })
        })
        .collect();
    push_as(db, supervisor, mutations).await
}

/// Three invented objectives per team, defined by the counsellor with the
/// first three workers, the first step of each already reached.
async fn demo_objectives(db: &Db, counsellor: &str, members: &[String]) -> Result<(), Error> {
    use jalon_core::objectives::{Kind, Note, Objective, Step};
    use jalon_core::sync::protocol::{Mutation, Op};
    let today = app::backend::db::today_paris();
    let day = |n: i64| (today + chrono::Duration::days(n)).to_string();
    let goals = [
        (
            Kind::Behaviour,
            "",
            "Venir à l'heure chaque jour",
            [
                "Une semaine sans retard",
                "Deux semaines sans retard",
                "Un mois sans retard",
            ],
            "Bravo pour cette semaine à l'heure !",
        ),
        (
            Kind::Barrier,
            "mobilite",
            "Trouver une solution pour venir le matin",
            [
                "Regarder les horaires de bus",
                "Demander l'aide au transport",
                "Faire le trajet une semaine",
            ],
            "Le dossier d'aide au transport est à déposer avant la fin du mois.",
        ),
        (
            Kind::JobSearch,
            "",
            "Préparer mon CV",
            ["Lister mes expériences", "Écrire le CV", "Imprimer le CV"],
            "La liste des expériences est prête.",
        ),
    ];
    let mutations = members
        .iter()
        .zip(goals)
        .map(|(worker, (kind, barrier, title, steps, note))| {
            let mut o = Objective::new(worker);
            o.kind = kind;
            o.barrier = barrier.into();
            o.title = title.into();
            o.target_on = day(60);
            o.steps = steps
                .iter()
                .enumerate()
                .map(|(n, t)| Step {
                    id: format!("e{}", n + 1),
                    title: (*t).into(),
                    ..Step::default()
                })
                .collect();
            o.set_step("e1", true, "Sophie Lambert", &day(-10));
            o.notes.push(Note {
                id: "n1".into(),
                at: app::backend::db::now(),
                by: "Sophie Lambert".into(),
                text: note.into(),
                shared: true,
            });
            Mutation {
                id: uuid::Uuid::now_v7(),
                record_type: jalon_core::objectives::RECORD_TYPE.into(),
                schema: jalon_core::objectives::SCHEMA,
                record_id: uuid::Uuid::now_v7(),
                op: Op::Create,
                base_version: 0,
                data: serde_json::to_value(&o).unwrap_or_default(),
            }
        })
        .collect();
    push_as(db, counsellor, mutations).await
}

/// One validated entry bilan per worker of the first team, over their
/// first month, written by the counsellor and shared with the worker.
async fn demo_bilans(db: &Db, counsellor: &str, members: &[String]) -> Result<(), Error> {
    let fail = |e: app::error::AppError| Error::Invalid(e.to_string());
    let user = app::backend::session::user_by_id(db, counsellor)
        .await
        .map_err(fail)?;
    let actor = app::backend::policy::load_actor(db, user)
        .await
        .map_err(fail)?;
    let today = app::backend::db::today_paris();
    for worker in members {
        let start: String = sqlx::query_scalar("SELECT contract_start FROM workers WHERE id = $1")
            .bind(worker)
            .fetch_one(db)
            .await?;
        let first_month = chrono::NaiveDate::parse_from_str(&start, "%Y-%m-%d")
            .map(|d| (d + chrono::Duration::days(30)).min(today))
            .unwrap_or(today)
            .to_string();
        let id =
            app::backend::bilans::create(db, &actor, worker, "entry", "team", &start, &first_month)
                .await
                .map_err(fail)?;
        let view = app::backend::bilans::view(db, &actor, &id)
            .await
            .map_err(fail)?;
        let words = app::wire::bilans::BilanWords {
            worker_words: "Je veux apprendre un métier et avoir des horaires réguliers.".into(),
            conclusions: "Un premier mois régulier ; la personne s'est intégrée à l'équipe et pose des questions sur les gestes du métier.".into(),
            next_objectives: vec!["Passer le permis B".into()],
            orientation: "Poursuivre le parcours sur le chantier, point d'étape dans trois mois.".into(),
            ..view.content.words
        };
        app::backend::bilans::save(db, &actor, &id, "team", words, Vec::new())
            .await
            .map_err(fail)?;
        app::backend::bilans::validate(db, &actor, &id)
            .await
            .map_err(fail)?;
        app::backend::bilans::share(db, &actor, &id, "worker", "")
            .await
            .map_err(fail)?;
    }
    Ok(())
}

/// Writes records through the sync, as the phone of `user_id` would.
async fn push_as(
    db: &Db,
    user_id: &str,
    mutations: Vec<jalon_core::sync::protocol::Mutation>,
) -> Result<(), Error> {
    let user = app::backend::session::user_by_id(db, user_id)
        .await
        .map_err(|e| Error::Invalid(e.to_string()))?;
    let actor = app::backend::policy::load_actor(db, user)
        .await
        .map_err(|e| Error::Invalid(e.to_string()))?;
    let req = jalon_core::sync::protocol::PushRequest {
        outbox_from: None,
        device_id: uuid::Uuid::now_v7(),
        batch: 1,
        mutations,
    };
    app::backend::sync::push(db, &actor, req)
        .await
        .map_err(|e| Error::Invalid(e.to_string()))?;
    Ok(())
}

/// A demo template per team: title, skills (default framework key and
/// skill id: the trade's, then a behaviour), task, steps.
struct DemoPlan {
    title: &'static str,
    skills: [(&'static str, &'static str); 2],
    task: &'static str,
    steps: [(&'static str, &'static str); 3],
}

const DEMO_PLANS: [DemoPlan; 2] = [
    DemoPlan {
        title: "Tailler une haie au taille-haie électrique",
        skills: [
            ("espaces-verts", "taille-haie"),
            ("comportements", "securite-epi"),
        ],
        task: "Taille de la haie de charmille le long du parking de la résidence.",
        steps: [
            (
                "Préparer",
                "Vérifier le taille-haie, enfiler les EPI, baliser la zone.",
            ),
            (
                "Démontrer",
                "L'encadrant taille deux mètres en expliquant chaque geste.",
            ),
            (
                "Faire",
                "La personne taille à son tour, l'encadrant observe et corrige.",
            ),
        ],
    },
    DemoPlan {
        title: "Peindre un mur de chambre",
        skills: [
            ("second-oeuvre", "peindre"),
            ("comportements", "soin-materiel"),
        ],
        task: "Remise en peinture d'une chambre d'un logement social vacant.",
        steps: [
            ("Protéger", "Bâcher le sol, scotcher plinthes et prises."),
            (
                "Rechampir",
                "Peindre les angles au pinceau avant le rouleau.",
            ),
            (
                "Rouler",
                "Appliquer la couche au rouleau, sans surcharge, puis nettoyer.",
            ),
        ],
    },
];

/// A template plan by the team's supervisor and a session held a week
/// ago with three of the team, evaluated through the sync.
async fn demo_session(
    db: &Db,
    sid: &str,
    supervisor: &str,
    members: &[String],
    plan: DemoPlan,
) -> Result<(), Error> {
    use jalon_core::sessions::{Level, PlanBody, PlanCriterion, SkillTag, Step, blank_results};
    let invalid = |e: app::error::AppError| Error::Invalid(e.to_string());
    let frameworks = app::backend::skills::all(db, sid).await.map_err(invalid)?;
    let defaults: Vec<(String, String)> =
        sqlx::query_as("SELECT id, default_key FROM frameworks WHERE structure_id = $1 AND default_key IS NOT NULL")
            .bind(sid)
            .fetch_all(db)
            .await?;
    let mut body = PlanBody {
        task: plan.task.into(),
        objectives: vec![format!("Réaliser seul : {}", plan.title.to_lowercase())],
        steps: plan
            .steps
            .iter()
            .map(|(title, content)| Step {
                title: (*title).into(),
                content: (*content).into(),
                resources: String::new(),
            })
            .collect(),
        methods: "Démonstrative puis active : je montre, on fait ensemble, tu fais seul.".into(),
        material: "Outils de la tâche, EPI, fiche consigne plastifiée.".into(),
        evaluation: "Observation pendant la tâche, questions à la fin.".into(),
        duration_min: 90,
        ..Default::default()
    };
    for (key, skill_id) in plan.skills {
        let Some((fid, _)) = defaults.iter().find(|(_, k)| k == key) else {
            continue;
        };
        let Some(skill) = frameworks
            .iter()
            .find(|f| &f.id == fid)
            .and_then(|f| f.framework.skills.iter().find(|s| s.id == skill_id))
        else {
            continue;
        };
        let tag = SkillTag {
            framework_id: fid.clone(),
            skill_id: skill.id.clone(),
            title: skill.title.clone(),
        };
        body.criteria
            .extend(skill.criteria.iter().map(|c| PlanCriterion {
                skill: Some(tag.clone()),
                criterion_id: c.id.clone(),
                label: c.text.clone(),
            }));
        body.skills.push(tag);
    }
    let json = serde_json::to_string(&body).map_err(|e| Error::Invalid(e.to_string()))?;
    let plan_id = app::backend::db::new_id();
    let now = app::backend::db::now();
    sqlx::query(
        "INSERT INTO session_plans (id, structure_id, author_id, title, template, afest,          archived, body, created_at, updated_at) VALUES ($1, $2, $3, $4, TRUE, FALSE, FALSE, $5, $6, $6)",
    )
    .bind(&plan_id)
    .bind(sid)
    .bind(supervisor)
    .bind(plan.title)
    .bind(json)
    .bind(now)
    .execute(db)
    .await?;
    let session_id = uuid::Uuid::now_v7().to_string();
    let held_on = (app::backend::db::today_paris() - chrono::Duration::days(7)).to_string();
    let patterns = [
        [
            Level::Acquired,
            Level::Acquired,
            Level::Acquired,
            Level::InProgress,
        ],
        [
            Level::InProgress,
            Level::Acquired,
            Level::NotAcquired,
            Level::Acquired,
        ],
        [
            Level::Acquired,
            Level::NotEvaluated,
            Level::Acquired,
            Level::Acquired,
        ],
    ];
    let mutations = members
        .iter()
        .zip(patterns)
        .map(|(worker, levels)| {
            let mut results = blank_results(&body.criteria);
            for (r, level) in results.iter_mut().zip(levels.iter().cycle()) {
                r.level = *level;
            }
            let data = serde_json::json!({
                "worker_id": worker,
                "session_id": session_id,
                "plan_id": plan_id,
                "title": plan.title,
                "afest": false,
                "held_on": held_on,
                "place": "Résidence Les Tilleuls",
                "duration_min": 90,
                "absent": false,
                "reflection": "",
                "results": results,
            });
            jalon_core::sync::protocol::Mutation {
                id: uuid::Uuid::now_v7(),
                record_type: jalon_core::sessions::RECORD_TYPE.into(),
                schema: jalon_core::sessions::SCHEMA,
                record_id: uuid::Uuid::now_v7(),
                op: jalon_core::sync::protocol::Op::Create,
                base_version: 0,
                data,
            }
        })
        .collect();
    push_as(db, supervisor, mutations).await
}

struct DemoPerson<'a> {
    structure_id: &'a str,
    worker_id: &'a str,
    supervisor: &'a str,
    seed: usize,
}

/// Four weeks of invented roll calls before today, so the attendance
/// screens have something to show: mostly present, some lateness, a few
/// absences, each person differently.
async fn past_attendance(
    tx: &mut sqlx::AnyConnection,
    who: DemoPerson<'_>,
    from: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> Result<(), Error> {
    use jalon_core::attendance::{AbsenceReason, Attendance, Presence, Slot, rates};
    let mut day = from;
    let mut n = who.seed * 7;
    while day < today {
        n += 1;
        if rates::working_day(day) {
            let mut entry = Attendance::present(who.worker_id, &day.to_string(), Slot::Day);
            match (n * 37 + who.seed) % 29 {
                0 => {
                    entry.status = Presence::Absent;
                    entry.reason = Some(AbsenceReason::Sickness);
                }
                1 if who.seed.is_multiple_of(3) => {
                    entry.status = Presence::Absent;
                    entry.reason = Some(AbsenceReason::NoNews);
                }
                2 | 3 => entry.late_minutes = [5, 10, 15, 20][(n + who.seed) % 4],
                4 => entry.left_at = "15:30".into(),
                5 if who.seed.is_multiple_of(2) => {
                    entry.status = Presence::Absent;
                    entry.reason = Some(AbsenceReason::Appointment);
                }
                _ => {}
            }
            insert_attendance(tx, &who, &entry).await?;
        }
        day += chrono::Duration::days(1);
    }
    Ok(())
}

async fn insert_attendance(
    tx: &mut sqlx::AnyConnection,
    who: &DemoPerson<'_>,
    e: &jalon_core::attendance::Attendance,
) -> Result<(), Error> {
    let seq: i64 = sqlx::query_scalar(
        "UPDATE sync_counter SET value = value + 1 WHERE id = 1 RETURNING value",
    )
    .fetch_one(&mut *tx)
    .await?;
    let id = e.record_id().to_string();
    let at = format!("{}T07:45:00.000Z", e.day);
    let data = serde_json::to_value(e).map_err(|err| Error::Invalid(err.to_string()))?;
    sqlx::query(
        "INSERT INTO attendance (id, structure_id, worker_id, author_id, version, seq, deleted, \
         created_at, updated_at, updated_by, last_device, has_conflict, day, slot, status, reason, \
         reason_text, late_minutes, left_at, change_reason) \
         VALUES ($1, $2, $3, $4, 1, $5, FALSE, $6, $6, $4, 'demo', FALSE, $7, $8, $9, $10, '', $11, $12, '')",
    )
    .bind(&id)
    .bind(who.structure_id)
    .bind(who.worker_id)
    .bind(who.supervisor)
    .bind(seq)
    .bind(&at)
    .bind(&e.day)
    .bind(e.slot.as_str())
    .bind(data["status"].as_str().unwrap_or_default())
    .bind(data["reason"].as_str().unwrap_or_default())
    .bind(e.late_minutes)
    .bind(&e.left_at)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO record_history (id, structure_id, record_type, record_id, version, previous, \
         data, reason, changed_by, changed_at) VALUES ($1, $2, $3, $4, 1, NULL, $5, '', $6, $7)",
    )
    .bind(app::backend::db::new_id())
    .bind(who.structure_id)
    .bind(jalon_core::attendance::RECORD_TYPE)
    .bind(&id)
    .bind(data.to_string())
    .bind(who.supervisor)
    .bind(&at)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Prints the demo accounts, if the demo structure exists.
pub async fn print_logins(db: &Db) -> Result<(), Error> {
    if !demo_exists(db).await? {
        return Ok(());
    }
    println!("Structure de démonstration « {STRUCTURE_NAME} » (personnes fictives) :");
    println!("  mot de passe du personnel : {STAFF_PASSWORD}   code des salariés : {WORKER_PIN}");
    println!("  responsable   {}  ({})", ADMIN.0, ADMIN.1);
    println!("  CIP           {}  ({})", COUNSELLOR.0, COUNSELLOR.1);
    for (t, team) in TEAMS.iter().enumerate() {
        println!(
            "  encadrant·e   {}  ({}, {})",
            team.supervisor.0, team.supervisor.1, team.name
        );
        println!(
            "  salarié·es    {} à {}  ({})",
            worker_login(t, 0),
            worker_login(t, 7),
            team.name
        );
    }
    println!("  Les comptes de démonstration n'existent que dans cette structure.\n");
    Ok(())
}

#[cfg(test)]
#[path = "tests/demo.rs"]
mod tests;
