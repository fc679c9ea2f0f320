-- What the Neovim drivers share (nvim_fix_run.lua, nvim_project_fix.lua): timed steps, waits
-- that fail with what they waited for, and one ending that writes what Neovim saw to the JSON
-- file named by MICROAGENT_E2E_RESULT and quits, also after an error.
local M = { result = { steps = {} } }
M.TIMEOUT = tonumber(vim.env.MICROAGENT_E2E_TIMEOUT or "60000")

function M.step(text)
  table.insert(M.result.steps, string.format("%.1f s %s", vim.loop.now() / 1000, text))
end

function M.wait(what, ms, condition)
  if not vim.wait(ms, condition, 50) then
    error(string.format("timed out after %d s waiting for %s", ms / 1000, what), 0)
  end
  M.step("saw " .. what)
end

function M.run(main)
  local ok, err = xpcall(main, debug.traceback)
  local result = M.result
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
end

return M
