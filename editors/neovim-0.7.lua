-- slopguard for Neovim 0.7 to 0.10, no plugin needed
local slopguard_client
vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile' }, {
  pattern = { 'package.json', 'requirements*.txt', '*.in', 'pyproject.toml', 'Pipfile' },
  callback = function(args)
    if not (slopguard_client and vim.lsp.get_client_by_id(slopguard_client)) then
      slopguard_client = vim.lsp.start_client({ name = 'slopguard', cmd = { 'slopguard', 'lsp' }, root_dir = vim.fn.getcwd() })
    end
    if slopguard_client then vim.lsp.buf_attach_client(args.buf, slopguard_client) end
  end,
})
