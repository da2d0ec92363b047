-- berth for any Neovim from 0.7: require('berth').setup({ ... }).
--   0.11+      vim.lsp.config + vim.lsp.enable (reads lsp/berth.lua)
--   0.8-0.10   vim.lsp.start on the dockerfile filetype
--   0.7        vim.lsp.start_client once, then buf_attach_client
-- Options: cmd, init_options (settings: target, shellcheck, rules,
-- trustedRegistries), root_markers, on_attach.
local M = {}

-- The "used by ..." code lens on a FROM line runs this client-side command
-- with { uri, position, locations }: list the uses in the quickfix window.
local function show_references(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  local encoding = client and client.offset_encoding or 'utf-16'
  local items = vim.lsp.util.locations_to_items(command.arguments[3] or {}, encoding)
  vim.fn.setqflist({}, ' ', { title = 'berth: uses of the stage', items = items })
  vim.cmd('copen')
end

local defaults = {
  cmd = { 'berth', 'lsp' },
  filetypes = { 'dockerfile' },
  root_markers = { 'Dockerfile', 'Containerfile', '.git' },
  init_options = {},
  commands = { ['berth.showReferences'] = show_references },
}

local function merged(opts)
  local cfg = vim.tbl_deep_extend('force', {}, defaults, opts or {})
  cfg.name = 'berth'
  -- The same settings answer workspace/configuration.
  cfg.settings = { berth = cfg.init_options }
  return cfg
end

local function root_dir(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local dir = name ~= '' and vim.fn.fnamemodify(name, ':p:h') or vim.fn.getcwd()
  local found = vim.fs and vim.fs.find and vim.fs.find(markers, { path = dir, upward = true })[1]
  return found and vim.fn.fnamemodify(found, ':h') or dir
end

function M.setup(opts)
  local cfg = merged(opts)
  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config('berth', cfg)
    vim.lsp.enable('berth')
    return
  end
  local group = vim.api.nvim_create_augroup('berth', { clear = true })
  local client_id
  local function attach(args)
    local bufnr = args.buf
    if vim.lsp.start then
      local c = vim.deepcopy(cfg)
      c.root_dir = root_dir(bufnr, cfg.root_markers)
      vim.lsp.start(c, { bufnr = bufnr })
      return
    end
    -- 0.7: one client for every Dockerfile.
    if not client_id or not vim.lsp.get_client_by_id(client_id) then
      local c = vim.deepcopy(cfg)
      c.root_dir = root_dir(bufnr, cfg.root_markers)
      c.handlers = c.handlers or {}
      client_id = vim.lsp.start_client(c)
    end
    if client_id then
      vim.lsp.buf_attach_client(bufnr, client_id)
    end
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = cfg.filetypes,
    callback = attach,
  })
  -- Buffers already open.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(cfg.filetypes, vim.bo[bufnr].filetype) then
      attach({ buf = bufnr })
    end
  end
end

return M
