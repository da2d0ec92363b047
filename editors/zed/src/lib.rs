//! Zed extension: runs `berth lsp` for Dockerfiles. The binary is the
//! `lsp.berth.binary.path` setting, else `berth` on the worktree's PATH.
//! Settings under `lsp.berth.initialization_options` and `lsp.berth.settings`
//! reach the server as initializationOptions and the `berth` section.

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

struct Berth;

impl zed::Extension for Berth {
    fn new() -> Self {
        Berth
    }

    fn language_server_command(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree("berth", worktree)
            .ok()
            .and_then(|s| s.binary);
        let command = binary
            .as_ref()
            .and_then(|b| b.path.clone())
            .or_else(|| worktree.which("berth"))
            .ok_or_else(|| {
                "berth not found: install it (`cargo install --path .` in a berth checkout) \
                 or set lsp.berth.binary.path"
                    .to_string()
            })?;
        let args = binary
            .as_ref()
            .and_then(|b| b.arguments.clone())
            .unwrap_or_else(|| vec!["lsp".into()]);
        let env = binary
            .and_then(|b| b.env)
            .map(|e| e.into_iter().collect())
            .unwrap_or_else(|| worktree.shell_env());
        Ok(zed::Command { command, args, env })
    }

    fn language_server_initialization_options(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree("berth", worktree)
            .ok()
            .and_then(|s| s.initialization_options))
    }

    fn language_server_workspace_configuration(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        let settings = LspSettings::for_worktree("berth", worktree)
            .ok()
            .and_then(|s| s.settings);
        Ok(settings.map(|s| zed::serde_json::json!({ "berth": s })))
    }
}

zed::register_extension!(Berth);
