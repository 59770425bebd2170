//! The documents people download as PDF, each a plain `GET` through
//! `downloads` (signed in, allowed, never cached, written to the audit log):
//! - `/api/bilans/document.pdf?id=…`: a bilan, as its audience may read it
//!   (`app::backend::bilans::view`);
//! - `/api/attestations/document.pdf?id=…`: an attestation of skills with
//!   its verification code and QR code;
//! - `/api/privacy/register.pdf`: the structure's processing-register entry
//!   for Jalon (admin);
//! - `/api/privacy/access.json?salarie=…` and `/api/privacy/access.pdf?salarie=…`:
//!   everything held about a person, for the admin or their referent CIP
//!   (`app::backend::access`).
use axum::Router;
use serde::Deserialize;

use app::backend::db::Db;
use app::backend::policy::Actor;
use app::error::AppError;

use crate::downloads::{self, Download};
use crate::state::AppState;

pub fn routes(public: Option<String>, secure: bool) -> Router<AppState> {
    Router::new()
        .route(
            "/api/bilans/document.pdf",
            downloads::get("Connectez-vous pour télécharger ce bilan.", bilan_pdf),
        )
        .route(
            "/api/attestations/document.pdf",
            downloads::get_with_origin(
                "Connectez-vous pour télécharger cette attestation.",
                public,
                secure,
                attestation_pdf,
            ),
        )
        .route(
            "/api/privacy/register.pdf",
            downloads::get("Connectez-vous pour télécharger cette fiche.", register_pdf),
        )
        .route(
            "/api/privacy/access.json",
            downloads::get("Connectez-vous pour télécharger ce dossier.", access_json),
        )
        .route(
            "/api/privacy/access.pdf",
            downloads::get("Connectez-vous pour télécharger ce dossier.", access_pdf),
        )
}

#[derive(Deserialize)]
struct Person {
    #[serde(default)]
    salarie: String,
}

/// `acces-donnees-amina-diallo-2026-12-06.json`
fn access_name(export: &serde_json::Value, ext: &str) -> String {
    let file = &export["sections"]["file"][0];
    let name = format!(
        "{} {}",
        file["first_name"].as_str().unwrap_or_default(),
        file["last_name"].as_str().unwrap_or_default()
    );
    let day = export["produced_at"].as_str().unwrap_or_default();
    file_name("acces-donnees", &name, day).replacen(".pdf", ext, 1)
}

async fn access_json(db: Db, actor: Actor, who: Person) -> Result<Download, AppError> {
    let export = app::backend::access::export(&db, &actor, &who.salarie).await?;
    let body = serde_json::to_vec_pretty(&export).map_err(|_| AppError::Internal)?;
    Ok(Download {
        content_type: "application/json",
        file_name: access_name(&export, ".json"),
        body,
    })
}

async fn access_pdf(db: Db, actor: Actor, who: Person) -> Result<Download, AppError> {
    let export = app::backend::access::export(&db, &actor, &who.salarie).await?;
    let doc = app::wire::documents::access(&export);
    let body = tokio::task::spawn_blocking(move || super::pdf(&doc))
        .await
        .map_err(|_| AppError::Internal)??;
    Ok(Download {
        content_type: "application/pdf",
        file_name: access_name(&export, ".pdf"),
        body,
    })
}

#[derive(Deserialize)]
struct Nothing {}

async fn register_pdf(db: Db, actor: Actor, _: Nothing) -> Result<Download, AppError> {
    let facts = app::backend::register::facts(&db, &actor).await?;
    let doc = app::wire::documents::register(&facts);
    let body = tokio::task::spawn_blocking(move || super::pdf(&doc))
        .await
        .map_err(|_| AppError::Internal)??;
    Ok(Download {
        content_type: "application/pdf",
        file_name: file_name("registre-traitements", &facts.structure, &facts.today),
        body,
    })
}

#[derive(Deserialize)]
struct Which {
    #[serde(default)]
    id: String,
}

/// `bilan-sortie-diallo-2026-12-06.pdf`: what, whom, when, in plain letters.
fn file_name(what: &str, name: &str, day: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect();
    let name = name
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!("{what}-{name}-{}.pdf", day.get(..10).unwrap_or(day))
}

async fn bilan_pdf(db: Db, actor: Actor, which: Which) -> Result<Download, AppError> {
    let view = app::backend::bilans::view(&db, &actor, &which.id).await?;
    let doc = app::wire::documents::bilan(&view);
    let what = match view.kind {
        jalon_core::bilans::Kind::Entry => "bilan-entree",
        jalon_core::bilans::Kind::Midway => "bilan-intermediaire",
        jalon_core::bilans::Kind::Exit => "bilan-sortie",
        jalon_core::bilans::Kind::Request => "bilan",
    };
    let body = tokio::task::spawn_blocking(move || super::pdf(&doc))
        .await
        .map_err(|_| AppError::Internal)??;
    Ok(Download {
        content_type: "application/pdf",
        file_name: file_name(
            what,
            &view.content.records.worker_name,
            &view.content.records.to,
        ),
        body,
    })
}

async fn attestation_pdf(
    db: Db,
    actor: Actor,
    which: Which,
    origin: String,
) -> Result<Download, AppError> {
    let view = app::backend::bilans::attestations::view(&db, &actor, &which.id, &origin).await?;
    let doc = app::wire::documents::attestation(&view);
    let body = tokio::task::spawn_blocking(move || super::pdf(&doc))
        .await
        .map_err(|_| AppError::Internal)??;
    Ok(Download {
        content_type: "application/pdf",
        file_name: file_name(
            "attestation-competences",
            &view.content.worker_name,
            &view.issued_at,
        ),
        body,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_are_plain_letters() {
        assert_eq!(
            super::file_name("bilan-sortie", "Amina Diallo-Ké", "2026-12-06"),
            "bilan-sortie-amina-diallo-ke-2026-12-06.pdf"
        );
        assert_eq!(
            super::file_name("bilan", "\"; rm -rf /", "2026-12-06T10:00:00Z"),
            "bilan-rm-rf-2026-12-06.pdf"
        );
    }
}
