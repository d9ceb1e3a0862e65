//! The error type commands return, and which exit code each kind maps to.

use crate::diagnostics::{Diagnostic, Diagnostics};
use std::path::Path;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The site has errors; all of them were collected (exit code 1).
    #[error("{0}")]
    Site(Diagnostics),
    /// Bad usage or environment: wrong flag, unsafe output folder (exit code 2).
    #[error("{0}")]
    Usage(String),
    /// Reading or writing a file failed (exit code 2).
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: String,
        /// What the OS said.
        source: std::io::Error,
    },
}

impl Error {
    /// An I/O error about `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.display().to_string(),
            source,
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Site(_) => 1,
            Error::Usage(_) | Error::Io { .. } => 2,
        }
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(v: Vec<Diagnostic>) -> Self {
        Diagnostics(v)
    }
}
