"""Keep the catalogs current: ``python -m budget.locale [--check]`` (needs Babel, the dev extra).

1. Extract every message: the code's ``_()``, ``pgettext()`` and ``ngettext()`` calls, and the
   reader-facing text of the data (country names and notes, pledge and group labels, the sources'
   short names and publishers' short names) and of the bundled scenarios (titles, descriptions,
   notes, the plans' publishers), which ``budget`` also translates when it shows it.
2. Update each language's ``budget.po``: new messages arrive untranslated, translations of messages
   no longer used are dropped (Babel keeps them as obsolete), the rest are kept.
3. Compile ``budget.mo`` from it.

``--check`` changes nothing and exits 1 when a catalog is out of date or has an untranslated or
fuzzy message (what the tests check too).
"""

from __future__ import annotations

import csv
import datetime
import fcntl
import io
import json
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from budget.i18n import DOMAIN, LANGS, LOCALE_DIR

PACKAGE = Path(__file__).resolve().parent.parent
SCENARIOS = PACKAGE.parent / "scenarios"
# Reader-facing keys of the data files (a string or a list of strings, at any depth). In a scenario,
# its title and description, and the notes of its targets, claims and plan source (a quotation
# inside a note stays as published: the translation keeps it in quotes).
DATA_KEYS = ("name", "currency_name", "notes", "gaps", "label", "short_label", "note", "shipped")
SCENARIO_KEYS = ("title", "description")  # top level only
# The columns of sources.csv a chart's note shows: the short name (a publisher's own title stays as
# published; the descriptive words we added are translated) and the publisher's short name.
SOURCE_COLUMNS = ("short", "publisher_short")


def _strings(value: Any, keys: tuple[str, ...], key: str = "", deep: bool = True) -> Iterator[str]:
    if isinstance(value, dict) and (deep or not key):
        for k, v in value.items():
            yield from _strings(v, keys, k, deep)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, keys, key, deep)
    elif isinstance(value, str) and key in keys and value.strip():
        yield value.strip()  # as the loaders keep it (a TOML multi-line string ends in a newline)


def data_messages() -> Iterator[tuple[str, str]]:
    """``(file, text)`` for every reader-facing string of the data and the bundled scenarios."""
    for root, keys, deep in ((PACKAGE / "data", DATA_KEYS, True), (SCENARIOS, SCENARIO_KEYS, False)):
        for path in sorted(root.rglob("*.toml")):
            for text in _strings(tomllib.loads(path.read_text(encoding="utf-8")), keys, deep=deep):
                yield path.relative_to(PACKAGE.parent).as_posix(), text
    for path in sorted(SCENARIOS.rglob("*.toml")):  # a scenario's notes on its targets, claims and plan
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        parts = [*doc.get("targets", []), *doc.get("claims", []), doc.get("plan_source", {})]
        for text in _strings(parts, ("note",)):
            yield path.relative_to(PACKAGE.parent).as_posix(), text
        # the plan's publisher, as the charts' notes cite it ("The Korea Herald (...), as mirrored")
        for text in _strings(doc.get("plan_source", {}), ("publisher",)):
            yield path.relative_to(PACKAGE.parent).as_posix(), text
    with (PACKAGE / "data" / "sources.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            names = [row.get(c) or "" for c in SOURCE_COLUMNS]
            if not names[1]:  # a chart names the publisher without its parenthesis instead
                names.append((row.get("publisher") or "").split(" (")[0])
            for text in names:
                if text.strip():
                    yield "budget/data/sources.csv", text.strip()


def template() -> Catalog:
    """Every message ``budget`` can show, from the code and the data."""
    cat = Catalog(domain=DOMAIN, project="budget")
    for file, line, message, _comments, context in extract_from_dir(str(PACKAGE)):
        if file.startswith("locale"):
            continue
        cat.add(message, locations=[(f"budget/{file}", line)], context=context)
    for file, text in data_messages():
        cat.add(text, locations=[(file, 0)])
    return cat


def updated(lang: str, add: dict[str, Any] | None = None) -> tuple[Catalog, bytes, bytes]:
    """The language's catalog merged with the template, as ``.po`` and ``.mo`` bytes; ``add``
    (message -> translation; a list of forms for a plural message) fills in translations.
    """
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if po.exists():
        with po.open("rb") as f:
            cat = read_po(f, locale=lang)
    else:
        cat = Catalog(locale=lang, domain=DOMAIN, project="budget")
    cat.update(template(), no_fuzzy_matching=True)
    for message in cat:
        key = message.id[0] if isinstance(message.id, tuple | list) else message.id
        if key and add and key in add:
            message.string = tuple(add[key]) if isinstance(add[key], list) else add[key]
            message.flags.discard("fuzzy")
    cat.obsolete.clear()
    # A fixed date in the header: the catalog changes only when a message or a translation does.
    cat.revision_date = cat.creation_date = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    out_po, out_mo = io.BytesIO(), io.BytesIO()
    write_po(out_po, cat, width=0, omit_header=False, sort_output=True, include_lineno=False)
    write_mo(out_mo, cat)
    return cat, out_po.getvalue(), out_mo.getvalue()


def _forms(string: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """A translation's forms: one for a message, one per plural form for a plural message."""
    if string is None or isinstance(string, str):
        return (string or "",)
    return tuple(string)


def problems(lang: str) -> list[str]:
    """What is wrong with a language's catalog: out of date, untranslated or fuzzy messages."""
    cat, po, mo = updated(lang)
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    # A plural message is untranslated while any of its forms is empty.
    out = [f"{lang}: untranslated: {m.id!r}" for m in cat if m.id and not all(_forms(m.string))]
    out += [f"{lang}: fuzzy: {m.id!r}" for m in cat if m.id and m.fuzzy]
    for name, data in ((f"{DOMAIN}.po", po), (f"{DOMAIN}.mo", mo)):
        path = folder / name
        if not path.exists() or path.read_bytes() != data:
            out.append(f"{lang}: {path} is out of date: run python -m budget.locale")
    return out


def main(argv: list[str]) -> int:
    """Update (or with ``--check`` only check) every language's catalog."""
    if "--check" in argv:
        found = [p for lang in LANGS if lang != "en" for p in problems(lang)]
        print("\n".join(found) or "catalogs are current and complete")
        return 1 if found else 0
    add: dict[str, Any] = {}
    if "--merge" in argv:  # --merge FILE.json: {"message": "translation", ...} for cs
        add = json.loads(Path(argv[argv.index("--merge") + 1]).read_text(encoding="utf-8"))
    LOCALE_DIR.mkdir(exist_ok=True)
    with (LOCALE_DIR / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # several translators at once never lose each other's work
        for lang in LANGS:
            if lang == "en":
                continue
            cat, po, mo = updated(lang, add if lang == "cs" else None)
            folder = LOCALE_DIR / lang / "LC_MESSAGES"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{DOMAIN}.po").write_bytes(po)
            (folder / f"{DOMAIN}.mo").write_bytes(mo)
            missing = [m.id for m in cat if m.id and not all(_forms(m.string))]
            print(f"{lang}: {len(cat)} messages, {len(missing)} untranslated")
            for m in missing:
                print(f"  untranslated: {m!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
