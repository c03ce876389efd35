"""Charts: print-ready PNG figures of a projection (10 x 6 in, 150 dpi).

Every chart is a standalone ``matplotlib.figure.Figure`` with per-artist styling and no pyplot.
The chart functions and ``save`` each run inside ``rc_context(RC)``, so charts render the same
whatever the caller's rcParams, also in parallel processes (not threads: rcParams are global).
Only public matplotlib APIs are used.

Text is drawn literally, never as mathtext: "From $10 bn to $15 bn" shows its dollar signs.
Text that comes from a scenario is fitted: the title takes at most two lines, a subtitle's
first paragraph (the scenario's title) two and any other three, the source note three; longer
text is cut with an ellipsis. Non-finite numbers are skipped, never drawn or used for limits.

One meaning per number: each line that binds the country is drawn as its level and, where it
differs, the path to it (our assumption), labelled from the data; a total line is compared with
core + resilience only where the scenario models resilience; both ends of a range are drawn.

Money is USD billion at current prices; shares are percent of GDP (2.0 means 2 %). Colors are
the Okabe-Ito palette, readable with color-vision deficiencies and in greyscale via line styles.

Modules: ``style`` (palette, sizes, text fitting, contrast, number guards), ``frame`` (figure,
legends), ``words`` (publishers, the note's settings and sources, the subtitle), ``headline`` and
``alliance_headline`` (each title's finding, from the numbers), ``key`` (legends drawn as plain
artists), ``place`` and ``labels`` (labels placed from measured extents, clear of lines and
text), ``lines`` (binding lines), ``levels`` (spending and share of GDP), ``procurement``,
``fan``, ``sensitivity``, ``comparison``, ``vintages`` (GDP editions), ``glyphs`` (text filled as
cached glyph outlines) and ``output`` (PNG, warm-up).
"""

from __future__ import annotations

from budget.charts.comparison import plot_compare, plot_comparison
from budget.charts.fan import plot_fan
from budget.charts.fiscal import plot_fiscal as plot_fiscal
from budget.charts.frame import source_note
from budget.charts.levels import plot_share, plot_spending
from budget.charts.output import save, warm_up
from budget.charts.outturn import plot_outturn as plot_outturn
from budget.charts.procurement import plot_procurement
from budget.charts.sensitivity import plot_sensitivity
from budget.charts.style import LINE_WIDTH, NOTE_LINES, RC, TITLE_SIZE, fit, text_width
from budget.charts.vintages import plot_vintages

__all__ = [
    "LINE_WIDTH",
    "NOTE_LINES",
    "RC",
    "TITLE_SIZE",
    "fit",
    "plot_compare",
    "plot_comparison",
    "plot_fan",
    "plot_procurement",
    "plot_sensitivity",
    "plot_share",
    "plot_spending",
    "plot_vintages",
    "save",
    "source_note",
    "text_width",
    "warm_up",
]
