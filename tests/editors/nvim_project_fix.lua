-- Drives headless Neovim through a fix of any project, as a user would: open the source file
-- (MICROAGENT_E2E_SOURCE) and the test file (MICROAGENT_E2E_TEST), run :MicroAgentFix on the
-- test file, wait for the end of the run's progress, then :wall. What it sees goes to the JSON
-- file named by MICROAGENT_E2E_RESULT; it always ends with :qa!, also after an error.
local result = { steps = {} }
local TIMEOUT = tonumber(vim.env.MICROAGENT_E2E_TIMEOUT or "60000")

local function step(text)
  table.insert(result.steps, string.format("%.1f s %s", vim.loop.now() / 1000, text))
end

local function wait(what, ms, condition)
  if not vim.wait(ms, condition, 100) then
    error(string.format("timed out after %d s waiting for %s", ms / 1000, what), 0)
  end
  step("saw " .. what)
end

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
  wait("the end of the run's progress", TIMEOUT, function()
    for _, event in ipairs(require("microagent.progress").history) do
      if event.kind == "end" then
        return true
      end
    end
  end)
  vim.wait(2000, function() return #require("microagent.handlers").edits > 0 end, 100)
  vim.cmd("wall")
  step("wrote every buffer")
  result.source_lines = vim.api.nvim_buf_get_lines(source, 0, -1, false)
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  result.error = err
end
result.progress = require("microagent.progress").history
result.log = require("microagent.handlers").log
result.edits = require("microagent.handlers").edits
result.messages = vim.split(vim.fn.execute("messages"), "\n", { trimempty = true })
local file = io.open(vim.env.MICROAGENT_E2E_RESULT, "w")
file:write(vim.fn.json_encode(result))
file:close()
vim.cmd("qa!")
