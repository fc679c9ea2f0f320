"""Turns a JUnit XML report (pytest's xunit1 flavour, or any runner's) into TestCase values.

The report comes from code we do not trust: parse leniently and never raise; a report that is
too large or malformed yields no cases, and the caller decides what that means.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from microagent.sandbox.types import Outcome, TestCase

MAX_REPORT_BYTES = 5_000_000
TRACEBACK_LINES = 40
COLLECTION_FAILURE = "collection failure"  # pytest's message for a module that failed to import


def parse_junit(xml: bytes) -> list[TestCase]:
    """All test cases in the report, in report order; [] if it is missing, huge or broken."""
    if not xml or len(xml) > MAX_REPORT_BYTES:
        return []
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        return []
    return [_case(element) for element in root.iter("testcase")]


def _case(element: ET.Element) -> TestCase:
    file = element.get("file") or None
    outcome, result = _outcome(element)
    message = (result.get("message") or "") if result is not None else ""
    text = (result.text or "") if result is not None else ""
    if message == COLLECTION_FAILURE:
        message = _last_error_line(text) or message
    return TestCase(
        node_id=node_id(file, element.get("classname") or "", element.get("name") or ""),
        outcome=outcome,
        file=file,
        line=_line(element.get("line")),
        message=message.strip(),
        traceback=_tail(text, TRACEBACK_LINES),
        duration=_float(element.get("time")),
    )


def _outcome(element: ET.Element) -> tuple[Outcome, ET.Element | None]:
    for tag, outcome in (("failure", Outcome.failed), ("error", Outcome.error)):
        found = element.find(tag)
        if found is not None:
            return outcome, found
    skipped = element.find("skipped")
    if skipped is not None:
        xfail = skipped.get("type") == "pytest.xfail"
        return (Outcome.xfailed if xfail else Outcome.skipped), skipped
    return Outcome.passed, None


def node_id(file: str | None, classname: str, name: str) -> str:
    """Rebuild pytest's node id (`path/test_x.py::Class::test`) from the xunit1 attributes."""
    if not file:
        return f"{classname}::{name}" if classname else name
    if not classname:  # a collection error: pytest reports the module itself
        return file
    module = file.rsplit(".", 1)[0].replace("/", ".")
    if classname == module:
        classes: list[str] = []
    elif classname.startswith(module + "."):
        classes = classname[len(module) + 1 :].split(".")
    else:  # rootdir and package layout disagree; classes are the capitalised tail
        parts = classname.split(".")
        classes = []
        while parts and parts[-1][:1].isupper():
            classes.insert(0, parts.pop())
    return "::".join([file, *classes, name])


def _last_error_line(text: str) -> str:
    lines = [line[1:].strip() for line in text.splitlines() if line.startswith("E ")]
    return lines[-1] if lines else ""


def _tail(text: str, keep: int) -> str:
    lines = text.strip("\n").splitlines()
    if len(lines) <= keep:
        return "\n".join(lines)
    return "\n".join([f"[... {len(lines) - keep} earlier lines ...]", *lines[-keep:]])


def _line(value: str | None) -> int | None:
    # pytest writes 0-based line numbers; editors and people count from 1.
    try:
        return int(value) + 1 if value is not None else None
    except ValueError:
        return None


def _float(value: str | None) -> float:
    try:
        return float(value) if value else 0.0
    except ValueError:
        return 0.0
