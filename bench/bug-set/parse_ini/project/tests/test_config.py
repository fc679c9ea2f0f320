import pytest

from config import Config
from interp import MissingReferenceError

TEXT = """
[DEFAULT]
name = default
debug = no

[paths]
root = /srv/app
logs = ${root}/log
data = ${root}/data

[server]
host = 0.0.0.0
port = 8_080
workers = 4
timeout = 2.5
debug = yes
logfile = ${paths:logs}/server.log
plugins = auth, cache,
    metrics

[app]
name = shop
title = ${name} admin

[page]
heading = ${app:title} - ${name}
"""


@pytest.fixture
def cfg():
    return Config.from_string(TEXT)


def test_sections_excludes_default(cfg):
    assert cfg.sections() == ["paths", "server", "app", "page"]
    assert cfg.get("server", "HOST") == "0.0.0.0"


def test_typed_getters(cfg):
    assert cfg.getint("server", "port") == 8080
    assert cfg.getint("server", "workers") == 4
    assert cfg.getfloat("server", "timeout") == 2.5


@pytest.mark.parametrize("section, expected", [("server", True), ("paths", False)])
def test_getboolean_uses_default_section(cfg, section, expected):
    assert cfg.getboolean(section, "debug") is expected


def test_getboolean_rejects_garbage():
    cfg = Config.from_string("[a]\nflag = maybe\n")
    with pytest.raises(ValueError):
        cfg.getboolean("a", "flag")


def test_getlist_splits_commas_and_lines(cfg):
    assert cfg.getlist("server", "plugins") == ["auth", "cache", "metrics"]


def test_fallbacks(cfg):
    assert cfg.get("server", "missing", fallback="x") == "x"
    assert cfg.get("nosuch", "host", fallback=None) is None
    assert cfg.getint("server", "missing", fallback=7) == 7
    with pytest.raises(KeyError):
        cfg.getint("server", "missing")


def test_raw_value_is_not_interpolated(cfg):
    assert cfg.get("paths", "logs", raw=True) == "${root}/log"


def test_same_section_interpolation(cfg):
    assert cfg.get("paths", "data") == "/srv/app/data"


def test_cross_section_reference_expands_in_its_own_section(cfg):
    assert cfg.get("server", "logfile") == "/srv/app/log/server.log"


def test_cross_section_reference_with_shadowed_default(cfg):
    assert cfg.get("page", "heading") == "shop admin - default"


def test_items_are_interpolated(cfg):
    assert cfg.items("server")["logfile"] == "/srv/app/log/server.log"
    assert cfg.items("server")["name"] == "default"


def test_items_of_app(cfg):
    assert cfg.items("app") == {"name": "shop", "debug": "no", "title": "shop admin"}


def test_missing_reference_reports_section():
    cfg = Config.from_string("[a]\nx = ${b:y}\n[b]\nz = 1\n")
    with pytest.raises(MissingReferenceError) as info:
        cfg.get("a", "x")
    assert info.value.section == "a"
