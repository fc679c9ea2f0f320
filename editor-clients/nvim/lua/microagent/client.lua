-- Starting the server and attaching buffers to it: one client per workspace folder, through
-- vim.lsp.start where it exists (0.8+) and vim.lsp.start_client + buf_attach_client on 0.7.
local M = {}

M.NAME = "microagent"
local by_root = {} -- 0.7: root_dir -> client id
local warned = {}

--- Call a client method: `client:method()` from 0.11 on, `client.method()` before.
function M.call(client, method, ...)
  if vim.fn.has("nvim-0.11") == 1 then
    return client[method](client, ...)
  end
  return client[method](...)
end

local function options()
  return require("microagent.config").options
end

--- Empty tables as JSON objects (Neovim encodes {} as []), all the way down.
local function as_objects(value)
  if type(value) ~= "table" or value == vim.NIL then
    return value
  end
  if next(value) == nil then
    return vim.empty_dict()
  end
  local out = {}
  for k, v in pairs(value) do
    out[k] = as_objects(v)
  end
  return out
end

--- The workspace folder of a file: the nearest directory above it holding a root marker.
function M.root_dir(file)
  local dir = vim.fn.fnamemodify(file, ":p:h")
  local probe = dir
  while true do
    for _, marker in ipairs(options().root_markers) do
      if vim.loop.fs_stat(probe .. "/" .. marker) then
        return probe
      end
    end
    local parent = vim.fn.fnamemodify(probe, ":h")
    if parent == probe then
      return dir
    end
    probe = parent
  end
end

--- Neovim's client capabilities, plus the two the server relies on that 0.7 does not announce:
--- pulling settings (workspace/configuration) and versioned edits (documentChanges).
function M.capabilities()
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  return vim.tbl_deep_extend("force", capabilities, {
    workspace = { configuration = true, workspaceEdit = { documentChanges = true } },
    window = { workDoneProgress = true },
  })
end

--- The settings the server pulls: { microagent = <setup's settings> }.
function M.settings()
  return { microagent = as_objects(options().settings) }
end

--- The client configuration for a workspace folder.
function M.config(root)
  local opts = options()
  return {
    name = M.NAME,
    cmd = vim.deepcopy(opts.cmd),
    cmd_env = opts.cmd_env,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ":t") } },
    capabilities = M.capabilities(),
    settings = M.settings(),
    handlers = require("microagent.handlers").for_client(),
    flags = { debounce_text_changes = 150 },
    on_exit = function(code, signal, client_id)
      for root_dir, id in pairs(by_root) do
        if id == client_id then
          by_root[root_dir] = nil
        end
      end
      if code ~= 0 and signal ~= 15 then
        vim.schedule(function()
          vim.notify(
            string.format("micro-agent: the server exited (code %d, signal %d). See :MicroAgent log and :checkhealth microagent", code, signal),
            vim.log.levels.WARN
          )
        end)
      end
    end,
  }
end

--- Every running micro-agent client, or those attached to `bufnr`.
function M.clients(bufnr)
  local found = {}
  local all
  if vim.lsp.get_clients then
    all = vim.lsp.get_clients({ bufnr = bufnr, name = M.NAME })
  elseif bufnr then
    all = vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
  else
    all = vim.lsp.get_active_clients()
  end
  for _, client in ipairs(all) do
    if client.name == M.NAME and not M.call(client, "is_stopped") then
      table.insert(found, client)
    end
  end
  return found
end

function M.client_for(bufnr)
  return M.clients(bufnr)[1]
end

local function wanted(bufnr)
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= "" then
    return false
  end
  if vim.api.nvim_buf_get_name(bufnr) == "" then
    return false
  end
  return vim.tbl_contains(options().filetypes, vim.bo[bufnr].filetype)
end

--- Attach `bufnr` to the server of its workspace folder, starting it if needed.
--- Returns the client id, or nil (not a file of `filetypes`, or no server to start).
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not wanted(bufnr) then
    return nil
  end
  local existing = M.client_for(bufnr)
  if existing then
    return existing.id
  end
  local cmd = options().cmd
  if vim.fn.executable(cmd[1]) == 0 then
    if not warned[cmd[1]] then
      warned[cmd[1]] = true
      vim.notify(
        string.format(
          "micro-agent: the server `%s` was not found. Install microagent, or pass its path: "
            .. 'require("microagent").setup({ cmd = { "/path/to/.venv/bin/microagent-lsp" } }). '
            .. "See :checkhealth microagent",
          cmd[1]
        ),
        vim.log.levels.WARN
      )
    end
    return nil
  end
  local root = M.root_dir(vim.api.nvim_buf_get_name(bufnr))
  local config = M.config(root)
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = by_root[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(config)
    by_root[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- Stop every micro-agent client, then attach the loaded buffers again.
function M.restart()
  local buffers = {}
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and wanted(bufnr) then
      table.insert(buffers, bufnr)
    end
  end
  local clients = M.clients()
  for _, client in ipairs(clients) do
    M.call(client, "stop")
  end
  by_root = {}
  vim.wait(5000, function()
    for _, client in ipairs(clients) do
      if not M.call(client, "is_stopped") then
        return false
      end
    end
    return true
  end, 50)
  for _, bufnr in ipairs(buffers) do
    M.attach(bufnr)
  end
end

return M
