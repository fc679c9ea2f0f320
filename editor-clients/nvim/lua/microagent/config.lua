-- The plugin's configuration: defaults, merged with what setup() is given, checked once.
-- Never starts anything.
local M = {}

M.defaults = {
  -- The server: `microagent-lsp` on PATH, or a list such as
  -- { "/path/to/.venv/bin/microagent-lsp", "--log-level", "INFO" }
  -- or { "python3", "-m", "microagent.server.lsp.main" }.
  cmd = { "microagent-lsp" },
  -- Extra environment for the server process (MICROAGENT_* variables, API keys).
  cmd_env = nil,
  -- The filetypes the server serves: Python, TypeScript and JavaScript (with JSX).
  filetypes = { "python", "typescript", "typescriptreact", "javascript", "javascriptreact" },
  -- The workspace folder is the nearest directory above the file holding one of these.
  root_markers = { "pyproject.toml", "setup.py", "setup.cfg", "pytest.ini", "package.json", ".git" },
  -- The `microagent` settings section, as the server reads it (camelCase or snake_case):
  -- { coder = { model = "openai/gpt-4o-mini" }, sandbox = { backend = "process" },
  --   loop = { maxIterations = 6 }, confirmEdits = false }
  settings = {},
  -- Start the server for buffers of `filetypes` as they open.
  autostart = true,
  -- How runs report progress: "echo" (the command line), "notify" (vim.notify), or false.
  progress = "echo",
}

local LISTS = { cmd = true, filetypes = true, root_markers = true }

M.options = vim.deepcopy(M.defaults)

--- Problems with a configuration table, as sentences (empty when it is fine).
function M.problems(opts)
  local problems = {}
  local function check(key, ok, expected)
    if opts[key] ~= nil and not ok(opts[key]) then
      table.insert(problems, string.format("%s must be %s, not %s", key, expected, vim.inspect(opts[key])))
    end
  end
  local function list_of_strings(v)
    if type(v) ~= "table" or #v == 0 then
      return false
    end
    for _, item in ipairs(v) do
      if type(item) ~= "string" then
        return false
      end
    end
    return true
  end
  check("cmd", function(v)
    return type(v) == "string" or list_of_strings(v)
  end, "a string or a list of strings")
  check("cmd_env", function(v)
    return type(v) == "table"
  end, "a table")
  check("filetypes", list_of_strings, "a list of strings")
  check("root_markers", list_of_strings, "a list of strings")
  check("settings", function(v)
    return type(v) == "table"
  end, "a table")
  check("autostart", function(v)
    return type(v) == "boolean"
  end, "true or false")
  check("progress", function(v)
    return v == false or v == "echo" or v == "notify"
  end, '"echo", "notify" or false')
  for key in pairs(opts) do
    if M.defaults[key] == nil and key ~= "cmd_env" then
      table.insert(problems, string.format("unknown option %s", key))
    end
  end
  return problems
end

--- Merge `opts` over the defaults. Bad options are named and left at their defaults.
function M.merge(opts)
  opts = opts or {}
  local problems = M.problems(opts)
  local merged = vim.deepcopy(M.defaults)
  for key, value in pairs(opts) do
    local bad = false
    for _, problem in ipairs(problems) do
      if problem:find(key, 1, true) == 1 or problem == "unknown option " .. key then
        bad = true
      end
    end
    if not bad then
      if key == "cmd" and type(value) == "string" then
        merged.cmd = { value }
      elseif LISTS[key] then
        merged[key] = vim.deepcopy(value) -- a list replaces the default, never merges by index
      elseif type(value) == "table" and type(merged[key]) == "table" then
        merged[key] = vim.tbl_deep_extend("force", merged[key], value)
      else
        merged[key] = value
      end
    end
  end
  M.options = merged
  if #problems > 0 then
    vim.notify("micro-agent: setup(): " .. table.concat(problems, "; "), vim.log.levels.WARN)
  end
  return problems
end

return M
