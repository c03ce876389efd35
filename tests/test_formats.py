"""Chart formats: ``--format png,svg,pdf`` writes each chart in each format, byte-identical on a rerun."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import SCENARIOS, call, snapshot

from budget.charts.output import FORMATS, formats, save, use_formats

CHARTS = ("spending", "share_of_gdp", "procurement", "fan", "sensitivity", "vintages", "outturn", "fiscal")


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    outs = []
    for i in range(2):
        out = tmp_path_factory.mktemp(f"formats{i}") / "outputs"
        got = call(
            "run",
            str(SCENARIOS / "stated-targets.toml"),
            "--draws",
            "200",
            "--format",
            "png,svg,pdf",
            "--out",
            str(out),
        )
        assert got.status == 0, got.stderr
        outs.append(out)
    return outs[0], outs[1]


@pytest.mark.parametrize("chart", CHARTS)
def test_every_chart_in_every_format(two_runs: tuple[Path, Path], chart: str) -> None:
    folder = two_runs[0] / "stated-targets"
    assert (folder / f"{chart}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (folder / f"{chart}.pdf").read_bytes()[:5] == b"%PDF-"
    root = ET.parse(folder / f"{chart}.svg").getroot()
    assert root.tag.endswith("svg")
    assert b"<dc:date>" not in (folder / f"{chart}.svg").read_bytes()  # no date: reruns are identical


def test_reruns_are_byte_identical_in_every_format(two_runs: tuple[Path, Path]) -> None:
    first, second = (snapshot(out / "stated-targets") for out in two_runs)
    assert first.keys() == second.keys()
    for fmt in FORMATS:
        names = [n for n in first if n.endswith(f".{fmt}")]
        assert len(names) == len(CHARTS)
        assert all(first[n] == second[n] for n in names), fmt


def test_png_is_the_default_and_a_change_of_format_redraws(tmp_path: Path) -> None:
    out = tmp_path / "outputs"
    assert call("run", str(SCENARIOS / "legal-floor-2pct.toml"), "--draws", "0", "--out", str(out)).status == 0
    folder = out / "legal-floor-2pct"
    assert not list(folder.glob("*.svg")) and (folder / "spending.png").exists()
    assert (
        call(
            "run", str(SCENARIOS / "legal-floor-2pct.toml"), "--draws", "0", "--format", "svg", "--out", str(out)
        ).status
        == 0
    )
    assert (folder / "spending.svg").exists() and not list(folder.glob("*.png"))  # never a stale PNG beside


@pytest.mark.parametrize("bad", ["gif", "png,jpeg", ","])
def test_an_unknown_format_is_refused_and_nothing_written(tmp_path: Path, bad: str) -> None:
    out = tmp_path / "outputs"
    with pytest.raises(SystemExit) as exit_:
        call("run", str(SCENARIOS / "legal-floor-2pct.toml"), "--format", bad, "--out", str(out))
    assert exit_.value.code == 2
    assert not out.exists()


def test_save_writes_the_formats_asked_and_restores_them(tmp_path: Path) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 2))
    fig.add_subplot().plot([0, 1], [1, 0])
    with use_formats(["svg", "pdf"]):
        save(fig, tmp_path / "x.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.pdf", "x.svg"]
    assert formats() == ("png",)
    with pytest.raises(ValueError, match="not one of"), use_formats(["tiff"]):
        pass
