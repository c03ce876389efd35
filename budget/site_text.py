"""The words and the look of ``index.html`` (``budget.site``): every reader-facing string of the
page, the chart captions and the inline style sheet, in one place, so that a translation can wrap
the strings (``budget.i18n``).
"""

from budget.i18n import N_, _


class Translated(dict[str, str]):
    """Texts marked with ``N_`` where they are defined, shown in the current language when read."""

    def __getitem__(self, key: str) -> str:
        return _(super().__getitem__(key))

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        """The text of ``key`` in the current language, or ``default``."""
        value = super().get(key)
        return default if value is None else _(value)


TEXT = Translated(
    {
        "title": N_("Defense budget projections"),
        "intro": N_(
            "Every scenario and alliance of this run: the key figures, the charts, the tables and "
            "the sources. Each one's files are in the folder named beside its title."
        ),
        "contents": N_("Contents"),
        "scenarios": N_("Scenarios"),
        "alliances": N_("Alliances"),
        "scenario": N_("Scenario"),
        "comparison": N_("Comparison"),
        "alliance": N_("Alliance"),
        "files": N_("files in"),
        "tables": N_("Tables"),
        "table_note": N_("Each table (CSV) has a description of its columns, units and sources beside it (JSON)."),
        "fields": N_("columns and sources"),
        "open_as": N_("Open as"),
        "workbook": N_("Workbook"),
        "workbook_note": N_("every scenario, the comparison and the sources, a sheet each (Excel)."),
        "sources": N_("Sources and data editions"),
        "sources_note": N_(
            "Every source the tables name: who published it, which edition, when, and when it was read."
        ),
        "publisher": N_("Publisher"),
        "edition": N_("Title and edition"),
        "published": N_("Published"),
        "accessed": N_("Accessed"),
        "used_in": N_("Used in"),
        "everywhere": N_("all of the above"),
        "every_scenario": N_("every scenario"),
        "every_alliance": N_("every alliance"),
        "earlier": N_("Earlier outputs in this folder"),
        "earlier_note": N_(
            "Written by an earlier run and not redrawn by this one; they may not match the inputs above."
        ),
        "top": N_("Back to contents"),
        "footer": N_("Written by budget {version}. Open any folder for every file; click a chart for full size."),
    }
)
# Alt text and caption of each chart, by file stem; the page shows them in this order.
CHARTS = Translated(
    {
        "spending": N_(
            "Defense spending in US dollars at current prices: history, the projected path, the targets, "
            "and the level of each line that binds the country with the path to it."
        ),
        "share_of_gdp": N_(
            "Defense spending as a share of GDP: history, the projected path, the targets, and the level "
            "of each line that binds the country with the path to it."
        ),
        "procurement": N_(
            "Procurement: the yearly band between the low and the high share of defense spending, and "
            "its cumulative sum."
        ),
        "fan": N_("The simulation's range of outcomes (fan chart), with the probability of meeting each line's level."),
        "sensitivity": N_(
            "How the end-year result moves when each driver goes one standard deviation down or up (tornado chart)."
        ),
        "vintages": N_(
            "The scenario's share of GDP under every shipped GDP edition, against each line's level, and each "
            "edition's difference from the scenario's own."
        ),
        "fiscal": N_(
            "Fiscal room: the extra defense spending against holding the last share, with the EU escape clause "
            "where it applies, and the general-government balance and debt with it under the financing mix."
        ),
        "comparison": N_("Every scenario on one chart, in US dollars and as a share of GDP."),
        "compare": N_("Each scenario's difference from the first one."),
        "group_path": N_(
            "The group's defense spending in US dollars (current and constant prices) and as a share of "
            "its GDP, against every member holding its last share."
        ),
        "ranked": N_(
            "Every member ranked by share of GDP: its last figure and the end year under the alliance's rule."
        ),
        "multiples": N_("One small panel per member: its share of GDP from the first data year to the end year."),
        "neighbours": N_("One member against the others of its comparison group: share of GDP over time."),
    }
)
IMAGES = (".svg", ".png")  # shown as <img>, the first one present
FORMATS = (".png", ".svg", ".pdf")  # linked under the chart
TABLES = ("projection", "results", "gaps", "simulation", "drivers", "sensitivity", "vintages", "members", "totals")
STYLE = """
body{margin:0;color:#1b1b1b;background:#fff;font:17px/1.55 Georgia,"Times New Roman",serif}
header,nav,main,footer{max-width:62rem;margin:0 auto;padding:0 1.25rem}
header{padding-top:1.5rem}header p{margin:.25rem 0 1rem;color:#444}
h1,h2,h3,h4,nav,table,figcaption,.meta,.top,footer{font-family:system-ui,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
h1{font-size:2.1rem;line-height:1.15;margin:0;padding-bottom:.5rem;border-bottom:3px solid #1b1b1b}
h2{font-size:1.55rem;line-height:1.2;margin:3rem 0 .25rem;padding-top:1.25rem;border-top:1px solid #bbb}
h3{font-size:1.15rem;margin:1.75rem 0 .5rem}h4{font-size:1rem;margin:1.25rem 0 .5rem}
nav{font-size:.95rem}nav h2{border:0;margin-top:1rem;padding:0;font-size:1.2rem}
nav h3{margin:.75rem 0 .25rem;font-size:1rem}nav ol{margin:0;padding-left:1.5rem}
a{color:#0b4f8a;overflow-wrap:anywhere}.meta{color:#555;font-size:.9rem;margin:0 0 1rem}
figure{margin:1.5rem 0}img{display:block;max-width:100%;height:auto;border:1px solid #e2e2e2}
figcaption{font-size:.85rem;color:#444;margin-top:.35rem}
table{display:block;overflow-x:auto;max-width:100%;border-collapse:collapse;font-size:.82rem;margin:1rem 0}
th,td{padding:.3rem .55rem;border-bottom:1px solid #ddd;vertical-align:top}td[style*=right]{white-space:nowrap}
thead th{border-bottom:2px solid #1b1b1b;text-align:left}tbody tr:nth-child(even){background:#f5f5f5}
code{font-size:.88em;background:#f0f0f0;padding:0 .2em}.url{display:block;font-size:.8rem;overflow-wrap:anywhere}
#sources td:nth-child(3),#sources td:nth-child(4){white-space:nowrap}.top{font-size:.85rem}
footer{color:#555;font-size:.85rem;margin-top:3rem;padding-bottom:2rem}
footer p{border-top:1px solid #bbb;padding-top:.75rem}
"""
