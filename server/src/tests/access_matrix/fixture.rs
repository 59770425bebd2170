//! The matrix's world: a real SQLite database with the demo structure, a
//! second structure and a few more people, the real router, and helpers to
//! sign in and call it.
use super::*;

pub(super) struct Fixture {
    pub(super) _dir: tempfile::TempDir,
    pub(super) url: String,
    pub(super) router: Router,
    pub(super) db: Db,
    pub(super) ids: Ids,
}

pub(super) async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = app::backend::scratch::url(dir.path(), "matrix").await;
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
    // demo.s01's entry bilan, validated and shared with them by the demo.
    let bilan = id_of(
        "SELECT b.id FROM bilans b JOIN workers w ON w.id = b.worker_id \
         JOIN users u ON u.id = w.user_id WHERE u.login = $1",
        "demo.s01",
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
    // A phone of the spare supervisor, for signing a device out from afar.
    let spare_device = "01900000-0000-7000-8000-00000000d0d0".to_string();
    sqlx::query(
        "INSERT INTO sync_devices (device_id, user_id, last_batch, last_seen_at, first_seen_at) \
         VALUES ($1, $2, 0, $3, $3)",
    )
    .bind(&spare_device)
    .bind(&spare_user)
    .bind(app::backend::db::now())
    .execute(&mut *conn)
    .await
    .expect("spare device");
    // Requests of demo.s01 about their data, one per actor to answer.
    let s01: String = sqlx::query_scalar(
        "SELECT w.id FROM workers w JOIN users u ON u.id = w.user_id WHERE u.login = 'demo.s01'",
    )
    .fetch_one(&mut *conn)
    .await
    .expect("demo.s01");
    let mut requests = Vec::new();
    for n in 0..8 {
        let id = app::backend::db::new_id();
        sqlx::query(
            "INSERT INTO data_requests (id, structure_id, worker_id, kind, body, asked_at) \
             VALUES ($1, $2, $3, 'correction', $4, $5)",
        )
        .bind(&id)
        .bind(&structure_a)
        .bind(&s01)
        .bind(format!("Correction n° {n}"))
        .bind(app::backend::db::now())
        .execute(&mut *conn)
        .await
        .expect("request");
        requests.push(id);
    }
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
        database_url: url.clone(),
        data_dir: None,
        site_root: dir.path().to_path_buf(),
        demo: true,
        public_url: None,
        trusted_proxies: Default::default(),
        smtp: None,
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
        url,
        ids: Ids {
            worker,
            colleague,
            spare_worker,
            spare_user,
            spare_device,
            requests,
            team_a,
            team_b,
            alert,
            framework,
            plan,
            parcours: Vec::new(),
            bilan,
            drafts: Vec::new(),
            attestation: String::new(),
            attestations: Vec::new(),
        },
    }
}

/// A staff account with the demo password.
pub(super) async fn add_user(
    conn: &mut sqlx::AnyConnection,
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
pub(super) async fn add_worker(
    conn: &mut sqlx::AnyConnection,
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

pub(super) fn credentials(who: Who) -> Option<(&'static str, &'static str)> {
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

pub(super) async fn call(
    router: &Router,
    path: &str,
    body: String,
    cookie: Option<&str>,
) -> (StatusCode, String, Option<String>) {
    call_from(router, path, body, cookie, 1).await
}

/// A request as if from the client address 127.0.0.`client`.
pub(super) async fn call_from(
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

pub(super) async fn sign_in(router: &Router, who: Who) -> Option<String> {
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

pub(super) async fn table_sizes(f: &Fixture) -> Vec<i64> {
    let db = app::backend::db::connect(&f.url).await.expect("db");
    let mut sizes = Vec::new();
    for table in [
        "users",
        "teams",
        "team_supervisors",
        "workers",
        "worker_team_history",
        "worker_events",
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

/// Two worker files per actor of the matrix, followed by the demo counsellor:
/// each actor renews and ends one parcours of its own (a parcours ends once;
/// a second exit is refused) and gives the other one away.
pub(super) async fn parcours_per_actor(f: &Fixture) -> Vec<String> {
    let mut conn = f.db.acquire().await.expect("conn");
    let (structure, counsellor): (String, String) =
        sqlx::query_as("SELECT structure_id, id FROM users WHERE login = 'demo.cip'")
            .fetch_one(&mut *conn)
            .await
            .expect("counsellor");
    let mut ids = Vec::new();
    for n in 0..2 * EVERYONE.len() {
        let name = format!("Parcours Matrice{n}");
        ids.push(
            add_worker(
                &mut conn,
                &structure,
                &name,
                &f.ids.team_a,
                Some(&counsellor),
            )
            .await,
        );
    }
    ids
}

/// For the bilans' and attestations' endpoints of the matrix: a skill
/// acquired by `demo.s01` and by each parcours worker, an attestation of
/// `demo.s01`, and per actor a draft bilan (by the counsellor, of its own
/// parcours worker) and an attestation to withdraw.
pub(super) async fn papers_per_actor(f: &mut Fixture) {
    let today = app::backend::db::today_paris();
    let counsellor = {
        let user = app::backend::session::user_by_id(&db_of(f), &user_id(f, "demo.cip").await)
            .await
            .expect("counsellor");
        app::backend::policy::load_actor(&db_of(f), user)
            .await
            .expect("actor")
    };
    let db = db_of(f);
    let acquired = [("x", jalon_core::sessions::Level::Acquired)];
    evaluation(f, &f.ids.worker, today, &acquired).await;
    f.ids.attestation = app::backend::bilans::attestations::issue(
        &db,
        &counsellor,
        &f.ids.worker,
        "Encadrant A",
        "Direction",
    )
    .await
    .expect("attestation of demo.s01");
    let from = (today - chrono::Duration::days(30)).to_string();
    for n in 0..EVERYONE.len() {
        let worker = f.ids.parcours[n].clone();
        evaluation(f, &worker, today, &acquired).await;
        f.ids.drafts.push(
            app::backend::bilans::create(
                &db,
                &counsellor,
                &worker,
                "midway",
                "team",
                &from,
                &today.to_string(),
            )
            .await
            .expect("draft"),
        );
        f.ids.attestations.push(
            app::backend::bilans::attestations::issue(&db, &counsellor, &worker, "E", "D")
                .await
                .expect("attestation"),
        );
    }
}

async fn user_id(f: &Fixture, login: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
        .bind(login)
        .fetch_one(&db_of(f))
        .await
        .expect(login)
}

/// The worker file of a demo worker's sign-in (`demo.s03`…).
pub(super) async fn demo_worker(f: &Fixture, login: &str) -> String {
    sqlx::query_scalar(
        "SELECT w.id FROM workers w JOIN users u ON u.id = w.user_id WHERE u.login = $1",
    )
    .bind(login)
    .fetch_one(&db_of(f))
    .await
    .expect(login)
}

/// A server function that must answer 200, its JSON read as `T`.
pub(super) async fn ok_json<T: serde::de::DeserializeOwned>(
    f: &Fixture,
    cookie: Option<&str>,
    path: &str,
    body: String,
) -> T {
    let (status, text, _) = call(&f.router, path, body, cookie).await;
    assert_eq!(status, StatusCode::OK, "{path}: {text}");
    serde_json::from_str(&text).expect(path)
}

pub(super) async fn other_team_worker(f: &Fixture) -> String {
    sqlx::query_scalar(
        "SELECT w.id FROM workers w JOIN teams t ON t.id = w.team_id WHERE t.id = $1 LIMIT 1",
    )
    .bind(&f.ids.team_b)
    .fetch_one(&db_of(f))
    .await
    .expect("team B worker")
}

pub(super) fn db_of(f: &Fixture) -> Db {
    f.db.clone()
}

pub(super) fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Writes one evaluation of `worker` held on `day`: each (skill id, level).
pub(super) async fn evaluation(
    f: &Fixture,
    worker: &str,
    day: chrono::NaiveDate,
    skills: &[(&str, jalon_core::sessions::Level)],
) {
    let db = db_of(f);
    let (structure, author): (String, String) =
        sqlx::query_as("SELECT structure_id, id FROM users WHERE login = 'demo.encadrant.a'")
            .fetch_one(&db)
            .await
            .expect("author");
    let results: Vec<jalon_core::sessions::CriterionResult> = skills
        .iter()
        .map(|(skill, level)| jalon_core::sessions::CriterionResult {
            key: format!("c-{skill}"),
            skill: Some(jalon_core::sessions::SkillTag {
                framework_id: "fw-test".into(),
                skill_id: (*skill).into(),
                title: format!("Compétence {skill}"),
            }),
            label: "Critère".into(),
            level: *level,
            comment: String::new(),
        })
        .collect();
    let mut tx = db.begin().await.expect("tx");
    let seq: i64 = sqlx::query_scalar(
        "UPDATE sync_counter SET value = value + 1 WHERE id = 1 RETURNING value",
    )
    .fetch_one(&mut *tx)
    .await
    .expect("seq");
    let id = app::backend::db::new_id();
    sqlx::query(
        "INSERT INTO evaluations (id, structure_id, worker_id, author_id, version, seq, deleted, \
         created_at, updated_at, updated_by, last_device, has_conflict, session_id, plan_id, title, \
         afest, held_on, place, duration_min, absent, reflection, results) \
         VALUES ($1, $2, $3, $4, 1, $5, FALSE, $6, $6, $4, 'test', FALSE, $1, 'plan', 'Séance', \
         FALSE, $7, 'Parc', 60, FALSE, '', $8)",
    )
    .bind(&id)
    .bind(&structure)
    .bind(worker)
    .bind(&author)
    .bind(seq)
    .bind(app::backend::db::now())
    .bind(day.to_string())
    .bind(serde_json::to_string(&results).expect("results"))
    .execute(&mut *tx)
    .await
    .expect("evaluation");
    tx.commit().await.expect("commit");
}
