-- micro-agent: the :MicroAgent command (with subcommands and completion), the named commands,
-- <Plug> mappings and the autocommand that starts the server for Python buffers. Everything
-- else loads on first use. No default key mappings.
if vim.g.loaded_microagent then
  return
end
vim.g.loaded_microagent = true

if vim.fn.has("nvim-0.7") == 0 then
  vim.api.nvim_err_writeln("micro-agent needs Neovim 0.7 or later")
  return
end

local function api()
  return require("microagent")
end

local function target_arg(args)
  local text = table.concat(args, " ")
  return text ~= "" and text or nil
end

local subcommands = {
  fix = function(args)
    api().fix({ target = target_arg(args) })
  end,
  implement = function(args)
    api().implement({ target = target_arg(args) })
  end,
  review = function(args)
    api().review({ target = target_arg(args) })
  end,
  cancel = function(_, bang)
    api().cancel({ all = bang })
  end,
  apply = function()
    api().apply_last()
  end,
  restart = function()
    api().restart()
  end,
  start = function()
    api().attach(0)
  end,
  status = function()
    local status = api().status()
    vim.notify(status ~= "" and status or "micro-agent: no run in progress")
  end,
  log = function()
    api().log()
  end,
}
local TARGETED = { fix = true, implement = true, review = true }

local function complete_target(kind, lead)
  local ok, target = pcall(api().target, kind, 0)
  local items = {}
  if ok and target then
    table.insert(items, target)
  end
  local file = ok and target and target:match("^[^:]+") or nil
  if file and file ~= target then
    table.insert(items, file)
  end
  return vim.tbl_filter(function(item)
    return item:sub(1, #lead) == lead
  end, items)
end

vim.api.nvim_create_user_command("MicroAgent", function(o)
  local name = o.fargs[1]
  local run = subcommands[name]
  if not run then
    vim.notify("micro-agent: unknown subcommand " .. tostring(name) .. "; try one of: "
      .. table.concat(vim.tbl_keys(subcommands), ", "), vim.log.levels.ERROR)
    return
  end
  run(vim.list_slice(o.fargs, 2), o.bang)
end, {
  nargs = "+",
  bang = true,
  desc = "micro-agent: fix, implement, review, cancel[!], apply, restart, start, status, log",
  complete = function(lead, line)
    local words = vim.split(line:sub(1, #line - #lead), "%s+", { trimempty = true })
    if #words <= 1 then
      local names = vim.tbl_keys(subcommands)
      table.sort(names)
      return vim.tbl_filter(function(name)
        return name:sub(1, #lead) == lead
      end, names)
    end
    if TARGETED[words[2]] and #words == 2 then
      return complete_target(words[2], lead)
    end
    return {}
  end,
})

local named = {
  { "MicroAgentFix", "fix", "make the test under the cursor (or the file's failing tests) pass" },
  { "MicroAgentImplement", "implement", "implement the function under the cursor from its tests" },
  { "MicroAgentReview", "review", "review the function under the cursor (or the file)" },
}
for _, spec in ipairs(named) do
  local command, kind, desc = spec[1], spec[2], spec[3]
  vim.api.nvim_create_user_command(command, function(o)
    subcommands[kind](o.fargs)
  end, {
    nargs = "?",
    desc = "micro-agent: " .. desc,
    complete = function(lead)
      return complete_target(kind, lead)
    end,
  })
end
vim.api.nvim_create_user_command("MicroAgentCancel", function(o)
  api().cancel({ all = o.bang })
end, { bang = true, desc = "micro-agent: cancel this file's run (! every run)" })

local plugs = {
  ["<Plug>(microagent-fix)"] = { "fix", "micro-agent: make the test under the cursor pass" },
  ["<Plug>(microagent-implement)"] = { "implement", "micro-agent: implement the function under the cursor" },
  ["<Plug>(microagent-review)"] = { "review", "micro-agent: review the function under the cursor" },
  ["<Plug>(microagent-cancel)"] = { "cancel", "micro-agent: cancel this file's run" },
}
for lhs, spec in pairs(plugs) do
  vim.keymap.set("n", lhs, function()
    api()[spec[1]]()
  end, { desc = spec[2] })
end

vim.api.nvim_create_autocmd("FileType", {
  group = vim.api.nvim_create_augroup("microagent", { clear = true }),
  desc = "micro-agent: start the server for buffers of the configured filetypes",
  callback = function(args)
    local options = require("microagent.config").options
    if options.autostart and vim.tbl_contains(options.filetypes, vim.bo[args.buf].filetype) then
      require("microagent.client").attach(args.buf)
    end
  end,
})
