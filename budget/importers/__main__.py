"""``python -m budget.importers [INPUTS ...]``: rebuild every country's series from the input folders.

Each input file is read from the first folder that holds it: by default ``../shared/data``, then the
repository's own ``inputs/`` (snapshots this project sourced itself, with their README).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from budget.history import DATA
from budget.importers.build import build
from budget.importers.publish import write_hashes, write_series

SNAPSHOTS = Path(__file__).resolve().parents[2] / "inputs"  # the repository's own input snapshots


def main(argv: list[str] | None = None) -> int:
    """Rebuild the series; exit status 2 with one message for a missing or malformed input."""
    p = argparse.ArgumentParser(prog="python -m budget.importers", description=__doc__)
    p.add_argument(
        "inputs",
        nargs="*",
        default=["../shared/data", str(SNAPSHOTS)],
        help="folders holding the input files, looked in in order (default: ../shared/data, then inputs/)",
    )
    p.add_argument("--data", default=str(DATA), help="the data folder to write (default: the package's)")
    args = p.parse_args(argv)
    inputs, data = [Path(i) for i in args.inputs], Path(args.data)
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
