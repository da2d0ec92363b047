-- berth for nvim-lspconfig users (any Neovim lspconfig supports): put this
-- in your config before calling setup.
local configs = require('lspconfig.configs')
local util = require('lspconfig.util')

if not configs.berth then
  configs.berth = {
    default_config = {
      cmd = { 'berth', 'lsp' },
      filetypes = { 'dockerfile' },
      root_dir = util.root_pattern('Dockerfile', 'Containerfile', '.git'),
      single_file_support = true,
      init_options = {},
      settings = { berth = {} },
    },
  }
end

require('lspconfig').berth.setup({})
