-- Drives headless Neovim on a vitest project: open src/sum.test.ts, wait for the plugin to
-- attach the server to the TypeScript buffer, ask for code actions inside a test, and take the
-- plugin's own :MicroAgentFix target there. What it sees goes to MICROAGENT_E2E_RESULT (read by
-- tests/editors/test_nvim_typescript.py); it always ends with :qa!.
local here = debug.getinfo(1, "S").source:sub(2)
local e2e = dofile(vim.fn.fnamemodify(here, ":p:h") .. "/nvim_e2e.lua")
local result, step, wait = e2e.result, e2e.step, e2e.wait

local function actions(bufnr, client)
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = {} }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 20000) or {}
  local found = {}
  for _, response in pairs(responses) do
    for _, action in ipairs(response.result or {}) do
      local command = action.command or {}
      local argument = command.arguments and command.arguments[1] or {}
      table.insert(found, { title = action.title, command = command.command, target = argument.target })
    end
  end
  return found
end

local function cursor_at(bufnr, needle)
  for i, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if text:find(needle, 1, true) then
      vim.api.nvim_win_set_cursor(0, { i, 4 })
      return
    end
  end
  error("no line holds " .. needle, 0)
end

local function main()
  local client_mod = require("microagent.client")
  vim.cmd("edit src/sum.test.ts")
  local tests = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[tests].filetype
  wait("the server to attach to the TypeScript buffer", 30000, function()
    return client_mod.client_for(tests) ~= nil
  end)
  local client = client_mod.client_for(tests)
  result.client = { name = client.name, root_dir = client.config.root_dir }
  cursor_at(tests, "expect(sum(1, 2)).toBe(3)")
  result.code_actions = actions(tests, client)
  result.plugin_target = require("microagent").target("fix")
  step(string.format("%d code actions in the test", #result.code_actions))

  vim.cmd("edit src/greet.js")
  local source = vim.api.nvim_get_current_buf()
  result.source_filetype = vim.bo[source].filetype
  wait("the server to attach to the JavaScript buffer", 30000, function()
    return client_mod.client_for(source) ~= nil
  end)
  cursor_at(source, "not implemented")
  result.source_actions = actions(source, client_mod.client_for(source))
  result.source_target = require("microagent").target("implement")
end

e2e.run(main)
