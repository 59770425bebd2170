//! Data protection (issue 22). Keeping data no longer than needed, with the
//! clock moved forward: who is anonymised and when, a legal hold, nothing of
//! the person left in any text column, the structure's figures unchanged, and
//! the person gone from every phone at its next sync. The log of sensitive
//! reads; « handicap » made sensitive on records noted before.
use super::*;
use app::backend::retention;
use app::wire::funders::FundersSummary;
use chrono::{Duration, NaiveDate, Utc};
use jalon_core::privacy::ErasureReason;
use jalon_core::sync::protocol::PullResponse;

/// Every text column of every table, as (table, column).
async fn text_columns(db: &Db, url: &str) -> Vec<(String, String)> {
    if url.starts_with("postgres") {
        sqlx::query_as(
            "SELECT table_name::TEXT, column_name::TEXT FROM information_schema.columns \
             WHERE table_schema = current_schema() AND data_type = 'text' \
             AND table_name <> '_sqlx_migrations' ORDER BY 1, 2",
        )
        .fetch_all(db)
        .await
        .expect("columns")
    } else {
        sqlx::query_as(
            "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c \
             WHERE m.type = 'table' AND m.name NOT LIKE '\\_%' ESCAPE '\\' \
             AND m.name NOT LIKE 'sqlite%' AND UPPER(c.type) = 'TEXT' ORDER BY 1, 2",
        )
        .fetch_all(db)
        .await
        .expect("columns")
    }
}

/// Where `needle` is still written: "table.column" for each hit.
async fn mentions(db: &Db, url: &str, needle: &str) -> Vec<String> {
    let mut hits = Vec::new();
    for (table, column) in text_columns(db, url).await {
        let n: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {table} WHERE {column} LIKE $1"
        ))
        .bind(format!("%{needle}%"))
        .fetch_one(db)
        .await
        .expect("scan");
        if n > 0 {
            hits.push(format!("{table}.{column} ({n})"));
        }
    }
    hits
}

async fn pull(f: &Fixture, cookie: Option<&str>) -> PullResponse {
    let (status, text, _) = call(
        &f.router,
        "/api/sync/v1/pull",
        r#"{"cursor":0}"#.into(),
        cookie,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).expect("pull")
}

async fn summary(
    f: &Fixture,
    cookie: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> FundersSummary {
    ok_json(
        f,
        cookie,
        "/api/reports/funders_summary",
        format!("from={from}&to={to}"),
    )
    .await
}

#[tokio::test]
async fn an_ended_parcours_is_anonymised_after_its_retention_unless_held_and_leaves_nothing_behind()
{
    let f = fixture().await;
    let db = db_of(&f);
    let worker = f.ids.worker.clone();
    let today = app::backend::db::today_paris();
    let now = Utc::now();

    // What the person is known by, read before anything changes.
    let (first, last, login, phone): (String, String, String, Option<String>) = sqlx::query_as(
        "SELECT w.first_name, w.last_name, u.login, w.phone FROM workers w \
         JOIN users u ON u.id = w.user_id WHERE w.id = $1",
    )
    .bind(&worker)
    .fetch_one(&db)
    .await
    .expect("person");
    let full = format!("{first} {last}");
    assert!(
        !mentions(&db, &f.url, &full).await.is_empty(),
        "the scan finds the name before"
    );

    // Their phone has synced (a device row) and they are signed in; a
    // colleague's records are there too.
    let own = sign_in(&f.router, Who::Worker).await;
    pull(&f, own.as_deref()).await;
    let colleague_records = |db: Db, colleague: String| async move {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM observations WHERE worker_id = $1")
            .bind(colleague)
            .fetch_one(&db)
            .await
            .expect("count")
    };
    let colleague_before = colleague_records(db.clone(), f.ids.colleague.clone()).await;

    // The parcours ends today with an outcome; the figures of the last two
    // months, as the admin reads them, before.
    sqlx::query(
        "UPDATE workers SET status = 'ended', contract_end = $1, exit_outcome = 'training' \
         WHERE id = $2",
    )
    .bind(today.to_string())
    .bind(&worker)
    .execute(&db)
    .await
    .expect("end");
    let admin = sign_in(&f.router, Who::Admin).await;
    let admin = admin.as_deref();
    let (from, to) = (today - Duration::days(60), today);
    let figures_before = summary(&f, admin, from, to).await;
    assert!(figures_before.present_halves > 0 && figures_before.exits_total >= 1);

    // The demo's parcours ended two years ago is anonymised first, in the
    // coming month; nobody else is due.
    let month = retention::apply(&db, today + Duration::days(30), now)
        .await
        .expect("month");
    assert_eq!(month.len(), 1, "the demo's old parcours only");
    assert_ne!(month[0], worker);

    // Two years after the last contact (today), not a day before.
    let due_on = jalon_core::privacy::due_on(today, 2);
    assert!(
        retention::due(&db, due_on - Duration::days(1))
            .await
            .expect("due")
            .is_empty()
    );
    let seen = retention::preview(
        &db,
        &figures_before_structure(&f).await,
        due_on - Duration::days(30),
    )
    .await
    .expect("preview");
    assert_eq!(seen.len(), 1, "the admin sees them 30 days ahead: {seen:?}");
    assert_eq!(
        (seen[0].worker_id.as_str(), seen[0].due_on),
        (worker.as_str(), due_on)
    );
    assert!(
        retention::preview(
            &db,
            &figures_before_structure(&f).await,
            due_on - Duration::days(31)
        )
        .await
        .expect("preview")
        .is_empty(),
        "not 31 days ahead"
    );

    // A legal hold postpones them to the day after it ends.
    let hold_until = due_on + Duration::days(90);
    let actor = admin_actor(&f).await;
    retention::set_hold(
        &db,
        &actor,
        &worker,
        hold_until,
        "Contentieux prud'homal en cours",
    )
    .await
    .expect("hold");
    assert!(
        retention::apply(&db, due_on, now)
            .await
            .expect("apply")
            .is_empty()
    );
    assert!(
        retention::apply(&db, hold_until, now)
            .await
            .expect("apply")
            .is_empty()
    );
    let held: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'retention_hold_set' AND target_id = $1",
    )
    .bind(&worker)
    .fetch_one(&db)
    .await
    .expect("audit");
    assert_eq!(held, 1, "the hold is logged");
    let done = retention::apply(&db, hold_until + Duration::days(1), now)
        .await
        .expect("apply");
    assert_eq!(done, vec![worker.clone()]);
    assert!(
        retention::apply(&db, hold_until + Duration::days(2), now)
            .await
            .expect("again")
            .is_empty(),
        "once"
    );

    // Nothing of them left in any text column, of any table.
    for needle in [full.as_str(), &format!("{last} {first}"), &last, &login]
        .into_iter()
        .chain(phone.as_deref())
    {
        assert_eq!(
            mentions(&db, &f.url, needle).await,
            Vec::<String>::new(),
            "{needle}"
        );
    }
    for table in [
        "observations",
        "objectives",
        "objective_reactions",
        "bilans",
        "attestations",
        "worker_events",
    ] {
        let n: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {table} WHERE worker_id = $1"
        ))
        .bind(&worker)
        .fetch_one(&db)
        .await
        .expect("count");
        assert_eq!(n, 0, "{table}");
    }
    let user_rows: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id JOIN workers w ON w.user_id = u.id WHERE w.id = $1) \
         + (SELECT COUNT(*) FROM sync_devices d JOIN workers w ON w.user_id = d.user_id WHERE w.id = $1)",
    )
    .bind(&worker)
    .fetch_one(&db)
    .await
    .expect("sessions");
    assert_eq!(user_rows, 0, "no session or device left");
    let logged: Option<String> = sqlx::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'person_anonymised' AND target_id = $1",
    )
    .bind(&worker)
    .fetch_optional(&db)
    .await
    .expect("audit");
    assert!(logged.is_some_and(|d| d.contains("retention")));

    // The figures stay; a colleague's records are untouched.
    assert_eq!(summary(&f, admin, from, to).await, figures_before);
    assert_eq!(
        colleague_records(db.clone(), f.ids.colleague.clone()).await,
        colleague_before
    );

    // Their session no longer works; staff phones rebuild their copy without them.
    let (status, _, _) = call(
        &f.router,
        "/api/sync/v1/pull",
        r#"{"cursor":0}"#.into(),
        own.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let supervisor = sign_in(&f.router, Who::Supervisor).await;
    let copy = pull(&f, supervisor.as_deref()).await;
    let roster = copy.workers.expect("roster");
    assert!(roster.iter().all(|w| w.id != worker));
    assert!(copy.records.iter().all(|r| r.worker_id != worker));
    let (status, _, _) = call(
        &f.router,
        "/api/people/get_worker",
        format!("id={worker}"),
        admin,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the file is gone");
}

#[tokio::test]
async fn an_admin_erases_a_person_at_once_and_their_phone_copies_go_with_the_next_sync() {
    let f = fixture().await;
    let db = db_of(&f);
    let worker = f.ids.worker.clone();
    let supervisor = sign_in(&f.router, Who::Supervisor).await;
    let before = pull(&f, supervisor.as_deref()).await;
    assert!(before.records.iter().any(|r| r.worker_id == worker));
    let actor = admin_actor(&f).await;
    retention::erase(
        &db,
        &actor,
        &worker,
        ErasureReason::PersonRequest,
        Utc::now(),
    )
    .await
    .expect("erase");
    let after: PullResponse = {
        let (status, text, _) = call(
            &f.router,
            "/api/sync/v1/pull",
            format!(
                r#"{{"cursor":{},"scope":"{}"}}"#,
                before.cursor, before.scope
            ),
            supervisor.as_deref(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{text}");
        serde_json::from_str(&text).expect("pull")
    };
    assert!(
        after.reset,
        "the phone's scope changed: it rebuilds its copy"
    );
    assert!(after.records.iter().all(|r| r.worker_id != worker));
    let reason: String = sqlx::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'person_erased' AND target_id = $1",
    )
    .bind(&worker)
    .fetch_one(&db)
    .await
    .expect("audit");
    assert!(reason.contains("person_request"), "{reason}");
}

async fn figures_before_structure(f: &Fixture) -> String {
    sqlx::query_scalar("SELECT structure_id FROM workers WHERE id = $1")
        .bind(&f.ids.worker)
        .fetch_one(&db_of(f))
        .await
        .expect("structure")
}

async fn admin_actor(f: &Fixture) -> app::backend::policy::Actor {
    let user: app::auth::CurrentUser = {
        let cookie = sign_in(&f.router, Who::Admin).await;
        let (status, text, _) = call(
            &f.router,
            "/api/auth/current_user",
            String::new(),
            cookie.as_deref(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let user: Option<app::auth::CurrentUser> = serde_json::from_str(&text).expect("user");
        user.expect("signed in")
    };
    app::backend::policy::Actor {
        user,
        team_ids: Vec::new(),
        counsellors_see_all: false,
    }
}

#[tokio::test]
async fn the_operator_lists_who_is_due_then_anonymises_them_from_the_command_line() {
    let f = fixture().await;
    let db = db_of(&f);
    let structure = figures_before_structure(&f).await;
    let mut conn = db.acquire().await.expect("conn");
    let gone = add_worker(
        &mut conn,
        &structure,
        "Ancienne Parcours",
        &f.ids.team_a,
        None,
    )
    .await;
    drop(conn);
    // Created now, ended: its last contact is today; `--on` two years later.
    sqlx::query("UPDATE workers SET status = 'ended', contract_end = $1 WHERE id = $2")
        .bind(app::backend::db::today_paris().to_string())
        .bind(&gone)
        .execute(&db)
        .await
        .expect("end");
    let on = jalon_core::privacy::due_on(app::backend::db::today_paris(), 2).to_string();
    let config = Config {
        addr: "127.0.0.1:0".parse().expect("addr"),
        database_url: f.url.clone(),
        data_dir: None,
        site_root: std::path::PathBuf::from("."),
        demo: false,
        public_url: None,
        trusted_proxies: Default::default(),
        smtp: None,
    };
    let name = || async {
        sqlx::query_scalar::<_, String>("SELECT last_name FROM workers WHERE id = $1")
            .bind(&gone)
            .fetch_one(&db)
            .await
            .expect("name")
    };
    let args = |apply: bool, on: &str| crate::cli::RetentionArgs {
        dry_run: !apply,
        apply,
        on: Some(on.to_string()),
    };
    crate::retention::run(&config, &args(true, "2026-13-01"))
        .await
        .expect_err("not a date");
    crate::retention::run(&config, &args(false, &on))
        .await
        .expect("dry run");
    assert_eq!(name().await, "Parcours", "a dry run changes nothing");
    crate::retention::run(&config, &args(true, &on))
        .await
        .expect("apply");
    assert_eq!(name().await, jalon_core::privacy::ANONYMOUS_LAST);
}

#[tokio::test]
async fn bad_holds_erasures_and_durations_are_refused_in_french_with_nothing_written() {
    let f = fixture().await;
    let db = db_of(&f);
    let admin = sign_in(&f.router, Who::Admin).await;
    let admin = admin.as_deref();
    let worker = &f.ids.worker;
    let today = app::backend::db::today_paris();
    let later = today + Duration::days(200);
    let huge = "x".repeat(100_000);
    let cases = [
        (
            "/api/privacy/hold_person",
            format!("worker_id={worker}&until={today}&reason=Archives"),
            "postérieure",
        ),
        (
            "/api/privacy/hold_person",
            format!("worker_id={worker}&until=demain&reason=Archives"),
            "indiquez une date",
        ),
        (
            "/api/privacy/hold_person",
            format!("worker_id={worker}&until={later}&reason=+++"),
            "à remplir",
        ),
        (
            "/api/privacy/hold_person",
            format!("worker_id={worker}&until={later}&reason={huge}"),
            "trop long",
        ),
        (
            "/api/privacy/erase_person",
            format!("worker_id={worker}&reason=autre"),
            "Motif",
        ),
        (
            "/api/privacy/erase_person",
            format!("worker_id={worker}&reason="),
            "Motif",
        ),
        (
            "/api/privacy/set_retention_years",
            "years=0".to_string(),
            "de 1 à 10 ans",
        ),
        (
            "/api/privacy/set_retention_years",
            "years=11".to_string(),
            "de 1 à 10 ans",
        ),
    ];
    for (path, body, says) in cases {
        let (status, text, _) = call(&f.router, path, body, admin).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {text}");
        assert!(text.contains(says), "{path}: {text}");
    }
    let (status, _, _) = call(
        &f.router,
        "/api/privacy/erase_person",
        "worker_id=inconnu&reason=erroneous".into(),
        admin,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let written: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM retention_holds) + (SELECT COUNT(*) FROM workers WHERE anonymised_at IS NOT NULL) \
         + (SELECT COUNT(*) FROM structure_settings WHERE retention_years <> 2)",
    )
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(written, 0, "nothing half-written");
}

#[tokio::test]
async fn the_admin_reads_who_read_sensitive_observations_by_person_and_by_reader() {
    let f = fixture().await;
    let db = db_of(&f);
    // A sensitive observation of the demo, written by a supervisor: the
    // counsellor's phone receives it, which is a read.
    let (worker, first, last): (String, String, String) = sqlx::query_as(
        "SELECT o.worker_id, w.first_name, w.last_name FROM observations o \
         JOIN workers w ON w.id = o.worker_id WHERE o.sensitive = TRUE LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .expect("sensitive observation");
    let cip = sign_in(&f.router, Who::Counsellor).await;
    pull(&f, cip.as_deref()).await;
    let cip_id: String = sqlx::query_scalar("SELECT id FROM users WHERE login = 'demo.cip'")
        .fetch_one(&db)
        .await
        .expect("cip");
    let admin = sign_in(&f.router, Who::Admin).await;
    let journal = |body: String| {
        let admin = admin.clone();
        let f = &f;
        async move {
            ok_json::<app::pages::audit::AuditView>(f, admin.as_deref(), "/api/audit/list", body)
                .await
        }
    };
    let reads = journal(format!(
        "action=sensitive_read&person={worker}&actor_id={cip_id}"
    ))
    .await;
    assert!(!reads.lines.is_empty());
    assert!(reads.lines.iter().all(|l| l.action == "sensitive_read"
        && l.person.as_deref() == Some(format!("{first} {last}").as_str())));
    assert!(reads.people.iter().any(|(id, _)| id == &worker));
    assert!(reads.actors.iter().any(|(id, _)| id == &cip_id));
    // Another reader, or another person: none of these.
    let supervisor_id: String =
        sqlx::query_scalar("SELECT id FROM users WHERE login = 'demo.encadrant.b'")
            .fetch_one(&db)
            .await
            .expect("supervisor");
    let none = journal(format!(
        "action=sensitive_read&person={worker}&actor_id={supervisor_id}"
    ))
    .await;
    assert!(none.lines.is_empty());
    let other = journal(format!(
        "action=sensitive_read&person={}&actor_id={cip_id}",
        f.ids.spare_worker
    ))
    .await;
    assert!(other.lines.is_empty());
}

#[tokio::test]
async fn handicap_noted_before_becomes_sensitive_and_leaves_the_phones_that_may_no_longer_read_it()
{
    let f = fixture().await;
    let db = db_of(&f);
    // An observation of demo.s01 as it was noted before: category handicap,
    // shared with the person, not sensitive.
    let id: String = sqlx::query_scalar(
        "SELECT id FROM observations WHERE worker_id = $1 AND sensitive = FALSE \
         AND retracted = FALSE AND deleted = FALSE ORDER BY id LIMIT 1",
    )
    .bind(&f.ids.worker)
    .fetch_one(&db)
    .await
    .expect("observation");
    sqlx::query(
        "UPDATE observations SET kind = 'barrier', category = 'disability', shared = TRUE \
         WHERE id = $1",
    )
    .bind(&id)
    .execute(&db)
    .await
    .expect("as before");
    let mut phones = Vec::new();
    for who in [Who::Admin, Who::Supervisor, Who::Counsellor, Who::Worker] {
        let cookie = sign_in(&f.router, who).await;
        let first = pull(&f, cookie.as_deref()).await;
        let r = first.records.iter().find(|r| r.id.to_string() == id);
        assert!(r.is_some_and(|r| !r.deleted), "{who:?} held it");
        phones.push((who, cookie, first.cursor, first.scope));
    }
    // The migration, as the server runs it on this engine.
    let migration = if f.url.starts_with("postgres") {
        include_str!("../../../../app/migrations/postgres/0014_disability_sensitive.sql")
    } else {
        include_str!("../../../../app/migrations/sqlite/0014_disability_sensitive.sql")
    };
    sqlx::raw_sql(migration)
        .execute(&db)
        .await
        .expect("migration");
    let (sensitive, shared): (bool, bool) =
        sqlx::query_as::<_, (app::backend::db::Flag, app::backend::db::Flag)>(
            "SELECT sensitive, shared FROM observations WHERE id = $1",
        )
        .bind(&id)
        .fetch_one(&db)
        .await
        .map(|(a, b)| (a.into(), b.into()))
        .expect("flags");
    assert!(sensitive && !shared);
    for (who, cookie, cursor, scope) in phones {
        let (status, text, _) = call(
            &f.router,
            "/api/sync/v1/pull",
            format!(r#"{{"cursor":{cursor},"scope":"{scope}"}}"#),
            cookie.as_deref(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let next: PullResponse = serde_json::from_str(&text).expect("pull");
        let r = next
            .records
            .iter()
            .find(|r| r.id.to_string() == id)
            .unwrap_or_else(|| panic!("{who:?} is told at its next sync"));
        let still_reads = matches!(who, Who::Supervisor | Who::Counsellor);
        assert_eq!(!r.deleted, still_reads, "{who:?}");
        if !still_reads {
            assert!(
                r.data.is_null() && r.author_id.is_empty(),
                "a bare tombstone"
            );
        }
    }
    // A handicap noted from now on is sensitive from the start.
    assert!(jalon_core::observations::Category::Disability.is_sensitive());
}

#[tokio::test]
async fn the_information_names_the_structure_its_period_and_contact_and_keeps_when_each_person_saw_it()
 {
    let f = fixture().await;
    let db = db_of(&f);
    let visitor: app::wire::privacy::NoticeFacts =
        ok_json(&f, None, "/api/privacy/notice", String::new()).await;
    assert_eq!(
        (
            visitor.structure,
            visitor.years,
            visitor.contact,
            visitor.worker
        ),
        (None, 2, None, false)
    );
    let admin = sign_in(&f.router, Who::Admin).await;
    let (status, text, _) = call(
        &f.router,
        "/api/privacy/set_contact",
        format!("contact={}", "x".repeat(201)),
        admin.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(text.contains("trop long"), "{text}");
    let (status, _, _) = call(
        &f.router,
        "/api/privacy/set_contact",
        "contact=dpo%40atelier.example+%C2%B7+01+23+45+67+89".into(),
        admin.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let worker = sign_in(&f.router, Who::Worker).await;
    let facts: app::wire::privacy::NoticeFacts =
        ok_json(&f, worker.as_deref(), "/api/privacy/notice", String::new()).await;
    assert!(facts.worker);
    assert_eq!(
        facts.contact.as_deref(),
        Some("dpo@atelier.example · 01 23 45 67 89")
    );
    assert!(facts.structure.is_some_and(|s| s.contains("Atelier Jalon")));
    // Seen once per version, with the first day kept.
    let _: app::wire::privacy::NoticeFacts =
        ok_json(&f, worker.as_deref(), "/api/privacy/notice", String::new()).await;
    let seen: Vec<(i64, String)> = sqlx::query_as(
        "SELECT CAST(n.version AS BIGINT), n.shown_at FROM privacy_notices n \
         JOIN workers w ON w.user_id = n.user_id WHERE w.id = $1",
    )
    .bind(&f.ids.worker)
    .fetch_all(&db)
    .await
    .expect("seen");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, i64::from(jalon_core::privacy::NOTICE_VERSION));
}

#[tokio::test]
async fn the_admin_downloads_the_processing_register_entry_filled_with_the_structures_settings() {
    use super::bilans::{download, read_pdf};
    let f = fixture().await;
    let admin = sign_in(&f.router, Who::Admin).await;
    let (status, _, _) = call(
        &f.router,
        "/api/privacy/set_retention_years",
        "years=3".into(),
        admin.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, pdf) = download(&f, admin.as_deref(), "/api/privacy/register.pdf").await;
    assert_eq!(status, StatusCode::OK);
    let (text, fonts) = read_pdf(&pdf, "registre-traitements");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Registre des traitements",
        "Atelier Jalon",
        "Responsable du traitement",
        "Finalités",
        "Base légale",
        "Catégories de données",
        "Destinataires",
        "3 ans après le dernier contact",
        "À compléter",
        "chaque CIP voit seulement les salariés dont elle ou il est référent·e",
        "Page 1 sur",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(!fonts.contains(" no "), "every font embedded:\n{fonts}");
    let logged: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND target_id LIKE 'registre-traitements-%'",
    )
    .fetch_one(&db_of(&f))
    .await
    .expect("audit");
    assert_eq!(logged, 1, "the download is in the audit log");
}

#[tokio::test]
async fn the_access_export_holds_every_record_of_the_person_and_nothing_about_anyone_else() {
    use super::bilans::{download, read_pdf};
    let f = fixture().await;
    let db = db_of(&f);
    let worker = &f.ids.worker;
    // A sensitive read to report: the counsellor's phone receives one of
    // the person's sensitive observations, if the demo gave them one.
    let cip = sign_in(&f.router, Who::Counsellor).await;
    pull(&f, cip.as_deref()).await;
    let (status, json) = download(
        &f,
        cip.as_deref(),
        &format!("/api/privacy/access.json?salarie={worker}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let export: serde_json::Value = serde_json::from_slice(&json).expect("json");
    let sections = &export["sections"];
    // Every record of the person, compared with the tables.
    for table in [
        "observations",
        "attendance",
        "evaluations",
        "objectives",
        "objective_reactions",
        "welcome_steps",
        "equipment",
        "equipment_receipts",
        "briefings",
        "bilans",
    ] {
        let ids: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT id FROM {table} WHERE worker_id = $1 ORDER BY id"
        ))
        .bind(worker)
        .fetch_all(&db)
        .await
        .expect("ids");
        let mut exported: Vec<String> = sections[table]
            .as_array()
            .expect(table)
            .iter()
            .map(|r| r["id"].as_str().expect("id").to_string())
            .collect();
        exported.sort();
        assert_eq!(exported, ids, "{table}");
    }
    let history: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM record_history WHERE record_id IN \
         (SELECT id FROM observations WHERE worker_id = $1 UNION SELECT id FROM attendance WHERE worker_id = $1 \
          UNION SELECT id FROM evaluations WHERE worker_id = $1 UNION SELECT id FROM objectives WHERE worker_id = $1 \
          UNION SELECT id FROM objective_reactions WHERE worker_id = $1 \
          UNION SELECT id FROM welcome_steps WHERE worker_id = $1 UNION SELECT id FROM equipment WHERE worker_id = $1 \
          UNION SELECT id FROM equipment_receipts WHERE worker_id = $1 UNION SELECT id FROM briefings WHERE worker_id = $1)",
    )
    .bind(worker)
    .fetch_one(&db)
    .await
    .expect("history");
    assert_eq!(
        sections["history"].as_array().expect("history").len() as i64,
        history
    );
    assert!(history > 0, "the demo's records have their history");
    assert!(sections["account"][0].get("password_hash").is_none());
    // Nothing about anyone else: no other worker's id or name.
    let text = String::from_utf8_lossy(&json);
    let others: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, first_name, last_name FROM workers WHERE id <> $1")
            .bind(worker)
            .fetch_all(&db)
            .await
            .expect("others");
    for (id, first, last) in others {
        assert!(!text.contains(&id), "{first} {last}'s id");
        assert!(!text.contains(&format!("{first} {last}")), "{first} {last}");
    }
    // The same in plain French, and the request is in the audit log.
    let (status, pdf) = download(
        &f,
        cip.as_deref(),
        &format!("/api/privacy/access.pdf?salarie={worker}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (pdf_text, _) = read_pdf(&pdf, "acces-donnees");
    for heading in [
        "Ce que Jalon contient sur",
        "Présences",
        "Observations de l",
        "Qui a lu vos notes sensibles",
    ] {
        assert!(pdf_text.contains(heading), "{heading}");
    }
    let logged: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND target_id LIKE 'acces-donnees-%'",
    )
    .fetch_one(&db)
    .await
    .expect("audit");
    assert_eq!(logged, 2);
    // Only the admin and the referent counsellor: a supervisor gets 404.
    let supervisor = sign_in(&f.router, Who::Supervisor).await;
    let (status, _) = download(
        &f,
        supervisor.as_deref(),
        &format!("/api/privacy/access.json?salarie={worker}"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
