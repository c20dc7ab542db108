//! The `AuthHeader` credentials, which never show their password.

use std::fmt;

use crate::generated::types::AuthHeader;

/// EngageIP API credentials, sent in the `AuthHeader` SOAP header of every call.
///
/// `Debug` and `Display` redact the password, so logging a client or an error cannot leak it.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    username: String,
    password: String,
}

impl Credentials {
    /// Credentials for `username` with `password`.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        Credentials { username: username.into(), password: password.into() }
    }

    /// The username.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The password. Handle with care: this is the only way to see it.
    pub fn password(&self) -> &str {
        &self.password
    }

    /// The SOAP header these credentials are sent as.
    pub fn to_header(&self) -> AuthHeader {
        AuthHeader { username: Some(self.username.clone()), password: Some(self.password.clone()) }
    }

    /// Whether a received header carries exactly these credentials.
    pub fn matches(&self, header: &AuthHeader) -> bool {
        header.username.as_deref() == Some(self.username.as_str())
            && header.password.as_deref() == Some(self.password.as_str())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials").field("username", &self.username).field("password", &"<redacted>").finish()
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (password redacted)", self.username)
    }
}
