//! Host: the IO that the language server and the command line share, and
//! that the analysis layers never do: reading `.hadolint.yaml` files
//! (`config`), running the ShellCheck binary on RUN scripts
//! (`shellcheck`, merged into the analysis' diagnostics), the build
//! context (`context`), and the one way input files are read and written
//! back (`files`: regular files only, each with a size bound; writes that
//! keep the file what it was).
//!
//! It sits after `ide` and before `lsp` and `cli`: it takes an
//! [`crate::ide::Analysis`] and gives diagnostics and settings, and knows
//! neither the protocol nor the command line.

pub mod config;
pub mod context;
pub mod files;
pub mod shellcheck;

pub use config::{ConfigError, FileConfig};
pub use shellcheck::{Outcome, ShellCheckSettings};
