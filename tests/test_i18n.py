"""Czech and English: the catalog is complete and current, ``budget run --lang cs`` writes every
summary in Czech with Czech number formats, and English stays the default, unchanged in form.
"""

from __future__ import annotations

import re

import pytest
from conftest import SCENARIOS, call

from budget import i18n
from budget.formats import num, span
from budget.history import load_sources
from budget.scenario import load_scenario

NBSP = "\u00a0"
CZECH = ("stated-targets", "nato-total-5")  # claims, a window, a total line with resilience
ALLIANCE = "europe-canada-3.5"
# English words no Czech sentence of ours uses (padded: whole words only).
ENGLISH = (
    " the ",
    " of ",
    " and ",
    " is ",
    " with ",
    "spending",
    "scenario",
    "level",
    " path",
    "share",
    "by 2035",
    "percentile",
    "current prices",
    "points",
    "Range end",
    "Figure",
    " low ",
    " high ",
    "not by",
    "n/a",
    "Sources",
)
QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|“[^”]*”|„[^“]*“")  # a quotation stays as published
ENGLISH_NUMBER = re.compile(r"\d,\d{3}\.\d|\d\.\d+\s?%|\d\.\d+ (bn|points)")


def nb(text: str) -> str:
    """Czech text as written, with the no-break spaces before ``%`` and in ``p. b.``."""
    return text.replace(" %", f"{NBSP}%").replace(" p. b.", f"{NBSP}p.{NBSP}b.")


def test_catalog_is_current_and_complete() -> None:
    pytest.importorskip("babel")
    from budget.locale.__main__ import problems

    assert problems("cs") == []


@pytest.fixture(scope="module")
def czech_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A real ``budget run --lang cs`` of two Czech scenarios and an alliance: summary.md by folder."""
    out = tmp_path_factory.mktemp("cs") / "outputs"
    files = [str(SCENARIOS / f"{name}.toml") for name in CZECH] + [str(SCENARIOS / "alliance" / f"{ALLIANCE}.toml")]
    result = call("run", *files, "--lang", "cs", "--draws", "200", "--out", str(out))
    assert result.status == 0, result.stderr
    return {p.parent.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*/summary.md"))}


def _published() -> list[str]:
    """Text shown as published: source publishers, titles and dates, the plans' sources."""
    texts = []
    for x in load_sources().values():
        texts += [x.title, x.publisher, x.published, getattr(x, "short", "") or ""]
    for name in CZECH:
        texts += list(load_scenario(SCENARIOS / f"{name}.toml").plan_source.values())
    return sorted((t for t in texts if t and not re.fullmatch(r"[\d\s,-]*", t)), key=len, reverse=True)


def _ours(text: str) -> str:
    """The summary without what it shows as published: the Sources section, quotations, source
    titles and publishers, links, file names and code.
    """
    kept = []
    for block in re.split(r"\n(?=## )", text):
        if block.startswith(("## Zdroje", "## Sources")):
            continue
        kept.append(block)
    text = "\n".join(kept)
    for published in _published():
        text = text.replace(published, " ")
    text = re.sub(r"<[^>]+>|https?://\S+|`[^`]*`|\S+\.(toml|csv)\b", " ", text)
    text = QUOTED.sub(" ", text.replace("\n", " "))
    return f" {text} "


def test_every_summary_is_written(czech_run: dict[str, str]) -> None:
    assert set(czech_run) == {*CZECH, ALLIANCE}


@pytest.mark.parametrize("folder", [*CZECH, ALLIANCE])
def test_czech_summary_has_no_english_sentences(czech_run: dict[str, str], folder: str) -> None:
    ours = _ours(czech_run[folder])
    found = {word: ours[max(0, i - 40) : i + 40] for word in ENGLISH if (i := ours.find(word)) >= 0}
    assert not found, found


@pytest.mark.parametrize("folder", [*CZECH, ALLIANCE])
def test_czech_summary_has_czech_numbers(czech_run: dict[str, str], folder: str) -> None:
    text = czech_run[folder]
    ours = _ours(text)
    assert re.search(r"\d,\d\d\b", ours), "no decimal comma"
    assert not ENGLISH_NUMBER.search(ours), ENGLISH_NUMBER.search(ours)
    assert f"{NBSP}%" in text and f"{NBSP}mld. USD" in text
    assert not re.search(r"\d %", ours), "a plain space before % (Czech wants a no-break space)"
    assert "-0,0" not in text and "\u22120,0 " not in text and "\u22120,00 " not in text


def test_czech_scenario_summary_in_detail(czech_run: dict[str, str]) -> None:
    text = czech_run["stated-targets"]
    assert text.startswith(f"# Deklarované cíle: 15{NBSP}mld. USD do roku 2030")
    assert nb(f"**15,0{NBSP}mld. USD**, 329{NBSP}mld. Kč, neboli **3,20 % HDP**") in text
    assert "## Srovnání se závazky, které platí pro zemi Česko" in text
    assert nb("**o 0,55–0,90 p. b. více, než je úroveň 3,5 %**") in text
    assert nb("o 0,30 p. b. méně, než je úroveň 3,5 %") in text  # the 2030 shortfall, same sign as the table
    assert nb("| NATO 3,5 % (základní): podíl minus úroveň, p. b. (+ nad, − pod) | −0,30 | 0,55–0,90 |") in text
    assert "| 2035 | dolní hranice |" in text and "| 2035 | horní hranice |" in text
    assert "−8,7 až −2,7" in text  # a range with negative ends
    assert "200 simulací" in text and "Kč za USD" in text


def test_czech_alliance_summary_in_detail(czech_run: dict[str, str]) -> None:
    text = czech_run[ALLIANCE]
    assert text.startswith("# Evropské státy NATO a Kanada na přímých cestách ke 3,5\u00a0% HDP do roku 2035")
    assert "Skupina: Evropské státy NATO a Kanada, 30 členů s daty; vynecháno: Island:" in text
    assert "| Polsko | 4,48 (2025, odhad) |" in text
    assert "přímá cesta (náš předpoklad) na 3,5\u00a0% HDP v roce 2035" in text
    assert re.search(r"1\u00a0\d{3}\u00a0mld\. USD", text), "thousands separated by a no-break space"
    assert "(4 členové)" in text and "(11 členů)" in text  # Czech plural forms


def test_english_stays_the_default() -> None:
    from budget.model import project
    from budget.tables import summary_markdown

    assert i18n.language() == "en"
    s = load_scenario(SCENARIOS / "stated-targets.toml")
    md = summary_markdown(project(s), s)
    assert "- In 2030 the plan means **USD 15.0 bn**, CZK 329 bn, or **3.20 % of GDP** (current prices)." in md
    assert "## Against the lines that bind Czechia" in md
    assert "| 2030 | USD 15 bn | 15.0 | 329 | 3.20 | 'up to $15 billion' by 2030 |" in md
    assert "Path: linear, in USD bn; after the last target the share of GDP is held." in md
    assert "usd_bn" not in md.split("## Sources")[0].replace("`gaps.csv`", "")
    assert NBSP not in md and "\u2212" not in md and "–" not in md.split("## Sources")[0]


def test_numbers_in_czech_by_hand() -> None:
    assert (num(12345.678), num(-0.04), span(23, 25)) == ("12,345.7", "0.0", "23.0-25.0")
    assert span(-8.7, -2.7) == "-8.7 to -2.7"
    assert i18n.money("15.0", "CZK") == "CZK 15.0 bn"
    with i18n.use("cs"):
        assert num(12345.678) == f"12{NBSP}345,7"
        assert num(-1234.5, 2) == f"\u22121{NBSP}234,50"
        assert num(-0.04) == "0,0"  # never a negative zero
        assert num(float("nan")) == "–"
        assert span(23, 25) == "23,0–25,0"
        assert span(-8.7, -2.7) == "\u22128,7 až \u22122,7"
        assert span(3.2, 3.2, 2) == "3,20"
        assert i18n.money("15,0", "USD") == f"15,0{NBSP}mld. USD"
        assert i18n.money("329", "CZK") == f"329{NBSP}mld. Kč"
        assert i18n.pct(3.5) == f"3,5{NBSP}%"
        assert i18n.short(3.5) == "3,5" and i18n.short(20.0) == "20"
    assert i18n.language() == "en"
