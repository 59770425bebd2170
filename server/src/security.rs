//! Request guards applied to every route: the same-origin check on requests
//! that change state (CSRF), and security headers on every response.
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::prelude::use_context;

/// The Content-Security-Policy of a rendered page: scripts only from this site,
/// plus the inline hydration script that carries this response's nonce.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// For responses that are not pages (API answers, files): nothing inline at all.
const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Called while a page renders: gives it a CSP naming the page's nonce.
pub fn provide_page_csp() {
    if let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(value) = HeaderValue::from_str(&page_csp(nonce.as_inner()))
    {
        res.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// What the guard knows of the deployment.
#[derive(Clone, Debug, Default)]
pub struct Guard {
    /// `--public-url`: the one origin writes may come from. Without it, the
    /// origin must name the host the request was sent to.
    public_origin: Option<String>,
    /// Served over HTTPS: browsers are told to keep to it (HSTS).
    hsts: bool,
}

impl Guard {
    pub fn new(config: &crate::config::Config) -> Guard {
        Guard {
            public_origin: config.public_url.clone(),
            hsts: config.https(),
        }
    }
}

/// Whether a state-changing request comes from a page of this site.
/// Browsers send `Origin` (and `Sec-Fetch-Site`) on such requests; a request
/// with neither comes from a non-browser client, which CSRF cannot drive.
/// Behind a reverse proxy that rewrites `Host`, `--public-url` says which
/// origin is this site's.
pub fn same_origin(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    let host = headers
        .get("x-forwarded-host")
        .or_else(|| headers.get(header::HOST))
        .and_then(|h| h.to_str().ok());
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        if let Some(public) = public_origin {
            return origin.eq_ignore_ascii_case(public);
        }
        let origin_host = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"));
        return matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h));
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some(site) => site == "same-origin" || site == "none",
        None => true,
    }
}

pub async fn guard(guard: Guard, req: Request, next: Next) -> Response {
    let changes_state = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if changes_state && !same_origin(req.headers(), guard.public_origin.as_deref()) {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        let mut res = (
            StatusCode::FORBIDDEN,
            "Requête refusée : elle ne vient pas d'une page de Jalon.",
        )
            .into_response();
        add_headers(res.headers_mut(), guard.hsts);
        return res;
    }
    let mut res = next.run(req).await;
    add_headers(res.headers_mut(), guard.hsts);
    res
}

fn add_headers(headers: &mut HeaderMap, hsts: bool) {
    if hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DEFAULT_CSP),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn same_origin_requests_pass_and_cross_site_ones_do_not() {
        assert!(same_origin(
            &headers(&[("host", "jalon.test"), ("origin", "https://jalon.test")]),
            None
        ));
        assert!(same_origin(
            &headers(&[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://127.0.0.1:3000")
            ]),
            None
        ));
        assert!(!same_origin(
            &headers(&[("host", "jalon.test"), ("origin", "https://evil.test")]),
            None
        ));
        assert!(!same_origin(
            &headers(&[("host", "jalon.test"), ("origin", "null")]),
            None
        ));
        assert!(!same_origin(
            &headers(&[("host", "jalon.test"), ("sec-fetch-site", "cross-site")]),
            None
        ));
        assert!(same_origin(
            &headers(&[("host", "jalon.test"), ("sec-fetch-site", "same-origin")]),
            None
        ));
        assert!(same_origin(&headers(&[("host", "jalon.test")]), None));
    }

    #[test]
    fn behind_a_proxy_the_public_url_is_the_one_origin() {
        let public = Some("https://jalon.example.org");
        // The proxy rewrote Host to the upstream's address.
        assert!(same_origin(
            &headers(&[
                ("host", "127.0.0.1:3000"),
                ("origin", "https://jalon.example.org")
            ]),
            public
        ));
        assert!(!same_origin(
            &headers(&[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://127.0.0.1:3000")
            ]),
            public
        ));
        assert!(!same_origin(
            &headers(&[
                ("host", "jalon.example.org"),
                ("origin", "http://jalon.example.org")
            ]),
            public
        ));
        assert!(!same_origin(
            &headers(&[
                ("host", "jalon.example.org"),
                ("origin", "https://jalon.example.org.evil.test")
            ]),
            public
        ));
    }
}
