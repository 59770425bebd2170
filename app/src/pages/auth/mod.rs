//! Signing in and one's own account.
mod account;
mod sign_in;

pub use account::{AccountPage, ChangeSecret};
pub use sign_in::SignInPage;
