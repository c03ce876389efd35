"""Fuzzing the input: random scenario documents load or fail with the package's own error.

Hypothesis writes TOML documents mixing real keys with random ones, random types, nesting,
Unicode, huge and non-finite numbers, and plain random text. Loading must either succeed (and
then projecting must work) or raise ``ScenarioError`` with a message naming the file; the
command line must exit 0 or 2 and never show a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget import ScenarioError, load_scenario, project
from budget.cli import main
from budget.scenario import MAX_SHOWN
from budget.schema import FIELDS

REAL_TOP = sorted({k.split(".")[0] for k in FIELDS} | {"targets", "claims"})
REAL_SUB = {
    t: sorted(k.split(".", 1)[1].replace("{cur}", "czk") for k in FIELDS if k.startswith(t + "."))
    for t in ("plan_source", "path", "economy", "procurement", "resilience", "uncertainty", "targets")
}
# Keys that look like real ones but are not: the schema's dotted names quoted, the {cur} placeholder.
TRICKY_KEYS = sorted({*FIELDS, *(k.split(".", 1)[-1] for k in FIELDS if "{cur}" in k), "{cur}_bn", ""})
CHOICES = [
    "linear",
    "geometric",
    "step",
    "usd_bn",
    "czk_bn",
    "pct_gdp",
    "eur_bn",
    "constant",
    "current",
    "hold_share",
    "hold_real",
    "stop",
    "normal",
    "uniform",
    "czechia",
    "stated-targets.toml",
    "",
    "fuzz.toml",
    "a\x00b.toml",
    " ",
    ".",
    "..",
    "/",
    "comparison",
    "a__b",
    "Summary",
]

scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([2025, 2026, 2030, 2035, 2100, 0, -1, 10**18]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e3, max_value=1e3),
    st.booleans(),
    st.text(max_size=20),
    st.sampled_from(CHOICES),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1)),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)


def real_table(table: str) -> st.SearchStrategy[dict[str, Any]]:
    keys = st.one_of(st.sampled_from(REAL_SUB[table]), st.sampled_from(TRICKY_KEYS), st.text(max_size=10))
    return st.dictionaries(keys, st.one_of(scalars, values), max_size=6)


target = st.one_of(
    st.fixed_dictionaries(
        {
            "year": st.integers(2020, 2040),
            "value": st.floats(-10, 1e6),
            "unit": st.sampled_from(["usd_bn", "czk_bn", "pct_gdp", "eur_bn"]),
        },
        optional={
            "prices": st.sampled_from(["current", "constant", "x"]),
            "base_year": st.integers(2000, 2050),
            "low": scalars,
            "high": scalars,
        },
    ),
    real_table("targets"),
)
documents = st.dictionaries(
    st.one_of(st.sampled_from(REAL_TOP), st.sampled_from(TRICKY_KEYS), st.text(max_size=12)),
    st.one_of(values, *(real_table(t) for t in REAL_SUB if t != "targets"), st.lists(target, max_size=4)),
    max_size=8,
).map(lambda d: {"title": "fuzz", **d} if "title" not in d and len(d) % 2 else d)


def _key(k: str) -> str:
    return _string(k)


def _string(s: str) -> str:
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return "{" + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + "}"


def to_toml(doc: dict[str, Any]) -> str:
    """A TOML document: top-level keys with inline tables and arrays."""
    return "\n".join(f"{_key(k)} = {_value(v)}" for k, v in doc.items()) + "\n"


def check(text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.toml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        try:
            s = load_scenario(path)
        except ScenarioError as err:
            assert err.problems and str(path) in str(err)
            keys = [(file, key) for file, key, _ in err.problems]
            assert len(set(keys)) == len(keys), "one message per key"
            assert len(str(err).splitlines()) <= MAX_SHOWN + 1
            assert all(len(message) < 2_000 for _, _, message in err.problems)
        else:
            project(s)  # a valid scenario must also project
        out, err_text = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err_text):
            status = main(["validate", str(path)])
        assert status in (0, 2)
        assert "Traceback" not in err_text.getvalue() + out.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_random_documents_load_or_fail_cleanly(doc: dict[str, Any]) -> None:
    check(to_toml(doc))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_random_text_loads_or_fails_cleanly(text: str) -> None:
    check(text)


@settings(max_examples=60, deadline=None)
@given(
    st.fixed_dictionaries(
        {"title": st.text(max_size=30)},
        optional={
            "targets": st.lists(target, min_size=1, max_size=3),
            "path": real_table("path"),
            "economy": real_table("economy"),
        },
    )
)
def test_near_valid_documents_load_or_fail_cleanly(doc: dict[str, Any]) -> None:
    check(to_toml(doc))


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 3_000),
    st.sampled_from(["[", "{a = ", "[{a = ", "{a = ["]),
    st.booleans(),
    st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00", b"\x80"]),
)
def test_deep_nesting_and_odd_bytes_fail_cleanly(depth: int, opener: str, close: bool, prefix: bytes) -> None:
    closer = "".join({"[": "]", "{": "}"}[c] for c in reversed(opener) if c in "[{") * depth if close else ""
    text = f'title = "fuzz"\nx = {opener * depth}1{closer}\n'
    check(prefix + text.encode())
