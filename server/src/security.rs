//! Request guards applied to every route: the same-origin check on requests
//! that change state (CSRF), and security headers on every response.
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;

/// The Content-Security-Policy of a rendered page: scripts only from this site,
/// plus the inline hydration script that carries this response's nonce.
fn csp_with(nonce: &str) -> String {
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

/// Gives every HTML page the CSP that names the nonce its own scripts carry.
/// The nonce is read from the page itself (the head, in the first chunk the
/// renderer sends), so the header and the scripts can never disagree: a page
/// whose header missed its nonce would never start (its inline scripts
/// blocked). Runs inside the compression layer, on the page as written.
pub async fn page_csp(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if !is_html {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let mut stream = body.into_data_stream();
    let first = match stream.next().await {
        Some(Ok(bytes)) => bytes,
        Some(Err(err)) => {
            tracing::warn!(error = %err, "page: first chunk failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
        }
        None => axum::body::Bytes::new(),
    };
    // A page with no script of its own keeps the default policy, which
    // allows no inline script at all.
    if let Some(value) = nonce_in(&first).and_then(|n| HeaderValue::from_str(&csp_with(n)).ok()) {
        parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    let body = axum::body::Body::from_stream(
        futures::stream::once(async move { Ok::<_, axum::Error>(first) }).chain(stream),
    );
    Response::from_parts(parts, body)
}

/// The first `nonce="…"` of the page's head, when it is a plain token.
fn nonce_in(html: &[u8]) -> Option<&str> {
    const MARK: &[u8] = b"nonce=\"";
    let start = html.windows(MARK.len()).position(|w| w == MARK)? + MARK.len();
    let len = html[start..].iter().position(|&b| b == b'"')?;
    let nonce = std::str::from_utf8(&html[start..start + len]).ok()?;
    let plain = !nonce.is_empty()
        && nonce.len() <= 64
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'));
    plain.then_some(nonce)
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

    #[test]
    fn the_nonce_is_read_from_the_page_and_only_when_plain() {
        let page = br#"<!DOCTYPE html><html><head><script type="module" src="/pwa.js" nonce="X1cB-WfzquHeAI2zLzk91g"></script>"#;
        assert_eq!(nonce_in(page), Some("X1cB-WfzquHeAI2zLzk91g"));
        assert_eq!(nonce_in(b"<html><head></head>"), None);
        assert_eq!(nonce_in(br#"<script nonce="a b">"#), None, "no space");
        assert_eq!(nonce_in(br#"<script nonce="a'; script-src *">"#), None);
        assert_eq!(nonce_in(br#"<script nonce="">"#), None);
    }

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
