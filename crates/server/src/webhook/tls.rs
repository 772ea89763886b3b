//! Which certificate authorities an https app must be signed by.
//!
//! The platform's trust store (through reqwest's rustls-platform-verifier, as curl would
//! use it), plus any PEM files given with `ringside serve --ca-cert FILE`: a private CA, or
//! the self-signed certificate of an app on a laptop. rustls runs on the ring provider.

use std::path::{Path, PathBuf};

/// Why the https side of the webhook client cannot be set up: a `--ca-cert` file that
/// cannot be used, or a TLS setup problem on this machine.
#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    /// The file cannot be read.
    #[error("--ca-cert {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not PEM certificates.
    #[error("--ca-cert {}: not a PEM certificate: {reason}", path.display())]
    NotPem {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// The file is PEM but holds no certificate.
    #[error("--ca-cert {}: holds no \"BEGIN CERTIFICATE\" block", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The client could not be built with these roots (e.g. the platform's trust store
    /// cannot be read).
    #[error("setting up the https client: {cause}")]
    Client {
        /// What reqwest said.
        cause: String,
    },
}

/// Reads every certificate in the PEM files `paths`.
pub fn load_ca_certs(paths: &[PathBuf]) -> Result<Vec<reqwest::Certificate>, TlsSetupError> {
    let mut certs = Vec::new();
    for path in paths {
        certs.extend(load_one(path)?);
    }
    Ok(certs)
}

fn load_one(path: &Path) -> Result<Vec<reqwest::Certificate>, TlsSetupError> {
    let pem = std::fs::read(path).map_err(|source| TlsSetupError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| TlsSetupError::NotPem {
        path: path.to_path_buf(),
        reason: innermost(&e),
    })?;
    if certs.is_empty() {
        return Err(TlsSetupError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(certs)
}

fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    cause
}

/// Makes ring the process's rustls provider (once; a provider installed earlier, by us or
/// an embedding program, is kept).
pub fn install_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_files_are_named() {
        let dir = std::env::temp_dir().join(format!("ringside-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let missing = dir.join("missing.pem");
        let e = load_ca_certs(std::slice::from_ref(&missing)).unwrap_err();
        assert!(
            e.to_string()
                .starts_with(&format!("--ca-cert {}: ", missing.display())),
            "{e}"
        );
        let text = dir.join("text.pem");
        std::fs::write(&text, "hello\n").unwrap();
        let e = load_ca_certs(std::slice::from_ref(&text)).unwrap_err();
        assert!(e.to_string().contains("text.pem"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
