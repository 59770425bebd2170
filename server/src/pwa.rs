//! The service worker, as served: `public/sw.js` with this deployment's
//! version and file lists filled in. Built once at start from the site root,
//! the hashes cargo-leptos wrote (`hash.txt`) and its split manifest, so a new
//! build is a new service worker, which the phones pick up and offer to load.
//! Every phone keeps the main piece of code; the pieces of the other screens
//! are kept per role (`app::lazy::PAGES` says who opens which).
use std::path::Path;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use app::frame::Audience;
use jalon_core::roles::Role;

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
        let build = Build::read(site_root, hashes);
        let mut digest = Sha256::new();
        // Each file once (the screens of one piece name the same files).
        let files: std::collections::BTreeSet<&String> = build
            .main
            .iter()
            .chain(build.pieces.iter().flat_map(|p| &p.files))
            .collect();
        for file in files {
            digest.update(file.as_bytes());
            if let Ok(bytes) = std::fs::read(site_root.join("pkg").join(file)) {
                digest.update(&bytes);
            }
        }
        for file in STATIC_FILES {
            digest.update(file.as_bytes());
            if let Ok(bytes) = std::fs::read(site_root.join(file.trim_start_matches('/'))) {
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
        let root = bundle_root(&version);
        let url = |file: &String| format!("{root}/pkg/{file}");
        // What every phone keeps from its install: the main piece of code,
        // the static files, and the screens anyone may open.
        let mut assets: Vec<String> = build.main.iter().map(url).collect();
        for piece in build
            .pieces
            .iter()
            .filter(|p| p.audience == Audience::Everyone)
        {
            assets.extend(piece.files.iter().map(url));
        }
        assets.extend(STATIC_FILES.iter().map(|s| s.to_string()));
        dedup(&mut assets);
        // What each role's phone keeps once the page says who is signed in.
        let mut by_role = serde_json::Map::new();
        for role in [
            Role::Admin,
            Role::Supervisor,
            Role::Counsellor,
            Role::Worker,
        ] {
            let mut files: Vec<String> = build
                .pieces
                .iter()
                .filter(|p| p.audience.includes(role))
                .flat_map(|p| p.files.iter().map(url))
                .collect();
            dedup(&mut files);
            by_role.insert(role.as_str().into(), files.into());
        }
        // And each screen's files, for the page's tests and benchmarks.
        let screens: serde_json::Map<String, serde_json::Value> = build
            .pieces
            .iter()
            .map(|p| {
                (
                    p.chunk.to_string(),
                    p.files.iter().map(url).collect::<Vec<_>>().into(),
                )
            })
            .collect();
        let list = serde_json::to_string(&assets).unwrap_or_else(|_| "[]".into());
        let pieces = serde_json::Value::Object(by_role).to_string();
        let screens = serde_json::Value::Object(screens).to_string();
        let script = template.map(|t| {
            t.replace("__JALON_VERSION__", &version)
                .replace("__JALON_ASSETS__", &list)
                .replace("__JALON_PIECES__", &pieces)
                .replace("__JALON_SCREENS__", &screens)
        });
        ServiceWorker { version, script }
    }

    /// Where this deployment's browser files are served from.
    pub fn bundle_root(&self) -> String {
        bundle_root(&self.version)
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

/// `/b/<version>`: the files of `pkg/` under a prefix of this deployment,
/// since cargo-leptos names some of them before their last rewrite (the main
/// JS and wasm name the split loader, whose name depends on every piece): a
/// name alone does not tell two builds apart, the deployment's version does.
fn bundle_root(version: &str) -> String {
    format!("/b/{version}")
}

fn dedup(list: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    list.retain(|s| seen.insert(s.clone()));
}

/// The browser files of one build, named relative to `pkg/`.
#[derive(Debug, Default)]
struct Build {
    /// The main piece: JS, wasm, CSS, and the split loader when split.
    main: Vec<String>,
    /// Each lazily loaded screen with the files it needs (its own piece and
    /// the pieces it shares with others), from the split manifest.
    pieces: Vec<Piece>,
}

#[derive(Debug)]
struct Piece {
    chunk: &'static str,
    audience: Audience,
    files: Vec<String>,
}

impl Build {
    /// Named by `hash.txt` when the build hashes its files, else every file
    /// of `pkg/` (compressed copies aside) is taken as the main piece.
    fn read(site_root: &Path, hashes: Option<&Path>) -> Build {
        let pkg = site_root.join("pkg");
        let text = hashes.and_then(|p| std::fs::read_to_string(p).ok());
        let hash = |kind: &str| {
            text.as_deref()?
                .lines()
                .find_map(|l| l.strip_prefix(kind)?.strip_prefix(':'))
                .map(|h| h.trim().to_string())
        };
        let (Some(js), Some(wasm), Some(css)) = (hash("js"), hash("wasm"), hash("css")) else {
            return Build {
                main: every_file(&pkg),
                pieces: Vec::new(),
            };
        };
        let mut main = vec![
            format!("jalon.{js}.js"),
            format!("jalon.{wasm}.wasm"),
            format!("jalon.{css}.css"),
        ];
        let mut pieces = Vec::new();
        if let (Some(split), Some(manifest)) = (hash("split"), hash("manifest")) {
            main.push(format!("__wasm_split.{split}.js"));
            let manifest: std::collections::HashMap<String, Vec<String>> =
                std::fs::read_to_string(pkg.join(format!("__wasm_split_manifest.{manifest}.json")))
                    .ok()
                    .and_then(|t| serde_json::from_str(&t).ok())
                    .unwrap_or_default();
            for page in app::lazy::PAGES {
                let files = manifest
                    .get(page.chunk)
                    .map(|stems| stems.iter().map(|s| format!("{s}.wasm")).collect())
                    .unwrap_or_default();
                pieces.push(Piece {
                    chunk: page.chunk,
                    audience: page.audience,
                    files,
                });
            }
        }
        Build { main, pieces }
    }
}

fn every_file(pkg: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(pkg)
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.ends_with(".br") && !n.ends_with(".gz"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(hashes: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(
            dir.path().join("sw.js"),
            "const V = \"__JALON_VERSION__\"; const A = __JALON_ASSETS__; const P = __JALON_PIECES__;",
        )
        .expect("sw");
        std::fs::create_dir_all(dir.path().join("pkg")).expect("pkg");
        let file = dir.path().join("hash.txt");
        std::fs::write(&file, hashes).expect("hashes");
        (dir, file)
    }

    fn pieces(worker: &ServiceWorker) -> serde_json::Value {
        let script = worker.script.as_deref().expect("script");
        let json = script
            .split("const P = ")
            .nth(1)
            .expect("pieces")
            .trim_end_matches(';');
        serde_json::from_str(json).expect("json")
    }

    #[test]
    fn the_worker_names_this_build_and_changes_with_it() {
        let (dir, hashes) = site("js: aaa\nwasm: bbb\ncss: ccc\n");
        let first = ServiceWorker::load(dir.path(), Some(&hashes));
        let script = first.script.clone().expect("script");
        let root = first.bundle_root();
        assert!(root.starts_with("/b/") && root.contains(&first.version));
        assert!(script.contains(&format!("{root}/pkg/jalon.aaa.js")));
        assert!(script.contains(&format!("{root}/pkg/jalon.bbb.wasm")));
        assert!(script.contains("/pwa.js") && script.contains(&first.version));
        std::fs::write(&hashes, "js: aaa\nwasm: ddd\ncss: ccc\n").expect("hashes");
        let second = ServiceWorker::load(dir.path(), Some(&hashes));
        assert_ne!(first.version, second.version, "a new build is a new worker");
        assert_ne!(
            first.bundle_root(),
            second.bundle_root(),
            "and new addresses"
        );
    }

    #[test]
    fn each_role_keeps_the_pieces_of_its_own_screens() {
        let (dir, hashes) = site("js: aaa\nwasm: bbb\ncss: ccc\nmanifest: mmm\nsplit: sss\n");
        let manifest = serde_json::json!({
            "follow": ["split_feed.f1", "chunk_shared.c1"],
            "admin": ["split_accounts.a1"],
            "my_space": ["split_mine.m1", "chunk_shared.c1"],
            "activate": ["split_activate.x1"],
        });
        std::fs::write(
            dir.path().join("pkg/__wasm_split_manifest.mmm.json"),
            manifest.to_string(),
        )
        .expect("manifest");
        let worker = ServiceWorker::load(dir.path(), Some(&hashes));
        let root = worker.bundle_root();
        let script = worker.script.clone().expect("script");
        let install = script.split("const A = ").nth(1).expect("assets");
        let install = &install[..install.find(';').expect("end")];
        assert!(
            install.contains(&format!("{root}/pkg/__wasm_split.sss.js")),
            "{install}"
        );
        assert!(
            install.contains("split_activate.x1.wasm"),
            "anyone may open it: {install}"
        );
        assert!(
            !install.contains("split_feed"),
            "staff screens wait for the role: {install}"
        );
        let pieces = pieces(&worker);
        let files = |role: &str| -> Vec<String> {
            pieces[role]
                .as_array()
                .expect("list")
                .iter()
                .map(|v| v.as_str().expect("url").to_string())
                .collect()
        };
        let of_worker = files("worker");
        assert!(of_worker.contains(&format!("{root}/pkg/split_mine.m1.wasm")));
        assert!(of_worker.contains(&format!("{root}/pkg/chunk_shared.c1.wasm")));
        assert!(
            of_worker
                .iter()
                .all(|f| !f.contains("split_feed") && !f.contains("split_accounts"))
        );
        let of_supervisor = files("supervisor");
        assert!(of_supervisor.contains(&format!("{root}/pkg/split_feed.f1.wasm")));
        assert!(
            !of_supervisor
                .iter()
                .any(|f| f.contains("split_accounts") || f.contains("split_mine"))
        );
        assert!(files("admin").iter().any(|f| f.contains("split_accounts")));
        assert_eq!(
            of_worker
                .iter()
                .filter(|f| f.contains("chunk_shared"))
                .count(),
            1,
            "a shared piece is listed once"
        );
    }
}
