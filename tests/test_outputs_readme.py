"""``outputs/README.md`` lists what a run really writes: every file of a real run is named there."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO_ROOT, SCENARIOS, call

LISTED = (REPO_ROOT / "outputs" / "README.md").read_text(encoding="utf-8")
NAMES = {span.rsplit("/", 1)[-1] for span in re.findall(r"`([^`]+)`", LISTED)}


def test_every_file_a_run_writes_is_listed(tmp_path: Path) -> None:
    out = tmp_path / "outputs"
    files = [
        str(SCENARIOS / "stated-targets.toml"),
        str(SCENARIOS / "nato-core-3.5.toml"),
        str(SCENARIOS / "alliance" / "europe-canada-3.5.toml"),
    ]
    got = call("run", *files, "--draws", "200", "--xlsx", "--out", str(out))
    assert got.status == 0, got.stderr
    written = [p for p in out.rglob("*") if p.is_file()]
    assert len(written) > 50
    unlisted = []
    for path in written:
        if path.suffix == ".json" and path.with_suffix(".csv").exists():
            continue  # every CSV's sidecar, said once
        if path.name not in NAMES:
            unlisted.append(str(path.relative_to(out)))
    assert not unlisted, f"written but not in outputs/README.md: {unlisted}"

    # And the other way: each name the README lists is a file this run wrote (neighbours.png needs
    # the default country in a subgroup, which europe-canada-3.5 has).
    names = {p.name for p in written} | {".budget-manifest.json"}
    files = {n for n in NAMES if re.fullmatch(r"[\w-][\w.-]*\.(csv|md|png|html|xlsx)", n)}
    assert len(files) > 20
    assert not files - names - {"README.md"}
