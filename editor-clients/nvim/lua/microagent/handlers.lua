-- The handlers the micro-agent client uses instead of Neovim's defaults:
-- * workspace/applyEdit checks every document's version first and answers `applied = false`
--   with a reason when one changed (Neovim's own, 0.7 to 0.11, checks only the first, only for
--   "newer", then answers `applied = true` without applying anything; 0.7's fails on a null
--   version, which the server sends for a file that is not open);
-- * $/progress also feeds microagent.progress;
-- * window/showMessage goes through vim.notify; window/logMessage is kept for :MicroAgent log.
local M = {}

M.log = {} -- the server's window/logMessage lines, the last 500
local LOG_LINES = 500
M.edits = {} -- what each workspace/applyEdit asked for and how it was answered, the last 20

--- The version Neovim last sent the server for a buffer (0 at didOpen, then the changedtick of
--- each change; a buffer no client has opened reads nil on 0.7 and 0 later).
function M.buffer_version(bufnr)
  local version = vim.lsp.util.buf_versions[bufnr]
  if version == nil then
    version = vim.b[bufnr].changedtick
  end
  return version
end

--- Why a TextDocumentEdit cannot be applied, or nil.
local function stale(document)
  local version = document.version
  if version == nil or version == vim.NIL then
    return nil -- the server read the file from disk and checked it there
  end
  local file = vim.uri_to_fname(document.uri)
  local bufnr = vim.fn.bufnr(file)
  if bufnr == -1 or not vim.api.nvim_buf_is_loaded(bufnr) then
    return string.format("%s is no longer open", vim.fn.fnamemodify(file, ":~:."))
  end
  local current = M.buffer_version(bufnr)
  if current ~= version then
    return string.format(
      "%s changed while micro-agent was running (version %s, the edit is for %s)",
      vim.fn.fnamemodify(file, ":~:."),
      tostring(current),
      tostring(version)
    )
  end
end

local function answer(params, documents, response)
  table.insert(M.edits, { label = params.label, documents = documents, response = response })
  if #M.edits > 20 then
    table.remove(M.edits, 1)
  end
  return response
end

function M.apply_edit(_, params, ctx)
  if type(params) ~= "table" or type(params.edit) ~= "table" then
    return { applied = false, failureReason = "no edit in the request" }
  end
  local documents = {}
  for _, change in ipairs(params.edit.documentChanges or {}) do
    if change.textDocument and change.edits then
      table.insert(documents, { uri = change.textDocument.uri, version = change.textDocument.version })
    end
  end
  for _, document in ipairs(documents) do -- all or nothing: check every one before any change
    local reason = stale(document)
    if reason then
      return answer(params, documents, { applied = false, failureReason = reason })
    end
  end
  -- Checked above; Neovim's own check would compare a null version (a file that is not open)
  -- with a number and fail on 0.7, so the versions are left out of what it sees.
  local edit = vim.tbl_extend("force", {}, params.edit)
  if edit.documentChanges then
    edit.documentChanges = vim.tbl_map(function(change)
      if not change.textDocument then
        return change
      end
      return vim.tbl_extend("force", change, { textDocument = { uri = change.textDocument.uri } })
    end, edit.documentChanges)
  end
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  local encoding = client and client.offset_encoding or "utf-16"
  local ok, err = pcall(vim.lsp.util.apply_workspace_edit, edit, encoding)
  if not ok then
    return answer(params, documents, { applied = false, failureReason = tostring(err) })
  end
  return answer(params, documents, { applied = true })
end

function M.progress(err, result, ctx, config)
  local default = vim.lsp.handlers["$/progress"]
  if default then
    pcall(default, err, result, ctx, config)
  end
  if type(result) == "table" then
    require("microagent.progress").update(result.token, result.value)
  end
end

local LEVELS = { vim.log.levels.ERROR, vim.log.levels.WARN, vim.log.levels.INFO, vim.log.levels.INFO }

function M.show_message(_, result)
  if type(result) == "table" and result.message then
    local text = tostring(result.message)
    if text:sub(1, 11) ~= "micro-agent" then
      text = "micro-agent: " .. text
    end
    vim.notify(text, LEVELS[result.type] or vim.log.levels.INFO, { title = "micro-agent" })
  end
  return vim.NIL
end

function M.log_message(err, result, ctx, config)
  if type(result) == "table" and result.message then
    for text in tostring(result.message):gmatch("[^\n]+") do
      table.insert(M.log, text)
    end
    while #M.log > LOG_LINES do
      table.remove(M.log, 1)
    end
  end
  local default = vim.lsp.handlers["window/logMessage"]
  if default then
    pcall(default, err, result, ctx, config)
  end
  return vim.NIL
end

--- The handlers table for the client's configuration.
function M.for_client()
  return {
    ["workspace/applyEdit"] = M.apply_edit,
    ["$/progress"] = M.progress,
    ["window/showMessage"] = M.show_message,
    ["window/logMessage"] = M.log_message,
  }
end

return M
