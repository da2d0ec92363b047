-- berth for Neovim 0.11+: put this directory on 'runtimepath' (or copy this
-- file to ~/.config/nvim/lsp/berth.lua), then call vim.lsp.enable('berth').
return {
  cmd = { 'berth', 'lsp' },
  filetypes = { 'dockerfile' },
  root_markers = { 'Dockerfile', 'Containerfile', '.git' },
  -- Sent as initializationOptions; see the README for the keys.
  init_options = {},
}
