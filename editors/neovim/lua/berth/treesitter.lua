-- berth's Dockerfile grammar (crates/tree-sitter-dockerfile) for Neovim
-- 0.11+ (the parser is ABI 15): require('berth.treesitter').setup(opts).
--
-- setup() puts editors/neovim/treesitter first on 'runtimepath': its
-- queries/dockerfile/*.scm are the grammar's queries, and they must come
-- before any other dockerfile queries (nvim-treesitter's are written for
-- another grammar). Then, with nvim-treesitter installed, it registers the
-- parser so `:TSInstall dockerfile` builds berth's grammar instead (its
-- `master` branch: get_parser_configs(); its `main` branch: the TSUpdate
-- event). Without nvim-treesitter, build the parser yourself:
--   tree-sitter build -o editors/neovim/treesitter/parser/dockerfile.so \
--     crates/tree-sitter-dockerfile
-- (Neovim loads parser/dockerfile.so from the runtimepath) or pass its path.
--
-- Options:
--   parser    = path of a parser built with `tree-sitter build` (optional)
--   highlight = true: start tree-sitter highlighting in dockerfile buffers
local M = {}

M.url = 'https://github.com/berth-lsp/berth'
-- The commit of the last change to the grammar, as in editors/zed and
-- editors/helix (scripts/sync-editor-queries.sh --pin).
M.revision = 'ce17822c45b3171d739ce333ace365ac0cd2ffe0'
M.location = 'crates/tree-sitter-dockerfile'

-- editors/neovim/treesitter, beside this file's lua/ folder.
local root = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h:h:h') .. '/treesitter'

local function register_with_nvim_treesitter()
  local ok, parsers = pcall(require, 'nvim-treesitter.parsers')
  if not ok then
    return
  end
  if type(parsers.get_parser_configs) == 'function' then
    -- nvim-treesitter `master`: compiles the listed files.
    parsers.get_parser_configs().dockerfile = {
      install_info = {
        url = M.url,
        location = M.location,
        files = { 'src/parser.c', 'src/scanner.c' },
        branch = 'main',
        revision = M.revision,
      },
      filetype = 'dockerfile',
    }
    return
  end
  -- nvim-treesitter `main`: reads its parser table after User TSUpdate, and
  -- installs the queries from the repository with the parser.
  vim.api.nvim_create_autocmd('User', {
    pattern = 'TSUpdate',
    callback = function()
      require('nvim-treesitter.parsers').dockerfile = {
        install_info = {
          url = M.url,
          revision = M.revision,
          location = M.location,
          queries = M.location .. '/queries',
        },
      }
    end,
  })
end

function M.setup(opts)
  opts = opts or {}
  vim.opt.runtimepath:prepend(root)
  if opts.parser then
    vim.treesitter.language.add('dockerfile', { path = opts.parser })
  end
  register_with_nvim_treesitter()
  if opts.highlight then
    vim.api.nvim_create_autocmd('FileType', {
      group = vim.api.nvim_create_augroup('berth_treesitter', { clear = true }),
      pattern = 'dockerfile',
      callback = function(args)
        pcall(vim.treesitter.start, args.buf, 'dockerfile')
      end,
    })
  end
end

return M
