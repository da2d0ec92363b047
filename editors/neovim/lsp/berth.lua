-- berth for Neovim 0.11+: with this directory on 'runtimepath' (or this file
-- copied to ~/.config/nvim/lsp/berth.lua), call vim.lsp.enable('berth').
-- Override any field with vim.lsp.config('berth', { ... }).
return {
  cmd = { 'berth', 'lsp' },
  filetypes = { 'dockerfile' },
  root_markers = { 'Dockerfile', 'Containerfile', '.git' },
  -- Sent as initializationOptions, and answered to workspace/configuration
  -- for the `berth` section: target, shellcheck, rules, trustedRegistries.
  init_options = {},
  settings = { berth = {} },
}
