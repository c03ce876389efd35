"""Rewrite the README's scenario-file reference and output-column tables from the code.

``budget.schema.FIELDS`` and ``budget.tables.COLUMNS`` are the single source; run
``python tests/regenerate_readme.py`` after changing either (tests/test_api.py checks they agree).
"""

from __future__ import annotations

import re
from pathlib import Path

from budget.schema import FIELDS
from budget.tables import COLUMNS

README = Path(__file__).resolve().parent.parent / "README.md"


def fields_table() -> str:
    """Key, type, unit, default, what is allowed (choices and bounds, from the schema) and meaning."""
    rows = ["| Key | Type | Unit | Default | Allowed | Meaning |", "|---|---|---|---|---|---|"]
    for key, f in FIELDS.items():
        rows.append(
            f"| `{key}` | {f.type} | {f.unit.replace('{CUR}', 'CZK')} | {f.default} | "
            f"{f.allowed_text().replace('{CUR}', 'CZK')} | {f.description.replace('{CUR}', 'CZK')} |"
        )
    return "\n".join(rows)


def columns_table() -> str:
    rows = ["| Column | Unit | Meaning |", "|---|---|---|"]
    rows += [
        f"| `{name}` | {unit.replace('{CUR}', 'CZK')} | {text.replace('{CUR}', 'CZK')} |"
        for name, (_, unit, text) in COLUMNS.items()
    ]
    return "\n".join(rows)


def render(text: str) -> str:
    """The README text with both generated blocks replaced."""
    for tag, table in (("fields", fields_table()), ("columns", columns_table())):
        text = re.sub(
            rf"(<!-- {tag}:start -->\n).*?(\n<!-- {tag}:end -->)",
            lambda m, table=table: m.group(1) + table + m.group(2),
            text,
            flags=re.S,
        )
    return text


if __name__ == "__main__":
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
    print("README.md tables regenerated")
