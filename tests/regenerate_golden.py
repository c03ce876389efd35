"""Rewrite the golden projections in tests/golden/ after an intended change to data or model.

Run from the repository root: ``python tests/regenerate_golden.py``; then review the diff
(``git diff tests/golden``) before committing it.
"""

from __future__ import annotations

from pathlib import Path

from budget import load_scenario, project
from budget.formats import write_csv

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        s = load_scenario(path)
        write_csv(project(s), GOLDEN / f"{s.name}.projection.csv")
        print(f"wrote tests/golden/{s.name}.projection.csv")


if __name__ == "__main__":
    main()
