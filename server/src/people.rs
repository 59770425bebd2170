//! `jalon create-structure` and `jalon create-admin`: a structure of a
//! deployment and its admins, created by the operator.
use std::io::BufRead;

use app::backend::password;
use app::backend::people::{NewUser, insert_structure, insert_user};
use jalon_core::roles::Role;

use crate::cli::CreateAdminArgs;
use crate::config::Config;
use crate::error::Error;

/// Shortest password accepted for staff accounts.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Whether the structure named is created or must already exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Structure {
    New,
    Existing,
}

pub async fn create_admin(
    config: &Config,
    args: CreateAdminArgs,
    wanted: Structure,
) -> Result<(), Error> {
    let login = args.login.trim();
    let name = args.name.trim();
    let structure = args.structure.trim();
    if login.is_empty() || name.is_empty() || structure.is_empty() {
        return Err(Error::Invalid(
            "l'identifiant, le nom et la structure ne peuvent pas être vides".into(),
        ));
    }
    let password = match std::env::var("JALON_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("Mot de passe (au moins {MIN_PASSWORD_CHARS} caractères) :");
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::Invalid(format!(
            "le mot de passe doit compter au moins {MIN_PASSWORD_CHARS} caractères"
        )));
    }
    let hash = password::hash(&password).map_err(|e| Error::PasswordHash(e.to_string()))?;

    if let Some(dir) = &config.data_dir {
        std::fs::create_dir_all(dir)?;
    }
    let db = app::backend::db::connect(&config.database_url).await?;
    let mut tx = db.begin().await?;
    let taken: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
        .bind(login)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(Error::Invalid(format!(
            "l'identifiant « {login} » est déjà pris"
        )));
    }
    let existing: Option<String> =
        sqlx::query_scalar("SELECT id FROM structures WHERE name = $1 AND is_demo = FALSE")
            .bind(structure)
            .fetch_optional(&mut *tx)
            .await?;
    let structure_id = match (existing, wanted) {
        (None, Structure::New) => insert_structure(&mut tx, structure, false).await?,
        (Some(id), Structure::Existing) => id,
        (Some(_), Structure::New) => {
            return Err(Error::Invalid(format!(
                "la structure « {structure} » existe déjà : ajoutez-lui un responsable avec create-admin"
            )));
        }
        (None, Structure::Existing) => {
            return Err(Error::Invalid(format!(
                "aucune structure ne s'appelle « {structure} » : créez-la avec create-structure"
            )));
        }
    };
    insert_user(
        &mut tx,
        NewUser {
            structure_id: &structure_id,
            role: Role::Admin,
            login,
            display_name: name,
            password_hash: Some(&hash),
        },
    )
    .await?;
    tx.commit().await?;
    db.close().await;
    println!("Compte responsable « {login} » créé pour la structure « {structure} ».");
    Ok(())
}
