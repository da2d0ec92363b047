-- berth for Neovim 0.11+: with this directory on 'runtimepath' (or this file
-- copied to ~/.config/nvim/lsp/berth.lua), call vim.lsp.enable('berth').
-- Override any field with vim.lsp.config('berth', { ... }).
-- The "used by ..." code lens on a FROM line runs this client-side command
-- with { uri, position, locations }: list the uses in the quickfix window.
local function show_references(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  local encoding = client and client.offset_encoding or 'utf-16'
  local items = vim.lsp.util.locations_to_items(command.arguments[3] or {}, encoding)
  vim.fn.setqflist({}, ' ', { title = 'berth: uses of the stage', items = items })
  vim.cmd('copen')
end

return {
  cmd = { 'berth', 'lsp' },
  filetypes = { 'dockerfile' },
  root_markers = { 'Dockerfile', 'Containerfile', '.git' },
  -- Sent as initializationOptions, and answered to workspace/configuration
  -- for the `berth` section: target, shellcheck, rules, trustedRegistries.
  init_options = {},
  settings = { berth = {} },
  commands = { ['berth.showReferences'] = show_references },
}
