"""Ranked: every member of an alliance by share of GDP, in its last data year and in the end year
under the alliance's rule; and the helpers the alliance charts share (names, the lines that
bind every member, the rules in words, the source note, a figure of any height).

Nothing here names a country or a level: names come from ``country.toml``, levels and their
labels from ``budget.pledges.lines_for`` (``Line.short_label``), sources from ``sources.csv``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import blended_transform_factory

from budget import __version__
from budget.aggregate import Alliance, Member
from budget.charts import lines
from budget.charts.frame import Steps, publisher, short_source
from budget.charts.key import key
from budget.charts.output import save
from budget.charts.style import (
    BLUE,
    DPI,
    ELLIPSIS,
    GREY,
    INK,
    LEVEL_STYLE,
    LIGHT,
    LINE_WIDTH,
    NOTE_LINES,
    NOTE_SIZE,
    REF_WIDTH,
    SUBTITLE_SIZE,
    TITLE_SIZE,
    D,
    P,
    fit,
    literal,
    ok,
    shorten,
    text_width,
    top,
)
from budget.history import load_country
from budget.pledges import Line, lines_for, meets

LABEL_SIZE = 8.5  # country names and line labels
ROW = 0.235  # inches per member in the ranked chart
LIGHT_BLUE = "#9cc3de"  # BLUE, lightened: a member whose last figure is older than the others'


# --- Shared by the alliance charts --------------------------------------------------------------


def country_name(key: str) -> str:
    """A member's name as the data spell it."""
    return load_country(key).name


def common_refs(keys: Sequence[str]) -> list[lines.Ref]:
    """The lines that bind every one of ``keys``, lowest level first, colored as the charts color
    them: grey once a line's year has passed for every member, else by position among the lines
    still ahead that count the same (core, or core + resilience).
    """
    if not keys:
        return []
    shared = set.intersection(*({ln.id for ln in lines_for(load_country(k))} for k in keys))
    t0 = min(load_country(k).last_data_year for k in keys)
    counts = {"core": 0, "total": 0}
    out = []
    for r in lines.refs(load_country(keys[0])):
        if r.line.id not in shared:
            continue
        color = GREY
        if r.line.year > t0:
            palette = lines.TOTAL_COLORS if r.line.compares_with == "total" else lines.CORE_COLORS
            color = palette[counts[r.line.compares_with] % len(palette)]
            counts[r.line.compares_with] += 1
        out.append(replace(r, color=color))
    return out


def core_refs(keys: Sequence[str]) -> list[lines.Ref]:
    """The common lines that count core defense alone (comparable with the members' shares)."""
    return [r for r in common_refs(keys) if r.line.compares_with == "core"]


def ref_label(ref: lines.Ref) -> str:
    """A line's short label with a no-break space before "%"; a total line says what it counts."""
    text = ref.line.short_label.replace(" %", P)
    return text if ref.line.compares_with == "core" else f"{text} ({ref.line.what})"


def at(m: Member, values: np.ndarray, year: int) -> float:
    """``values`` (on the member's year grid) in ``year``; NaN off the grid."""
    idx = np.flatnonzero(m.years == year)
    return float(values[idx[0]]) if len(idx) else float("nan")


def _rule_line(key: str, line_id: str) -> Line | None:
    return next((ln for ln in lines_for(load_country(key)) if ln.id == line_id), None)


def uses_paths(a: Alliance, keys: Sequence[str]) -> bool:
    """True where any of ``keys`` follows a straight path (our assumption)."""
    return any(a.rules[k].kind == "path" for k in keys)


def rules_text(a: Alliance, keys: Sequence[str], flag: bool = True) -> str:
    """The members' rules in words, grouped: "every member: straight path in share of GDP from the
    last data year to NATO 3.5 % core by 2035, then held (our assumption)" (``flag``: say so).
    """
    texts: dict[str, list[str]] = {}
    for k in keys:
        r = a.rules[k]
        if r.kind == "path":
            line = _rule_line(k, r.line) if r.line else None
            to = f"{line.short_label.replace(' %', P)}" if line else f"{r.level_pct_gdp:g}{P} of GDP"
            text = f"straight path in share of GDP from the last data year to {to} by {r.year}, then held"
            text += " (our assumption)" if flag else ""
        elif r.kind == "plan":
            text = "national plan (both ends of its range)"
        else:
            text = "last data year's share of GDP held"
        texts.setdefault(text, []).append(k)
    parts = []
    for text, ks in texts.items():
        if len(ks) == len(keys):
            who = "every member" if len(keys) > 1 else country_name(ks[0])
        elif len(ks) <= 3:
            who = ", ".join(country_name(k) for k in ks)
        else:
            who = f"{len(ks)} members"
        parts.append(f"{who}: {text}")
    return "; ".join(parts)


def alliance_note(a: Alliance, keys: Sequence[str], refs: Sequence[lines.Ref] = ()) -> str:
    """The source note of an alliance chart: the members' data sources (short names, editions of
    one publication together), the lines' sources, plan sources, who is left out, package version.
    At most ``NOTE_LINES`` lines across the figure.
    """
    editions: dict[str, list[str]] = {}
    for text in dict.fromkeys(short_source(i) for k in keys for i in load_country(k).source_ids()):
        name, _, edition = text.partition(" (")
        editions.setdefault(name, []).append(edition.rstrip(")"))
    data = []
    for name, eds in editions.items():
        named = [e for e in eds if e]
        more = ", ".join(named)
        data.append(name if not named else f"{name} ({'+ ' if '' in eds else ''}{more})")
    text = f"Sources: {'; '.join(data)}."
    pledged = list(dict.fromkeys(short_source(i) for r in refs for i in r.line.sources))
    if pledged:
        text += f" Lines: {', '.join(pledged)}."
    plans = [a.rules[k].plan for k in keys if a.rules[k].kind == "plan"]
    cited = dict.fromkeys(
        ", ".join(filter(None, (str(p.plan_source.get("publisher", "")), str(p.plan_source.get("date", "")))))
        for p in plans
        if p is not None
    )
    if cited := {c: None for c in cited if c}:
        plans_text = shorten("; ".join(cited), 120)
        text += f" Plans: {plans_text}" + ("" if plans_text.endswith(ELLIPSIS) else ".")
    if uses_paths(a, keys):
        text += " Straight paths: own assumption."
    if a.left_out:
        text += f" Left out: {'; '.join(a.left_out.values())}."
    return fit(text, LINE_WIDTH, NOTE_SIZE, max_lines=NOTE_LINES, tail=f" Chart:\u00a0budget\u00a0{__version__}")


def pct(v: float, _: object = None) -> str:
    """An axis tick in percent: "3.5 %"."""
    return f"{v:g}{P}"


def sheet(
    title: str,
    subtitle: Sequence[str],
    note: str,
    height: float,
    nrows: int = 1,
    ncols: int = 1,
    above: float = 0.0,
    below: float = 0.0,
    **grid: float,
) -> tuple[Figure, np.ndarray]:
    """A 10 in wide figure ``height`` in tall laid out as ``budget.charts.frame.figure`` lays out
    its 10 x 6 in one (the same distances in inches): bold title, grey subtitle, source note,
    ``nrows`` x ``ncols`` axes between; ``above`` / ``below`` (inches) leave room over and under them.
    """
    fig = Figure(figsize=(10, height), dpi=DPI, facecolor="white")
    head = fit(title, LINE_WIDTH, TITLE_SIZE, "bold", max_lines=2)
    sub = "\n".join(fit(p, LINE_WIDTH, SUBTITLE_SIZE, max_lines=2 if i == 0 else 3) for i, p in enumerate(subtitle))
    extra = 0.192 * head.count("\n")
    fig.text(0.015, 1 - 0.15 / height, head, fontsize=TITLE_SIZE, fontweight="bold", color=INK, va="top")
    fig.text(
        0.015, 1 - (0.468 + extra) / height, sub, fontsize=SUBTITLE_SIZE, color="#444444", va="top", linespacing=1.4
    )
    fig.text(0.015, 0.072 / height, note, fontsize=NOTE_SIZE, color=GREY, va="bottom", linespacing=1.3)
    top_in = 0.9 + extra + 0.198 * sub.count("\n") + above
    bottom_in = 0.84 + 0.132 * max(0, note.count("\n") - 1) + below
    layout = {"left": 0.075, "right": 0.97, "top": 1 - top_in / height, "bottom": bottom_in / height} | grid
    axes = fig.subplots(nrows, ncols, squeeze=False, gridspec_kw=layout)
    return fig, axes


def header_height(title: str, subtitle: Sequence[str]) -> float:
    """Inches the title and subtitle of ``sheet`` take above the axes (without ``above``)."""
    head = fit(title, LINE_WIDTH, TITLE_SIZE, "bold", max_lines=2)
    sub = "\n".join(fit(p, LINE_WIDTH, SUBTITLE_SIZE, max_lines=2 if i == 0 else 3) for i, p in enumerate(subtitle))
    return 0.9 + 0.192 * head.count("\n") + 0.198 * sub.count("\n")


def footer_height(note: str) -> float:
    """Inches the source note of ``sheet`` takes below the axes (without ``below``)."""
    return 0.84 + 0.132 * max(0, note.count("\n") - 1)


def count(n: int, total: int) -> str:
    """How many of ``total``: "none of the 30", "all 30" or "4 of 30"."""
    if n == 0:
        return f"none of the {total}"
    return f"all {total}" if n == total else f"{n} of {total}"


# --- The ranked chart ---------------------------------------------------------------------------


def _spread_x(items: list[list[float]], lo: float, hi: float, gap: float) -> None:
    """Move centred labels (``[centre, half width]``, points) apart by ``gap``, inside ``lo``..``hi``."""
    edge = lo
    for item in sorted(items, key=lambda i: i[0]):
        item[0] = max(item[0], edge + item[1])
        edge = item[0] + item[1] + gap
    edge = hi
    for item in sorted(items, key=lambda i: -i[0]):
        item[0] = min(item[0], edge - item[1])
        edge = item[0] - item[1] - gap


def title_of(a: Alliance, ms: dict[str, Member]) -> str:
    """The ranked chart's finding, from the data: how many members were below the lowest common
    core line in their last data year, and how many reach the highest by the end year (low end).
    """
    keys, end = list(ms), a.end_year
    core = core_refs(keys)
    n = len(keys)
    if not core:
        return f"{a.group.label}: {n} members by share of GDP, last data year and {end}"
    low, high = core[0].line, core[-1].line
    below = sum(not bool(meets(at(m, m.pct["high"], m.t0), low)) for m in ms.values())
    reach = sum(bool(meets(min(at(m, m.pct[e], end) for e in ("low", "high")), high)) for m in ms.values())
    was = "was" if below == 1 else "were"
    pledge = "on these paths" if all(a.rules[k].kind == "path" for k in keys) else "under these rules"
    first = f"{count(below, n)} {was} below {low.short_label.replace(' %', P)} in their last figure"
    return f"{a.group.label}: {first}; {pledge} {count(reach, n)} reach {high.short_label.replace(' %', P)} in {end}"


@literal
def ranked(a: Alliance, ms: dict[str, Member], g: pd.DataFrame, folder: Path) -> Path:
    """Every member ranked by share of GDP in its last data year (bars, lighter where that year is
    older than the latest), with its end-year share under the alliance's rule (diamonds; a bar
    between them where the low and the high end differ) and the lines that bind every member as
    labelled vertical lines. Writes ``folder/ranked.png`` and returns its path.
    """
    keys, end = list(ms), a.end_year
    refs = common_refs(keys)
    last = {k: at(m, m.pct["high"], m.t0) for k, m in ms.items()}
    ends = {k: (at(m, m.pct["low"], end), at(m, m.pct["high"], end)) for k, m in ms.items()}
    order = sorted(keys, key=lambda k: (-np.nan_to_num(last[k], nan=-1.0), -np.nan_to_num(ends[k][1]), k))
    latest = max(m.t0 for m in ms.values())
    older = sorted({m.t0 for m in ms.values()} - {latest})
    who = publisher(load_country(keys[0]), "defense_pct_gdp") or "published"
    labels = [country_name(k) + (f" ({ms[k].t0})" if ms[k].t0 != latest else "") for k in order]
    values = [
        f"{last[k]:.2f} \u2192 " + (f"{ends[k][1]:.2f}" if abs(ends[k][1] - ends[k][0]) < 5e-3 else
                                     f"{ends[k][0]:.2f}{D}{ends[k][1]:.2f}")
        for k in order
    ]  # fmt: skip
    ranged_any = any(abs(hi - lo) > 5e-3 for lo, hi in ends.values())
    years = ", ".join(f"{y} for {sum(m.t0 == y for m in ms.values())}" for y in [latest, *reversed(older)])
    subtitle = [
        f"Scenario: {a.title}",
        f"Bars: share of GDP in each member's last year with a {who} figure ({years}; an older year is "
        f"named, its bar lighter). Diamonds: {end} under the rule"
        + (", the low and the high end joined where they differ" if ranged_any else "")
        + ". Vertical lines: the levels of the pledges that bind every member.",
        f"Rules: {rules_text(a, keys)}.",
    ]
    note = alliance_note(a, keys, refs)
    title = title_of(a, ms)
    left = (max(text_width(s, LABEL_SIZE) for s in labels) + 14) / 720 + 0.015
    col = max(text_width(s, 8.0) for s in [*values, f"{latest} \u2192 {end}"]) + 8
    right = 1 - (col + 14) / 720
    line_labels = ["\n".join(_two(ref_label(r))) for r in refs]
    rows_above = max((s.count("\n") + 1 for s in line_labels), default=1)
    above = 0.12 + rows_above * LABEL_SIZE * 1.25 / 72
    below = 0.5  # the x label, then the key
    height = header_height(title, subtitle) + above + len(keys) * ROW + 0.2 + footer_height(note) + below
    fig, axes = sheet(title, subtitle, note, height, above=above, below=below, left=left, right=right)
    ax: Axes = axes[0, 0]
    y = np.arange(len(order))
    colors = [BLUE if ms[k].t0 == latest else LIGHT_BLUE for k in order]
    ax.barh(y, [last[k] for k in order], height=0.62, color=colors, edgecolor=colors, lw=0.6, zorder=2)
    lo_end, hi_end = (np.array([ends[k][i] for k in order]) for i in (0, 1))
    for yi, k in zip(y, order, strict=True):  # the change from the last figure to the end year
        if ok(last[k], hi_end[yi]):
            ax.plot([last[k], hi_end[yi]], [yi, yi], color=GREY, lw=0.9, zorder=3, solid_capstyle="butt")
    ranged = np.abs(hi_end - lo_end) > 5e-3
    if ranged.any():
        ax.hlines(y[ranged], lo_end[ranged], hi_end[ranged], color=INK, lw=2.4, zorder=4)
        ax.plot(lo_end[ranged], y[ranged], "D", ms=5.5, color=INK, mec="white", mew=0.8, zorder=5)
    ax.plot(hi_end, y, "D", ms=5.5, color=INK, mec="white", mew=0.8, zorder=5, gid="end-year")
    ax.set_yticks(y, labels, fontsize=LABEL_SIZE, color=INK)
    ax.set_ylim(len(order) - 0.4, -0.6)
    ax.tick_params(axis="y", length=0, pad=4)
    ax.tick_params(axis="x", labelsize=9, colors=INK, length=3)
    # x range: every bar, diamond and line, and room for each line's label centred on it.
    width_pt = (right - left) * 720
    xmax = top(list(last.values()), hi_end, [r.line.level_pct_gdp for r in refs], pad=1.06)
    for r, text in zip(refs, line_labels, strict=True):
        half = max(text_width(s, LABEL_SIZE, "bold") for s in text.split("\n")) / 2 + 2
        if half < width_pt:
            xmax = max(xmax, r.line.level_pct_gdp / (1 - half / width_pt))
    ax.set_xlim(0, xmax)
    ax.xaxis.set_major_locator(Steps(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    ax.xaxis.set_major_formatter(FuncFormatter(pct))
    ax.grid(axis="x", color=LIGHT, lw=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.spines["bottom"].set_color(GREY)
    ax.set_xlabel("% of GDP", fontsize=9.5, color=INK)
    # The lines' levels, labelled above the axes (nudged apart where they would touch).
    items = []
    for r, text in zip(refs, line_labels, strict=True):
        ax.axvline(
            r.line.level_pct_gdp, color=r.color, ls=LEVEL_STYLE, lw=REF_WIDTH, zorder=3.5, gid=f"line:{r.line.id}"
        )
        half = max(text_width(s, LABEL_SIZE, "bold") for s in text.split("\n")) / 2
        items.append([r.line.level_pct_gdp / xmax * width_pt, half])
    _spread_x(items, 0, width_pt, 6)
    for r, text, (x, _) in zip(refs, line_labels, items, strict=True):
        ax.annotate(
            text, (x / width_pt, 1), xycoords="axes fraction", xytext=(0, 4), textcoords="offset points",
            ha="center", va="bottom", fontsize=LABEL_SIZE, color=r.color, fontweight="bold", linespacing=1.1,
        )  # fmt: skip
    # The values, in a column at the right.
    where = blended_transform_factory(ax.transAxes, ax.transData)
    for yi, text in zip(y, values, strict=True):
        ax.annotate(
            text, (1, yi), xycoords=where, xytext=(col + 6, 0), textcoords="offset points",
            ha="right", va="center", fontsize=8.0, color=INK, annotation_clip=False,
        )  # fmt: skip
    ax.annotate(
        f"% of GDP\nlast \u2192 {end}", (1, 1), xycoords="axes fraction", xytext=(col + 6, 4),
        textcoords="offset points", ha="right", va="bottom", fontsize=8.0, color=GREY, linespacing=1.1,
    )  # fmt: skip
    entries: list[Artist] = [Patch(color=BLUE, label=f"Last {who} figure, {latest}")]
    if older:
        entries.append(Patch(color=LIGHT_BLUE, label=f"Last {who} figure, {', '.join(map(str, older))}"))
    entries.append(Line2D([], [], color=INK, marker="D", ms=5.5, mec="white", ls="none", label=f"{end} under the rule"))
    key_y = (footer_height(note) + below - 0.56) / height  # under the x label
    key(fig, entries, left, key_y, fig.transFigure, ncols=len(entries), size=8.5, handle=1.6, gap=3.0)
    path = Path(folder) / "ranked.png"
    save(fig, path)
    return path


def _two(text: str) -> list[str]:
    """A label on one line, or on two where it has a part in parentheses."""
    head, sep, tail = text.partition(" (")
    return [head, f"({tail}"] if sep else [text]
