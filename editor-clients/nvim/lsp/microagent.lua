-- The micro-agent server for Neovim 0.11's vim.lsp.config / vim.lsp.enable("microagent").
-- With this, set autostart = false in require("microagent").setup(), or skip setup(); the
-- :MicroAgent commands work with either way of starting the server.
local options = require("microagent.config").options
local client = require("microagent.client")

return {
  cmd = options.cmd,
  cmd_env = options.cmd_env,
  filetypes = options.filetypes,
  root_markers = options.root_markers,
  capabilities = client.capabilities(),
  settings = client.settings(),
  handlers = require("microagent.handlers").for_client(),
}
