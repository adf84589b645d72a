-- slopguard for Neovim 0.11 and later (with or without nvim-lspconfig)
vim.lsp.config('slopguard', {
  cmd = { 'slopguard', 'lsp' },
  filetypes = { 'json', 'requirements', 'toml' },
  root_markers = { 'package.json', 'pyproject.toml', 'requirements.txt', 'Pipfile', '.git' },
})
vim.lsp.enable('slopguard')
