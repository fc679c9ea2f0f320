-- Runs in progress, from the server's $/progress notifications: shown in the command line or
-- through vim.notify, kept for statuslines (require("microagent").status()), and announced with
-- the `User MicroAgentProgress` autocommand.
local M = {}

M.runs = {} -- token -> { title, message, percentage }
M.history = {} -- every notification, oldest first (the last 200)
local HISTORY = 200

local function line(run)
  local percent = run.percentage and string.format(" %d%%", run.percentage) or ""
  local what = (run.message and run.message ~= "") and run.message or run.title
  return string.format("micro-agent%s: %s", percent, what)
end

local function show(text, final)
  local mode = require("microagent.config").options.progress
  if mode == "notify" then
    if final or text:find(": starting$") then
      vim.notify(text, vim.log.levels.INFO, { title = "micro-agent" })
    end
  elseif mode == "echo" then
    -- One line that fits, so a run never stops Neovim at a hit-enter prompt; not kept in
    -- :messages, where the server's own summary (window/showMessage) goes.
    local room = math.max((vim.v.echospace or (vim.o.columns - 12)) - 1, 20)
    if vim.fn.strdisplaywidth(text) > room then
      text = vim.fn.strcharpart(text, 0, room - 1) .. "…"
    end
    vim.api.nvim_echo({ { text, final and "MoreMsg" or "ModeMsg" } }, false, {})
  end
end

--- One $/progress value ({kind = "begin" | "report" | "end", ...}) for `token`.
function M.update(token, value)
  if type(value) ~= "table" or not value.kind then
    return
  end
  local key = tostring(token)
  table.insert(M.history, {
    token = key,
    kind = value.kind,
    title = value.title,
    message = value.message,
    percentage = value.percentage,
    time = vim.loop.now(),
  })
  if #M.history > HISTORY then
    table.remove(M.history, 1)
  end
  if value.kind == "begin" then
    M.runs[key] = { title = value.title or "micro-agent", message = value.message, percentage = value.percentage }
    show(line(M.runs[key]))
  elseif value.kind == "report" and M.runs[key] then
    local run = M.runs[key]
    run.message = value.message or run.message
    run.percentage = value.percentage or run.percentage
    show(line(run))
  elseif value.kind == "end" then
    local run = M.runs[key]
    M.runs[key] = nil
    show(value.message or ((run and run.title or "micro-agent") .. ": done"), true)
  end
  pcall(vim.api.nvim_exec_autocmds, "User", { pattern = "MicroAgentProgress", modeline = false })
end

--- "" when idle, else the run's latest progress (or how many runs there are).
function M.status()
  local keys = vim.tbl_keys(M.runs)
  if #keys == 0 then
    return ""
  elseif #keys == 1 then
    return line(M.runs[keys[1]])
  end
  return string.format("micro-agent: %d runs", #keys)
end

return M
