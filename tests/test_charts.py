"""Charts: the glyph cache draws exactly the pixels matplotlib draws, and every chart renders."""

from __future__ import annotations

import io

import pytest
from conftest import SCENARIOS
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg

from budget import charts, load_scenario, project, simulate
from budget.uncertainty import sensitivity


def plain_png(fig: object) -> bytes:
    """The same PNG written by matplotlib's own Agg canvas, without the glyph cache."""
    FigureCanvasAgg(fig)  # type: ignore[arg-type]
    out = io.BytesIO()
    with rc_context({"text.hinting": "no_hinting"}):
        fig.savefig(out, dpi=150, metadata={"Software": None}, pil_kwargs={"compress_level": 1})  # type: ignore[attr-defined]
    return out.getvalue()


def cached_png(fig: object) -> bytes:
    out = io.BytesIO()
    charts.save(fig, out)  # type: ignore[arg-type]
    return out.getvalue()


@pytest.mark.parametrize("name", ["stated-targets", "nato-total-5"])
def test_glyph_cache_gives_the_same_bytes_as_matplotlib(name: str) -> None:
    s = load_scenario(SCENARIOS / f"{name}.toml")
    df = project(s)
    sim, sens = simulate(s, draws=500), sensitivity(s)
    makers = [lambda: charts.plot_spending(df, s), lambda: charts.plot_share(df, s),
              lambda: charts.plot_procurement(df, s), lambda: charts.plot_fan(sim, df, s),
              lambda: charts.plot_sensitivity(sens, s)]
    charts._GLYPHS.clear()
    charts._EXTENTS.clear()
    for make in makers:
        first = cached_png(make())   # fills the cache
        again = cached_png(make())   # drawn from the cache
        assert first == again == plain_png(make())
    assert charts._GLYPHS  # the cache was used
