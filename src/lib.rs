//! berth: a stage-aware language server and linter for Dockerfiles.
//!
//! Layers, each depending only on those before it:
//! `text ← syntax ← model ← shell ← rules ← ide ← host ← { lsp, cli }`.
//! See ARCHITECTURE.md.

pub mod cli;
pub mod host;
pub mod ide;
pub mod lsp;
pub mod model;
pub mod rules;
pub mod shell;
pub mod syntax;
pub mod text;
