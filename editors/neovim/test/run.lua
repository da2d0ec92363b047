-- Headless check of the Neovim setup against a real berth:
--   BERTH_BIN=... BERTH_OUT=out.json nvim --headless --clean -i NONE -n \
--     -c 'luafile editors/neovim/test/run.lua' path/to/app.Dockerfile
-- Starts berth through require('berth').setup, waits for diagnostics, asks
-- for definition on a --from= reference and completion after --from=, and
-- writes what it got to BERTH_OUT as JSON.
local out = assert(os.getenv('BERTH_OUT'), 'BERTH_OUT not set')
local bin = assert(os.getenv('BERTH_BIN'), 'BERTH_BIN not set')
local here = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h:h')

local function clients(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr })
  end
  return vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
end

local ok, err = pcall(function()
  vim.opt.runtimepath:prepend(here)
  vim.cmd('source ' .. here .. '/ftdetect/berth.vim')
  require('berth').setup({ cmd = { bin, 'lsp' }, init_options = { shellcheck = false } })
  -- The file given on the command line was loaded before the setup: edit it
  -- again so detection and attachment run as for any file opened later.
  vim.cmd('edit!')
  local buf = vim.api.nvim_get_current_buf()
  local result = { filetype = vim.bo[buf].filetype, nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) }

  assert(vim.wait(15000, function() return #clients(buf) > 0 end, 50), 'berth did not attach')
  local client = clients(buf)[1]
  result.client = client.name
  result.offset_encoding = client.offset_encoding
  assert(vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 50), 'no diagnostics')
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, end_col = d.end_col, severity = d.severity,
      code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code), message = d.message })
  end

  -- Definition on `build` in `COPY --from=build`.
  vim.fn.cursor(1, 1)
  assert(vim.fn.search('--from=build') > 0, 'fixture has no --from=build')
  vim.cmd('normal! 7l')
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/definition', params, 10000)
  result.definition = res and res[client.id] and res[client.id].result or vim.NIL

  -- Type `COPY --from=` on a new last line (an incremental didChange), then complete.
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, false, { '' })
  vim.api.nvim_buf_set_text(buf, last, 0, last, 0, { 'COPY --from=' })
  -- After the `=`: past the line's end, where normal mode cannot put the cursor.
  params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = last, character = 12 } }
  res = vim.lsp.buf_request_sync(buf, 'textDocument/completion', params, 10000)
  local items = res and res[client.id] and res[client.id].result or {}
  items = items.items or items
  result.completion = {}
  for _, item in ipairs(items) do
    table.insert(result.completion, item.label)
  end
  table.sort(result.completion)
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
end)

if not ok then
  vim.fn.writefile({ vim.fn.json_encode({ error = tostring(err) }) }, out)
  vim.cmd('cquit! 1')
end
vim.cmd('qa!')
