"""``python -m budget.importers [INPUTS] [--check]``: rebuild every country's series from INPUTS."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from budget.history import DATA
from budget.importers.build import build
from budget.importers.publish import write_hashes, write_series


def main(argv: list[str] | None = None) -> int:
    """Rebuild the series; exit status 2 with one message for a missing or malformed input."""
    p = argparse.ArgumentParser(prog="python -m budget.importers", description=__doc__)
    p.add_argument("inputs", nargs="?", default="../shared/data", help="folder holding the input files")
    p.add_argument("--data", default=str(DATA), help="the data folder to write (default: the package's)")
    args = p.parse_args(argv)
    inputs, data = Path(args.inputs), Path(args.data)
    try:
        countries, hashes = build(inputs, data)
    except (OSError, ValueError) as e:
        print(f"budget.importers: {e}", file=sys.stderr)
        return 2
    lines = write_hashes(data / "sources.csv", hashes)
    owned = set(hashes)
    lines += write_series(countries, owned, data)
    for line in lines:
        print(line)
    print(f"{len(countries)} countries, {len(lines)} changes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
