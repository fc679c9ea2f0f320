-- Drives headless Neovim through a fix, as a user would: open calc.py and test_calc.py, ask
-- for code actions on a failing test, run :MicroAgentFix there, wait for the edit, the end of the
-- progress and the reviewer's diagnostic, then :wall. Everything it sees goes to the JSON file
-- named by MICROAGENT_E2E_RESULT (read by tests/editors/test_nvim_e2e.py); it always ends
-- with :qa!, also after an error or a timeout.
local here = debug.getinfo(1, "S").source:sub(2)
local e2e = dofile(vim.fn.fnamemodify(here, ":p:h") .. "/nvim_e2e.lua")
local result, step, wait, TIMEOUT = e2e.result, e2e.step, e2e.wait, e2e.TIMEOUT

local function lines(bufnr)
  return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

local function ours(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == "microagent" then
      table.insert(found, { lnum = d.lnum, message = d.message, severity = d.severity,
        code = d.user_data and d.user_data.lsp and d.user_data.lsp.code or d.code })
    end
  end
  return found
end

local function main()
  local client_mod = require("microagent.client")
  vim.cmd("edit calc.py")
  local calc = vim.api.nvim_get_current_buf()
  vim.cmd("vsplit test_calc.py")
  local tests = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[tests].filetype
  wait("the server to start", 30000, function()
    return client_mod.client_for(tests) ~= nil and client_mod.client_for(calc) ~= nil
  end)
  local client = client_mod.client_for(tests)
  result.client = { name = client.name, root_dir = client.config.root_dir, offset_encoding = client.offset_encoding }

  for i, text in ipairs(lines(tests)) do
    if text:find("assert mean([1, 2, 3, 6]) == 3", 1, true) then
      vim.api.nvim_win_set_cursor(0, { i, 4 })
    end
  end
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = {} }
  local responses = vim.lsp.buf_request_sync(tests, "textDocument/codeAction", params, 20000) or {}
  result.code_actions = {}
  for _, response in pairs(responses) do
    for _, action in ipairs(response.result or {}) do
      local command = action.command or {}
      local argument = command.arguments and command.arguments[1] or {}
      table.insert(result.code_actions, { title = action.title, kind = action.kind,
        command = command.command, target = argument.target })
    end
  end
  step(string.format("%d code actions", #result.code_actions))

  result.plugin_target = require("microagent").target("fix")
  vim.cmd("MicroAgentFix")
  step("ran :MicroAgentFix")

  wait("the fixed code in the calc.py buffer", TIMEOUT, function()
    return table.concat(lines(calc), "\n"):find("sum(range(start, stop + 1))", 1, true) ~= nil
  end)
  wait("the end of the run's progress", 10000, e2e.run_ended)
  wait("a reviewer diagnostic on calc.py", 10000, function()
    return #ours(calc) > 0
  end)
  vim.cmd("wall")
  step("wrote every buffer")
  result.calc_lines = lines(calc)
  result.calc_modified = vim.bo[calc].modified
  result.diagnostics = ours(calc)
  result.test_diagnostics = ours(tests)
end

e2e.run(main)
