//! The access matrix: every registered server function and API route, called
//! by every kind of actor (visitor, each role, and an admin of another
//! structure), against a real SQLite database through the real router.
//! An endpoint missing from `EXPECTATIONS` fails the suite: a new endpoint
//! must declare who may call it.
use std::collections::BTreeSet;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

use app::backend::db::Db;
use app::backend::password;
use app::backend::people::{
    NewUser, NewWorker, insert_structure, insert_team, insert_user, insert_worker,
};
use jalon_core::roles::Role;

use crate::config::Config;
use crate::demo::{STAFF_PASSWORD, WORKER_PIN};
use crate::http::router;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Visitor,
    Admin,
    Supervisor,
    OtherSupervisor,
    Counsellor,
    Worker,
    OtherStructureAdmin,
}

const EVERYONE: &[Who] = &[
    Who::Visitor,
    Who::Admin,
    Who::Supervisor,
    Who::OtherSupervisor,
    Who::Counsellor,
    Who::Worker,
    Who::OtherStructureAdmin,
];
const SIGNED_IN: &[Who] = &[
    Who::Admin,
    Who::Supervisor,
    Who::OtherSupervisor,
    Who::Counsellor,
    Who::Worker,
    Who::OtherStructureAdmin,
];
const ADMINS: &[Who] = &[Who::Admin, Who::OtherStructureAdmin];
const ADMIN: &[Who] = &[Who::Admin];
/// Every staff account, of any team or structure (not workers, not visitors).
const STAFF: &[Who] = &[
    Who::Admin,
    Who::Supervisor,
    Who::OtherSupervisor,
    Who::Counsellor,
    Who::OtherStructureAdmin,
];
/// The staff who may see the demo worker `demo.s01` (team A).
const STAFF_OF_S01: &[Who] = &[Who::Admin, Who::Supervisor, Who::Counsellor];
/// The demo structure's staff, both teams' supervisors included.
const STAFF_OF_S01_ALL_TEAMS: &[Who] = &[
    Who::Admin,
    Who::Supervisor,
    Who::OtherSupervisor,
    Who::Counsellor,
];
/// A small valid framework file, as a form field.
const IMPORT_FILE: &str = "file=%7B%22format%22%3A%22jalon-referentiel%22%2C%22version%22%3A1%2C%22title%22%3A%22Import%22%2C%22kind%22%3A%22trade%22%2C%22skills%22%3A%5B%7B%22id%22%3A%22a%22%2C%22title%22%3A%22A%22%2C%22criteria%22%3A%5B%7B%22id%22%3A%22a-1%22%2C%22text%22%3A%22Un%22%7D%5D%7D%5D%7D";

/// Ids created by the fixture, used to build request bodies.
struct Ids {
    worker: String,
    colleague: String,
    spare_worker: String,
    spare_user: String,
    team_a: String,
    team_b: String,
    /// A demo alert about `worker`, written by the team's supervisor.
    alert: String,
    /// The demo structure's espaces verts framework.
    framework: String,
    /// Team A's demo template plan, by its supervisor.
    plan: String,
}

enum Expect {
    /// Allowed for these actors (2xx); refused for every other one.
    Only(&'static [Who]),
    /// Open to visitors: the answer is this status for everyone (bad input on purpose).
    Public(StatusCode),
}

struct Endpoint {
    path: &'static str,
    body: fn(&Ids, usize) -> String,
    expect: Expect,
}

fn none(_: &Ids, _: usize) -> String {
    String::new()
}

const EXPECTATIONS: &[Endpoint] = &[
    Endpoint {
        path: "/api/auth/current_user",
        body: none,
        expect: Expect::Only(EVERYONE),
    },
    Endpoint {
        path: "/api/auth/sign_in",
        body: |_, n| format!("login=nobody{n}&secret=wrong-secret"),
        expect: Expect::Public(StatusCode::UNAUTHORIZED),
    },
    Endpoint {
        path: "/api/home/summary",
        body: none,
        expect: Expect::Only(SIGNED_IN),
    },
    Endpoint {
        path: "/api/people/list_workers",
        body: none,
        expect: Expect::Only(SIGNED_IN),
    },
    Endpoint {
        path: "/api/people/get_worker",
        body: |ids, _| format!("id={}", ids.worker),
        expect: Expect::Only(&[Who::Admin, Who::Supervisor, Who::Counsellor, Who::Worker]),
    },
    Endpoint {
        path: "/api/people/choices",
        body: none,
        expect: Expect::Only(ADMINS),
    },
    Endpoint {
        path: "/api/people/create_worker",
        body: |_, n| format!("first_name=Test&last_name=Matrice{n}&contract_start=2026-01-05"),
        expect: Expect::Only(ADMINS),
    },
    Endpoint {
        path: "/api/people/move_worker",
        body: |ids, n| {
            let team = if n % 2 == 0 { &ids.team_b } else { &ids.team_a };
            format!("worker_id={}&team_id={team}", ids.spare_worker)
        },
        expect: Expect::Only(ADMIN),
    },
    Endpoint {
        path: "/api/people/end_worker",
        body: |ids, _| format!("worker_id={}&end_date=2026-12-31", ids.spare_worker),
        expect: Expect::Only(ADMIN),
    },
    Endpoint {
        path: "/api/people/issue_activation_code",
        body: |ids, _| format!("worker_id={}", ids.worker),
        expect: Expect::Only(&[Who::Admin, Who::Counsellor]),
    },
    Endpoint {
        path: "/api/people/activate_account",
        body: |_, _| "code=AAAA-BBBB&pin=135790&pin_again=135790".into(),
        expect: Expect::Public(StatusCode::UNPROCESSABLE_ENTITY),
    },
    Endpoint {
        path: "/api/people/list_users",
        body: none,
        expect: Expect::Only(ADMINS),
    },
    Endpoint {
        path: "/api/people/create_user",
        body: |_, n| {
            format!(
                "role=supervisor&login=matrix.{n}&display_name=Matrice&password=un-mot-de-passe"
            )
        },
        expect: Expect::Only(ADMINS),
    },
    Endpoint {
        path: "/api/people/rename_user",
        body: |ids, n| format!("id={}&display_name=Renomme{n}", ids.spare_user),
        expect: Expect::Only(ADMIN),
    },
    Endpoint {
        path: "/api/people/set_user_active",
        body: |ids, _| format!("id={}&active=true", ids.spare_user),
        expect: Expect::Only(ADMIN),
    },
    Endpoint {
        path: "/api/people/set_counsellors_see_all",
        body: |_, _| "enabled=false".into(),
        expect: Expect::Only(ADMINS),
    },
    Endpoint {
        path: "/api/people/list_teams",
        body: none,
        expect: Expect::Only(ADMINS),
    },
    Endpoint {
        path: "/api/people/create_team",
        body: |_, n| format!("name=Equipe{n}&activity=Tri"),
        expect: Expect::Only(ADMINS),
    },
    Endpoint {
        path: "/api/people/assign_supervisor",
        body: |ids, _| {
            format!(
                "team_id={}&user_id={}&assign=true",
                ids.team_b, ids.spare_user
            )
        },
        expect: Expect::Only(ADMIN),
    },
    Endpoint {
        path: "/api/audit/list",
        body: none,
        expect: Expect::Only(ADMINS),
    },
    Endpoint {
        // Each actor "changes" their secret to the same value: allowed, and harmless.
        path: "/api/auth/change_secret",
        body: |_, n| {
            let secret = credentials(EVERYONE[n]).map(|(_, s)| s).unwrap_or("x");
            format!("current={secret}&new={secret}&new_again={secret}")
        },
        expect: Expect::Only(SIGNED_IN),
    },
    Endpoint {
        // One worker's figures: whoever may see that worker, staff only.
        path: "/api/attendance/report",
        body: |ids, _| {
            format!(
                "filter[team_id]=&filter[worker_id]={}&filter[from]=2026-11-01&filter[to]=2026-11-30",
                ids.worker
            )
        },
        expect: Expect::Only(STAFF_OF_S01),
    },
    Endpoint {
        path: "/api/attendance/history",
        body: |ids, _| format!("worker_id={}&day=2026-11-20", ids.worker),
        expect: Expect::Only(STAFF_OF_S01),
    },
    Endpoint {
        // Staff only; each sees the observations they may read (maybe none).
        path: "/api/observations/feed",
        body: |_, _| "filter[kind]=&filter[limit]=5".into(),
        expect: Expect::Only(STAFF),
    },
    Endpoint {
        // Staff only; each marks what they may read.
        path: "/api/observations/mark_all_read",
        body: |_, _| "filter[kind]=incident".into(),
        expect: Expect::Only(STAFF),
    },
    Endpoint {
        // Not shared with the worker: staff who may read it.
        path: "/api/observations/mark_read",
        body: |ids, _| format!("id={}", ids.alert),
        expect: Expect::Only(STAFF_OF_S01),
    },
    Endpoint {
        path: "/api/observations/history",
        body: |ids, _| format!("id={}", ids.alert),
        expect: Expect::Only(STAFF_OF_S01),
    },
    Endpoint {
        // Acknowledging and replying: the worker's counsellor only.
        path: "/api/observations/acknowledge",
        body: |ids, _| format!("id={}", ids.alert),
        expect: Expect::Only(&[Who::Counsellor]),
    },
    Endpoint {
        path: "/api/observations/reply",
        body: |ids, n| format!("id={}&body=R%C3%A9ponse+{n}", ids.alert),
        expect: Expect::Only(&[Who::Counsellor]),
    },
    Endpoint {
        // Frameworks: read by every staff member of their structure.
        path: "/api/skills/list",
        body: none,
        expect: Expect::Only(STAFF),
    },
    Endpoint {
        path: "/api/skills/get",
        body: |ids, _| format!("id={}", ids.framework),
        expect: Expect::Only(STAFF_OF_S01_ALL_TEAMS),
    },
    Endpoint {
        // Changed by the admin only (each in their structure).
        path: "/api/skills/create",
        body: |_, n| format!("title=Maraichage+{n}&kind=trade"),
        expect: Expect::Only(ADMINS),
    },
    Endpoint {
        path: "/api/skills/import",
        body: |_, _| IMPORT_FILE.into(),
        expect: Expect::Only(ADMINS),
    },
    Endpoint {
        path: "/api/skills/update",
        body: |ids, _| format!("id={}&title=Espaces+verts&archived=false", ids.framework),
        expect: Expect::Only(ADMIN),
    },
    Endpoint {
        path: "/api/skills/save_skill",
        body: |ids, n| {
            format!(
                "framework_id={}&skill=%7B%22id%22%3A%22%22%2C%22title%22%3A%22Semer+{n}%22%2C%22criteria%22%3A%5B%7B%22id%22%3A%22%22%2C%22text%22%3A%22Seme%22%7D%5D%7D",
                ids.framework
            )
        },
        expect: Expect::Only(ADMIN),
    },
    Endpoint {
        path: "/api/skills/move_skill",
        body: |ids, _| {
            format!(
                "framework_id={}&skill_id=taille-haie&up=true",
                ids.framework
            )
        },
        expect: Expect::Only(ADMIN),
    },
    Endpoint {
        path: "/api/skills/archive_skill",
        body: |ids, _| {
            format!(
                "framework_id={}&skill_id=paillage&archived=false",
                ids.framework
            )
        },
        expect: Expect::Only(ADMIN),
    },
    Endpoint {
        // Plans: read by the structure's staff, written by supervisors
        // (their own) and the admin.
        path: "/api/sessions/plans",
        body: none,
        expect: Expect::Only(STAFF),
    },
    Endpoint {
        path: "/api/sessions/catalogue",
        body: |_, _| "known=".into(),
        expect: Expect::Only(STAFF),
    },
    Endpoint {
        path: "/api/sessions/plan",
        body: |ids, _| format!("id={}", ids.plan),
        expect: Expect::Only(STAFF_OF_S01_ALL_TEAMS),
    },
    Endpoint {
        path: "/api/sessions/save_plan",
        body: |ids, _| {
            format!(
                "id={}&title=Haie&template=true&afest=false&body=%7B%7D",
                ids.plan
            )
        },
        expect: Expect::Only(&[Who::Admin, Who::Supervisor]),
    },
    Endpoint {
        path: "/api/sessions/duplicate_plan",
        body: |ids, _| format!("id={}", ids.plan),
        expect: Expect::Only(&[Who::Admin, Who::Supervisor, Who::OtherSupervisor]),
    },
    Endpoint {
        path: "/api/sessions/archive_plan",
        body: |ids, _| format!("id={}&archived=false", ids.plan),
        expect: Expect::Only(&[Who::Admin, Who::Supervisor]),
    },
    Endpoint {
        path: "/api/attendance/set_half_days",
        body: |_, _| "enabled=false".into(),
        expect: Expect::Only(ADMINS),
    },
    // Last: it ends the caller's session.
    Endpoint {
        path: "/api/auth/sign_out",
        body: none,
        expect: Expect::Only(EVERYONE),
    },
];

/// GET routes answered with the caller's session (files to download),
/// completed with an id of the fixture.
/// A download: its path, the query naming what it is about, who may have it.
type SignedGet = (&'static str, fn(&Ids) -> &str, &'static [Who]);

const SIGNED_GETS: &[SignedGet] = &[
    (
        "/api/attendance/export.csv?detail=1&salarie=",
        |ids| &ids.worker,
        STAFF_OF_S01,
    ),
    (
        "/api/referentiels/export.json?id=",
        |ids| &ids.framework,
        STAFF_OF_S01_ALL_TEAMS,
    ),
];

/// Plain axum routes (not server functions), checked too.
const PLAIN_ROUTES: &[(&str, &[Who])] = &[("/healthz", EVERYONE), ("/api/openapi.json", EVERYONE)];

/// The sync API (JSON bodies): every signed-in person syncs what they may see.
/// What each one may see and write is checked in `app`'s sync tests.
const SYNC_ROUTES: &[Endpoint] = &[
    Endpoint {
        path: "/api/sync/v1/push",
        body: |_, n| {
            format!(
                r#"{{"device_id":"01900000-0000-7000-8000-00000000000{n}","batch":1,"mutations":[]}}"#
            )
        },
        expect: Expect::Only(SIGNED_IN),
    },
    Endpoint {
        path: "/api/sync/v1/pull",
        body: |_, _| r#"{"cursor":0}"#.into(),
        expect: Expect::Only(SIGNED_IN),
    },
];

struct Fixture {
    _dir: tempfile::TempDir,
    router: Router,
    db: Db,
    ids: Ids,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("matrix.db").display());
    let db: Db = app::backend::db::connect(&url).await.expect("db");
    crate::demo::ensure(&db).await.expect("demo");
    let id_of = |sql: &'static str, key: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, String>(sql)
                .bind(key)
                .fetch_one(&db)
                .await
                .expect(key)
        }
    };
    let worker_of =
        "SELECT w.id FROM workers w JOIN users u ON u.id = w.user_id WHERE u.login = $1";
    let worker = id_of(worker_of, "demo.s01").await;
    let colleague = id_of(worker_of, "demo.s02").await;
    let team_a = id_of(
        "SELECT id FROM teams WHERE name LIKE $1 || '%'",
        "Espaces verts",
    )
    .await;
    let team_b = id_of("SELECT id FROM teams WHERE name LIKE $1 || '%'", "Second").await;
    let counsellor = id_of("SELECT id FROM users WHERE login = $1", "demo.cip").await;
    let alert: String =
        sqlx::query_scalar("SELECT id FROM observations WHERE kind = 'alert' AND worker_id = $1")
            .bind(&worker)
            .fetch_one(&db)
            .await
            .expect("demo alert");
    let structure_a = id_of(
        "SELECT id FROM structures WHERE is_demo = TRUE AND name <> $1",
        "",
    )
    .await;
    let framework = id_of(
        "SELECT id FROM frameworks WHERE default_key = $1",
        "espaces-verts",
    )
    .await;
    let plan = id_of(
        "SELECT p.id FROM session_plans p JOIN users u ON u.id = p.author_id WHERE u.login = $1",
        "demo.encadrant.a",
    )
    .await;

    let hash = password::hash(STAFF_PASSWORD).expect("hash");
    let mut conn = db.acquire().await.expect("conn");
    let spare_user = add_user(
        &mut conn,
        &structure_a,
        Role::Supervisor,
        "spare.supervisor",
        &hash,
    )
    .await;
    let spare_worker = add_worker(
        &mut conn,
        &structure_a,
        "Réserve Matrice",
        &team_a,
        Some(&counsellor),
    )
    .await;
    // Another structure, with its own admin and worker.
    let structure_b = insert_structure(&mut conn, "Autre structure", false)
        .await
        .expect("structure b");
    add_user(&mut conn, &structure_b, Role::Admin, "other.admin", &hash).await;
    let team_other = insert_team(&mut conn, &structure_b, "Cuisine", "Restauration", &[])
        .await
        .expect("other team");
    add_worker(&mut conn, &structure_b, "Autre Salarié", &team_other, None).await;
    drop(conn);

    let config = Config {
        addr: "127.0.0.1:0".parse().expect("addr"),
        database_url: url,
        data_dir: None,
        site_root: dir.path().to_path_buf(),
        demo: true,
        secure_cookies: false,
    };
    let state = AppState {
        service_worker: config.service_worker(),
        leptos: config.leptos_options(),
        db: db.clone(),
    };
    Fixture {
        db,
        router: router(state, &config),
        _dir: dir,
        ids: Ids {
            worker,
            colleague,
            spare_worker,
            spare_user,
            team_a,
            team_b,
            alert,
            framework,
            plan,
        },
    }
}

/// A staff account with the demo password.
async fn add_user(
    conn: &mut sqlx::SqliteConnection,
    structure_id: &str,
    role: Role,
    login: &str,
    password_hash: &str,
) -> String {
    let user = NewUser {
        structure_id,
        role,
        login,
        display_name: login,
        password_hash: Some(password_hash),
    };
    insert_user(conn, user).await.expect("user")
}

/// A worker file without an account, started on 5 January 2026.
async fn add_worker(
    conn: &mut sqlx::SqliteConnection,
    structure_id: &str,
    name: &str,
    team_id: &str,
    counsellor_id: Option<&str>,
) -> String {
    let (first_name, last_name) = name.split_once(' ').expect("first and last name");
    insert_worker(
        conn,
        NewWorker {
            structure_id,
            user_id: None,
            first_name,
            last_name,
            team_id: Some(team_id),
            counsellor_id,
            contract_start: "2026-01-05",
            contract_end: None,
            phone: None,
            created_by: None,
        },
    )
    .await
    .expect("worker")
}

fn credentials(who: Who) -> Option<(&'static str, &'static str)> {
    match who {
        Who::Visitor => None,
        Who::Admin => Some(("demo.admin", STAFF_PASSWORD)),
        Who::Supervisor => Some(("demo.encadrant.a", STAFF_PASSWORD)),
        Who::OtherSupervisor => Some(("demo.encadrant.b", STAFF_PASSWORD)),
        Who::Counsellor => Some(("demo.cip", STAFF_PASSWORD)),
        Who::Worker => Some(("demo.s01", WORKER_PIN)),
        Who::OtherStructureAdmin => Some(("other.admin", STAFF_PASSWORD)),
    }
}

async fn call(
    router: &Router,
    path: &str,
    body: String,
    cookie: Option<&str>,
) -> (StatusCode, String, Option<String>) {
    call_from(router, path, body, cookie, 1).await
}

/// A request as if from the client address 127.0.0.`client`.
async fn call_from(
    router: &Router,
    path: &str,
    body: String,
    cookie: Option<&str>,
    client: u8,
) -> (StatusCode, String, Option<String>) {
    let addr = std::net::SocketAddr::from(([127, 0, 0, client], 50000));
    let mut req = Request::builder()
        .extension(axum::extract::ConnectInfo(addr))
        .method("POST")
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::HOST, "jalon.test");
    if let Some(cookie) = cookie {
        req = req.header(header::COOKIE, cookie);
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::from(body)).expect("request"))
        .await
        .expect("response");
    let status = res.status();
    let set_cookie = res
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(String::from);
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .expect("body");
    (
        status,
        String::from_utf8_lossy(&bytes).into_owned(),
        set_cookie,
    )
}

async fn sign_in(router: &Router, who: Who) -> Option<String> {
    let (login, secret) = credentials(who)?;
    let (status, body, cookie) = call(
        router,
        "/api/auth/sign_in",
        format!("login={login}&secret={secret}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{who:?} signs in: {body}");
    Some(cookie.expect("session cookie"))
}

#[tokio::test]
async fn every_endpoint_declares_who_may_call_it() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    let declared: BTreeSet<String> = EXPECTATIONS.iter().map(|e| e.path.to_string()).collect();
    let undeclared: Vec<_> = registered.difference(&declared).collect();
    assert!(
        undeclared.is_empty(),
        "endpoints with no access expectation: {undeclared:?}"
    );
    let stale: Vec<_> = declared.difference(&registered).collect();
    assert!(
        stale.is_empty(),
        "expectations for endpoints that no longer exist: {stale:?}"
    );
}

#[tokio::test]
async fn every_role_against_every_endpoint() {
    let f = fixture().await;
    let mut checked = 0;
    for (n, who) in EVERYONE.iter().copied().enumerate() {
        let cookie = sign_in(&f.router, who).await;
        // Before the endpoints: the last of them signs the caller out.
        for (path, id, allowed) in SIGNED_GETS {
            let mut req = Request::builder().uri(format!("{path}{}", id(&f.ids)));
            if let Some(cookie) = &cookie {
                req = req.header(header::COOKIE, cookie);
            }
            let res = f
                .router
                .clone()
                .oneshot(req.body(Body::empty()).expect("request"))
                .await
                .expect("response");
            let status = res.status();
            match () {
                _ if allowed.contains(&who) => {
                    assert!(status.is_success(), "{who:?} GET {path}: {status}")
                }
                _ if who == Who::Visitor => {
                    assert_eq!(status, StatusCode::UNAUTHORIZED, "visitor GET {path}")
                }
                _ => assert_eq!(status, StatusCode::NOT_FOUND, "{who:?} GET {path}"),
            }
            checked += 1;
        }
        for endpoint in SYNC_ROUTES.iter().chain(EXPECTATIONS) {
            let body = (endpoint.body)(&f.ids, n);
            let (status, text, _) = call_from(
                &f.router,
                endpoint.path,
                body,
                cookie.as_deref(),
                n as u8 + 1,
            )
            .await;
            assert_ne!(
                status,
                StatusCode::INTERNAL_SERVER_ERROR,
                "{who:?} {}: {text}",
                endpoint.path
            );
            match endpoint.expect {
                Expect::Public(expected) => {
                    assert_eq!(status, expected, "{who:?} {}: {text}", endpoint.path)
                }
                Expect::Only(allowed) if allowed.contains(&who) => {
                    assert!(
                        status.is_success(),
                        "{who:?} may call {} but got {status}: {text}",
                        endpoint.path
                    )
                }
                Expect::Only(_) if who == Who::Visitor => {
                    assert_eq!(
                        status,
                        StatusCode::UNAUTHORIZED,
                        "visitor {}: {text}",
                        endpoint.path
                    )
                }
                Expect::Only(_) => assert!(
                    status == StatusCode::NOT_FOUND || status == StatusCode::UNPROCESSABLE_ENTITY,
                    "{who:?} must be refused {} (as not found) but got {status}: {text}",
                    endpoint.path
                ),
            }
            checked += 1;
        }
        for (path, allowed) in PLAIN_ROUTES {
            let req = Request::builder()
                .uri(*path)
                .body(Body::empty())
                .expect("request");
            let res = f.router.clone().oneshot(req).await.expect("response");
            assert_eq!(
                res.status().is_success(),
                allowed.contains(&who),
                "{who:?} GET {path}"
            );
            checked += 1;
        }
    }
    assert_eq!(
        checked,
        EVERYONE.len()
            * (EXPECTATIONS.len() + SYNC_ROUTES.len() + PLAIN_ROUTES.len() + SIGNED_GETS.len())
    );
    println!(
        "access matrix: {} endpoints × {} actors = {checked} checks",
        EXPECTATIONS.len() + SYNC_ROUTES.len() + PLAIN_ROUTES.len() + SIGNED_GETS.len(),
        EVERYONE.len()
    );
}

/// Reads are filtered, not only refused: each actor's worker list holds
/// exactly what they may see, and never another structure's people.
#[tokio::test]
async fn worker_lists_hold_only_what_each_actor_may_see() {
    let f = fixture().await;
    let expected = [
        (Who::Admin, 17),
        (Who::Supervisor, 9),
        (Who::OtherSupervisor, 8),
        (Who::Counsellor, 17),
        (Who::Worker, 1),
        (Who::OtherStructureAdmin, 1),
    ];
    for (who, count) in expected {
        let cookie = sign_in(&f.router, who).await;
        let (status, body, _) = call(
            &f.router,
            "/api/people/list_workers",
            String::new(),
            cookie.as_deref(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let list: Vec<app::pages::people::WorkerSummary> =
            serde_json::from_str(&body).expect("json");
        assert_eq!(list.len(), count, "{who:?} sees {body}");
        let other_structure = list.iter().any(|w| w.name == "Autre Salarié");
        assert_eq!(other_structure, who == Who::OtherStructureAdmin, "{who:?}");
    }
    // A worker asking for a colleague's file gets "not found", like a missing record.
    let cookie = sign_in(&f.router, Who::Worker).await;
    let (status, body, _) = call(
        &f.router,
        "/api/people/get_worker",
        format!("id={}", f.ids.colleague),
        cookie.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (missing, _, _) = call(
        &f.router,
        "/api/people/get_worker",
        "id=no-such-id".into(),
        cookie.as_deref(),
    )
    .await;
    assert_eq!(
        missing, status,
        "a refusal looks exactly like a missing record"
    );
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let f = fixture().await;
    let req = Request::builder()
        .method("POST")
        .uri("/api/auth/sign_in")
        .header(header::HOST, "jalon.test")
        .header(header::ORIGIN, "https://evil.test")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "login=demo.admin&secret={STAFF_PASSWORD}"
        )))
        .expect("request");
    let res = f.router.clone().oneshot(req).await.expect("response");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.headers().get(header::SET_COOKIE).is_none());
}

/// Every admin form, fed empty, huge, malformed and hostile values: a 422
/// with a French reason, and nothing written.
#[tokio::test]
async fn admin_forms_refuse_bad_input_and_write_nothing() {
    let f = fixture().await;
    let cookie = sign_in(&f.router, Who::Admin).await;
    let huge = "x".repeat(10_000);
    let spare_worker = &f.ids.spare_worker;
    let spare_user = &f.ids.spare_user;
    let cases: Vec<(&str, String, &str)> = vec![
        ("/api/people/create_user", "role=supervisor&login=ok.login&display_name=&password=un-mot-de-passe".into(), "Nom : à remplir."),
        ("/api/people/create_user", format!("role=supervisor&login=ok.login&display_name={huge}&password=un-mot-de-passe"), "Nom : trop long (10000 caractères, au plus 100)."),
        ("/api/people/create_user", "role=supervisor&login=x%27%3B+DROP+TABLE+users%3B+--&display_name=A&password=un-mot-de-passe".into(), "Identifiant : lettres sans accent"),
        ("/api/people/create_user", "role=worker&login=ok.login&display_name=A&password=un-mot-de-passe".into(), "Rôle : choisissez"),
        ("/api/people/create_user", "role=supervisor&login=ok.login&display_name=A&password=court".into(), "au moins 10 caractères"),
        ("/api/people/create_user", "role=supervisor&login=demo.cip&display_name=A&password=un-mot-de-passe".into(), "déjà pris"),
        ("/api/people/rename_user", format!("id={spare_user}&display_name=+++"), "Nom : à remplir."),
        ("/api/people/rename_user", format!("id={spare_user}&display_name=a%00b"), "caractères non autorisés"),
        ("/api/people/create_team", "name=&activity=Tri".into(), "Nom de l'équipe : à remplir."),
        ("/api/people/create_team", format!("name=A&activity={huge}"), "Activité : trop long (10000 caractères, au plus 100)."),
        ("/api/people/create_team", "name=A&activity=B&supervisor_id=%27+OR+1%3D1+--".into(), "Encadrant·e : choix inconnu."),
        ("/api/people/create_worker", "first_name=&last_name=B&contract_start=2026-01-05".into(), "Prénom : à remplir."),
        ("/api/people/create_worker", "first_name=A&last_name=B&contract_start=05%2F01%2F2026".into(), "Début du contrat : date invalide."),
        ("/api/people/create_worker", "first_name=A&last_name=B&contract_start=2026-02-01&contract_end=2026-01-01".into(), "après son début"),
        ("/api/people/create_worker", "first_name=A&last_name=B&contract_start=2026-01-05&team_id=not-a-team".into(), "Équipe : choix inconnu."),
        ("/api/people/move_worker", format!("worker_id={spare_worker}&team_id=%3Cscript%3E"), "Équipe : choix inconnu."),
        ("/api/people/end_worker", format!("worker_id={spare_worker}&end_date=demain"), "Date de fin : date invalide."),
        ("/api/people/end_worker", format!("worker_id={spare_worker}&end_date=1999-01-01"), "ne peut pas précéder"),
    ];
    let before = table_sizes(&f).await;
    for (path, body, message) in &cases {
        let (status, text, _) = call(&f.router, path, body.clone(), cookie.as_deref()).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path} {body:.80}: {text}"
        );
        assert!(
            text.contains(message),
            "{path}: expected « {message} » in {text}"
        );
    }
    assert_eq!(
        table_sizes(&f).await,
        before,
        "a refused form wrote something"
    );
}

async fn table_sizes(f: &Fixture) -> Vec<i64> {
    let db = app::backend::db::connect(&format!(
        "sqlite://{}",
        f._dir.path().join("matrix.db").display()
    ))
    .await
    .expect("db");
    let mut sizes = Vec::new();
    for table in [
        "users",
        "teams",
        "team_supervisors",
        "workers",
        "worker_team_history",
        "audit_log",
    ] {
        let sql = format!(
            "SELECT COUNT(*) FROM {table} WHERE 1 = 1 {}",
            if table == "audit_log" {
                "AND action NOT IN ('sign_in', 'sign_in_failed')"
            } else {
                ""
            }
        );
        sizes.push(
            sqlx::query_scalar(&sql)
                .fetch_one(&db)
                .await
                .expect("count"),
        );
    }
    sizes
}

/// The sync API over HTTP: malformed, oversized, hostile and hidden input
/// gets a precise status and a French message, and writes nothing.
/// The attendance export: malformed or hostile parameters get a precise
/// status and a French sentence, never a file.
#[tokio::test]
async fn attendance_export_refuses_bad_input_with_precise_statuses() {
    let f = fixture().await;
    let cookie = sign_in(&f.router, Who::Admin).await.expect("cookie");
    let cases = [
        (
            "du=2026-13-45",
            StatusCode::UNPROCESSABLE_ENTITY,
            "jj/mm/aaaa",
        ),
        (
            "du=23%2F11%2F2026",
            StatusCode::UNPROCESSABLE_ENTITY,
            "jj/mm/aaaa",
        ),
        (
            "du=2026-11-30&au=2026-11-01",
            StatusCode::UNPROCESSABLE_ENTITY,
            "avant son début",
        ),
        (
            "du=2020-01-01&au=2026-11-01",
            StatusCode::UNPROCESSABLE_ENTITY,
            "deux ans",
        ),
        (
            "equipe=%27%3B%20DROP%20TABLE%20attendance%3B%20--",
            StatusCode::NOT_FOUND,
            "introuvable",
        ),
        (
            "salarie=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            StatusCode::NOT_FOUND,
            "introuvable",
        ),
        (
            "du=2026-11-01&au=2026-11-30&detail=0",
            StatusCode::OK,
            "Taux de présence",
        ),
    ];
    for (query, status, says) in cases {
        let req = Request::builder()
            .uri(format!("/api/attendance/export.csv?{query}"))
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .expect("request");
        let res = f.router.clone().oneshot(req).await.expect("response");
        assert_eq!(res.status(), status, "{query}");
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .expect("body");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains(says), "{query}: {text}");
    }
}

#[tokio::test]
async fn sync_api_refuses_bad_input_with_precise_statuses() {
    let f = fixture().await;
    let cookie = sign_in(&f.router, Who::Supervisor).await;
    let push = |body: String| {
        let router = f.router.clone();
        let cookie = cookie.clone();
        async move { call(&router, "/api/sync/v1/push", body, cookie.as_deref()).await }
    };
    let device = "01900000-0000-7000-8000-0000000000aa";
    let today = chrono::Utc::now().date_naive();
    let mutation = |worker: &str, body: &str| {
        serde_json::json!({
            "id": uuid::Uuid::now_v7(), "record_type": "observation", "schema": 1,
            "record_id": uuid::Uuid::now_v7(), "op": "create", "base_version": 0,
            "data": { "worker_id": worker, "observed_on": today.to_string(), "kind": "incident", "body": body }
        })
    };
    let batch = |n: i64, mutations: Vec<serde_json::Value>| {
        serde_json::json!({ "device_id": device, "batch": n, "mutations": mutations }).to_string()
    };
    let cases: Vec<(String, StatusCode, &str)> = vec![
        ("{not json".into(), StatusCode::BAD_REQUEST, "malformed"),
        ("".into(), StatusCode::BAD_REQUEST, "malformed"),
        (
            r#"{"device_id":"x","batch":1,"mutations":[]}"#.into(),
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (
            batch(
                1,
                vec![mutation(&f.ids.worker, "ok"), {
                    let mut m = mutation(&f.ids.worker, "ok");
                    m["record_type"] = "attendance'; --".into();
                    m
                }],
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_record_type",
        ),
        (
            batch(
                1,
                vec![{
                    let mut m = mutation(&f.ids.worker, "ok");
                    m["schema"] = 7.into();
                    m
                }],
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unsupported_schema",
        ),
        (
            batch(1, (0..501).map(|_| mutation(&f.ids.worker, "ok")).collect()),
            StatusCode::PAYLOAD_TOO_LARGE,
            "batch_too_large",
        ),
        (
            format!(
                r#"{{"device_id":"{device}","batch":1,"mutations":[],"pad":"{}"}}"#,
                "x".repeat(5 << 20)
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        // The colleague is in team A too; team B's workers are hidden from this supervisor.
        (
            batch(
                1,
                vec![
                    mutation(&f.ids.worker, "ok"),
                    mutation(&f.ids.spare_worker, "ok"),
                    mutation(&other_team_worker(&f).await, "<script>alert(1)</script>"),
                ],
            ),
            StatusCode::FORBIDDEN,
            "not_visible",
        ),
    ];
    for (body, status, code) in cases {
        let (got, text, _) = push(body).await;
        assert_eq!(got, status, "{text}");
        let err: jalon_core::sync::protocol::ApiError =
            serde_json::from_str(&text).expect("json error body");
        assert_eq!(err.error, code);
        assert!(!err.message.is_empty());
    }
    // (The demo's own observations come from another device.)
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM observations WHERE last_device = $1")
        .bind(device)
        .fetch_one(&db_of(&f))
        .await
        .expect("count");
    assert_eq!(count, 0, "no refused batch wrote anything");
    let (status, text, _) =
        push(batch(2, vec![mutation(&f.ids.worker, "l'outil « rangé »")])).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(text.contains(r#""status":"applied""#), "{text}");
}

#[tokio::test]
async fn the_openapi_document_describes_the_sync_endpoints() {
    let doc: serde_json::Value =
        serde_json::from_str(crate::sync_api::OPENAPI).expect("valid JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    for path in ["/api/sync/v1/push", "/api/sync/v1/pull"] {
        assert!(doc["paths"][path]["post"].is_object(), "{path} described");
        let busy = &doc["paths"][path]["post"]["responses"]["503"];
        assert!(
            busy["headers"]["Retry-After"].is_object(),
            "{path} 503 and Retry-After"
        );
    }
    let export = &doc["paths"]["/api/attendance/export.csv"]["get"];
    let params: Vec<&str> = export["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(params, ["equipe", "salarie", "du", "au", "detail"]);
    for status in ["200", "401", "404", "422"] {
        assert!(export["responses"][status].is_object(), "export {status}");
    }
    let schemas = &doc["components"]["schemas"];
    for name in [
        "PushRequest",
        "PushResponse",
        "PullRequest",
        "PullResponse",
        "ApiError",
        "Mutation",
    ] {
        assert!(schemas[name].is_object(), "schema {name}");
    }
    // Every error code the server can answer is documented.
    let text = crate::sync_api::OPENAPI;
    for code in [
        "malformed",
        "not_signed_in",
        "not_visible",
        "device_taken",
        "stale_batch",
        "batch_too_large",
        "payload_too_large",
        "unknown_record_type",
        "unsupported_schema",
        "busy",
    ] {
        assert!(text.contains(code), "{code} documented");
    }
}

async fn other_team_worker(f: &Fixture) -> String {
    sqlx::query_scalar(
        "SELECT w.id FROM workers w JOIN teams t ON t.id = w.team_id WHERE t.id = $1 LIMIT 1",
    )
    .bind(&f.ids.team_b)
    .fetch_one(&db_of(f))
    .await
    .expect("team B worker")
}

fn db_of(f: &Fixture) -> Db {
    f.db.clone()
}

/// A push that finds the write queue crowded is answered at once with 503,
/// `Retry-After` and a French sentence, and writes nothing; the same batch
/// sent again once the queue has cleared is applied, once.
#[tokio::test]
async fn a_crowded_write_queue_answers_pushes_busy_then_applies_them() {
    let f = fixture().await;
    let cookie = sign_in(&f.router, Who::Supervisor).await.expect("cookie");
    let body = serde_json::json!({
        "device_id": "01900000-0000-7000-8000-0000000000bb", "batch": 1,
        "mutations": [{
            "id": uuid::Uuid::now_v7(), "record_type": "observation", "schema": 1,
            "record_id": uuid::Uuid::now_v7(), "op": "create", "base_version": 0,
            "data": { "worker_id": f.ids.worker, "observed_on": chrono::Utc::now().date_naive().to_string(),
                      "kind": "skill", "body": "Taille de haie terminée." }
        }]
    })
    .to_string();
    let push = || {
        Request::builder()
            .method("POST")
            .uri("/api/sync/v1/push")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, "jalon.test")
            .header(header::COOKIE, &cookie)
            .body(Body::from(body.clone()))
            .expect("request")
    };
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM observations")
            .fetch_one(&f.db)
            .await
            .expect("count")
    };
    let before = count().await;

    // Someone holds the writer, and as many writes as allowed wait behind it.
    let held = f.db.begin().await.expect("writer");
    let waiting: Vec<_> = (0..app::backend::db::MAX_WAITING_WRITES)
        .map(|_| {
            let db = f.db.clone();
            tokio::spawn(async move { db.begin().await.map(drop) })
        })
        .collect();
    while !f.db.crowded() {
        tokio::task::yield_now().await;
    }
    let res = f.router.clone().oneshot(push()).await.expect("response");
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.headers()[header::RETRY_AFTER], "2");
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .expect("body");
    let refusal: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(refusal["error"], "busy");
    assert!(
        refusal["message"]
            .as_str()
            .is_some_and(|m| m.contains("très occupé"))
    );

    drop(held);
    for w in waiting {
        w.await
            .expect("task")
            .expect("each waiting write got its turn");
    }
    assert_eq!(count().await, before, "the refused push wrote nothing");
    let res = f.router.clone().oneshot(push()).await.expect("response");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(count().await, before + 1);
}

/// The counsellor's follow-up endpoints refuse bad input with a precise
/// status and a French sentence, and write nothing.
#[tokio::test]
async fn observation_follow_up_refuses_bad_input_and_writes_nothing() {
    let f = fixture().await;
    let cookie = sign_in(&f.router, Who::Counsellor).await.expect("cookie");
    let alert = f.ids.alert.clone();
    let long = "é".repeat(2001);
    let cases: Vec<(&str, String, StatusCode, &str)> = vec![
        (
            "/api/observations/reply",
            format!("id={alert}&body=+++"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Écrivez votre réponse.",
        ),
        (
            "/api/observations/reply",
            format!("id={alert}&body={}", urlencoding(&long)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Réponse : trop long (2001 caractères, au plus 2000).",
        ),
        (
            "/api/observations/reply",
            "id=%27%3B%20DROP%20TABLE%20observations%3B%20--&body=x".into(),
            StatusCode::NOT_FOUND,
            "NotFound",
        ),
        (
            "/api/observations/reply",
            "body=x".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "illisibles",
        ),
        (
            "/api/observations/acknowledge",
            "id=%3Cscript%3E".into(),
            StatusCode::NOT_FOUND,
            "NotFound",
        ),
        (
            "/api/observations/feed",
            "filter[from]=23%2F11%2F2026".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "jj/mm/aaaa",
        ),
        (
            "/api/observations/feed",
            "filter[limit]=-4".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "illisibles",
        ),
    ];
    for (path, body, status, says) in cases {
        let (got, text, _) = call(&f.router, path, body.clone(), Some(&cookie)).await;
        assert_eq!(got, status, "{path} {body}: {text}");
        assert!(text.contains(says), "{path}: {text}");
    }
    let written: (i64, i64, Option<String>) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM observation_replies), (SELECT COUNT(*) FROM observation_reads), \
         (SELECT acknowledged_at FROM observations WHERE id = $1)",
    )
    .bind(&alert)
    .fetch_one(&db_of(&f))
    .await
    .expect("counts");
    assert_eq!(written, (0, 0, None), "nothing half-written");
    // A reply with HTML and quotes is kept as typed (shown as text).
    let hostile = "<script>alert(1)</script> l'équipe \"ok\"";
    let body = format!("id={alert}&body={}", urlencoding(hostile));
    let (got, text, _) = call(&f.router, "/api/observations/reply", body, Some(&cookie)).await;
    assert_eq!(got, StatusCode::OK, "{text}");
    let replies: String = sqlx::query_scalar("SELECT replies FROM observations WHERE id = $1")
        .bind(&alert)
        .fetch_one(&db_of(&f))
        .await
        .expect("replies");
    let replies: Vec<jalon_core::observations::Reply> =
        serde_json::from_str(&replies).expect("json");
    assert_eq!(replies[0].body, hostile);
    assert_eq!(replies[0].author, "Sophie Lambert");
}

fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn frameworks_and_plans_refuse_bad_input_and_write_nothing() {
    let f = fixture().await;
    let admin = sign_in(&f.router, Who::Admin).await.expect("cookie");
    let supervisor = sign_in(&f.router, Who::Supervisor).await.expect("cookie");
    let counts = |db: Db| async move {
        sqlx::query_as::<_, (i64, i64, String)>(
            "SELECT (SELECT COUNT(*) FROM frameworks), (SELECT COUNT(*) FROM session_plans), \
             (SELECT body FROM session_plans ORDER BY created_at LIMIT 1)",
        )
        .fetch_one(&db)
        .await
        .expect("counts")
    };
    let before = counts(f.db.clone()).await;
    let good = jalon_core::skills::to_file(&jalon_core::skills::defaults::read(
        jalon_core::skills::defaults::DEFAULTS[1].1,
    ));
    let no_criteria = good.replacen(
        "\"text\": \"Vérifie la tondeuse (niveau, lame, carter) avant de démarrer.\"",
        "\"text\": \"\"",
        1,
    );
    let line_of_empty = no_criteria
        .lines()
        .position(|l| l.contains("\"text\": \"\""))
        .expect("emptied")
        + 1;
    let plan = &f.ids.plan;
    let framework = &f.ids.framework;
    let cases: Vec<(&str, &str, String, StatusCode, String)> = vec![
        (
            "/api/skills/import",
            &admin,
            format!(
                "file={}",
                urlencoding(&good.replacen("\"format\"", "\"format\" ", 1).replacen(
                    ",\n  \"version\"",
                    "\n  \"version\"",
                    1
                ))
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Fichier refusé, ligne 3 : JSON mal formé".into(),
        ),
        (
            "/api/skills/import",
            &admin,
            format!("file={}", urlencoding(&no_criteria)),
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "Fichier refusé, ligne {} : critère « tonte-1 » : Texte : à remplir.",
                line_of_empty - 1
            ),
        ),
        (
            "/api/skills/import",
            &admin,
            "file=".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "le fichier est vide".into(),
        ),
        (
            "/api/skills/save_skill",
            &admin,
            format!("framework_id={framework}&skill=%3Cscript%3E"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Compétence illisible.".into(),
        ),
        (
            "/api/skills/save_skill",
            &admin,
            format!(
                "framework_id=%27%3B%20DROP%20TABLE%20frameworks%3B%20--&skill={}",
                urlencoding(r#"{"title":"A","criteria":[{"text":"B"}]}"#)
            ),
            StatusCode::NOT_FOUND,
            "NotFound".into(),
        ),
        (
            "/api/skills/create",
            &admin,
            "title=+++&kind=trade".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Titre du référentiel : à remplir.".into(),
        ),
        (
            "/api/sessions/save_plan",
            &supervisor,
            format!("id={plan}&title=&template=false&afest=false&body=%7B%7D"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Titre : à remplir.".into(),
        ),
        (
            "/api/sessions/save_plan",
            &supervisor,
            format!("id={plan}&title=Haie&template=false&afest=false&body=nope"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Plan de séance illisible.".into(),
        ),
        (
            "/api/sessions/save_plan",
            &supervisor,
            format!(
                "id={plan}&title=Haie&template=false&afest=false&body={}",
                urlencoding(&format!(r#"{{"task":"{}"}}"#, "x".repeat(4001)))
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Tâche : trop long (4001 caractères, au plus 4000).".into(),
        ),
    ];
    for (path, cookie, body, status, says) in cases {
        let (got, text, _) = call(&f.router, path, body.clone(), Some(cookie)).await;
        assert_eq!(got, status, "{path} {body}: {text}");
        assert!(text.contains(&says), "{path}: {text} (expected {says})");
    }
    assert_eq!(counts(f.db.clone()).await, before, "nothing half-written");

    // A hostile title is stored as typed, and shown as text by the screens.
    let hostile = "<script>alert('x')</script> Taille'; DROP TABLE session_plans; --";
    let (got, text, _) = call(
        &f.router,
        "/api/sessions/save_plan",
        format!(
            "id=&title={}&template=false&afest=false&body=%7B%7D",
            urlencoding(hostile)
        ),
        Some(&supervisor),
    )
    .await;
    assert_eq!(got, StatusCode::OK, "{text}");
    let stored: String =
        sqlx::query_scalar("SELECT title FROM session_plans WHERE title LIKE '<script>%'")
            .fetch_one(&f.db)
            .await
            .expect("stored");
    assert_eq!(stored, hostile);

    // The export is the file the import reads.
    let res = f
        .router
        .clone()
        .oneshot(
            Request::builder()
                .uri(format!("/api/referentiels/export.json?id={framework}"))
                .header(header::COOKIE, &admin)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        disposition.contains("referentiel-espaces-verts.json"),
        "{disposition}"
    );
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .expect("body");
    let file = String::from_utf8_lossy(&bytes).into_owned();
    let read = jalon_core::skills::parse_file(&file).expect("exported file reads back");
    assert_eq!(read.title, "Espaces verts");
}

/// Objectives and the worker's reactions travel through the sync: every
/// role (and a second worker of the same team) writes one of each about
/// `demo.s01`, then pulls. Staff who follow her write objectives, only she
/// reacts, and only those who may see her file receive them.
#[tokio::test]
async fn objectives_and_reactions_per_role() {
    let f = fixture().await;
    let mut actors: Vec<(String, Option<String>)> = Vec::new();
    for who in EVERYONE.iter().copied() {
        actors.push((format!("{who:?}"), sign_in(&f.router, who).await));
    }
    let (status, body, colleague) = call(
        &f.router,
        "/api/auth/sign_in",
        format!("login=demo.s02&secret={WORKER_PIN}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    actors.push(("SecondWorker".into(), colleague));

    let today = chrono::Utc::now().date_naive().to_string();
    let objective = serde_json::json!({
        "worker_id": f.ids.worker, "title": "Venir à l'heure chaque jour", "kind": "behaviour",
        "status": "planned", "steps": [{ "id": "e1", "title": "Une semaine sans retard" }],
    });
    let push = |record_type: &str, data: &serde_json::Value| {
        let id = uuid::Uuid::now_v7();
        let body = serde_json::json!({
            "device_id": uuid::Uuid::now_v7(), "batch": 1,
            "mutations": [{ "id": uuid::Uuid::now_v7(), "record_type": record_type, "schema": 1,
                "record_id": id, "op": "create", "base_version": 0, "data": data }],
        });
        (id, body.to_string())
    };
    let mut written = Vec::new();
    for (n, (who, cookie)) in actors.iter().enumerate() {
        let (objective_id, body) = push("objective", &objective);
        let (status, text, _) = call_from(
            &f.router,
            "/api/sync/v1/push",
            body,
            cookie.as_deref(),
            n as u8 + 1,
        )
        .await;
        let outcome = |status: StatusCode, text: &str| match status {
            StatusCode::OK => {
                let res: jalon_core::sync::protocol::PushResponse =
                    serde_json::from_str(text).expect("acks");
                match &res.acks[0].outcome {
                    jalon_core::sync::protocol::Outcome::Applied { .. } => "applied".to_string(),
                    jalon_core::sync::protocol::Outcome::Rejected { reason, .. } => {
                        format!("{reason:?}")
                    }
                }
            }
            other => other.as_u16().to_string(),
        };
        let objective_outcome = outcome(status, &text);
        let reaction = serde_json::json!({
            "worker_id": f.ids.worker, "objective_id": objective_id, "step_id": "e1",
            "kind": "claim", "said_on": today,
        });
        let (reaction_id, body) = push("objective_reaction", &reaction);
        let (status, text, _) = call_from(
            &f.router,
            "/api/sync/v1/push",
            body,
            cookie.as_deref(),
            n as u8 + 1,
        )
        .await;
        let reaction_outcome = outcome(status, &text);
        let expected = match who.as_str() {
            "Admin" | "Supervisor" | "Counsellor" => ("applied", "NotAllowed"),
            "Worker" => ("NotAllowed", "applied"),
            "Visitor" => ("401", "401"),
            _ => ("403", "403"),
        };
        assert_eq!(
            (objective_outcome.as_str(), reaction_outcome.as_str()),
            expected,
            "{who} writes an objective, then a reaction, about demo.s01"
        );
        if expected.0 == "applied" {
            written.push(objective_id);
        }
        if expected.1 == "applied" {
            written.push(reaction_id);
        }
    }
    assert_eq!(written.len(), 4);
    for (n, (who, cookie)) in actors.iter().enumerate() {
        let (status, text, _) = call_from(
            &f.router,
            "/api/sync/v1/pull",
            r#"{"cursor":0}"#.into(),
            cookie.as_deref(),
            n as u8 + 1,
        )
        .await;
        let received = if status == StatusCode::OK {
            let res: jalon_core::sync::protocol::PullResponse =
                serde_json::from_str(&text).expect("pull");
            res.records
                .iter()
                .filter(|r| written.contains(&r.id) && !r.deleted)
                .count()
        } else {
            0
        };
        let expected = match who.as_str() {
            "Admin" | "Supervisor" | "Counsellor" | "Worker" => 4,
            _ => 0,
        };
        assert_eq!(
            received, expected,
            "{who} receives the objectives and reactions about demo.s01"
        );
        if who == "SecondWorker" {
            assert!(!text.contains("Venir à l'heure chaque jour"), "{text}");
        }
    }
}
