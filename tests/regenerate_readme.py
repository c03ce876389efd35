"""Rewrite the README's scenario-file reference and output-column tables from the code.

``budget.scenario.FIELDS`` and ``budget.tables.COLUMNS`` are the single source; run
``python tests/regenerate_readme.py`` after changing either (tests/test_api.py checks they agree).
"""

from __future__ import annotations

import re
from pathlib import Path

from budget.schema import FIELDS
from budget.tables import COLUMNS

README = Path(__file__).resolve().parent.parent / "README.md"


def fields_table() -> str:
    rows = ["| Key | Type | Unit | Default | Meaning |", "|---|---|---|---|---|"]
    for key, f in FIELDS.items():
        allowed = f" Allowed: {', '.join(f'`{c}`' for c in f.choices)}." if f.choices else ""
        rows.append(f"| `{key}` | {f.type} | {f.unit.replace('{CUR}', 'CZK')} | {f.default} | "
                    f"{f.description.replace('{CUR}', 'CZK')}{allowed} |")
    return "\n".join(rows)


def columns_table() -> str:
    rows = ["| Column | Unit | Meaning |", "|---|---|---|"]
    rows += [f"| `{name}` | {unit.replace('{CUR}', 'CZK')} | {text.replace('{CUR}', 'CZK')} |"
             for name, (_, unit, text) in COLUMNS.items()]
    return "\n".join(rows)


def render(text: str) -> str:
    """The README text with both generated blocks replaced."""
    for tag, table in (("fields", fields_table()), ("columns", columns_table())):
        text = re.sub(rf"(<!-- {tag}:start -->\n).*?(\n<!-- {tag}:end -->)",
                      lambda m, table=table: m.group(1) + table + m.group(2), text, flags=re.S)
    return text


if __name__ == "__main__":
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
    print("README.md tables regenerated")
