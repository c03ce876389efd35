"""Charts in Czech: every chart kind, drawn as ``budget run --lang cs`` draws it, shows Czech only.

Two checks on every visible text of a drawn figure (title, subtitle, labels, keys, legends, tick
labels, annotations, footnote: ``Figure.findobj(Text)`` after ``Figure.draw_without_rendering``):

- **Czech**: with the real catalog, no English word of a stop list (outside the publishers' own
  titles as published, listed in ``PUBLISHED``) and no English-format number (``3.5``, ``10,000``,
  ``3 %`` without its no-break space).
- **Wrapped**: with a pseudo-catalog that writes every translation's letters in Cyrillic (the
  placeholders kept), no Latin letter is left (but currency codes): a string a chart shows
  without passing it through ``_()`` (a literal, a name from the data, a source's short name)
  still has its Latin letters, so this fails on any string that is not wrapped, whatever its
  words.

The charts are those of ``tests/test_overlap.py`` (its helpers draw every kind) and the charts
of the budget's outturn and the fiscal room, where the country has the data.
"""

from __future__ import annotations

import csv
import dataclasses
import gettext
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial

import pytest
import test_overlap as ov
from conftest import REPO_ROOT
from matplotlib.figure import Figure
from matplotlib.text import Text

from budget import charts, i18n, project
from budget.history import load_country
from budget.i18n import _

# --- The charts -------------------------------------------------------------------------------------

# the charts ``budget run`` draws where the country has the data (where test_overlap does not yet)
EXTRA = [k for k in ("outturn", "fiscal") if k not in ov.SINGLE]
UNITS = ["usd", "local"]  # the comparison in money (% of GDP is test_overlap's "comparison")


def extra_chart(name: str, kind: str) -> Figure | None:
    """The budget's outturn or the fiscal chart of a bundled scenario, as ``budget run`` draws it;
    None where the country has no such data (or the chart module is not there yet).
    """
    s, df, *_rest = ov.results(name)
    if kind == "outturn" and hasattr(charts, "plot_outturn"):
        from budget.outturn import outturn_table

        plan = outturn_table(s.data)
        return None if plan is None else charts.plot_outturn(plan, s)
    if kind == "fiscal" and hasattr(charts, "plot_fiscal"):
        from budget.fiscal import fiscal_frame, has_fiscal

        return charts.plot_fiscal(df, s, fiscal_frame(s, df)) if has_fiscal(s.data) else None
    return None


def many() -> dict[str, tuple]:
    """More scenarios than one panel labels (the small multiples): the bundled ones twice."""
    out = {}
    for name in ov.BUNDLED:
        for copy in ("", "-again"):
            s = dataclasses.replace(ov.scenario(name), name=name + copy)
            out[s.name] = (s, project(s))
    return out


def in_unit(unit: str) -> Figure:
    """The comparison of the bundled scenarios in ``unit`` (``budget.lineup.UNITS``)."""
    return charts.plot_comparison({n: (ov.scenario(n), ov.results(n)[1]) for n in ov.BUNDLED}, unit)


def makers(bundled_only: bool) -> dict[str, Callable[[], Figure | None]]:
    """Every chart kind by id (``scenario/kind``, ``comparison/...``, ``alliance/kind``)."""
    names = ov.BUNDLED if bundled_only else ov.BUNDLED + ov.ADVERSARIAL
    out: dict[str, Callable[[], Figure | None]] = {}
    for name in names:
        for kind in ov.SINGLE:
            out[f"{name}/{kind}"] = partial(ov.single, name, kind)
        for kind in EXTRA if name in ov.BUNDLED else []:
            out[f"{name}/{kind}"] = partial(extra_chart, name, kind)
    for kind in ov.PAIRS:
        out[f"{kind}/bundled"] = partial(ov.pair, kind, ov.BUNDLED)
    for unit in UNITS:
        out[f"comparison/{unit}"] = partial(in_unit, unit)
    out["comparison/panels"] = lambda: charts.plot_comparison(many())
    if not bundled_only:
        out["compare/adversarial"] = lambda: ov.pair("compare", ["stated-targets", *ov.ADVERSARIAL])
    for name in ov.ALLIANCES:
        for kind in ov.ALLIANCE_KINDS:
            out[f"{name}/{kind}"] = partial(ov.alliance_chart, name, kind)
    return out


CZECH = makers(bundled_only=True)  # a user's own title stays as written: the bundled scenarios only
WRAPPED = makers(bundled_only=False)
# Chart modules still being translated by their authors: their failures are expected (xfail, not
# strict: the test passes as soon as the module's text is Czech and wrapped). Remove a kind here
# when its module is done.
PENDING: dict[str, str] = {}  # chart kinds known to fail, with the reason (none now)


def params(charts_: dict[str, Callable[[], Figure | None]]) -> list[object]:
    """The chart ids, the kinds of ``PENDING`` marked as expected to fail."""
    out: list[object] = []
    for chart in charts_:
        kind = chart.rsplit("/", 1)[-1]
        marks = [pytest.mark.xfail(reason=PENDING[kind], strict=False)] if kind in PENDING else []
        out.append(pytest.param(chart, marks=marks, id=chart))
    return out


def shown(fig: Figure) -> list[str]:
    """Every visible, non-empty text of ``fig`` as drawn (tick labels that are drawn)."""
    ov.drawn(fig)
    owner = ov.tick_owner(fig)
    return [
        t.get_text()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and owner.get(id(t), None) != ""
    ]


def texts_of(make: Callable[[], Figure | None]) -> list[str]:
    """The texts of the chart ``make`` draws in Czech (made and drawn in Czech: tick labels are
    formatted as the figure is drawn), the title first; skipped where there is no such chart.
    """
    with i18n.use("cs"):
        fig = make()
        if fig is None:
            pytest.skip("no such chart for this country")
        return [fig.texts[0].get_text(), *shown(fig)]


# --- Czech: no English words, no English numbers --------------------------------------------------------

# Publishers' own names and titles as published (kept in Czech as in the source). Each must be one
# of sources.csv's titles, short names or publishers, or a bundled plan's publisher.
PUBLISHED = (
    "NATO Defence Expenditure",
    "IMF WEO",
    "Federal Reserve G.5A",
    "SIPRI Milex",
    "The Korea Herald",
    "Korea JoongAng Daily",
    "Associated Press",
    "ABC News",
    "ThePrint",
    "UK Government (Prime Minister's Office)",
    "Ministry of Defence of the Republic of Latvia",
    "Polskie Radio (English Section)",
    "Radio Slovakia International",
    "Caliber.Az",
)
# "by" only before a year or "the": the Czech conditional "by" is a word of its own ("by bylo dosaženo").
ENGLISH = re.compile(
    r"\bby (\d{4}|the)\b|\b(the|of|and|in|would|spending|scenarios?|levels?|paths?|shares?|core|total|projections?|"
    r"estimates?|percentile|current prices|range|high end|low end|labelled|outcome|median|members?)\b"
    r"|\bCzechia\b|\bCzech law\b|\bActual\b|\bbn\b|\bGDP\b|\bn/a\b",
    re.IGNORECASE,
)
# 3.5, 10,000, "3 %" without a no-break space (0,025 is Czech)
ENGLISH_NUMBER = re.compile(r"\d\.\d|(?<![\d,])[1-9]\d{0,2},\d{3}(?![\d,])|\d %")
VERSION = re.compile(r"budget\s\d+(\.\d+)+")


def published_texts() -> set[str]:
    """Every title, short name and publisher of sources.csv, and the bundled plans' publishers."""
    with (REPO_ROOT / "budget" / "data" / "sources.csv").open(encoding="utf-8", newline="") as f:
        out = {row[c] for row in csv.DictReader(f) for c in ("title", "short", "publisher", "publisher_short")}
    for path in (REPO_ROOT / "scenarios").rglob("*.toml"):
        out |= {m for m in re.findall(r'^publisher = "(.*)"$', path.read_text(encoding="utf-8"), re.M)}
    return out


def english(text: str) -> list[str]:
    """The English words and English-format numbers in a text of a Czech chart."""
    for name in sorted(PUBLISHED, key=len, reverse=True):
        text = text.replace(name, " ")
    words = [m.group(0) for m in ENGLISH.finditer(text)]
    return words + [m.group(0) for m in ENGLISH_NUMBER.finditer(VERSION.sub(" ", text))]


def test_published_names_are_published() -> None:
    known = published_texts()
    assert all(any(name in text for text in known) for name in PUBLISHED)


@pytest.mark.parametrize("chart", params(CZECH))
def test_czech_chart_has_no_english(chart: str) -> None:
    title, *texts = texts_of(CZECH[chart])
    found = [(text, english(text)) for text in texts]
    bad = [f"{words} in {text!r}" for text, words in found if words]
    assert not bad, "\n".join(bad)
    assert not title.endswith("\u2026"), f"the Czech title is cut: {title!r}"  # two lines hold it


# --- Wrapped: every string passes through the catalog ------------------------------------------------

LATIN = re.compile(r"[A-Za-z]+")
CYRILLIC = {ord(c): chr(0x410 + i) for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
CYRILLIC |= {ord(c): chr(0x430 + i) for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")}
FIELD = re.compile(r"(\{[^{}]*\})")  # a placeholder: kept, so that .format still fills it


def pseudo(text: str) -> str:
    """A translation's letters in Cyrillic, its placeholders kept: ``{line} level`` -> ``{line} лемел``."""
    return "".join(part if FIELD.fullmatch(part) else part.translate(CYRILLIC) for part in FIELD.split(text))


class Pseudo(gettext.NullTranslations):
    """The Czech catalog with every translation written by ``pseudo``."""

    def __init__(self, inner: gettext.NullTranslations) -> None:
        super().__init__()
        self.inner = inner

    def gettext(self, message: str) -> str:
        return pseudo(self.inner.gettext(message))

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(self.inner.pgettext(context, message))

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(self.inner.ngettext(msgid1, msgid2, n))


@contextmanager
def pseudo_catalog(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Inside the block, Czech is read from the pseudo-catalog (numbers stay Czech)."""
    real = i18n._catalog
    with monkeypatch.context() as m:
        m.setattr(i18n, "_catalog", lambda lang: Pseudo(real(lang)) if lang == "cs" else real(lang))
        yield


def currency_codes() -> set[str]:
    """The codes a note may show as codes (``CZK/USD``): every country's currency and the dollar."""
    keys = [p.parent.name for p in (REPO_ROOT / "budget" / "data").glob("*/country.toml")]
    return {"USD", *(load_country(k).currency for k in keys)}


def unwrapped(text: str, codes: set[str]) -> list[str]:
    """The Latin words of a text drawn with the pseudo-catalog: words no translation passed."""
    return [w for w in LATIN.findall(text) if w not in codes]


@pytest.mark.parametrize("chart", params(WRAPPED))
def test_every_chart_string_is_wrapped(chart: str, monkeypatch: pytest.MonkeyPatch) -> None:
    codes = currency_codes()
    with pseudo_catalog(monkeypatch):
        found = [(text, unwrapped(text, codes)) for text in texts_of(WRAPPED[chart])]
    bad = [f"{words} in {text!r}" for text, words in found if words]
    assert not bad, "\n".join(bad)


# --- The checks catch what they should --------------------------------------------------------------


def test_the_checks_catch_english_and_an_unwrapped_string(monkeypatch: pytest.MonkeyPatch) -> None:
    assert english("Czechia would reach the NATO 3.5 % core level by 2032") == [
        "Czechia", "would", "the", "core", "level", "by 2032", "3.5"
    ]  # fmt: skip
    assert english("Česko: úrovně by bylo dosaženo v roce 2032") == []
    assert english("Zdroje: NATO Defence Expenditure (2014-2025). Graf:\u00a0budget\u00a00.1.0") == []
    assert english("Česko: 10,000 a 3 %") == ["10,000", "3 %"]
    assert english("Česko: −0,025 p. b.") == []
    assert english("Česko: 10\u00a0000 a 3,5\u00a0%") == []

    def chart() -> Figure:
        fig = ov.single("stated-targets", "share")
        fig.text(0.5, 0.5, "Range between the ends")  # not wrapped
        fig.text(0.5, 0.4, _("Projection →"))  # wrapped
        return fig

    with pseudo_catalog(monkeypatch):
        found = [w for text in texts_of(chart) for w in unwrapped(text, {"USD", "CZK"})]
    assert found == ["Range", "between", "the", "ends"]
