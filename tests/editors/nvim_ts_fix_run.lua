-- Drives headless Neovim through a fix on a vitest project, as a user would: open src/sum.ts and
-- src/sum.test.ts, put the cursor in the failing test, :lua vim.lsp.buf.code_action() and pick
-- "Make this test pass (micro-agent)" from the menu (vim.ui.select, which a user's picker
-- replaces too), wait for the edit, the end of the progress and the reviewer's diagnostic, then
-- :wall. What it sees goes to MICROAGENT_E2E_RESULT (read by tests/editors/test_nvim_ts_e2e.py);
-- it always ends with :qa!, also after an error or a timeout.
local here = debug.getinfo(1, "S").source:sub(2)
local e2e = dofile(vim.fn.fnamemodify(here, ":p:h") .. "/nvim_e2e.lua")
local result, step, wait, TIMEOUT = e2e.result, e2e.step, e2e.wait, e2e.TIMEOUT
local PICK = "Make this test pass (micro-agent)"

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

-- The code action menu: records what it offers and picks PICK by its title, as a person would.
local function pick_from_menu()
  local shown = false
  vim.ui.select = function(items, opts, on_choice)
    shown = true
    result.menu = {}
    local chosen
    for i, item in ipairs(items) do
      local title = opts.format_item and opts.format_item(item) or tostring(item)
      local action = type(item) == "table" and item[2] or {}
      local command = type(action.command) == "table" and action.command or action
      local argument = command.arguments and command.arguments[1] or {}
      table.insert(result.menu, { title = title, command = command.command, target = argument.target })
      if title == PICK and not chosen then
        chosen = i
      end
    end
    if chosen then
      on_choice(items[chosen], chosen)
    else
      on_choice(nil, nil)
    end
  end
  return function()
    return shown
  end
end

local function main()
  local client_mod = require("microagent.client")
  vim.cmd("edit src/sum.ts")
  local source = vim.api.nvim_get_current_buf()
  vim.cmd("vsplit src/sum.test.ts")
  local tests = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[tests].filetype
  wait("the server to attach to both TypeScript buffers", 30000, function()
    return client_mod.client_for(tests) ~= nil and client_mod.client_for(source) ~= nil
  end)
  local client = client_mod.client_for(tests)
  result.client = { name = client.name, root_dir = client.config.root_dir }

  local found = false
  for i, text in ipairs(lines(tests)) do
    if text:find("expect(sum(1, 2)).toBe(3)", 1, true) then
      vim.api.nvim_win_set_cursor(0, { i, 4 })
      found = true
    end
  end
  if not found then
    error("no line of src/sum.test.ts holds the failing expectation", 0)
  end

  local menu_shown = pick_from_menu()
  vim.lsp.buf.code_action()
  wait("the code action menu", 20000, menu_shown)
  step(string.format("picked %q from %d code actions", PICK, #result.menu))

  wait("the fixed code in the src/sum.ts buffer", TIMEOUT, function()
    return table.concat(lines(source), "\n"):find("return a + b;", 1, true) ~= nil
  end)
  wait("the end of the run's progress", 10000, e2e.run_ended)
  wait("a reviewer diagnostic on src/sum.ts", 10000, function()
    return #ours(source) > 0
  end)
  vim.cmd("wall")
  step("wrote every buffer")
  result.source_lines = lines(source)
  result.source_modified = vim.bo[source].modified
  result.diagnostics = ours(source)
  result.test_diagnostics = ours(tests)
end

e2e.run(main)
