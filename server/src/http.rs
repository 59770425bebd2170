//! The HTTP server: routes, static files with their cache rules, health
//! check, and a shutdown that lets requests in progress finish.
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use app::backend::session::CookiePolicy;
use app::{App, shell};

use crate::config::Config;
use crate::demo;
use crate::error::Error;
use crate::state::AppState;

pub async fn serve(config: Config) -> Result<(), Error> {
    if let Some(dir) = &config.data_dir {
        std::fs::create_dir_all(dir)?;
    }
    let db = app::backend::db::connect(&config.database_url).await?;
    tracing::info!(
        engine = db.engine().name(),
        database = %app::backend::db::redacted(&config.database_url),
        schema = app::backend::db::schema_version(&db).await?,
        "database ready"
    );
    if config.demo {
        demo::ensure(&db).await?;
    }

    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    // Scheduled jobs: what is due runs before the first answer, then the
    // instance looks again now and then (once per deployment, see jobs.rs).
    let instance = format!("{addr}#{}", std::process::id());
    crate::jobs::run_due(&db, &instance).await;
    crate::jobs::keep_running(db.clone(), instance);
    match &config.smtp {
        Some(settings) => {
            let mailer = app::backend::alert_mail::Mailer::new(settings).map_err(Error::Invalid)?;
            tracing::info!(server = %mailer.server, "alert e-mails on");
            crate::jobs::keep_sending_alerts(db.clone(), mailer);
        }
        None => tracing::info!("no SMTP server set: alerts are shown in Jalon only"),
    }
    let mut leptos = config.leptos_options();
    leptos.site_addr = addr;
    let router = router(
        AppState {
            service_worker: config.service_worker(),
            leptos,
            db: db.clone(),
        },
        &config,
    );

    println!("\nJalon est prêt : http://{addr}");
    if config.demo {
        demo::print_logins(&db).await?;
    }
    tracing::info!(%addr, "listening");
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

pub fn router(state: AppState, config: &Config) -> Router {
    let cookies = CookiePolicy {
        secure: config.https(),
    };
    let public = config
        .public_url
        .clone()
        .map(app::backend::session::PublicOrigin);
    let bundle_root = state.service_worker.bundle_root();
    let alert_mail = app::backend::alert_mail::AlertMailStatus(config.smtp.as_ref().map(|s| {
        let port = s.port.map(|p| format!(":{p}")).unwrap_or_default();
        format!("{}{port}", s.host)
    }));
    let context = {
        let db = state.db.clone();
        let bundle_root = bundle_root.clone();
        move || {
            provide_context(db.clone());
            provide_context(cookies);
            if let Some(public) = &public {
                provide_context(public.clone());
            }
            provide_context(app::BundleRoot(bundle_root.clone()));
            provide_context(alert_mail.clone());
        }
    };
    let routes = generate_route_list(App);
    let pkg_dir = config.site_root.join(&*state.leptos.site_pkg_dir);
    let pkg = ServeDir::new(pkg_dir)
        .precompressed_br()
        .precompressed_gzip();
    let immutable = format!("{bundle_root}/pkg/");

    Router::new()
        .route("/healthz", get(healthz))
        .route(
            "/sw.js",
            get(|State(state): State<AppState>| async move { state.service_worker.response() }),
        )
        .merge(crate::sync_api::routes())
        .merge(crate::exports::routes())
        .merge(crate::documents::routes(config.public_url.clone(), config.https()))
        .nest_service(&format!("{bundle_root}/pkg"), pkg.clone())
        .nest_service("/pkg", pkg)
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let leptos = state.leptos.clone();
            move || shell(leptos.clone())
        })
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(middleware::from_fn(move |req, next| {
            cache_headers(immutable.clone(), req, next)
        }))
        .layer(middleware::from_fn(server_fn_status))
        // Pages and API answers go out compressed (brotli, else gzip); the
        // build's files are compressed beforehand, and the layer leaves
        // answers that already name an encoding as they are.
        // Pages get the CSP naming their own nonce, read from the page.
        .layer(middleware::from_fn(crate::security::page_csp))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn({
            let guard = crate::security::Guard::new(config);
            move |req, next| crate::security::guard(guard.clone(), req, next)
        }))
        .layer(middleware::from_fn({
            let proxies = config.trusted_proxies.clone();
            move |req, next| crate::proxy::mark_client(proxies.clone(), req, next)
        }))
        // Every request gets an id (or keeps the one the proxy gave it): it
        // is on every log line of the request and in the `x-request-id`
        // answer header, so a person's "it failed at 10:05" can be found.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
        })
        // One line per answer (status, time taken): the access log.
        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// A server function whose arguments can't be read fails before its body
/// runs, so nothing set its status: the framework answers 500. Such an
/// answer is an `AppError`; give it the status that error has (422 for
/// unreadable arguments), so the API's statuses stay precise.
async fn server_fn_status(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !is_api || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(err) = serde_json::from_slice::<app::error::AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(err.status())
    {
        parts.status = status;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// This deployment's build files never change under their address (it holds
/// the deployment's version): cache them for a year. Everything else, the
/// same files under `/pkg/` included, is revalidated on each use (cheap 304
/// answers).
async fn cache_headers(immutable: String, req: Request, next: Next) -> Response {
    let hashed = req.uri().path().starts_with(&immutable);
    let mut res = next.run(req).await;
    if res.headers().contains_key(header::CACHE_CONTROL) {
        return res;
    }
    let value = if hashed && res.status() == StatusCode::OK {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let engine = state.db.engine().name();
    match app::backend::db::schema_version(&state.db).await {
        Ok(version) => (
            StatusCode::OK,
            Json(serde_json::json!({
                "status": "ok",
                "database": "ok",
                "engine": engine,
                "schema_version": version,
            })),
        ),
        Err(err) => {
            tracing::error!(error = %err, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({
                    "status": "error",
                    "database": "unreachable",
                    "engine": engine,
                })),
            )
        }
    }
}

/// Resolves on SIGINT or SIGTERM. Requests already received then complete;
/// new connections are refused.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested: finishing requests in progress");
    // Give slow clients a bound: a request still open after this is dropped.
    tokio::spawn(async {
        tokio::time::sleep(Duration::from_secs(30)).await;
        tracing::warn!("requests still running after 30 s: exiting anyway");
        std::process::exit(1);
    });
}
