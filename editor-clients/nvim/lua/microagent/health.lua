-- :checkhealth microagent — the configuration, the server, the running clients, the sandbox
-- and the models (through `microagent doctor` when it sits next to the server).
local M = {}

local health = vim.health or require("health")
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local warn = health.warn or health.report_warn
local error = health.error or health.report_error
local info = health.info or health.report_info

local function first_line(text)
  return (text or ""):match("[^\n]+") or ""
end

local function server(cmd)
  local exe = vim.fn.exepath(cmd[1])
  if exe == "" then
    error(string.format("the server `%s` was not found", cmd[1]), {
      "Install microagent (`make install` in its repository creates .venv/bin/microagent-lsp)",
      'Or point to it: require("microagent").setup({ cmd = { "/path/to/.venv/bin/microagent-lsp" } })',
    })
    return nil
  end
  local version = vim.fn.system(vim.list_extend(vim.deepcopy(cmd), { "--version" }))
  if vim.v.shell_error ~= 0 then
    error(string.format("`%s --version` failed: %s", table.concat(cmd, " "), first_line(version)))
    return nil
  end
  ok(string.format("%s (%s)", first_line(version), exe))
  return exe
end

local function doctor(exe)
  local candidate = vim.fn.fnamemodify(exe, ":h") .. "/microagent"
  if vim.fn.executable(candidate) == 0 then
    candidate = vim.fn.exepath("microagent")
  end
  if candidate == "" then
    info("`microagent doctor` not found next to the server: the sandbox and models were not checked")
    return
  end
  local output = vim.fn.system({ candidate, "doctor" })
  for _, line in ipairs(vim.split(output, "\n", { trimempty = true })) do
    local mark, rest = line:match("^(%S+)%s+(.*)$")
    if mark == "✓" then
      ok(rest)
    elseif mark == "✗" then
      error(rest)
    elseif mark == "!" then
      warn(rest)
    elseif line:match("^%s+fix:") then
      info(vim.trim(line))
    end
  end
end

function M.check()
  start("micro-agent")
  local version = vim.version()
  ok(string.format("Neovim %d.%d.%d", version.major, version.minor, version.patch))
  local config = require("microagent.config")
  local problems = config.problems(config.options)
  if #problems == 0 then
    ok("configuration: cmd = " .. table.concat(config.options.cmd, " ") .. ", filetypes = "
      .. table.concat(config.options.filetypes, ", "))
  else
    for _, problem in ipairs(problems) do
      error("configuration: " .. problem)
    end
  end
  local exe = server(config.options.cmd)
  local clients = require("microagent.client").clients()
  if #clients == 0 then
    info("no micro-agent server is running (it starts when a Python file opens)")
  end
  for _, client in ipairs(clients) do
    ok(string.format("server running (client %d) for %s", client.id, client.config.root_dir or "?"))
  end
  if exe then
    start("micro-agent: sandbox and models (microagent doctor)")
    doctor(exe)
  end
end

return M
