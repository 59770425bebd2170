//! Errors that stop the server or a command-line task.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("base de données : {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration du schéma : {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("base de données : {0}")]
    Connect(#[from] app::backend::db::ConnectError),
    #[error("fichier ou réseau : {0}")]
    Io(#[from] std::io::Error),
    #[error("chiffrement du mot de passe : {0}")]
    PasswordHash(String),
    #[error("{0}")]
    Invalid(String),
}
