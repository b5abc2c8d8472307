//! Pseudonymous child ids: a keyed hash (HMAC-SHA-256) of the child's identifier in the return,
//! so that the same key gives the same ids year after year and nobody without the key can go
//! back from an id to the child.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How imported children get their ids.
#[derive(Clone, PartialEq, Eq)]
pub enum IdPolicy {
    /// Keyed hashes with this key (at least 16 bytes).
    Key(Vec<u8>),
    /// The return's own person ids (`PersonTableID`), for returns that are already
    /// pseudonymous.
    Keep,
}

impl std::fmt::Debug for IdPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdPolicy::Key(_) => f.write_str("Key(..)"),
            IdPolicy::Keep => f.write_str("Keep"),
        }
    }
}

/// Shortest key accepted.
pub const MIN_KEY_BYTES: usize = 16;

impl IdPolicy {
    /// A fresh random key, and its hex form to show the user once.
    pub fn random() -> Result<(IdPolicy, String), String> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| format!("no random key: {e}"))?;
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        Ok((IdPolicy::Key(hex.clone().into_bytes()), hex))
    }

    /// The key in a key file: its contents with surrounding white space removed.
    pub fn from_key_bytes(bytes: &[u8]) -> Result<IdPolicy, String> {
        let key = bytes.trim_ascii();
        if key.len() < MIN_KEY_BYTES {
            return Err(format!(
                "the key file holds {} bytes; a key needs at least {MIN_KEY_BYTES}",
                key.len()
            ));
        }
        Ok(IdPolicy::Key(key.to_vec()))
    }

    /// The id of the child whose identifier in the return is `identifier` (kind-prefixed,
    /// e.g. `upn:…`), or `kept` itself under [`IdPolicy::Keep`].
    pub fn id(&self, identifier: &str) -> String {
        match self {
            IdPolicy::Keep => identifier.to_string(),
            IdPolicy::Key(key) => {
                let mut mac =
                    Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
                mac.update(b"placewise-sen2-child\0");
                mac.update(identifier.as_bytes());
                let out = mac.finalize().into_bytes();
                let hex: String = out[..8].iter().map(|b| format!("{b:02x}")).collect();
                format!("P{hex}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sen2_ids_are_keyed_and_stable() {
        let a = IdPolicy::from_key_bytes(b"0123456789abcdef\n").unwrap();
        let b = IdPolicy::from_key_bytes(b"fedcba9876543210").unwrap();
        assert_eq!(a.id("upn:A123"), a.id("upn:A123"));
        assert_ne!(a.id("upn:A123"), b.id("upn:A123"));
        assert_ne!(a.id("upn:A123"), a.id("upn:A124"));
        assert!(!a.id("upn:A123").contains("A123"));
        assert!(IdPolicy::from_key_bytes(b"short").is_err());
    }
}
