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

mod alert_mail;
mod bad_input;
mod bilans;
mod devices;
mod exports;
mod fixture;
mod parcours;
mod privacy;
mod requests;
mod safety;
mod smtp_sink;

use fixture::*;

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
/// The demo worker `demo.s01`, signed in on their phone.
const THE_WORKER: &[Who] = &[Who::Worker];
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
/// `demo.s01`'s staff and `demo.s01` themself.
const S01_AND_STAFF: &[Who] = &[Who::Admin, Who::Supervisor, Who::Counsellor, Who::Worker];
/// Who manages `demo.s01`'s parcours (and hands over their data): the
/// admin and their referent counsellor.
const PARCOURS_OF_S01: &[Who] = &[Who::Admin, Who::Counsellor];
/// Who prepares bilans: the admin and the worker's counsellor.
const BILAN_WRITERS: &[Who] = &[Who::Admin, Who::Counsellor];
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
    /// A phone of `spare_user`.
    spare_device: String,
    /// Per actor (by its index in `EVERYONE`), a request of `demo.s01`
    /// about their data, waiting for an answer.
    requests: Vec<String>,
    team_a: String,
    team_b: String,
    /// A demo alert about `worker`, written by the team's supervisor.
    alert: String,
    /// The demo structure's espaces verts framework.
    framework: String,
    /// Team A's demo template plan, by its supervisor.
    plan: String,
    /// Two parcours per actor (by its index in `EVERYONE`, then that index
    /// plus the number of actors), for the parcours changes; made by the
    /// matrix test only.
    parcours: Vec<String>,
    /// `demo.s01`'s entry bilan (validated, shared with them by the demo).
    bilan: String,
    /// Per actor, a draft bilan of its parcours worker, and an attestation
    /// to withdraw; an attestation of `demo.s01` (made by the matrix test).
    drafts: Vec<String>,
    attestation: String,
    attestations: Vec<String>,
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
        // The open alerts of the counsellor's navigation: staff only.
        path: "/api/frame/open_alerts",
        body: none,
        expect: Expect::Only(STAFF),
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
        // A person's timeline: the staff who may see them, never a worker.
        path: "/api/people/timeline",
        body: |ids, _| format!("worker_id={}&kind=&before=", ids.worker),
        expect: Expect::Only(STAFF_OF_S01),
    },
    Endpoint {
        // What a bilan starts from: the staff who may read the file.
        path: "/api/people/bilan_prefill",
        body: |ids, _| format!("worker_id={}&from=2026-11-01&to=2026-11-30", ids.worker),
        expect: Expect::Only(STAFF_OF_S01),
    },
    Endpoint {
        path: "/api/bilans/papers",
        body: |ids, _| format!("worker_id={}", ids.worker),
        expect: Expect::Only(STAFF_OF_S01),
    },
    Endpoint {
        path: "/api/bilans/create",
        body: |ids, n| {
            format!(
                "worker_id={}&kind=exit&audience=funder&from=2026-01-05&to=2026-11-30",
                ids.parcours[n]
            )
        },
        expect: Expect::Only(BILAN_WRITERS),
    },
    Endpoint {
        // Validated and shared with demo.s01: they read it too.
        path: "/api/bilans/get",
        body: |ids, _| format!("id={}", ids.bilan),
        expect: Expect::Only(S01_AND_STAFF),
    },
    Endpoint {
        path: "/api/bilans/save",
        body: |ids, n| {
            format!(
                "id={}&audience=team&words=%7B%22participants%22%3A%5B%5D%2C%22on_attendance%22%3A%22%22%2C%22on_barriers%22%3A%22%22%2C%22on_behaviours%22%3A%22%22%2C%22on_skills%22%3A%22%22%2C%22on_objectives%22%3A%22%22%2C%22worker_words%22%3A%22%22%2C%22conclusions%22%3A%22Bien%22%2C%22next_objectives%22%3A%5B%5D%2C%22orientation%22%3A%22%22%7D&added=",
                ids.drafts[n]
            )
        },
        expect: Expect::Only(BILAN_WRITERS),
    },
    Endpoint {
        path: "/api/bilans/validate",
        body: |ids, n| format!("id={}", ids.drafts[n]),
        expect: Expect::Only(BILAN_WRITERS),
    },
    Endpoint {
        path: "/api/bilans/share",
        body: |ids, n| format!("id={}&recipient=partner&name=Mission+locale", ids.drafts[n]),
        expect: Expect::Only(BILAN_WRITERS),
    },
    Endpoint {
        path: "/api/bilans/objectives",
        body: |ids, n| format!("id={}", ids.drafts[n]),
        expect: Expect::Only(BILAN_WRITERS),
    },
    Endpoint {
        path: "/api/bilans/correct",
        body: |ids, n| format!("id={}&reason=Erreur+de+date", ids.drafts[n]),
        expect: Expect::Only(BILAN_WRITERS),
    },
    Endpoint {
        // The worker's own bilans and attestations, for their phone.
        path: "/api/bilans/mine",
        body: none,
        expect: Expect::Only(&[Who::Worker]),
    },
    Endpoint {
        path: "/api/attestations/issue",
        body: |ids, n| {
            format!(
                "worker_id={}&supervisor=Encadrant&head=Direction",
                ids.parcours[n]
            )
        },
        expect: Expect::Only(STAFF_OF_S01),
    },
    Endpoint {
        path: "/api/attestations/get",
        body: |ids, _| format!("id={}", ids.attestation),
        expect: Expect::Only(S01_AND_STAFF),
    },
    Endpoint {
        path: "/api/attestations/withdraw",
        body: |ids, n| format!("id={}&reason=Erreur", ids.attestations[n]),
        expect: Expect::Only(STAFF_OF_S01),
    },
    Endpoint {
        // The public verification page: anyone, an unknown code answers "unknown".
        path: "/api/attestations/verify",
        body: |_, _| "code=AAAAA-AAAAA".into(),
        expect: Expect::Public(StatusCode::OK),
    },
    Endpoint {
        path: "/api/people/renew_contract",
        body: |ids, n| {
            format!(
                "worker_id={}&contract_end=2027-06-30&reason=Prolongation",
                ids.parcours[n]
            )
        },
        expect: Expect::Only(&[Who::Admin, Who::Counsellor]),
    },
    Endpoint {
        path: "/api/people/change_counsellor",
        // Another parcours: the counsellor who gives it away no longer follows it.
        body: |ids, n| {
            let worker = &ids.parcours[EVERYONE.len() + n];
            format!("worker_id={worker}&counsellor_id=&reason=Relais")
        },
        expect: Expect::Only(&[Who::Admin, Who::Counsellor]),
    },
    Endpoint {
        path: "/api/people/end_worker",
        body: |ids, n| {
            format!(
                "worker_id={}&end_date=2026-12-31&outcome=lasting_job",
                ids.parcours[n]
            )
        },
        expect: Expect::Only(&[Who::Admin, Who::Counsellor]),
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
        path: "/api/people/set_user_email",
        body: |ids, n| format!("id={}&email=matrice{n}%40demo.test", ids.spare_user),
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
        // The funders' summary: any staff, each of the people they may see.
        path: "/api/reports/funders_summary",
        body: |_, _| "from=2026-11-01&to=2026-11-30".into(),
        expect: Expect::Only(STAFF),
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
        // The welcome checklist: read by every staff member, like the frameworks.
        path: "/api/worksite/welcome_items",
        body: none,
        expect: Expect::Only(STAFF),
    },
    Endpoint {
        // Changed by the admin only (each in their structure).
        path: "/api/worksite/save_welcome_items",
        body: |_, n| {
            format!(
                "items=%5B%7B%22id%22%3A%22badge%22%2C%22title%22%3A%22Badge+remis+{n}%22%7D%5D"
            )
        },
        expect: Expect::Only(ADMINS),
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
    Endpoint {
        path: "/api/privacy/notice",
        body: none,
        expect: Expect::Public(StatusCode::OK),
    },
    Endpoint {
        path: "/api/privacy/set_contact",
        body: |_, _| "contact=dpo%40atelier.example".into(),
        expect: Expect::Only(ADMINS),
    },
    Endpoint {
        path: "/api/privacy/retention_overview",
        body: none,
        expect: Expect::Only(ADMINS),
    },
    Endpoint {
        path: "/api/privacy/set_retention_years",
        body: |_, _| "years=3".into(),
        expect: Expect::Only(ADMINS),
    },
    Endpoint {
        path: "/api/privacy/hold_person",
        body: |ids, n| {
            let until = app::backend::db::today_paris() + chrono::Duration::days(365);
            format!(
                "worker_id={}&until={until}&reason=Contentieux+en+cours",
                ids.parcours[n]
            )
        },
        expect: Expect::Only(ADMIN),
    },
    Endpoint {
        path: "/api/privacy/devices",
        body: none,
        expect: Expect::Only(SIGNED_IN),
    },
    Endpoint {
        path: "/api/privacy/devices",
        body: |ids, _| format!("person={}", ids.spare_user),
        expect: Expect::Only(ADMIN),
    },
    // Each actor's own phone (made by its sync push above).
    Endpoint {
        path: "/api/privacy/sign_out_device",
        body: |_, n| format!("device=01900000-0000-7000-8000-00000000000{n}&sends=true"),
        expect: Expect::Only(SIGNED_IN),
    },
    Endpoint {
        path: "/api/privacy/sign_out_device",
        body: |ids, _| format!("device={}&sends=false", ids.spare_device),
        expect: Expect::Only(ADMIN),
    },
    Endpoint {
        path: "/api/privacy/my_requests",
        body: none,
        expect: Expect::Only(THE_WORKER),
    },
    Endpoint {
        path: "/api/privacy/ask_about_data",
        body: |_, _| "kind=correction&body=Mon+nom+est+mal+%C3%A9crit".into(),
        expect: Expect::Only(THE_WORKER),
    },
    Endpoint {
        path: "/api/privacy/requests_to_answer",
        body: none,
        expect: Expect::Only(STAFF),
    },
    // Each actor answers a request of its own (made by the fixture).
    Endpoint {
        path: "/api/privacy/answer_request",
        body: |ids, n| format!("id={}&answer=Remis+en+main+propre", ids.requests[n]),
        expect: Expect::Only(PARCOURS_OF_S01),
    },
    // Near the end: the admin erases its own parcours worker, which no
    // later actor may touch anyway.
    Endpoint {
        path: "/api/privacy/erase_person",
        body: |ids, n| format!("worker_id={}&reason=person_request", ids.parcours[n]),
        expect: Expect::Only(ADMIN),
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
        "/api/observations/export.csv?sensibles=1&salarie=",
        |ids| &ids.worker,
        STAFF_OF_S01,
    ),
    (
        "/api/evaluations/export.csv?salarie=",
        |ids| &ids.worker,
        STAFF_OF_S01,
    ),
    (
        "/api/objectifs/export.csv?salarie=",
        |ids| &ids.worker,
        STAFF_OF_S01,
    ),
    (
        "/api/referentiels/export.json?id=",
        |ids| &ids.framework,
        STAFF_OF_S01_ALL_TEAMS,
    ),
    (
        "/api/bilans/document.pdf?id=",
        |ids| &ids.bilan,
        S01_AND_STAFF,
    ),
    // No parameter: the id is ignored.
    ("/api/privacy/register.pdf?n=", |ids| &ids.worker, ADMINS),
    (
        "/api/privacy/access.json?salarie=",
        |ids| &ids.worker,
        PARCOURS_OF_S01,
    ),
    (
        "/api/privacy/access.pdf?salarie=",
        |ids| &ids.worker,
        PARCOURS_OF_S01,
    ),
    (
        "/api/attestations/document.pdf?id=",
        |ids| &ids.attestation,
        S01_AND_STAFF,
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
    let mut f = fixture().await;
    f.ids.parcours = parcours_per_actor(&f).await;
    papers_per_actor(&mut f).await;
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
    // The admin and the counsellor also see the demo's parcours ended two
    // years ago (no team).
    let expected = [
        (Who::Admin, 19),
        (Who::Supervisor, 9),
        (Who::OtherSupervisor, 9),
        (Who::Counsellor, 19),
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
        let (received, text) = pulled_among(&f, cookie.as_deref(), n as u8 + 1, &written).await;
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

/// Pulls everything as `cookie` (from address number `from`): how many of
/// `ids` arrive (not as deletions), and the answer's text.
async fn pulled_among(
    f: &Fixture,
    cookie: Option<&str>,
    from: u8,
    ids: &[uuid::Uuid],
) -> (usize, String) {
    let (status, text, _) = call_from(
        &f.router,
        "/api/sync/v1/pull",
        r#"{"cursor":0}"#.into(),
        cookie,
        from,
    )
    .await;
    if status != StatusCode::OK {
        return (0, text);
    }
    let res: jalon_core::sync::protocol::PullResponse = serde_json::from_str(&text).expect("pull");
    let count = res
        .records
        .iter()
        .filter(|r| ids.contains(&r.id) && !r.deleted)
        .count();
    (count, text)
}
