"""What the witness (`pytest_witness`) checks a pass against, taken before any workspace code
runs: the run's secret sealed in a pipe, the test files as they were, and fingerprints of
pytest's runner. Sent inside the witness's source (see `pytest_runner`), so, like the witness,
it needs nothing but the standard library and pytest, and never imports microagent.
"""

import ast
import fcntl
import os
import struct
import sys
import termios
import types

OWN_MODULES = ("_pytest", "pytest", "pluggy")
TEST_FILES_KEPT = 5000  # test files read before the run; a test in a file beyond is not checked
NO_RECURSE = ("node_modules", "venv", "build", "dist", "__pycache__", "site-packages")
PYTEST_DIRS = set()  # where pytest's and pluggy's own code lives: see import_runner()
WRAPPER_DEPTH = 3  # decorators between a test item and the function its file defines
# What a pass rests on: checked at every report and at the end. A name a version of pytest or
# pluggy does not have is skipped.
RUNNER = (
    ("_pytest.runner", ("call_and_report", "runtestprotocol", "call_runtest_hook", "CallInfo",
                        "pytest_runtest_protocol", "pytest_runtest_makereport",
                        "pytest_runtest_call", "check_interactive_exception")),
    ("_pytest.python", ("pytest_pyfunc_call", "Function")),
    ("_pytest.reports", ("TestReport", "BaseReport")),
    ("_pytest.skipping", ("pytest_runtest_setup", "pytest_runtest_call",
                          "pytest_runtest_makereport", "evaluate_skip_marks",
                          "evaluate_xfail_marks")),
    ("_pytest.outcomes", ("fail", "skip", "xfail", "exit", "OutcomeException", "Failed",
                          "Skipped", "XFailed")),
    ("_pytest.main", ("pytest_runtestloop", "Session")),
    ("_pytest.unittest", ("TestCaseFunction", "pytest_runtest_makereport")),
    ("pluggy._callers", ("_multicall",)),
    ("pluggy._hooks", ("HookCaller", "_HookCaller", "HookImpl")),
    ("pluggy._manager", ("PluginManager",)),
    ("pluggy._result", ("Result", "_Result")),
)
# What the witness's last line is written with: checked at the end only, as a test may patch
# these for a while (monkeypatch undoes it before the end).
WRITER = (
    ("json", ("dumps", "_default_encoder", "JSONEncoder")),
    ("json.encoder", ("JSONEncoder", "c_make_encoder", "encode_basestring",
                      "encode_basestring_ascii")),
)


class Seal:
    """The run's secret in a pipe of its own: in no Python object from here until the end."""

    def __init__(self, secret):
        self.fd, write_end = os.pipe()
        os.write(write_end, secret)
        os.close(write_end)
        self.size = len(secret)

    def intact(self):
        try:
            waiting = fcntl.ioctl(self.fd, termios.FIONREAD, b"\0\0\0\0")
        except OSError:
            return False
        return struct.unpack("i", waiting)[0] == self.size

    def open(self):
        return os.read(self.fd, self.size) if self.size and self.intact() else b""


def read_secret():
    """stdin's first line, read without Python's buffered stdin (which would keep a copy)."""
    data = b""
    while b"\n" not in data and len(data) < 4096:
        chunk = os.read(0, 256)
        if not chunk:
            break
        data += chunk
    return data.split(b"\n", 1)[0].strip()


def _is_test_file(name):
    return name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))


def read_test_files(args):
    """The test files (real path -> bytes) as they are before any workspace code has run."""
    roots = [arg.split("::")[0] for arg in args if not arg.startswith("-")]
    roots = [root for root in roots if os.path.exists(root)] or ["."]
    found = {}
    for root in roots:
        paths = [root] if os.path.isfile(root) else []
        for folder, dirs, files in os.walk(root) if not paths else ():
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in NO_RECURSE
                       and not d.endswith(".egg")]
            paths += [os.path.join(folder, name) for name in files if _is_test_file(name)]
        for path in paths[:TEST_FILES_KEPT - len(found)]:
            try:
                with open(path, "rb") as file:
                    found[os.path.realpath(path)] = file.read()
            except OSError:
                pass
    return found


def _compiled(source, path, config, rewrite):
    """The test file's code as pytest's assertion rewriter makes it, or as plain Python does."""
    try:
        tree = ast.parse(source, filename=path)
        if rewrite is not None:
            rewrite(tree, source, path, config)
        return compile(tree, path, "exec", dont_inherit=True)
    except Exception:  # a file that does not compile fails its collection on its own
        return None


def _by_name(code, into):
    for const in code.co_consts if code is not None else ():
        if isinstance(const, types.CodeType):
            into.setdefault(const.co_name, []).append(const)
            _by_name(const, into)
    return into


def _functions(obj):
    """`obj` and what it wraps: bound methods, `__wrapped__`, closures, partials, callables."""
    seen, todo = set(), [(obj, 0)]
    while todo:
        obj, depth = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        obj = getattr(obj, "__func__", obj)
        code = getattr(obj, "__code__", None)
        if isinstance(code, types.CodeType):
            yield obj
        if depth >= WRAPPER_DEPTH:
            continue
        inner = [getattr(obj, "__wrapped__", None), getattr(obj, "func", None)]
        for cell in getattr(obj, "__closure__", None) or ():
            try:
                inner.append(cell.cell_contents)
            except ValueError:  # an empty cell
                pass
        if not isinstance(code, types.CodeType):
            inner += list(getattr(obj, "__dict__", {}).values())
        todo += [(found, depth + 1) for found in inner if callable(found)]


class TestFiles:
    """Checks that the function a test item runs is the one its test file defined."""

    __test__ = False

    def __init__(self, sources, rewrite):
        self.sources, self.rewrite, self.codes = sources, rewrite, {}

    def _codes(self, path, config, plain):
        """The functions (by name) compiled from the test file as it was before the run."""
        if (path, plain) not in self.codes:
            rewrite = None if plain else self.rewrite
            code = _compiled(self.sources[path], path, config, rewrite)
            self.codes[path, plain] = _by_name(code, {})
        return self.codes[path, plain]

    def changed(self, item):
        """Why the function `item` runs is not its test file's, or ''."""
        path = os.path.realpath(str(getattr(item, "path", None)
                                    or getattr(item, "fspath", "")))  # pytest < 7: fspath
        name = getattr(item, "originalname", None) or getattr(item, "name", "")
        if path not in self.sources:
            return ""
        try:
            found = list(_functions(item.obj))
        except Exception:  # not a Python function item (a doctest, a plugin's item)
            return ""
        places = [(path, name)]
        if not (self._codes(path, item.config, False) or self._codes(path, item.config, True)
                ).get(name):  # defined elsewhere: a base class in another file, a factory
            places = [(os.path.realpath(f.__code__.co_filename), f.__code__.co_name)
                      for f in found]
            places = [(file, name) for file, name in places if file in self.sources]
        compiled = False  # whether a test file defines what the item runs: else not checkable
        for plain in (False, True):  # a module imported before pytest could rewrite it
            expected = [code for file, name in places
                        for code in self._codes(file, item.config, plain).get(name, ())]
            if any(f.__code__ == code for f in found for code in expected):
                return ""
            compiled = compiled or bool(expected)
        return "%s: the code it ran is not its test file's" % item.nodeid if compiled else ""


def _parts(obj):
    """What calling `obj` runs: a function and its code, or a class's attributes and theirs."""
    if isinstance(obj, type):
        return {name: (value, _code(value)) for name, value in vars(obj).items()}
    return {None: (obj, _code(obj))}


def _code(value):
    func = value.fget if isinstance(value, property) else getattr(value, "__func__", value)
    return getattr(func, "__code__", None)


class Fingerprints:
    """Named objects and what they run, taken before any workspace code has been imported."""

    def __init__(self, watched):
        self.kept = []
        for module_name, names in watched:
            module = sys.modules.get(module_name)
            for name in names:
                if module is not None and hasattr(module, name):
                    obj = getattr(module, name)
                    self.kept.append((module_name, module, name, obj, _parts(obj)))

    def changed(self):
        """The first named object that is not what it was, or ''."""
        for module_name, module, name, obj, parts in self.kept:
            now = sys.modules.get(module_name)
            if now is not module:
                return "sys.modules[%r] was replaced" % module_name
            if getattr(module, name, None) is not obj:
                return "%s.%s was replaced" % (module_name, name)
            attribute = _changed(_parts(obj), parts)
            if attribute:
                return "%s.%s was changed (%s)" % (module_name, name, attribute)
        return ""


def _changed(now, then):
    """The first attribute not as it was, or ''; a new one may be plain data (pytest's flags)."""
    for name, (value, code) in then.items():
        if name not in now or now[name][0] is not value or now[name][1] is not code:
            return name or "it"
    for name, (value, code) in now.items():
        if name not in then and (callable(value) or hasattr(type(value), "__get__")) and not (
            code is not None and os.path.dirname(code.co_filename) in PYTEST_DIRS
        ):  # pytest's legacypath plugin adds properties to Session while it runs
            return name
    return ""


def import_runner():
    """pytest's plugins are imported inside `pytest.main`; take their fingerprints before."""
    for module_name, _ in RUNNER + WRITER:
        try:
            __import__(module_name)
        except ImportError:  # a name this version of pytest or pluggy does not have
            pass
    PYTEST_DIRS.update(os.path.dirname(sys.modules[name].__file__) for name, _ in RUNNER
                       if name in sys.modules and name.split(".")[0] in OWN_MODULES)
