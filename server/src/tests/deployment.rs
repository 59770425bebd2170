//! A deployment behind a reverse proxy that terminates HTTPS and rewrites
//! `Host`: `--public-url` decides which origin may write, cookies are Secure,
//! HSTS is sent; `--trusted-proxy` makes the sign-in limit and the audit log
//! see each person's own address, and nobody else's word for it.
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

use crate::config::Config;
use crate::demo::STAFF_PASSWORD;
use crate::http::router;
use crate::state::AppState;

struct Deployment {
    _dir: tempfile::TempDir,
    db: app::backend::db::Db,
    router: Router,
}

async fn deployment() -> Deployment {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = app::backend::scratch::url(dir.path(), "deployment").await;
    let db = app::backend::db::connect(&url).await.expect("db");
    crate::demo::ensure(&db).await.expect("demo");
    let config = Config {
        addr: "127.0.0.1:0".parse().expect("addr"),
        database_url: url,
        data_dir: None,
        site_root: dir.path().to_path_buf(),
        demo: true,
        public_url: Some(crate::config::public_origin("https://Jalon.example.org/").expect("url")),
        trusted_proxies: crate::proxy::TrustedProxies::parse(&["10.0.0.0/8".into()])
            .expect("proxies"),
        smtp: None,
    };
    let state = AppState {
        service_worker: config.service_worker(),
        leptos: config.leptos_options(),
        db: db.clone(),
    };
    Deployment {
        _dir: dir,
        router: router(state, &config),
        db,
    }
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
}

/// A sign-in as the proxy passes it on: from `peer`, `Host` rewritten to the
/// upstream's address, `X-Forwarded-For` as given.
async fn sign_in(
    d: &Deployment,
    peer: [u8; 4],
    forwarded_for: Option<&str>,
    origin: &str,
    (login, secret): (&str, &str),
) -> Answer {
    let mut req = Request::builder()
        .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            peer, 50000,
        ))))
        .method("POST")
        .uri("/api/auth/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, origin);
    if let Some(xff) = forwarded_for {
        req = req.header("x-forwarded-for", xff);
    }
    let body = format!("login={login}&secret={}", secret.replace(' ', "+"));
    let res = d
        .router
        .clone()
        .oneshot(req.body(Body::from(body)).expect("request"))
        .await
        .expect("response");
    Answer {
        status: res.status(),
        headers: res.headers().clone(),
    }
}

const PUBLIC: &str = "https://jalon.example.org";
const COUNSELLOR: (&str, &str) = ("demo.cip", STAFF_PASSWORD);

#[tokio::test]
async fn the_public_url_decides_the_origin_cookies_and_hsts() {
    let d = deployment().await;
    let ok = sign_in(&d, [10, 0, 0, 5], Some("203.0.113.7"), PUBLIC, COUNSELLOR).await;
    assert_eq!(ok.status, StatusCode::OK);
    let cookie = ok.headers[header::SET_COOKIE].to_str().expect("cookie");
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert_eq!(
        ok.headers[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000"
    );
    // The upstream's own address, or plain http, is not this site's origin.
    for origin in [
        "http://127.0.0.1:3000",
        "http://jalon.example.org",
        "https://evil.test",
    ] {
        let refused = sign_in(&d, [10, 0, 0, 5], None, origin, COUNSELLOR).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{origin}");
    }
}

#[tokio::test]
async fn the_sign_in_limit_and_the_audit_log_see_real_addresses() {
    let d = deployment().await;
    let limit = app::backend::throttle::MAX_FAILURES_PER_ADDRESS;
    // Someone tries logins from 203.0.113.7, through the proxy, writing an
    // address of their choosing in front: the proxy's own entry counts.
    for n in 0..limit {
        let spoof = format!("198.51.100.{n}, 203.0.113.7");
        let guess = (format!("essai{n}"), "mauvais mot de passe".to_string());
        let res = sign_in(
            &d,
            [10, 0, 0, 5],
            Some(&spoof),
            PUBLIC,
            (&guess.0, &guess.1),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    // That address now waits, even with the right password…
    let blocked = sign_in(&d, [10, 0, 0, 6], Some("203.0.113.7"), PUBLIC, COUNSELLOR).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    // …while the counsellor at her own address, behind the same proxy, signs in.
    let other = sign_in(&d, [10, 0, 0, 6], Some("203.0.113.8"), PUBLIC, COUNSELLOR).await;
    assert_eq!(other.status, StatusCode::OK);
    // A client that is not a proxy cannot borrow an address either: the
    // guesser, straight from 203.0.113.7, naming 203.0.113.9, is still blocked.
    let direct = sign_in(
        &d,
        [203, 0, 113, 7],
        Some("203.0.113.9"),
        PUBLIC,
        COUNSELLOR,
    )
    .await;
    assert_eq!(direct.status, StatusCode::TOO_MANY_REQUESTS);
    let failures: Vec<(Option<String>, i64)> = sqlx::query_as(
        "SELECT client_ip, COUNT(*) FROM audit_log WHERE action = 'sign_in_failed' \
         GROUP BY client_ip ORDER BY client_ip",
    )
    .fetch_all(&d.db)
    .await
    .expect("audit");
    assert_eq!(failures, [(Some("203.0.113.7".to_string()), limit)]);
    let signed_in: Vec<Option<String>> =
        sqlx::query_scalar("SELECT client_ip FROM audit_log WHERE action = 'sign_in'")
            .fetch_all(&d.db)
            .await
            .expect("audit");
    assert_eq!(signed_in, [Some("203.0.113.8".to_string())]);
}

#[tokio::test]
async fn activation_links_point_to_the_public_url() {
    let d = deployment().await;
    let signed = sign_in(&d, [10, 0, 0, 5], Some("203.0.113.7"), PUBLIC, COUNSELLOR).await;
    assert_eq!(signed.status, StatusCode::OK);
    let cookie = signed.headers[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_string();
    let worker: String = sqlx::query_scalar(
        "SELECT w.id FROM workers w JOIN users u ON u.id = w.user_id WHERE u.login = 'demo.s01'",
    )
    .fetch_one(&d.db)
    .await
    .expect("worker");
    let req = Request::builder()
        .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [10, 0, 0, 5],
            50000,
        ))))
        .method("POST")
        .uri("/api/people/issue_activation_code")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        // The proxy sends the upstream's address as Host: links must not use it.
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, PUBLIC)
        .header(header::COOKIE, &cookie)
        .body(Body::from(format!("worker_id={worker}")))
        .expect("request");
    let res = d.router.clone().oneshot(req).await.expect("response");
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .expect("body");
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("https://jalon.example.org/activer?code="),
        "the link names the public address: {text}"
    );
    assert!(!text.contains("127.0.0.1"), "{text}");
}
