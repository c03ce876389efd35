"""Reading scenario files: the TOML text, the ``extends`` chain and the document's key structure.

``load`` reads a file and every file it extends (``read_chain``), checks the merged document's
structure against the schema's real tables (``draft``: unknown keys, tables that are not tables,
required keys, targets that are not tables) and leaves every value to
``budget.validate.scenario_problems``, the checks ``Scenario.__post_init__`` runs, so that each
rule lives in one place. Every problem names the file that set the key; one message per key.
"""

from __future__ import annotations

import codecs
import json
import re
import tomllib
from dataclasses import MISSING, fields
from functools import cache
from pathlib import Path
from typing import Any

from budget.scenario import DEFAULT_COUNTRY, Problem, Scenario, ScenarioError, Target
from budget.schema import ARRAYS, FIELDS, TABLES, keys_for, show
from budget.validate import country_facts, currency_note, scenario_problems, usable_country, usable_edition

MAX_BYTES = 16 * 2**20  # a scenario is a few kB; this bounds what a mistaken path can read in
BARE = re.compile(r"[A-Za-z0-9_-]+")
RESILIENCE = ("start_pct_gdp", "target_pct_gdp", "year")
Where = tuple[str, str | None]  # (top-level key, key in its table or None): where a key was set


def load(path: Path) -> Scenario:
    """Load, merge (``extends``) and validate one scenario file; see ``load_scenario``."""
    problems: list[Problem] = []
    doc, chain, origin = read_chain(path, problems)
    if problems:
        raise ScenarioError(problems)
    report = Report(str(path), origin)
    values = draft(doc, report)
    values.update(file=path, chain=tuple(chain))
    failed: ScenarioError | None = None
    if not report.problems:  # the usual case: build it, and each invariant is checked once
        try:
            return Scenario(**{**values, **{a: tuple(map(_target, values.get(a, ()))) for a in ARRAYS}})
        except ScenarioError as err:
            failed = err
    # Something is wrong: check the draft, so that every problem is named by its key in the file.
    report.found(scenario_problems({**_defaults(), **values}, draft=True))
    if failed is not None and not report.problems:
        raise failed
    raise ScenarioError(report.problems)


# ---- files ----------------------------------------------------------------------------------------


def read_toml(path: Path) -> tuple[dict[str, Any] | None, str, bool]:
    """``(document, "", False)``, or ``(None, what is wrong, whether it is the path rather than the text)``."""
    try:
        if "\x00" in str(path):
            return None, "the file name contains a NUL character", True
        if not path.is_file():
            return None, _not_a_file(path), True
        if (size := path.stat().st_size) > MAX_BYTES:
            return None, f"the file has {size:,} bytes; a scenario file is at most {MAX_BYTES:,}", False
        data = path.read_bytes()
    except (OSError, RuntimeError, ValueError) as err:  # unreadable, or a path the OS rejects
        return None, f"cannot read the file: {err}", True
    if data.startswith(codecs.BOM_UTF8):
        return None, "the file starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM", False
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, "the file is UTF-16 or UTF-32 text (it starts with a byte-order mark); save it as UTF-8", False
    try:
        return tomllib.loads(data.decode("utf-8")), "", False
    except UnicodeDecodeError as err:
        return None, f"not UTF-8 text (byte {err.start}); scenario files are UTF-8 TOML", False
    except tomllib.TOMLDecodeError as err:
        return None, f"TOML syntax error: {err}", False
    except RecursionError:
        return None, "arrays or inline tables nested too deeply to read (a scenario needs two levels)", False
    except ValueError as err:  # e.g. an integer of more than 4,300 digits
        return None, f"cannot read a value: {err}", False


def _not_a_file(path: Path) -> str:
    if path.is_symlink():
        try:
            path.resolve(strict=True)
        except FileNotFoundError:
            return "a symbolic link to a file that does not exist"
        except (OSError, RuntimeError):
            return "a symbolic link that loops back to itself; point it at a scenario file"
    return "not a file" if path.exists() else "file not found"


def _identity(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop; read_toml says what is wrong
        return None


def _extends_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"expected a file name (string), got {show(value)}"
    if not value.strip():
        return "empty; give a file name or remove the key"
    if "\x00" in value:
        return f"{show(value)} contains a NUL character; give a plain file name"
    return None


def read_chain(path: Path, problems: list[Problem]) -> tuple[dict[str, Any], list[Path], dict[Where, str]]:
    """Read ``path`` and everything it extends; merge parents first. Detects loops.

    Returns the merged document, the chain of files and, for every key (``(table, key)`` inside
    tables), the file it came from, so that a problem is reported against that file.
    """
    chain: list[Path] = []
    docs: list[dict[str, Any]] = []
    seen: set[Path] = set()
    current, named = path, ""  # named: the `extends` value that led here
    while True:
        identity = _identity(current)
        if identity is not None and identity in seen:
            loop = " -> ".join(p.name for p in [*chain, current])
            problems.append((str(chain[-1]), "extends", f"extends loop: {loop}"))
            return {}, chain, {}
        doc, error, about_path = read_toml(current)
        if doc is None:
            if chain and about_path:  # name the file whose `extends` pointed here
                shown = show(named) + (f" ({_text(current)})" if str(current) != named else "")
                problems.append((str(chain[-1]), "extends", f"{shown}: {error}"))
            else:
                problems.append((_text(current), "", error))
            return {}, chain, {}
        chain.append(current)
        docs.append(doc)
        if identity is not None:
            seen.add(identity)
        if "extends" not in doc:
            break
        if (message := _extends_problem(named := doc["extends"])) is not None:
            problems.append((str(current), "extends", message))
            return {}, chain, {}
        current = current.parent / named
    return _merge(path, chain, docs)


def _merge(
    path: Path, chain: list[Path], docs: list[dict[str, Any]]
) -> tuple[dict[str, Any], list[Path], dict[Where, str]]:
    merged: dict[str, Any] = {}
    origin: dict[Where, str] = {}
    for file, doc in zip(reversed(chain), reversed(docs), strict=True):  # parents first, children override
        for key, value in doc.items():
            if key in TABLES and isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
            origin[(key, None)] = str(file)
            if isinstance(value, dict):
                origin.update({(key, sub): str(file) for sub in value})
    merged.pop("extends", None)
    merged["name"] = docs[0].get("name", path.stem)  # never inherit a parent's name
    origin[("name", None)] = str(path)
    return merged, chain, origin


def _text(path: Path) -> str:
    text = str(path)
    return text if text.isprintable() else show(text)


# ---- the document's structure ---------------------------------------------------------------------


class Report:
    """The problems of one scenario: each names the file that set the key; one message per key."""

    def __init__(self, file: str, origin: dict[Where, str]) -> None:
        self.file, self.origin = file, origin
        self.problems: list[Problem] = []
        self.keys: set[tuple[str, str]] = set()

    def add(self, key: str, message: str, where: Where) -> None:
        """Add a problem with ``key`` (as shown), set at ``where``; a second one for the key is dropped."""
        file = self.origin.get(where) or self.origin.get((where[0], None)) or self.file
        if (file, key) not in self.keys:
            self.keys.add((file, key))
            self.problems.append((file, key, message))

    def found(self, found: list[tuple[str, str, str]]) -> None:
        """Add what ``scenario_problems`` found, by file key (``economy.czk_per_usd``, ``targets[0].year``)."""
        for _, key, message in found:
            top, dot, sub = key.partition(".")
            top = top.split("[")[0]
            self.add(key, message, (top, sub if dot and top in TABLES else None))

    def unknown(self, table: str, key: str, cur: str) -> None:
        """An unknown key at the top level (``table == ""``) or in a table."""
        where = f"[{table}]" if table else "top level"
        self.add(
            display(table, key),
            f"unknown key at {where}{_hint(table, key, cur)}; allowed: {_allowed(table, cur)}",
            (table, key) if table else (key, None),
        )


def _hint(table: str, key: str, cur: str) -> str:
    """Where an unknown key that looks like a real one belongs."""
    keys = keys_for(cur)
    top, dot, sub = key.partition(".")
    if not table and dot and top in TABLES:
        return f" (a quoted key with a dot is one key: write {sub.replace('{cur}', cur)} under [{top}])"
    real = key.replace("{cur}", cur)
    home = next((t for t in TABLES if real in keys[t]), "") if not table or real not in keys[table] else table
    under = f" under [{home}]" if home and home != table else ""
    if "{cur}" in key:
        return f" ({{cur}} stands for the currency code: write {real}{under})"
    return f" (it belongs{under})" if under else ""


def display(table: str, key: str) -> str:
    """A key as it would be written in TOML, quoted where it is not a bare key, cut short."""
    text = key if BARE.fullmatch(key) else json.dumps(key[:60] + ("..." if len(key) > 60 else ""), ensure_ascii=False)
    return f"{table}.{text}" if table else text


@cache
def _allowed(table: str, cur: str) -> str:
    keys = [k for k, f in keys_for(cur)[table.split("[")[0]].items() if f.type not in ("table", "array")]
    keys += [] if table else [*(f"[{t}]" for t in TABLES), *(f"[[{a}]]" for a in ARRAYS)]
    return ", ".join(keys)


def draft(doc: dict[str, Any], report: Report) -> dict[str, Any]:
    """``Scenario`` attributes from a merged document; structural problems go to ``report``.

    Values are taken as they are (checked by ``scenario_problems``); targets stay mappings.
    """
    country = doc.get("country", DEFAULT_COUNTRY)
    country = country if usable_country(country) else DEFAULT_COUNTRY
    economy = doc.get("economy")
    edition = economy.get("gdp_edition") if isinstance(economy, dict) else None
    edition = edition if usable_edition(country, edition) else None
    cur = country_facts(country, *([edition] if edition else []))[0].cur
    base = country_facts(country)[0].cur  # an edition may state the amounts in another currency
    keys = keys_for(cur)
    values: dict[str, Any] = {"name": doc["name"], "title": doc.get("title", ""), "plan_source": {}}
    if "title" not in doc:
        report.add("title", "missing; every scenario needs a title", ("title", None))
    for top, value in doc.items():
        if top in ARRAYS:
            values[top] = _targets(value, top, report, cur)
        elif top in TABLES and not isinstance(value, dict):
            report.add(top, f"expected a table [{top}], got {show(value)}", (top, None))
        elif top in TABLES:
            for sub, x in value.items():
                if (f := keys[top].get(sub)) is None and edition and sub in keys_for(base)[top]:
                    report.add(f"{top}.{sub}", "not allowed" + currency_note(country, edition), (top, sub))
                elif f is None:
                    report.unknown(top, sub, cur)
                elif top == "plan_source":
                    if (message := f.check(x)) is not None:
                        report.add(f"{top}.{sub}", message, (top, sub))
                    else:
                        values["plan_source"][sub] = str(x)
                elif f.attr:
                    values[f.attr] = x
            if top == "resilience":
                _resilience(value, values, report)
        elif top in keys[""] and keys[""][top].attr:
            values[keys[""][top].attr] = value
        else:
            report.unknown("", top, cur)
    if isinstance(values.get("description"), str):
        values["description"] = values["description"].strip()
    return values


def _resilience(table: dict[str, Any], values: dict[str, Any], report: Report) -> None:
    missing = [k for k in RESILIENCE if k not in table]
    for key in [k for k in ("note", *RESILIENCE) if k in table and (missing or k == "note")]:
        if (message := FIELDS[f"resilience.{key}"].check(table[key])) is not None:
            report.add(f"resilience.{key}", message, ("resilience", key))
    if missing:
        report.add(
            "resilience",
            f"missing {' and '.join(missing)}; [resilience] needs start_pct_gdp, "
            "target_pct_gdp and year (or remove the table)",
            ("resilience", None),
        )
    else:
        values["resilience"] = tuple(table[k] for k in RESILIENCE)


def _targets(raw: Any, array: str, report: Report, cur: str) -> list[dict[str, Any]]:
    """A ``[[targets]]`` (or ``[[claims]]``) array as attribute mappings; structural problems to ``report``."""
    if not isinstance(raw, list):
        report.add(array, f"expected an array of tables [[{array}]], got {show(raw)}", (array, None))
        return []
    allowed = keys_for(cur)["targets"]
    out: list[dict[str, Any]] = []
    for i, item in enumerate(raw):
        where = f"{array}[{i}]"
        if not isinstance(item, dict):
            report.add(where, f"expected a table with year, value and unit, got {show(item)}", (array, None))
            out.append({})
            continue
        for key in item:
            if key not in allowed:
                report.add(
                    f"{where}.{display('', key)}", f"unknown key; allowed: {_allowed('targets', cur)}", (array, None)
                )
        window = [k for k in ("from", "to", "of") if k in item]
        if window and array == "targets":
            report.add(f"{where}.{window[0]}", "only claims sum over a window; a target has a year", (array, None))
        elif window and "year" in item:
            report.add(f"{where}.year", "give either year, or a window with from and to", (array, None))
        elif window and not ("from" in item and "to" in item):
            report.add(where, "a window needs both from and to", (array, None))
        for key in ("unit", *(() if "to" in item and array == "claims" else ("year",))):
            if key not in item:
                report.add(f"{where}.{key}", "missing", (array, None))
        has_value, has_range = "value" in item, "low" in item or "high" in item
        if has_value == has_range or (has_range and not ("low" in item and "high" in item)):
            report.add(where, "give either value, or both low and high", (array, None))
        attrs = {k: v for k, v in item.items() if k in allowed and k not in ("from", "to")}
        if array == "claims" and "to" in item and "year" not in item:
            attrs |= {"year": item["to"], "start": item.get("from")}
        out.append(attrs)
    return out


def _target(t: dict[str, Any]) -> Target:
    low, high = (t["value"], t["value"]) if "value" in t else (t["low"], t["high"])
    return Target(
        t["year"],
        low,
        high,
        t["unit"],
        t.get("prices", "current"),
        t.get("base_year"),
        t.get("note", ""),
        t.get("start"),
        t.get("of", "defense"),
    )


def _defaults() -> dict[str, Any]:
    return {
        f.name: f.default_factory() if f.default_factory is not MISSING else f.default
        for f in fields(Scenario)
        if f.default is not MISSING or f.default_factory is not MISSING
    }
