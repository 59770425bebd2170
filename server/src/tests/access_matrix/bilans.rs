//! What a bilan starts from (issue 21): the period's records of a person,
//! checked against figures the test computes on its own, and never a
//! sensitive record, even for a reader who may read it.
use super::*;
use app::wire::bilans::BilanPrefill;
use jalon_core::observations::Category;
use jalon_core::sessions::Level;

async fn gathered(
    f: &Fixture,
    cookie: Option<&str>,
    worker: &str,
    from: &str,
    to: &str,
) -> BilanPrefill {
    ok_json(
        f,
        cookie,
        "/api/people/bilan_prefill",
        format!("worker_id={worker}&from={from}&to={to}"),
    )
    .await
}

#[tokio::test]
async fn a_bilan_starts_from_the_periods_figures_and_leaves_sensitive_records_out() {
    let f = fixture().await;
    let db = db_of(&f);
    let today = app::backend::db::today_paris();
    let (from, to) = (
        (today - chrono::Duration::days(60)).to_string(),
        today.to_string(),
    );
    let cip = sign_in(&f.router, Who::Counsellor).await;
    let cip = cip.as_deref();
    let first = f.ids.worker.clone();

    // Skills: one acquired, one in progress, in a session of the period.
    let day = today - chrono::Duration::days(3);
    evaluation(
        &f,
        &first,
        day,
        &[("x", Level::Acquired), ("y", Level::InProgress)],
    )
    .await;
    let bilan = gathered(&f, cip, &first, &from, &to).await;

    // Attendance: the report's own figures for the person and the period.
    let report: app::wire::attendance::PeriodReport = ok_json(
        &f,
        cip,
        "/api/attendance/report",
        format!("filter[team_id]=&filter[worker_id]={first}&filter[from]={from}&filter[to]={to}"),
    )
    .await;
    let summary = &report.workers[0].summary;
    assert_eq!(bilan.attendance.rate, summary.rate());
    assert!(bilan.attendance.rate.is_some(), "the demo points every day");
    assert_eq!(bilan.attendance.present_halves, summary.present);
    assert_eq!(
        bilan
            .attendance
            .absences
            .iter()
            .map(|(_, n)| n)
            .sum::<u32>(),
        summary.absent()
    );

    // Barriers noted in the period, counted here by category.
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT category, COUNT(*) FROM observations WHERE worker_id = $1 AND kind = 'barrier' \
         AND deleted = FALSE AND retracted = FALSE AND sensitive = FALSE \
         AND observed_on >= $2 AND observed_on <= $3 GROUP BY category",
    )
    .bind(&first)
    .bind(&from)
    .bind(&to)
    .fetch_all(&db)
    .await
    .expect("barriers");
    let mut expected: Vec<(String, u32)> = rows
        .into_iter()
        .map(|(code, n)| {
            let label = Category::parse(&code).map_or("Autre", Category::label);
            (label.to_string(), n as u32)
        })
        .collect();
    expected.sort();
    let mut got: Vec<(String, u32)> = bilan
        .barriers
        .iter()
        .filter(|b| b.noted > 0)
        .map(|b| (b.category.clone(), b.noted))
        .collect();
    got.sort();
    assert_eq!(got, expected);
    assert!(!got.is_empty(), "the demo notes a mobility barrier");

    // Skills at their latest level, with the day and the session.
    let skill = |title: &str| bilan.skills.iter().find(|s| s.skill == title).cloned();
    let x = skill("Compétence x").expect("x gathered");
    assert_eq!(
        (x.level, x.on.as_str(), x.session.as_str()),
        (Level::Acquired, day.to_string().as_str(), "Séance")
    );
    assert_eq!(
        skill("Compétence y").map(|s| s.level),
        Some(Level::InProgress)
    );

    // demo.s03's santé barrier: never gathered, even for its readers.
    let third = demo_worker(&f, "demo.s03").await;
    for who in [Who::Counsellor, Who::Supervisor, Who::Admin] {
        let cookie = sign_in(&f.router, who).await;
        let bilan = gathered(&f, cookie.as_deref(), &third, &from, &to).await;
        assert!(
            bilan.barriers.iter().all(|b| b.category != "Santé"),
            "{who:?}: {:?}",
            bilan.barriers
        );
        let text = serde_json::to_string(&bilan).expect("json");
        let sensitive: Vec<String> = sqlx::query_scalar(
            "SELECT body FROM observations WHERE worker_id = $1 AND sensitive = TRUE",
        )
        .bind(&third)
        .fetch_all(&db)
        .await
        .expect("sensitive");
        assert!(!sensitive.is_empty());
        for body in sensitive {
            assert!(!text.contains(&body), "{who:?} gets no sensitive text");
        }
    }

    // A worker may not gather a bilan, even of their own file; a period the
    // wrong way round gets a French message.
    let worker = sign_in(&f.router, Who::Worker).await;
    let (status, _, _) = call(
        &f.router,
        "/api/people/bilan_prefill",
        format!("worker_id={first}&from={from}&to={to}"),
        worker.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body, _) = call(
        &f.router,
        "/api/people/bilan_prefill",
        format!("worker_id={first}&from={to}&to={from}"),
        cip,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("avant son début"), "{body}");
}

// ------------------------------------------------------------ stored bilans

use app::wire::bilans::{
    AttestationView, BilanStatus, BilanView, BilanWords, MyPapers, Verification,
};

/// A form value, percent-encoded.
fn enc(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn create(
    f: &Fixture,
    cookie: Option<&str>,
    worker: &str,
    kind: &str,
    audience: &str,
) -> String {
    let today = app::backend::db::today_paris();
    let from = (today - chrono::Duration::days(60)).to_string();
    ok_json(
        f,
        cookie,
        "/api/bilans/create",
        format!("worker_id={worker}&kind={kind}&audience={audience}&from={from}&to={today}"),
    )
    .await
}

async fn bilan(f: &Fixture, cookie: Option<&str>, id: &str) -> BilanView {
    ok_json(f, cookie, "/api/bilans/get", format!("id={id}")).await
}

async fn save(
    f: &Fixture,
    cookie: Option<&str>,
    id: &str,
    audience: &str,
    words: &BilanWords,
    added: &[&str],
) -> (StatusCode, String) {
    let words = serde_json::to_string(words).expect("words");
    let added = serde_json::to_string(added).expect("added");
    let (status, body, _) = call(
        &f.router,
        "/api/bilans/save",
        format!(
            "id={id}&audience={audience}&words={}&added={}",
            enc(&words),
            enc(&added)
        ),
        cookie,
    )
    .await;
    (status, body)
}

/// What the worker's phone keeps (`bilans/mine` answers it as JSON text).
async fn kept_on_phone(f: &Fixture, cookie: Option<&str>) -> MyPapers {
    let text: String = ok_json(f, cookie, "/api/bilans/mine", String::new()).await;
    serde_json::from_str(&text).expect("MyPapers")
}

async fn post(f: &Fixture, cookie: Option<&str>, path: &str, body: String) -> (StatusCode, String) {
    let (status, text, _) = call(&f.router, path, body, cookie).await;
    (status, text)
}

/// A GET download's status and bytes.
pub(super) async fn download(
    f: &Fixture,
    cookie: Option<&str>,
    uri: &str,
) -> (StatusCode, Vec<u8>) {
    let mut req = Request::builder().uri(uri);
    if let Some(cookie) = cookie {
        req = req.header(header::COOKIE, cookie);
    }
    let res = f
        .router
        .clone()
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .expect("body");
    (status, bytes.to_vec())
}

/// The text of a PDF (`pdftotext`, layout kept), its fonts (`pdffonts`),
/// and its first page drawn as a PNG (`pdftoppm`) kept in
/// `target/documents/` to be looked at.
pub(super) fn read_pdf(pdf: &[u8], name: &str) -> (String, String) {
    assert!(pdf.starts_with(b"%PDF-"), "{name} is a PDF");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/documents");
    std::fs::create_dir_all(&dir).expect("documents dir");
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, pdf).expect("write pdf");
    let run = |program: &str, args: &[&str]| {
        let out = std::process::Command::new(program)
            .args(args)
            .output()
            .unwrap_or_else(|e| {
                panic!("{program} (poppler-utils, installed by scripts/setup.sh --test): {e}")
            });
        assert!(
            out.status.success(),
            "{program}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let path = file.to_str().expect("path");
    let text = run("pdftotext", &["-layout", path, "-"]);
    let fonts = run("pdffonts", &[path]);
    let png = dir.join(name);
    run(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            path,
            png.to_str().expect("png"),
        ],
    );
    let drawn = std::fs::metadata(dir.join(format!("{name}.png"))).expect("page 1 drawn");
    assert!(
        drawn.len() > 5_000,
        "page 1 holds something: {} bytes",
        drawn.len()
    );
    (text, fonts)
}

#[tokio::test]
async fn a_validated_bilan_stays_as_it_was_and_a_correction_is_a_new_version() {
    let f = fixture().await;
    let cip = sign_in(&f.router, Who::Counsellor).await;
    let cip = cip.as_deref();
    let worker = f.ids.worker.clone();
    let id = create(&f, cip, &worker, "exit", "team").await;
    let draft = bilan(&f, cip, &id).await;
    assert_eq!(draft.status, BilanStatus::Draft);
    assert!(draft.can_write);
    assert!(
        draft
            .content
            .words
            .participants
            .iter()
            .any(|p| p.role == "Salarié"),
        "the person is among the participants"
    );

    // Validating without conclusions is refused, in French.
    let (status, body) = post(&f, cip, "/api/bilans/validate", format!("id={id}")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("conclusions"), "{body}");

    let words = BilanWords {
        worker_words: "J'ai aimé travailler dehors!".into(),
        conclusions: "Parcours mené à son terme ; la personne a gagné en autonomie.".into(),
        next_objectives: vec!["Passer le CACES R489".into()],
        orientation: "CDD d'agent d'espaces verts".into(),
        ..draft.content.words.clone()
    };
    let (status, body) = save(&f, cip, &id, "team", &words, &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = post(&f, cip, "/api/bilans/validate", format!("id={id}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let validated = bilan(&f, cip, &id).await;
    assert_eq!(validated.status, BilanStatus::Validated);

    // A validated bilan no longer changes…
    let (status, body) = save(&f, cip, &id, "team", &BilanWords::default(), &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("nouvelle version"), "{body}");
    // …even when a record of its period changes: a skill acquired today.
    let today = app::backend::db::today_paris();
    evaluation(&f, &worker, today, &[("z", Level::Acquired)]).await;
    let again = bilan(&f, cip, &id).await;
    assert_eq!(again.content, validated.content, "frozen");
    let now = gathered(
        &f,
        cip,
        &worker,
        &validated.content.records.from,
        &today.to_string(),
    )
    .await;
    assert!(
        now.skills.iter().any(|s| s.skill == "Compétence z"),
        "the record did change"
    );
    assert!(
        !again
            .content
            .records
            .skills
            .iter()
            .any(|s| s.skill == "Compétence z")
    );

    // A correction: a new draft version with its reason; the first stays in
    // force until the correction is validated, then is marked replaced.
    let (status, body) = post(&f, cip, "/api/bilans/correct", format!("id={id}&reason=")).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required: {body}"
    );
    let second: String = ok_json(
        &f,
        cip,
        "/api/bilans/correct",
        format!("id={id}&reason={}", enc("Compétence oubliée")),
    )
    .await;
    let (status, _) = post(
        &f,
        cip,
        "/api/bilans/correct",
        format!("id={id}&reason=Encore"),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "one correction at a time"
    );
    assert_eq!(bilan(&f, cip, &id).await.status, BilanStatus::Validated);
    let (status, body) = save(&f, cip, &second, "team", &words, &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = post(&f, cip, "/api/bilans/validate", format!("id={second}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v2 = bilan(&f, cip, &second).await;
    assert_eq!((v2.version, v2.status), (2, BilanStatus::Validated));
    assert_eq!(v2.correction_reason.as_deref(), Some("Compétence oubliée"));
    assert!(
        v2.content
            .records
            .skills
            .iter()
            .any(|s| s.skill == "Compétence z")
    );
    assert_eq!(v2.versions.len(), 2);
    let v1 = bilan(&f, cip, &id).await;
    assert_eq!(v1.status, BilanStatus::Replaced);
    assert_eq!(v1.content, validated.content);

    // The next objectives in one tap, once.
    let n: usize = ok_json(&f, cip, "/api/bilans/objectives", format!("id={second}")).await;
    assert_eq!(n, 1);
    let n: usize = ok_json(&f, cip, "/api/bilans/objectives", format!("id={second}")).await;
    assert_eq!(n, 0, "already there");
    let titles: Vec<String> =
        sqlx::query_scalar("SELECT title FROM objectives WHERE worker_id = $1 AND title = $2")
            .bind(&worker)
            .bind("Passer le CACES R489")
            .fetch_all(&db_of(&f))
            .await
            .expect("objectives");
    assert_eq!(titles.len(), 1);

    // The worker sees it only once shared with them.
    let me = sign_in(&f.router, Who::Worker).await;
    let me = me.as_deref();
    let (status, _) = post(&f, me, "/api/bilans/get", format!("id={second}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let mine = kept_on_phone(&f, me).await;
    assert!(mine.bilans.iter().all(|b| b.id != second));
    let (status, _) = post(
        &f,
        cip,
        "/api/bilans/share",
        format!("id={id}&recipient=worker&name="),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a replaced version is not shared"
    );
    let (status, body) = post(
        &f,
        cip,
        "/api/bilans/share",
        format!("id={second}&recipient=worker&name="),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mine = kept_on_phone(&f, me).await;
    assert!(mine.bilans.iter().any(|b| b.id == second));
    assert!(
        mine.bilans.iter().all(|b| b.id != id),
        "never the replaced version"
    );
    let seen = bilan(&f, me, &second).await;
    assert!(!seen.can_write && seen.versions.is_empty());
    let audit: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('bilan_created', 'bilan_validated', 'bilan_corrected', 'bilan_shared')",
    )
    .fetch_one(&db_of(&f))
    .await
    .expect("audit");
    assert!(audit >= 5, "every step is in the audit log: {audit}");

    // The PDF: A4, the structure's name and the page on every page, French
    // typography, fonts embedded; its download in the audit log.
    let (status, pdf) = download(&f, cip, &format!("/api/bilans/document.pdf?id={second}")).await;
    assert_eq!(status, StatusCode::OK);
    let (text, fonts) = read_pdf(&pdf, "bilan-de-sortie");
    for expected in [
        "Bilan de sortie",
        "Atelier Jalon",
        "Page 1 sur",
        "Passer le CACES R489",
        "Compétence z",
        // The space before « ! » is added (a no-break one, kept on the line).
        "J'ai aimé travailler dehors !",
        "Conclusions",
        "Version 2",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    assert!(
        !fonts.lines().skip(2).any(|l| l.contains(" no  ")),
        "every font embedded:\n{fonts}"
    );
    let downloads: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND target_id LIKE 'bilan-sortie-%'",
    )
    .fetch_one(&db_of(&f))
    .await
    .expect("audit");
    assert_eq!(downloads, 1);
}

#[tokio::test]
async fn a_sensitive_item_never_reaches_a_funder_a_colleague_or_the_workers_phone() {
    let f = fixture().await;
    let cip = sign_in(&f.router, Who::Counsellor).await;
    let cip = cip.as_deref();
    let third = demo_worker(&f, "demo.s03").await;
    let id = create(&f, cip, &third, "midway", "funder").await;
    let draft = bilan(&f, cip, &id).await;
    let sensitive = draft
        .addable
        .iter()
        .find(|a| a.sensitive)
        .cloned()
        .expect("the counsellor may add demo.s03's santé barrier");
    let words = BilanWords {
        conclusions: "Point d'étape.".into(),
        worker_words: "Je me sens mieux.".into(),
        ..draft.content.words.clone()
    };
    // Not in a bilan for a funder.
    let (status, body) = save(&f, cip, &id, "funder", &words, &[&sensitive.observation_id]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("financeur"), "{body}");
    // An id she may not read, or that does not exist: refused, nothing written.
    let (status, _) = save(
        &f,
        cip,
        &id,
        "team",
        &words,
        &["00000000-0000-7000-8000-000000000000"],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bilan(&f, cip, &id).await.content, draft.content);
    // For the team, added on purpose: then only its author and the
    // person's counsellor read it, like the observation itself.
    let (status, body) = save(&f, cip, &id, "team", &words, &[&sensitive.observation_id]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for who in [Who::Admin, Who::Supervisor] {
        let cookie = sign_in(&f.router, who).await;
        let (status, _) = post(&f, cookie.as_deref(), "/api/bilans/get", format!("id={id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who:?}");
    }
    let (status, _) = post(&f, cip, "/api/bilans/validate", format!("id={id}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = post(
        &f,
        cip,
        "/api/bilans/share",
        format!("id={id}&recipient=funder&name=DDETS"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = post(
        &f,
        cip,
        "/api/bilans/share",
        format!("id={id}&recipient=worker&name="),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let s03 = call(
        &f.router,
        "/api/auth/sign_in",
        format!("login=demo.s03&secret={}", crate::demo::WORKER_PIN),
        None,
    )
    .await
    .2;
    let mine = kept_on_phone(&f, s03.as_deref()).await;
    let text = serde_json::to_string(&mine).expect("json");
    assert!(mine.bilans.iter().any(|b| b.id == id));
    assert!(
        !text.contains(&sensitive.text),
        "the phone never gets the sensitive item"
    );
    let (status, pdf) = download(
        &f,
        s03.as_deref(),
        &format!("/api/bilans/document.pdf?id={id}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (text, _) = read_pdf(&pdf, "bilan-personne");
    assert!(!text.contains(&sensitive.text[..20.min(sensitive.text.len())]));

    // A funder's bilan of the same person: figures, skills, progress;
    // neither the strengths' texts nor the person's words.
    let funder = create(&f, cip, &third, "midway", "funder").await;
    let (status, _) = save(&f, cip, &funder, "funder", &words, &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, pdf) = download(&f, cip, &format!("/api/bilans/document.pdf?id={funder}")).await;
    assert_eq!(status, StatusCode::OK);
    let (text, _) = read_pdf(&pdf, "bilan-financeur");
    assert!(
        text.contains("Assiduité") && text.contains("Compétences"),
        "{text}"
    );
    assert!(!text.contains("Je me sens mieux"), "{text}");
    assert!(!text.contains(&sensitive.text[..20.min(sensitive.text.len())]));

    // Hostile input: too many next objectives, a huge text, an unknown kind.
    let many = BilanWords {
        next_objectives: (0..21).map(|n| format!("Objectif {n}")).collect(),
        ..words.clone()
    };
    let (status, body) = save(&f, cip, &funder, "funder", &many, &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let huge = BilanWords {
        conclusions: "a".repeat(100_000),
        ..words.clone()
    };
    let (status, body) = save(&f, cip, &funder, "funder", &huge, &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("trop long"), "{body}");
    let (status, _) = post(
        &f,
        cip,
        "/api/bilans/create",
        format!("worker_id={third}&kind=annual&audience=team&from=2026-01-01&to=2026-02-01"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = post(
        &f,
        cip,
        "/api/bilans/save",
        format!("id={funder}&audience=team&words=%7B&added="),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn an_attestation_is_checked_by_its_code_genuine_unknown_or_withdrawn() {
    let f = fixture().await;
    let cip = sign_in(&f.router, Who::Counsellor).await;
    let cip = cip.as_deref();
    let worker = f.ids.worker.clone();
    let today = app::backend::db::today_paris();
    evaluation(
        &f,
        &worker,
        today,
        &[("a", Level::Acquired), ("b", Level::InProgress)],
    )
    .await;
    let (status, body) = post(
        &f,
        cip,
        "/api/attestations/issue",
        format!("worker_id={worker}&supervisor=&head=Direction"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let view = issue_attestation(&f, cip, &worker).await;
    let id = view.id.clone();
    let skills: Vec<&str> = view
        .content
        .frameworks
        .iter()
        .flat_map(|f| f.skills.iter().map(|s| s.skill.as_str()))
        .collect();
    assert!(skills.contains(&"Compétence a"));
    assert!(!skills.contains(&"Compétence b"), "only « acquis » counts");
    assert!(
        view.verify_url
            .ends_with(&format!("/verifier/{}", view.code))
    );
    assert!(view.qr_svg.starts_with("<?xml") || view.qr_svg.contains("<svg"));

    // Anyone, signed in or not, with the code as printed, typed in lower
    // case or without its dash.
    for typed in [
        view.code.clone(),
        view.code.to_lowercase(),
        view.code.replace('-', " "),
    ] {
        let answer: Verification = ok_json(
            &f,
            None,
            "/api/attestations/verify",
            format!("code={}", enc(&typed)),
        )
        .await;
        assert_eq!(
            answer,
            Verification::Genuine(view.content.clone()),
            "{typed}"
        );
    }
    // Exactly what it states, nothing else about the person.
    let (_, raw, _) = call(
        &f.router,
        "/api/attestations/verify",
        format!("code={}", view.code),
        None,
    )
    .await;
    let login: String = sqlx::query_scalar(
        "SELECT u.login FROM users u JOIN workers w ON w.user_id = u.id WHERE w.id = $1",
    )
    .bind(&worker)
    .fetch_one(&db_of(&f))
    .await
    .expect("login");
    for leak in [worker.as_str(), login.as_str(), id.as_str(), "Compétence b"] {
        assert!(!raw.contains(leak), "{leak} leaks: {raw}");
    }
    let observations: Vec<String> =
        sqlx::query_scalar("SELECT body FROM observations WHERE worker_id = $1")
            .bind(&worker)
            .fetch_all(&db_of(&f))
            .await
            .expect("observations");
    assert!(!observations.is_empty());
    for text in observations {
        assert!(!raw.contains(&text), "no observation");
    }
    for typed in [
        "",
        "AAAAA-AAAAA",
        "'; DROP TABLE attestations; --",
        &"Z".repeat(100_000),
    ] {
        let answer: Verification = ok_json(
            &f,
            None,
            "/api/attestations/verify",
            format!("code={}", enc(typed)),
        )
        .await;
        assert_eq!(answer, Verification::Unknown);
    }

    // Its PDF: the code, the address to check it, the signatures.
    let (status, pdf) = download(&f, cip, &format!("/api/attestations/document.pdf?id={id}")).await;
    assert_eq!(status, StatusCode::OK);
    let (text, _) = read_pdf(&pdf, "attestation");
    for expected in [
        "Attestation de compétences",
        "Compétence a",
        view.code.as_str(),
        "/verifier/",
        "Karim Benali",
        "Anne Morel, directrice",
        "Page 1 sur 1",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    assert!(!text.contains("Compétence b"));

    // Withdrawn: the page says so, and since when.
    let (status, _) = post(
        &f,
        cip,
        "/api/attestations/withdraw",
        format!("id={id}&reason={}", enc("Émise par erreur")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let answer: Verification = ok_json(
        &f,
        None,
        "/api/attestations/verify",
        format!("code={}", view.code),
    )
    .await;
    assert_eq!(
        answer,
        Verification::Withdrawn {
            content: view.content.clone(),
            on: today.to_string()
        }
    );
    let (status, _) = post(
        &f,
        cip,
        "/api/attestations/withdraw",
        format!("id={id}&reason=Encore"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "withdrawn once");
}

/// The counsellor issues the worker's attestation; as it then reads.
async fn issue_attestation(f: &Fixture, cip: Option<&str>, worker: &str) -> AttestationView {
    let id: String = ok_json(
        f,
        cip,
        "/api/attestations/issue",
        format!(
            "worker_id={worker}&supervisor={}&head={}",
            enc("Karim Benali"),
            enc("Anne Morel, directrice")
        ),
    )
    .await;
    ok_json(f, cip, "/api/attestations/get", format!("id={id}")).await
}

/// Pushes one « Compétence » observation from the supervisor's phone; the
/// outcome as the phone reads it.
async fn skill_seen_at_work(
    f: &Fixture,
    cookie: Option<&str>,
    day: chrono::NaiveDate,
    skill: &str,
    level: Option<Level>,
) -> jalon_core::sync::protocol::Outcome {
    let body = serde_json::json!({
        "device_id": uuid::Uuid::now_v7(), "batch": 1,
        "mutations": [{ "id": uuid::Uuid::now_v7(), "record_type": "observation", "schema": 2,
            "record_id": uuid::Uuid::now_v7(), "op": "create", "base_version": 0,
            "data": {
                "worker_id": f.ids.worker, "observed_on": day.to_string(), "kind": "skill",
                "body": "Taille la haie seul, au cordeau",
                "skill": { "framework_id": "fw-test", "skill_id": skill,
                    "title": format!("Compétence {skill}") },
                "level": level,
            } }],
    });
    let (status, text, _) = call(&f.router, "/api/sync/v1/push", body.to_string(), cookie).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let res: jalon_core::sync::protocol::PushResponse = serde_json::from_str(&text).expect("acks");
    res.acks[0].outcome.clone()
}

#[tokio::test]
async fn a_skill_seen_at_work_counts_in_the_bilan_and_the_attestation_with_its_origin() {
    use jalon_core::sync::protocol::{Outcome, RejectReason};
    let f = fixture().await;
    let today = app::backend::db::today_paris();
    let supervisor = sign_in(&f.router, Who::Supervisor).await;
    let cip = sign_in(&f.router, Who::Counsellor).await;
    let cip = cip.as_deref();
    let worker = f.ids.worker.clone();

    // A level without which it can't count: refused in French, nothing written.
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM observations")
        .fetch_one(&db_of(&f))
        .await
        .expect("count");
    let refused = skill_seen_at_work(&f, supervisor.as_deref(), today, "z", None).await;
    assert!(
        matches!(&refused, Outcome::Rejected { reason: RejectReason::Invalid, message }
            if message == "Choisissez le niveau observé : acquis, en cours ou non acquis."),
        "{refused:?}"
    );
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM observations")
        .fetch_one(&db_of(&f))
        .await
        .expect("count");
    assert_eq!(before, after);

    // Seen acquired at work, after a session that had it in progress.
    let seen_on = today - chrono::Duration::days(2);
    evaluation(
        &f,
        &worker,
        today - chrono::Duration::days(10),
        &[("z", Level::InProgress)],
    )
    .await;
    let applied = skill_seen_at_work(
        &f,
        supervisor.as_deref(),
        seen_on,
        "z",
        Some(Level::Acquired),
    )
    .await;
    assert!(matches!(applied, Outcome::Applied { .. }), "{applied:?}");
    let from = (today - chrono::Duration::days(60)).to_string();
    let bilan = gathered(&f, cip, &worker, &from, &today.to_string()).await;
    let z = bilan
        .skills
        .iter()
        .find(|s| s.skill == "Compétence z")
        .expect("z gathered");
    assert_eq!(
        (z.level, z.on.as_str(), z.session.as_str()),
        (
            Level::Acquired,
            seen_on.to_string().as_str(),
            "Observé en situation de travail"
        )
    );

    // The attestation states it, with where it was seen.
    let view = issue_attestation(&f, cip, &worker).await;
    let attested = view
        .content
        .frameworks
        .iter()
        .flat_map(|f| f.skills.iter())
        .find(|s| s.skill == "Compétence z")
        .expect("z attested");
    assert_eq!(attested.situation, "Observé en situation de travail");

    // A later session that finds it in progress again takes over.
    evaluation(&f, &worker, today, &[("z", Level::InProgress)]).await;
    let bilan = gathered(&f, cip, &worker, &from, &today.to_string()).await;
    let z = bilan
        .skills
        .iter()
        .find(|s| s.skill == "Compétence z")
        .expect("z");
    assert_eq!((z.level, z.session.as_str()), (Level::InProgress, "Séance"));
}
