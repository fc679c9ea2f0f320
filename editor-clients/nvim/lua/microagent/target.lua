-- What a command acts on, from the cursor: the enclosing test gives `path::Class::test_name`
-- (Python) or `path::describe > test` (vitest and jest), the enclosing top-level definition gives
-- `path:name`, else the whole file. Tree-sitter when a Python parser is installed, else a scan
-- upward by indentation: for `def`/`class`, or for `describe(`/`it(`/`test(` calls and top-level
-- functions in TypeScript and JavaScript (the same scan as the VS Code extension's target.ts).
local M = {}

local JS_SUFFIXES = { js = true, jsx = true, ts = true, tsx = true, mjs = true, cjs = true, mts = true, cts = true }
local JS_SUITES = { describe = true, suite = true, context = true, fdescribe = true, xdescribe = true }
local JS_TESTS = { it = true, test = true, fit = true, xit = true, xtest = true }

--- Whether `rel` is a TypeScript or JavaScript file.
function M.is_javascript(rel)
  local suffix = rel:match("%.([%w]+)$")
  return suffix ~= nil and JS_SUFFIXES[suffix:lower()] == true
end

--- Mirrors languages/python/parsed.py is_test_file and, for TypeScript and JavaScript,
--- languages/typescript/parsed.py is_test_file (tests/editors/test_test_file_rule.py).
function M.is_test_file(rel)
  local name = rel:match("[^/]+$") or rel
  if M.is_javascript(rel) then
    local kind = name:match("^.+%.(%a+)%.[^.]+$")
    return kind == "test" or kind == "spec" or ("/" .. rel):find("/__tests__/", 1, true) ~= nil
  end
  return name:match("^test_.*%.py$") ~= nil
    or name:match("_test%.py$") ~= nil
    or name == "conftest.py"
    or rel:sub(1, 6) == "tests/"
    or rel:find("/tests/", 1, true) ~= nil
end

local function definition(line)
  for _, pattern in ipairs({ "^(%s*)async%s+def%s+([%a_][%w_]*)", "^(%s*)def%s+([%a_][%w_]*)" }) do
    local indent, name = line:match(pattern)
    if name then
      return "def", name, #indent
    end
  end
  local indent, name = line:match("^(%s*)class%s+([%a_][%w_]*)")
  if name then
    return "class", name, #indent
  end
end

--- The definitions holding 0-based `row` in `lines`, outermost first, by indentation.
function M.scan(lines, row)
  local start = math.min(math.max(row + 1, 1), #lines)
  while start < #lines and lines[start]:match("^%s*@") do
    start = start + 1 -- a decorator belongs to the definition below it
  end
  local chain, bound = {}, math.huge
  for i = start, 1, -1 do
    local text = lines[i]
    if text:match("%S") and not text:match("^%s*#") then
      local indent = #text:match("^%s*")
      if i == start or indent < bound then
        local kind, name = definition(text)
        if kind then
          table.insert(chain, 1, { kind = kind, name = name, line = i - 1 })
        end
        bound = indent
        if indent == 0 then
          break
        end
      end
    end
  end
  return chain
end

local function node_text(node, bufnr)
  if vim.treesitter.get_node_text then
    return vim.treesitter.get_node_text(node, bufnr)
  end
  return vim.treesitter.query.get_node_text(node, bufnr)
end

--- A `describe(`/`it(`/`test(` call with a plain string title, or a top-level definition.
local function js_opener(text)
  local indent, call, rest = text:match("^(%s*)([%a_]+)[%w_.]-%s*%((.*)$")
  if call and (JS_SUITES[call] or JS_TESTS[call]) then
    rest = rest:gsub("^%s*", "")
    local quote = rest:sub(1, 1)
    if quote == "'" or quote == '"' or quote == "`" then
      local title, i, escaped = {}, 2, false
      while i <= #rest do
        local c = rest:sub(i, i)
        if escaped then
          table.insert(title, c)
          escaped = false
        elseif c == "\\" then
          escaped = true
        elseif c == quote then
          return JS_TESTS[call] and "test" or "suite", table.concat(title), #indent
        else
          table.insert(title, c)
        end
        i = i + 1
      end
    end
    return nil
  end
  local name = text:match("^export%s+default%s+") and text:gsub("^export%s+default%s+", "") or text:gsub("^export%s+", "")
  name = name:gsub("^declare%s+", ""):gsub("^async%s+", ""):gsub("^abstract%s+", "")
  local found = name:match("^function%*?%s*([%a_$][%w_$]*)") or name:match("^class%s+([%a_$][%w_$]*)")
    or name:match("^const%s+([%a_$][%w_$]*)") or name:match("^let%s+([%a_$][%w_$]*)")
    or name:match("^var%s+([%a_$][%w_$]*)")
  if found and not text:match("^%s") then
    return "def", found, 0
  end
end

--- The describe blocks, tests and top-level definition holding 0-based `row`, outermost first.
function M.scan_javascript(lines, row)
  local start = math.min(math.max(row + 1, 1), #lines)
  local chain, bound = {}, math.huge
  for i = start, 1, -1 do
    local text = lines[i]
    if text:match("%S") and not text:match("^%s*//") and not text:match("^%s*/?%*") then
      local indent = #text:match("^%s*")
      if i == start or indent < bound then
        local kind, name = js_opener(text)
        if kind then
          table.insert(chain, 1, { kind = kind, name = name, line = i - 1 })
        end
        bound = indent
        if indent == 0 then
          break
        end
      end
    end
  end
  return chain
end

--- The same chain from tree-sitter, or nil when there is no Python parser.
function M.treesitter(bufnr, row)
  local ok, parser = pcall(vim.treesitter.get_parser, bufnr, "python")
  if not ok or not parser then
    return nil
  end
  local tree = parser:parse()[1]
  if not tree then
    return nil
  end
  local line = vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ""
  local col = #(line:match("^%s*") or "")
  local node = tree:root():named_descendant_for_range(row, col, row, col)
  local chain, last = {}, nil
  local function add(def)
    local srow, scol = def:range()
    local key = srow .. ":" .. scol
    if key == last then
      return
    end
    last = key
    local name = def:field("name")[1]
    if name then
      local kind = def:type() == "class_definition" and "class" or "def"
      table.insert(chain, 1, { kind = kind, name = node_text(name, bufnr), line = srow })
    end
  end
  while node do
    local kind = node:type()
    if kind == "function_definition" or kind == "class_definition" then
      add(node)
    elseif kind == "decorated_definition" and node:field("definition")[1] then
      add(node:field("definition")[1]) -- the cursor is on a decorator
    end
    node = node:parent()
  end
  return chain
end

--- The definitions around the cursor, outermost first.
function M.enclosing(bufnr, row)
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  if M.is_javascript(vim.api.nvim_buf_get_name(bufnr)) then
    return M.scan_javascript(lines, row)
  end
  return M.treesitter(bufnr, row) or M.scan(lines, row)
end

--- `rel::describe > test` in a vitest or jest test, else `rel`.
local function fix_javascript(rel, chain)
  local titles, tests = {}, 0
  for _, d in ipairs(chain) do
    if d.kind ~= "def" then
      table.insert(titles, d.name)
      tests = tests + (d.kind == "test" and 1 or 0)
    end
  end
  if tests ~= 1 or chain[#chain].kind ~= "test" then
    return rel
  end
  return rel .. "::" .. table.concat(titles, " > ")
end

--- `rel::Class::test` in a test, else `rel`.
function M.fix(rel, chain)
  if not M.is_test_file(rel) then
    return rel
  end
  if M.is_javascript(rel) then
    return fix_javascript(rel, chain)
  end
  local classes = {}
  for _, d in ipairs(chain) do
    if d.kind == "class" then
      table.insert(classes, d.name)
    else
      local is_test = d.name:sub(1, 4) == "test"
      for _, c in ipairs(classes) do
        is_test = is_test and c:sub(1, 4) == "Test"
      end
      if not is_test then
        return rel
      end
      return table.concat(vim.list_extend({ rel }, vim.list_extend(classes, { d.name })), "::")
    end
  end
  return rel
end

--- `rel:name` of the top-level definition, or nil.
function M.definition(rel, chain)
  if chain[1] and M.is_javascript(rel) and chain[1].kind ~= "def" then
    return nil
  end
  return chain[1] and (rel .. ":" .. chain[1].name) or nil
end

--- The path of `file` relative to `root`, with forward slashes.
function M.relative(file, root)
  file = vim.fn.fnamemodify(file, ":p")
  root = vim.fn.fnamemodify(root, ":p"):gsub("/$", "")
  if file:sub(1, #root + 1) == root .. "/" then
    return file:sub(#root + 2)
  end
  return vim.fn.fnamemodify(file, ":t")
end

return M
