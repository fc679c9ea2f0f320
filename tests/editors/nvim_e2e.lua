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

-- Whether a run's progress has ended; the embedded model's loading (its token
-- "microagent-model-...", server/lsp/model_preload.py) is not a run. (The history keeps the last
-- 200 notifications, so a long run's begin may be gone: the token is what is left.)
function M.run_ended()
  for _, event in ipairs(require("microagent.progress").history) do
    if event.kind == "end" and not event.token:match("^microagent%-model%-") then
      return true
    end
  end
  return false
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
