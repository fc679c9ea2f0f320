-- Drives headless Neovim through a fix of any project, as a user would: open the source file
-- (MICROAGENT_E2E_SOURCE) and the test file (MICROAGENT_E2E_TEST), run :MicroAgentFix on the
-- test file, wait for the end of the run's progress, then :wall. What it sees goes to the JSON
-- file named by MICROAGENT_E2E_RESULT; it always ends with :qa!, also after an error.
local here = debug.getinfo(1, "S").source:sub(2)
local e2e = dofile(vim.fn.fnamemodify(here, ":p:h") .. "/nvim_e2e.lua")
local result, step, wait = e2e.result, e2e.step, e2e.wait

local function main()
  local client_mod = require("microagent.client")
  vim.cmd("edit " .. vim.fn.fnameescape(vim.env.MICROAGENT_E2E_SOURCE))
  local source = vim.api.nvim_get_current_buf()
  vim.cmd("vsplit " .. vim.fn.fnameescape(vim.env.MICROAGENT_E2E_TEST))
  local tests = vim.api.nvim_get_current_buf()
  wait("the server to start", 30000, function()
    return client_mod.client_for(tests) ~= nil
  end)
  vim.cmd("MicroAgentFix")
  step("ran :MicroAgentFix")
  wait("the end of the run's progress", e2e.TIMEOUT, e2e.run_ended)
  vim.wait(2000, function() return #require("microagent.handlers").edits > 0 end, 100)
  vim.cmd("wall")
  step("wrote every buffer")
  result.source_lines = vim.api.nvim_buf_get_lines(source, 0, -1, false)
end

e2e.run(main)
