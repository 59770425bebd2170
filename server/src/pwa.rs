//! The service worker, as served: `public/sw.js` with this deployment's
//! version and file list filled in. Built once at start from the site root
//! and the hashes cargo-leptos wrote (`hash.txt`), so a new build is a new
//! service worker, which the phones pick up and offer to load.
use std::path::Path;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// Files beside the hashed bundle that the offline app needs.
const STATIC_FILES: &[&str] = &[
    "/pwa.js",
    "/manifest.webmanifest",
    "/icon.svg",
    "/icon-192.png",
    "/icon-512.png",
    "/icon-maskable-512.png",
];

#[derive(Clone, Debug)]
pub struct ServiceWorker {
    pub version: String,
    script: Option<String>,
}

impl ServiceWorker {
    /// Reads the template and the bundle's names; with no template (tests
    /// without a build), `/sw.js` answers 404.
    pub fn load(site_root: &Path, hashes: Option<&Path>) -> ServiceWorker {
        let template = std::fs::read_to_string(site_root.join("sw.js")).ok();
        let mut assets = bundle(site_root, hashes);
        assets.extend(STATIC_FILES.iter().map(|s| s.to_string()));
        let mut digest = Sha256::new();
        for asset in &assets {
            digest.update(asset.as_bytes());
            if let Ok(bytes) = std::fs::read(site_root.join(asset.trim_start_matches('/'))) {
                digest.update(&bytes);
            }
        }
        digest.update(template.as_deref().unwrap_or_default().as_bytes());
        // A deployment label: changing it makes phones reload the app even
        // when no file changed (and lets tests stage a new deployment).
        digest.update(
            std::env::var("JALON_BUILD_TAG")
                .unwrap_or_default()
                .as_bytes(),
        );
        let version = hex::encode(&digest.finalize()[..8]);
        let list = serde_json::to_string(&assets).unwrap_or_else(|_| "[]".into());
        let script = template.map(|t| {
            t.replace("__JALON_VERSION__", &version)
                .replace("__JALON_ASSETS__", &list)
        });
        ServiceWorker { version, script }
    }

    pub fn response(&self) -> Response {
        match &self.script {
            Some(script) => (
                [
                    (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-cache"),
                ],
                script.clone(),
            )
                .into_response(),
            None => axum::http::StatusCode::NOT_FOUND.into_response(),
        }
    }
}

/// The wasm, JS and CSS of this build: named by `hash.txt` when the build
/// hashes its files, else every file of `pkg/` (compressed copies aside).
fn bundle(site_root: &Path, hashes: Option<&Path>) -> Vec<String> {
    let text = hashes.and_then(|p| std::fs::read_to_string(p).ok());
    if let Some(text) = text {
        let hash = |kind: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(kind)?.strip_prefix(':'))
                .map(|h| h.trim().to_string())
        };
        if let (Some(js), Some(wasm), Some(css)) = (hash("js"), hash("wasm"), hash("css")) {
            return vec![
                format!("/pkg/jalon.{js}.js"),
                format!("/pkg/jalon.{wasm}.wasm"),
                format!("/pkg/jalon.{css}.css"),
            ];
        }
    }
    let mut files: Vec<String> = std::fs::read_dir(site_root.join("pkg"))
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.ends_with(".br") && !n.ends_with(".gz"))
                .map(|n| format!("/pkg/{n}"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_names_this_build_and_changes_with_it() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(
            dir.path().join("sw.js"),
            "const V = \"__JALON_VERSION__\"; const A = __JALON_ASSETS__;",
        )
        .expect("sw");
        let hashes = dir.path().join("hash.txt");
        std::fs::write(&hashes, "js: aaa\nwasm: bbb\ncss: ccc\n").expect("hashes");
        let first = ServiceWorker::load(dir.path(), Some(&hashes));
        let script = first.script.clone().expect("script");
        assert!(script.contains("/pkg/jalon.aaa.js") && script.contains("/pkg/jalon.bbb.wasm"));
        assert!(script.contains("/pwa.js") && script.contains(&first.version));
        std::fs::write(&hashes, "js: aaa\nwasm: ddd\ncss: ccc\n").expect("hashes");
        let second = ServiceWorker::load(dir.path(), Some(&hashes));
        assert_ne!(first.version, second.version, "a new build is a new worker");
    }
}
