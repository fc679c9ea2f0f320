"""What the JavaScript/TypeScript cheat screen refuses, as tables and two pure lookups: the
modules a fix never imports, and the global names (after imports and aliases are resolved to a
dotted name, "process.exit", "vi.mock", "Array.prototype.push") a fix never touches.

Tables only: the tree walk that finds the names is `cheat_screen.py`.
"""

from __future__ import annotations

from microagent.languages.typescript.global_names import GLOBAL_OBJECTS

# The test run's own machinery: imported from code under test, it reaches the run itself.
TEST_MODULES = frozenset({"vitest", "jest", "expect", "chai", "tinyspy", "vite", "vite-node",
                          "node:test", "assert", "mocha", "sinon", "jasmine", "pretty-format"})
TEST_SCOPES = ("@vitest/", "@jest/", "jest-", "@testing-library/jest-")
# Node's process, its loader and what runs other code: computing a result needs none of them,
# so a change may import one only where the file already did.
SYSTEM_MODULES = frozenset({
    "process", "vm", "child_process", "worker_threads", "module", "inspector", "cluster", "v8",
    "async_hooks", "fs", "os", "net", "http", "https", "http2", "dgram", "tls", "dns", "repl",
    "trace_events", "wasi", "diagnostics_channel", "readline", "tty", "domain", "sea", "sqlite"})

# The runners' globals (vitest with `globals: true`, jest always).
TEST_GLOBALS = frozenset({
    "expect", "vi", "vitest", "jest", "describe", "it", "test", "suite", "bench", "beforeAll",
    "afterAll", "beforeEach", "afterEach", "onTestFinished", "onTestFailed", "expectTypeOf",
    "assertType", "chai", "fit", "fdescribe", "xit", "xdescribe", "xtest", "fail", "pending",
    "spyOn", "jasmine"})
# Texts that name a runner's internal objects: in a string, a property or a Symbol.for key.
MARKERS = ("JEST_STATE_SYMBOL", "$$jest", "jest-matchers", "jest-circus", "jest-snapshot",
           "__vitest", "__VITEST", "vitest-worker", "expect-global", "matchers-object",
           "asymmetric-matchers", "tinyspy", "chai-", "jest_state")
# Words in a Symbol.for key that point at the test machinery.
SYMBOL_WORDS = ("jest", "vitest", "expect", "matchers", "asymmetric", "chai", "tinyspy", "spy")
# Properties that make an object equal to anything in the runners' equality.
EQUAL_TO_ANYTHING = frozenset({"asymmetricMatch", "$$typeof"})
MATCHERS = frozenset({
    "toBe", "toEqual", "toStrictEqual", "toMatchObject", "toBeTruthy", "toBeFalsy", "toContain",
    "toContainEqual", "toThrow", "toThrowError", "toMatch", "toHaveLength", "toHaveProperty",
    "toBeCloseTo", "toMatchSnapshot", "toMatchInlineSnapshot", "toMatchFileSnapshot", "toBeDefined",
    "toBeUndefined", "toBeNull", "toBeNaN", "toBeInstanceOf", "toBeTypeOf", "toHaveBeenCalled",
    "toHaveBeenCalledWith", "toHaveBeenCalledTimes", "toHaveReturned", "toHaveReturnedWith",
    "toBeGreaterThan", "toBeGreaterThanOrEqual", "toBeLessThan", "toBeLessThanOrEqual",
    "toSatisfy", "toBeOneOf", "resolves", "rejects", "equals"})

# Built-in objects: patching one (or its prototype) changes what every assertion rests on.
BUILTINS = frozenset({
    "Object", "Array", "Number", "String", "Boolean", "Symbol", "BigInt", "Function", "Promise",
    "Math", "JSON", "Reflect", "Error", "TypeError", "RangeError", "SyntaxError", "Date",
    "RegExp", "Map", "Set", "WeakMap", "WeakSet", "WeakRef", "Proxy", "Intl", "ArrayBuffer",
    "DataView", "Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array",
    "Int32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "Buffer",
    "console", "process", "Atomics", "Iterator", "AggregateError", "structuredClone",
    "queueMicrotask", "setTimeout", "setInterval", "setImmediate", "performance", "require"})
# Calls that write to (or read through) an object's own properties.
PATCHERS = frozenset({"defineProperty", "defineProperties", "setPrototypeOf", "assign", "set",
                      "deleteProperty", "preventExtensions", "freeze", "seal"})
PEEKERS = frozenset({"getOwnPropertySymbols", "getOwnPropertyNames", "getOwnPropertyDescriptors",
                     "getOwnPropertyDescriptor", "ownKeys", "keys", "entries", "values", "get",
                     "getPrototypeOf"})
PROTOTYPE_OF = frozenset({"Object.getPrototypeOf", "Reflect.getPrototypeOf"})

# process members a fix may use; every other one is refused.
PROCESS_HARMLESS = frozenset({"platform", "nextTick", "hrtime", "cwd", "version", "versions",
                              "arch", "memoryUsage", "uptime", "emitWarning", "release",
                              "features", "cpuUsage", "resourceUsage"})
PROCESS_ENDS = frozenset({"exit", "kill", "abort", "reallyExit", "_exit", "_kill"})
PROCESS_ENV = frozenset({"env", "argv", "execArgv", "argv0", "execPath", "ppid", "pid", "title"})
PROCESS_STREAMS = frozenset({"stdout", "stderr", "stdin", "openStdin", "_rawDebug"})
PROCESS_INTERNALS = frozenset({"binding", "_linkedBinding", "dlopen", "mainModule",
                               "moduleLoadList", "_getActiveHandles", "_getActiveRequests",
                               "report", "channel", "send", "getBuiltinModule"})
PROCESS_LISTENERS = frozenset({"on", "once", "addListener", "prependListener",
                               "prependOnceListener", "off", "removeListener",
                               "removeAllListeners", "setUncaughtExceptionCaptureCallback"})
END_EVENTS = frozenset({"exit", "beforeExit", "uncaughtException", "unhandledRejection",
                        "uncaughtExceptionMonitor", "rejectionHandled", "SIGINT", "SIGTERM",
                        "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGBREAK", "disconnect", "message"})
MODULE_HARMLESS = frozenset({"exports", "id", "filename", "path", "loaded"})
IMPORT_META_HARMLESS = frozenset({"url", "dirname", "filename", "resolve"})


def module_finding(spec: str) -> str | None:
    """What importing `spec` (as written in `import`/`require`) does, if a fix never needs it."""
    if spec.startswith(("/", "file:")) or "node_modules" in spec.replace("\\", "/").split("/"):
        return f"imports a module by its path ({spec})"
    if spec.startswith((".", "#")):
        return None  # the project's own modules (or its package.json's "imports" map)
    name = spec[5:] if spec.startswith("node:") else spec
    top = "/".join(name.split("/")[:2]) if name.startswith("@") else name.split("/")[0]
    if spec.startswith("node:") and top == "test":
        top = "node:test"
    if top in TEST_MODULES or top in SYSTEM_MODULES or top.startswith(TEST_SCOPES):
        return f"imports {top}"
    return None


def name_finding(dotted: str) -> str | None:
    """What touching the global `dotted` ("process.exit", "vi.mock") does, if no fix does it."""
    top, _, rest = dotted.partition(".")
    member = rest.split(".")[0]
    if top in TEST_GLOBALS or top in TEST_MODULES or top.startswith(TEST_SCOPES):
        return f"touches the test runner's {dotted}"
    if top == "process":
        return _process(dotted, member)
    if top == "require" and member in ("cache", "main", "extensions"):
        return f"touches the module system (require.{member})"
    if top == "require" and not member:
        return "uses require as a value (a module named at run time)"
    if top == "module" and member not in MODULE_HARMLESS:
        return f"touches the module system ({dotted})"
    if top in ("eval", "Function"):
        return f"runs code made at run time ({top})"
    if top == "Proxy":
        return "makes a Proxy (an object that answers anything)"
    if top == "import" and dotted.startswith("import.meta.") and member == "meta":
        field = rest.split(".")[1] if "." in rest else ""
        return None if field in IMPORT_META_HARMLESS else f"reads {dotted}"
    if top in GLOBAL_OBJECTS and not member:
        return f"uses the global object ({top})"
    if any(m in dotted for m in MARKERS):
        return f"names the test runner's internals ({dotted})"
    return None


def _process(dotted: str, member: str) -> str | None:
    if member in PROCESS_HARMLESS:
        return None
    if member in PROCESS_ENDS:
        return f"ends the process (process.{member})"
    if member == "exitCode":
        return "sets the process's exit code (process.exitCode)"
    if member in PROCESS_ENV:
        return f"reads the run's process.{member}"
    if member in PROCESS_STREAMS:
        return f"reaches the process's own streams (process.{member})"
    if member in PROCESS_INTERNALS:
        return f"reaches Node's internals (process.{member})"
    if member in PROCESS_LISTENERS:
        return f"listens to the process (process.{member})"
    if not member:
        return "uses the process object"
    return f"uses {'.'.join(dotted.split('.')[:2])}"


def marker_in(text: str) -> str | None:
    """The runner-internal name a text holds, if any."""
    return next((m for m in MARKERS if m in text), None)
