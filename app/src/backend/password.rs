//! Password and PIN hashing: argon2id with the parameters OWASP recommends
//! for interactive sign-in (19 MiB, 2 passes, 1 lane).
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

fn hasher() -> Argon2<'static> {
    // The parameters are constants known to be valid.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash(secret: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Ok(hasher()
        .hash_password(secret.as_bytes(), &salt)?
        .to_string())
}

pub fn verify(secret: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => hasher().verify_password(secret.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash of nothing anyone knows, checked when the account doesn't exist so
/// that a wrong identifier costs the same time as a wrong password.
pub fn verify_dummy(secret: &str) {
    static DUMMY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    if let Some(stored) = DUMMY.get_or_init(|| hash("jalon-no-such-account").ok()) {
        let _ = verify(secret, stored);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_secret_only() {
        let stored = hash("un mot de passe").expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("un mot de passe", &stored));
        assert!(!verify("un autre", &stored));
        assert!(!verify("un mot de passe", "pas un hash"));
    }
}
