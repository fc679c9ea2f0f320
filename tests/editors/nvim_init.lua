-- The init file of the Neovim end-to-end test and demo: the plugin straight from this
-- repository, the server from MICROAGENT_LSP (the venv's microagent-lsp), nothing else.
local here = debug.getinfo(1, "S").source:sub(2)
local repo = vim.fn.fnamemodify(here, ":p:h:h:h")
vim.opt.runtimepath:prepend(repo .. "/editor-clients/nvim")
vim.opt.swapfile = false
vim.opt.shada = ""
vim.opt.shortmess:append("I")
vim.opt.signcolumn = "yes"
vim.opt.laststatus = vim.fn.has("nvim-0.7") == 1 and 3 or 2 -- one statusline for the demo
vim.opt.statusline = "%f %m%= %{luaeval('require(\"microagent\").status()')} "

require("microagent").setup({
  cmd = { vim.env.MICROAGENT_LSP or "microagent-lsp", "--log-level", "INFO" },
  -- The models and the sandbox come from the MICROAGENT_* variables the test sets; settings
  -- from the editor reach the server too:
  settings = { loop = { maxIterations = 3 } },
})
