"""Write what ``build`` made: each country's ``series.csv`` and the input hashes in ``sources.csv``.

Every write is whole-file and only when the text changes; what changed is returned as lines
for the person re-running an import (a new edition shows up as its changed values).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from budget.importers.build import SERIES_FIELDS, Country, Key, series_text

ORDER = ("defense_pct_gdp", "gdp_", "real_gdp_growth_pct", "gdp_deflator_", "_per_usd")
SOURCE_FIELDS = ("input_file", "sha256")


def _rank(indicator: str) -> int:
    return next((i for i, p in enumerate(ORDER) if indicator.startswith(p) or indicator.endswith(p)), len(ORDER))


def merged(country: Country, owned: set[str], old: list[dict[str, str]]) -> list[dict[str, str]]:
    """The new rows plus the old rows whose source no input supplies, in a stable order
    (indicator, then edition, then year).
    """
    rows = dict(country.rows)
    for r in old:
        key: Key = _key(r)
        if r["source_id"] not in owned and key not in rows:
            rows[key] = {**r, "edition": r.get("edition", "")}
    first_use = {ind: i for i, (_, ind, _) in enumerate(sorted(rows, key=lambda k: (_rank(k[1]), k[1])))}
    return [rows[k] for k in sorted(rows, key=lambda k: (_rank(k[1]), first_use[k[1]], k[2], k[0]))]


def _key(row: dict[str, str]) -> Key:
    return int(row["year"]), row["indicator"], row.get("edition", "")


def read_series(path: Path) -> list[dict[str, str]]:
    """Rows of an existing ``series.csv`` (none if there is no file)."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def changes(key: str, old: list[dict[str, str]], new: list[dict[str, str]]) -> list[str]:
    """One line per value added, removed or changed (value, status or source), each naming its edition."""
    before = {_key(r): r for r in old}
    after = {_key(r): r for r in new}
    out = []
    for k in sorted(before.keys() | after.keys(), key=lambda k: (k[1], k[2], k[0])):
        a, b = before.get(k), after.get(k)
        year, indicator = f"{k[0]}{f' ({k[2]})' if k[2] else ''}", k[1]
        if a is None and b is not None:
            out.append(f"{key} {indicator} {year}: added {b['value'] or '(missing)'} [{b['status']}, {b['source_id']}]")
        elif b is None and a is not None:
            out.append(f"{key} {indicator} {year}: removed {a['value'] or '(missing)'}")
        elif a is not None and b is not None:
            fields = [f for f in ("value", "status", "source_id", "unit") if a[f] != b[f]]
            if any(f != "value" for f in fields) or (a["value"] != b["value"] and _differs(a["value"], b["value"])):
                shown = ", ".join(f"{f} {a[f] or '(missing)'} -> {b[f] or '(missing)'}" for f in fields)
                out.append(f"{key} {indicator} {year}: {shown}")
    return out


def _differs(a: str, b: str) -> bool:
    return not (a and b and float(a) == float(b))


def atomic_write(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` through a temporary file; False if the file already holds it."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, path)
    return True


def write_series(countries: dict[str, Country], owned: set[str], data: Path) -> list[str]:
    """Write every country's ``series.csv``; return the change lines."""
    lines = []
    for key, c in sorted(countries.items()):
        path = data / key / "series.csv"
        old = read_series(path)
        new = merged(c, owned, old)
        lines += changes(key, old, new)
        atomic_write(path, series_text(new))
    return lines


def write_hashes(path: Path, hashes: dict[str, tuple[str, str]]) -> list[str]:
    """Record each source's input file and SHA-256 in ``sources.csv``; return the change lines."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        names = list(reader.fieldnames or [])
        rows = list(reader)
    names += [n for n in SOURCE_FIELDS if n not in names]
    known = {r["id"] for r in rows}
    unknown = sorted(set(hashes) - known)
    if unknown:
        raise ValueError(f"{path}: no row for source id(s) {', '.join(unknown)} named in inputs.toml; add them")
    lines = []
    for r in rows:
        if r["id"] in hashes:
            file, digest = hashes[r["id"]]
            if (r.get("input_file", ""), r.get("sha256", "")) != (file, digest):
                lines.append(f"sources {r['id']}: input {file or '(none)'} sha256 {digest[:12] or '(none)'}")
            r["input_file"], r["sha256"] = file, digest
        else:
            r.setdefault("input_file", "")
            r.setdefault("sha256", "")
    buf = io.StringIO()
    w = csv.DictWriter(buf, names, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    atomic_write(path, buf.getvalue())
    return lines


__all__ = ["SERIES_FIELDS", "changes", "merged", "write_hashes", "write_series"]
