-- Headless check of berth's grammar and queries in Neovim 0.11+:
--   BERTH_TS_PARSER=dockerfile.so BERTH_TS_BASH=bash.so BERTH_TS_RTP=dir \
--   BERTH_OUT=out.json nvim --headless --clean -i NONE -n \
--     -c 'luafile editors/neovim/test/treesitter.lua' path/to/app.Dockerfile
-- BERTH_TS_PARSER and BERTH_TS_BASH are parsers built with `tree-sitter
-- build`; BERTH_TS_RTP is a runtime folder with queries/bash/highlights.scm.
-- Sets the grammar up through require('berth.treesitter').setup, then
-- writes to BERTH_OUT what Neovim made of the buffer: the captures at a few
-- places, the language there, the bash regions, fold levels, and whether
-- every query of editors/neovim/treesitter compiles.
local out = assert(os.getenv('BERTH_OUT'), 'BERTH_OUT not set')
local here = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h:h')

local ok, err = pcall(function()
  vim.opt.runtimepath:prepend(here)
  vim.opt.runtimepath:append(assert(os.getenv('BERTH_TS_RTP'), 'BERTH_TS_RTP not set'))
  vim.cmd('source ' .. here .. '/ftdetect/berth.vim')
  vim.treesitter.language.add('bash', { path = assert(os.getenv('BERTH_TS_BASH'), 'BERTH_TS_BASH not set') })
  require('berth.treesitter').setup({
    parser = assert(os.getenv('BERTH_TS_PARSER'), 'BERTH_TS_PARSER not set'),
    highlight = true,
  })
  -- Loaded before the setup: edit it again so the FileType autocmd runs.
  vim.cmd('edit!')
  local buf = vim.api.nvim_get_current_buf()
  local result = {
    filetype = vim.bo[buf].filetype,
    highlighting = vim.treesitter.highlighter.active[buf] ~= nil,
    queries = {},
  }
  for _, name in ipairs({ 'highlights', 'injections', 'locals', 'folds', 'indents' }) do
    local files = vim.treesitter.query.get_files('dockerfile', name)
    local q = vim.treesitter.query.get('dockerfile', name)
    result.queries[name] = { files = files, compiles = q ~= nil }
  end

  local parser = vim.treesitter.get_parser(buf, 'dockerfile')
  parser:parse(true)

  -- The first match of `pattern` (a Vim regex, \zs marks the column).
  local function pos(pattern)
    vim.fn.cursor(1, 1)
    local line = vim.fn.search(pattern, 'c')
    assert(line > 0, 'no match for ' .. pattern)
    return line - 1, vim.fn.col('.') - 1
  end
  result.captures = {}
  result.language = {}
  local places = {
    from = '^FROM',
    alias = 'AS \\zsbuild',
    comment = '^# A comment',
    directive = '^# syntax',
    from_value = '--from=\\zsbuild',
    command = 'RUN \\zsapt-get',
    continued = '^    \\zsapt-get',
    heredoc = '^\\zsecho from',
    copied = '^\\zsplain text',
  }
  for name, pattern in pairs(places) do
    local row, col = pos(pattern)
    local caps = {}
    for _, c in ipairs(vim.treesitter.get_captures_at_pos(buf, row, col)) do
      table.insert(caps, c.lang .. ':' .. c.capture)
    end
    table.sort(caps)
    result.captures[name] = caps
    result.language[name] = parser:language_for_range({ row, col, row, col }):lang()
  end

  local bash = parser:children().bash
  result.bash_regions = {}
  if bash then
    for _, region in pairs(bash:included_regions()) do
      local rows = {}
      for _, range in ipairs(region) do
        table.insert(rows, range[1])
      end
      table.insert(result.bash_regions, rows)
    end
    table.sort(result.bash_regions, function(a, b)
      return a[1] < b[1]
    end)
  end

  vim.wo.foldmethod = 'expr'
  vim.wo.foldexpr = 'v:lua.vim.treesitter.foldexpr()'
  result.foldlevels = {}
  for line = 1, vim.api.nvim_buf_line_count(buf) do
    table.insert(result.foldlevels, vim.fn.foldlevel(line))
  end
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
end)

if not ok then
  vim.fn.writefile({ vim.fn.json_encode({ error = tostring(err) }) }, out)
  vim.cmd('cquit! 1')
end
vim.cmd('qa!')
