-- Checks of the Neovim plugin inside a real (headless) Neovim, without a run: commands,
-- completion, <Plug> mappings, targets from the cursor, configuration, the applyEdit handler's
-- version checks, settings encoding and :checkhealth. Each check's outcome goes to the JSON file
-- named by MICROAGENT_E2E_RESULT; tests/editors/test_nvim_plugin.py reads it.
local checks = {}
local function check(name, fn)
  table.insert(checks, { name = name, fn = fn })
end

local function eq(actual, expected, what)
  if not vim.deep_equal(actual, expected) then
    error(string.format("%s: expected %s, got %s", what or "value", vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

local function scratch(name, text)
  local path = vim.fn.tempname() .. "/" .. name
  vim.fn.mkdir(vim.fn.fnamemodify(path, ":h"), "p")
  vim.fn.writefile(vim.split(text, "\n"), path)
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf(), path
end

local TESTS = table.concat({
  "import pytest",
  "",
  "",
  "class TestShelf:",
  "    @pytest.mark.slow",
  "    def test_restock(self):",
  "        def helper():",
  "            return 1",
  "",
  "        assert helper() == 1",
  "",
  "    def setup_method(self):",
  "        pass",
  "",
  "",
  "def test_total():",
  "    assert 1 + 1 == 2",
}, "\n")

check("the commands and <Plug> mappings exist, and no default key mapping", function()
  for _, name in ipairs({ "MicroAgent", "MicroAgentFix", "MicroAgentImplement", "MicroAgentReview", "MicroAgentCancel" }) do
    eq(vim.fn.exists(":" .. name), 2, ":" .. name)
  end
  for _, plug in ipairs({ "fix", "implement", "review", "cancel" }) do
    local lhs = "<Plug>(microagent-" .. plug .. ")"
    if vim.fn.maparg(lhs, "n") == "" and vim.fn.hasmapto(lhs, "n") == 0 then
      local found = false
      for _, map in ipairs(vim.api.nvim_get_keymap("n")) do
        found = found or map.lhs:find("microagent-" .. plug, 1, true) ~= nil
      end
      assert(found, lhs .. " is not defined")
    end
  end
  for _, mode in ipairs({ "n", "v", "i" }) do
    for _, map in ipairs(vim.api.nvim_get_keymap(mode)) do
      local desc = map.desc or ""
      assert(not (desc:find("micro-agent") and not map.lhs:find("Plug")), "default mapping " .. map.lhs)
    end
  end
end)

check(":MicroAgent completes its subcommands", function()
  eq(vim.fn.getcompletion("MicroAgent ", "cmdline"),
    { "apply", "cancel", "fix", "implement", "log", "restart", "review", "start", "status" })
  eq(vim.fn.getcompletion("MicroAgent re", "cmdline"), { "restart", "review" })
end)

check("targets from the cursor: tests, methods, decorators, helpers, files", function()
  local buf = scratch("test_shelf.py", TESTS)
  vim.bo[buf].filetype = "python"
  local function at(row, kind)
    vim.api.nvim_win_set_cursor(0, { row, 0 })
    return require("microagent").target(kind or "fix")
  end
  eq(at(10), "test_shelf.py::TestShelf::test_restock", "in the assertion")
  eq(at(8), "test_shelf.py::TestShelf::test_restock", "in a nested helper")
  eq(at(5), "test_shelf.py::TestShelf::test_restock", "on the decorator")
  eq(at(13), "test_shelf.py", "in setup_method")
  eq(at(17), "test_shelf.py::test_total", "in a plain test")
  eq(vim.fn.getcompletion("MicroAgentFix ", "cmdline"), { "test_shelf.py::test_total", "test_shelf.py" })
  eq(at(1), "test_shelf.py", "outside any test")
  eq(at(17, "review"), "test_shelf.py:test_total")
end)

check("implement and review name the top-level definition of a source file", function()
  scratch("shelf.py", "class Shelf:\n    def restock(self, n):\n        return n\n\n\nasync def total(items):\n    return sum(items)\n")
  local function at(row, kind)
    vim.api.nvim_win_set_cursor(0, { row, 0 })
    return require("microagent").target(kind)
  end
  eq(at(3, "implement"), "shelf.py:Shelf")
  eq(at(7, "implement"), "shelf.py:total")
  eq(at(7, "fix"), "shelf.py")
  eq(at(4, "review"), "shelf.py:Shelf")
end)

check("setup merges: a string cmd becomes a list, lists replace, bad options are named", function()
  local config = require("microagent.config")
  local saved = vim.deepcopy(config.options)
  local notified = {}
  local notify = vim.notify
  vim.notify = function(msg)
    table.insert(notified, msg)
  end
  require("microagent").setup({ cmd = "my-server", filetypes = { "python", "pyrex" }, settings = { coder = { model = "m" } } })
  eq(config.options.cmd, { "my-server" })
  eq(config.options.filetypes, { "python", "pyrex" })
  eq(config.options.settings, { coder = { model = "m" } })
  eq(config.options.progress, "echo")
  require("microagent").setup({ cmd = 42, colour = "blue" })
  vim.notify = notify
  eq(config.options.cmd, { "microagent-lsp" }, "a bad cmd keeps the default")
  assert(#notified == 1 and notified[1]:find("cmd must be") and notified[1]:find("unknown option colour"), vim.inspect(notified))
  config.options = saved
end)

check("settings reach the server as JSON objects, even when empty", function()
  local config = require("microagent.config")
  local saved = config.options.settings
  config.options.settings = {}
  eq(vim.json.encode(require("microagent.client").settings()), '{"microagent":{}}')
  config.options.settings = { coder = {}, loop = { maxIterations = 2 } }
  local decoded = vim.json.decode(vim.json.encode(require("microagent.client").settings()))
  eq(decoded, { microagent = { coder = vim.empty_dict(), loop = { maxIterations = 2 } } })
  config.options.settings = saved
  local caps = require("microagent.client").capabilities()
  assert(caps.workspace.configuration == true, "workspace/configuration is announced")
  assert(caps.workspace.workspaceEdit.documentChanges == true, "versioned edits are announced")
  assert(caps.window.workDoneProgress == true, "progress is announced")
end)

local function edit_for(uri, version, line, text)
  return {
    textDocument = { uri = uri, version = version },
    edits = { { range = { start = { line = line, character = 0 }, ["end"] = { line = line + 1, character = 0 } }, newText = text } },
  }
end

check("applyEdit: the current version applies, a stale one is refused with a reason", function()
  local handlers = require("microagent.handlers")
  local buf, path = scratch("calc.py", "def add(a, b):\n    return a - b\n")
  local uri = vim.uri_from_fname(path)
  local version = handlers.buffer_version(buf)
  local ctx = { client_id = -1 }
  local stale = handlers.apply_edit(nil, { edit = { documentChanges = { edit_for(uri, version - 1, 1, "    return a + b\n") } } }, ctx)
  eq(stale.applied, false, "stale edit applied")
  assert(stale.failureReason:find("changed while micro%-agent was running"), stale.failureReason)
  eq(vim.api.nvim_buf_get_lines(buf, 1, 2, false), { "    return a - b" })
  local fresh = handlers.apply_edit(nil, { edit = { documentChanges = { edit_for(uri, version, 1, "    return a + b\n") } } }, ctx)
  eq(fresh, { applied = true })
  eq(vim.api.nvim_buf_get_lines(buf, 1, 2, false), { "    return a + b" })
end)

check("applyEdit: all or nothing when one of several documents is stale", function()
  local handlers = require("microagent.handlers")
  local a, path_a = scratch("a.py", "x = 1\n")
  local b, path_b = scratch("b.py", "y = 1\n")
  local answer = handlers.apply_edit(nil, { edit = { documentChanges = {
    edit_for(vim.uri_from_fname(path_a), handlers.buffer_version(a), 0, "x = 2\n"),
    edit_for(vim.uri_from_fname(path_b), handlers.buffer_version(b) + 5, 0, "y = 2\n"),
  } } }, { client_id = -1 })
  eq(answer.applied, false)
  eq(vim.api.nvim_buf_get_lines(a, 0, 1, false), { "x = 1" }, "the first document was changed")
end)

check("applyEdit: a file that is not open is edited in a new buffer (no version to check)", function()
  local handlers = require("microagent.handlers")
  local path = vim.fn.tempname() .. ".py"
  vim.fn.writefile({ "z = 1" }, path)
  local answer = handlers.apply_edit(nil, { edit = { documentChanges = {
    edit_for(vim.uri_from_fname(path), vim.NIL, 0, "z = 2\n"),
  } } }, { client_id = -1 })
  eq(answer, { applied = true })
  eq(vim.api.nvim_buf_get_lines(vim.fn.bufnr(path), 0, 1, false), { "z = 2" })
end)

check("progress: begin, reports and end make the status line, then idle", function()
  local progress = require("microagent.progress")
  progress.update("t1", { kind = "begin", title = "micro-agent fix test_calc.py::test_mean", message = "starting", percentage = 0 })
  eq(progress.status(), "micro-agent 0%: starting")
  progress.update("t1", { kind = "report", message = "iteration 1/4 · 0/1 tests passing · coder writing", percentage = 5 })
  eq(require("microagent").status(), "micro-agent 5%: iteration 1/4 · 0/1 tests passing · coder writing")
  progress.update("t2", { kind = "begin", title = "micro-agent review calc.py" })
  eq(progress.status(), "micro-agent: 2 runs")
  progress.update("t1", { kind = "end", message = "done" })
  progress.update("t2", { kind = "end", message = "done" })
  eq(progress.status(), "")
end)

check("a missing server is one warning, not an error per buffer", function()
  local config = require("microagent.config")
  local saved = vim.deepcopy(config.options)
  config.options.cmd = { "no-such-microagent-lsp" }
  local notified = {}
  local notify = vim.notify
  vim.notify = function(msg)
    table.insert(notified, msg)
  end
  local one = scratch("test_one.py", "def test_one():\n    pass\n")
  vim.bo[one].filetype = "python"
  local two = scratch("test_two.py", "def test_two():\n    pass\n")
  vim.bo[two].filetype = "python"
  vim.notify = notify
  config.options = saved
  eq(#notified, 1, "warnings")
  assert(notified[1]:find("no%-such%-microagent%-lsp` was not found"), notified[1])
end)

check(":checkhealth microagent finds the server", function()
  vim.cmd("checkhealth microagent")
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  _G.microagent_health = text
  assert(text:find("micro%-agent"), text)
  assert(text:find("microagent%-lsp %d"), "no server version in:\n" .. text)
  assert(not text:find("ERROR: configuration"), text)
end)

check(":help microagent works and its tags are unique", function()
  local plugin = vim.api.nvim_get_runtime_file("doc/microagent.txt", false)[1]
  assert(plugin, "doc/microagent.txt is not on the runtimepath")
  local docs = vim.fn.tempname() .. "/doc"
  vim.fn.mkdir(docs, "p")
  vim.fn.writefile(vim.fn.readfile(plugin), docs .. "/microagent.txt")
  vim.cmd("helptags " .. vim.fn.fnameescape(docs)) -- errors on a duplicate tag
  vim.opt.runtimepath:prepend(vim.fn.fnamemodify(docs, ":h"))
  for _, tag in ipairs({ "microagent", ":MicroAgentFix", "microagent-settings", "<Plug>(microagent-fix)", "microagent.status()" }) do
    vim.cmd("help " .. tag)
    assert(vim.api.nvim_buf_get_name(0):find("microagent.txt$"), tag .. " opened " .. vim.api.nvim_buf_get_name(0))
    vim.cmd("helpclose")
  end
end)

check("lsp/microagent.lua gives Neovim 0.11's vim.lsp.config a complete configuration", function()
  local file = vim.api.nvim_get_runtime_file("lsp/microagent.lua", false)[1]
  assert(file, "lsp/microagent.lua is not on the runtimepath")
  local config = dofile(file)
  eq(config.cmd, require("microagent.config").options.cmd)
  eq(config.filetypes, { "python", "typescript", "typescriptreact", "javascript", "javascriptreact" })
  assert(vim.tbl_contains(config.root_markers, "pyproject.toml"))
  assert(vim.tbl_contains(config.root_markers, "package.json"))
  assert(config.handlers["workspace/applyEdit"] and config.handlers["$/progress"], "handlers")
  eq(vim.json.encode(config.settings), '{"microagent":{"loop":{"maxIterations":3}}}')
end)

local results = {}
for _, c in ipairs(checks) do
  local ok, err = xpcall(c.fn, debug.traceback)
  table.insert(results, { name = c.name, ok = ok, error = (not ok) and tostring(err) or nil })
end
local file = io.open(vim.env.MICROAGENT_E2E_RESULT, "w")
file:write(vim.fn.json_encode({ checks = results, health = _G.microagent_health or "",
  version = vim.fn.matchstr(vim.fn.execute("version"), "NVIM v\\S\\+") }))
file:close()
vim.cmd("qa!")
