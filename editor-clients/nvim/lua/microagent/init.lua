-- micro-agent for Neovim: the API behind the :MicroAgent commands. setup() only merges the
-- configuration; the server starts when a buffer of a configured filetype opens.
local M = {}

local function client_mod()
  return require("microagent.client")
end

--- Merge `opts` over the defaults (see :help microagent-setup). Starts nothing.
function M.setup(opts)
  require("microagent.config").merge(opts)
end

--- The target a command would use at the cursor of `bufnr` (0: current), and the client's root.
--- `kind` is "fix", "implement" or "review".
function M.target(kind, bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local target = require("microagent.target")
  local client = client_mod().client_for(bufnr)
  local root = client and client.config.root_dir or client_mod().root_dir(vim.api.nvim_buf_get_name(bufnr))
  local rel = target.relative(vim.api.nvim_buf_get_name(bufnr), root)
  local row = bufnr == vim.api.nvim_get_current_buf() and (vim.api.nvim_win_get_cursor(0)[1] - 1) or 0
  local chain = target.enclosing(bufnr, row)
  if kind == "fix" then
    return target.fix(rel, chain)
  elseif kind == "implement" then
    return target.definition(rel, chain)
  end
  return target.definition(rel, chain) or rel
end

local function client_or_complain(bufnr)
  local client = client_mod().client_for(bufnr)
  if not client then
    local id = client_mod().attach(bufnr)
    client = id and vim.lsp.get_client_by_id(id)
  end
  if not client then
    vim.notify(
      "micro-agent: no server for this buffer (is it a Python file in a project?). See :checkhealth microagent",
      vim.log.levels.WARN
    )
  end
  return client
end

local function execute(client, bufnr, command, argument, on_result)
  local params = { command = command, arguments = { argument } }
  client_mod().call(client, "request", "workspace/executeCommand", params, function(err, result)
    if err then
      vim.notify(string.format("micro-agent: %s failed: %s", command, err.message or vim.inspect(err)), vim.log.levels.ERROR)
    elseif on_result then
      on_result(result or {})
    end
  end, bufnr)
end

local function run(kind, command, opts)
  opts = opts or {}
  local bufnr = (opts.bufnr == nil or opts.bufnr == 0) and vim.api.nvim_get_current_buf() or opts.bufnr
  local client = client_or_complain(bufnr)
  if not client then
    return nil
  end
  local target = opts.target or M.target(kind, bufnr)
  if not target then
    vim.notify("micro-agent: put the cursor in the function to implement", vim.log.levels.WARN)
    return nil
  end
  -- The server says itself when it refuses (window/showMessage); a started run shows progress.
  execute(client, bufnr, command, { uri = vim.uri_from_bufnr(bufnr), target = target })
  return target
end

--- Make the test under the cursor pass (or every failing test of the file). Returns the target.
function M.fix(opts)
  return run("fix", "microagent.fix", opts)
end

--- Write the function under the cursor from the tests that use it (or its docstring examples).
function M.implement(opts)
  return run("implement", "microagent.implement", opts)
end

--- Review the function under the cursor (or the file); comments arrive as diagnostics.
function M.review(opts)
  return run("review", "microagent.review", opts)
end

--- Cancel the run started from this buffer, or every run with `{ all = true }`.
function M.cancel(opts)
  opts = opts or {}
  local bufnr = vim.api.nvim_get_current_buf()
  local clients = opts.all and client_mod().clients() or { client_mod().client_for(bufnr) }
  if #clients == 0 then
    vim.notify("micro-agent: no server is running", vim.log.levels.INFO)
    return
  end
  local argument = opts.all and vim.empty_dict() or { uri = vim.uri_from_bufnr(bufnr) }
  for _, client in ipairs(clients) do
    execute(client, bufnr, "microagent.cancel", argument, function(result)
      if result.cancelled == 0 then
        vim.notify("micro-agent: no run to cancel" .. (opts.all and "" or " for this file (:MicroAgentCancel! cancels every run)"))
      end
    end)
  end
end

--- Apply the last result for this buffer (runs it again if the text changed since).
function M.apply_last()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = client_or_complain(bufnr)
  if client then
    execute(client, bufnr, "microagent.applyLast", { uri = vim.uri_from_bufnr(bufnr) })
  end
end

--- Restart the server(s) with the current configuration.
function M.restart()
  client_mod().restart()
end

--- Start the server for a buffer (autostart = false, or a buffer it skipped).
function M.attach(bufnr)
  return client_mod().attach(bufnr)
end

--- For statuslines: "" when idle, else the run's progress.
function M.status()
  return require("microagent.progress").status()
end

--- The server's log lines (window/logMessage) in a scratch buffer.
function M.log()
  local lines = require("microagent.handlers").log
  vim.cmd("botright new")
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].swapfile = false
  vim.api.nvim_buf_set_name(buf, "micro-agent log " .. buf)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, #lines > 0 and lines or { "(the server has logged nothing yet)" })
  vim.bo[buf].modifiable = false
end

return M
