"""Site: ``index.html``, one page that links every output of a run, to open from ``file://``.

The page is built from the finished folders in the staging folder (drawn or carried over): per
scenario, the comparison and per alliance, its summary (``summary.md`` as HTML, via
``budget.markdown``), its charts (``<img>``, SVG where one was written, else PNG; every format
linked), its tables (each CSV with its sidecar's description) and, at the end, every source and
data edition the sidecars name. No server, no script, no external file: inline CSS, relative links,
every string escaped. The same folders give the same bytes.

Every reader-facing string of the page is in ``budget.site_text``, so that a translation can wrap them.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from budget.markdown import markdown_html
from budget.site_text import CHARTS, FORMATS, IMAGES, STYLE, TABLES, TEXT

SAFE_SCHEMES = ("http:", "https:", "mailto:")


@dataclass
class Section:
    """One scenario, the comparison or one alliance: its HTML and what the page's parts need."""

    name: str
    kind: str
    title: str
    html: str = ""
    sources: list[dict[str, Any]] = field(default_factory=list)
    plan: dict[str, Any] = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        """The section's id on the page."""
        return f"{self.kind}-{self.name}"


def write_index(
    folder: Path, scenarios: Sequence[str], alliances: Sequence[str], earlier: Sequence[str] = (), lang: str = "en"
) -> Path:
    """Write ``folder/index.html`` for the entries in ``folder``: the scenarios and alliances
    named (in that order), ``comparison/`` and ``budget.xlsx`` where present, and links to the
    ``earlier`` entries (of earlier runs, beside them in the output folder). Returns its path.
    """
    from budget import __version__

    named = [(n, "scenario") for n in scenarios] + [("comparison", "comparison")] * (folder / "comparison").is_dir()
    named += [(n, "alliance") for n in alliances]
    anchors = {name: f"{kind}-{name}" for name, kind in named}
    sections = [_section(folder / name, kind, anchors) for name, kind in named]
    workbook = _a("budget.xlsx", "budget.xlsx") if (folder / "budget.xlsx").is_file() else ""
    body = [
        f"<header>\n<h1>{_h(TEXT['title'])}</h1>\n<p>{_h(TEXT['intro'])}</p>",
        f'<p class="meta">{_h(TEXT["workbook"])}: {workbook}, {_h(TEXT["workbook_note"])}</p>' if workbook else "",
        "</header>",
        _contents(sections, bool(earlier)),
        "<main>",
        *(s.html for s in sections),
        _sources(sections),
        _earlier(earlier),
        "</main>",
        f"<footer><p>{_h(TEXT['footer'].format(version=__version__))}</p></footer>",
    ]
    page = (
        f'<!DOCTYPE html>\n<html lang="{_h(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{_h(TEXT["title"])}</title>\n<style>{STYLE}</style>\n</head>\n<body id="top">\n'
        + "\n".join(b for b in body if b)
        + "\n</body>\n</html>\n"
    )
    path = folder / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def earlier(out: Path, current: Sequence[str]) -> list[str]:
    """The entries budget wrote into ``out`` in earlier runs that are still there and that a run
    writing or removing ``current`` leaves as they are.
    """
    from budget.staging import read_manifest

    return [n for n in read_manifest(out) if n not in current and (out / n).exists()]


def _h(text: Any) -> str:
    return escape(str(text), quote=True)


def _a(rel: str, text: str) -> str:
    """A link to ``rel`` (relative to the page; each path segment percent-encoded)."""
    return f'<a href="{_h(_url(rel))}">{_h(text)}</a>'


def _url(rel: str) -> str:
    return "/".join(quote(part) for part in rel.split("/"))


def _top() -> str:
    return f'<p class="top"><a href="#top">{_h(TEXT["top"])}</a></p>'


def _resolver(folder: Path, name: str, anchors: dict[str, str]) -> Callable[[str], str | None]:
    """Links in ``name/summary.md`` rebased onto the page: another section's summary becomes its
    anchor; a chart named in a format not written, the format written; a scheme other than
    ``SAFE_SCHEMES`` (or an anchor of the Markdown file) is no link.
    """

    def resolve(href: str) -> str | None:
        if href.startswith("#") or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", href):
            return href if href.lower().startswith(SAFE_SCHEMES) else None
        path = posixpath.normpath(posixpath.join(name, href))
        entry, _, rest = path.partition("/")
        if entry in anchors and rest in ("", "summary.md", f"{entry}.md"):
            return f"#{anchors[entry]}"
        stem, ext = posixpath.splitext(path)
        if ext in FORMATS and not (folder / path).exists():
            path = next((stem + e for e in IMAGES if (folder / (stem + e)).exists()), path)
        return _url(path)

    return resolve


def _section(path: Path, kind: str, anchors: dict[str, str]) -> Section:
    """A section: title, key sentences, charts, the rest of the summary, tables."""
    md = path / ("comparison.md" if kind == "comparison" else "summary.md")
    text = md.read_text(encoding="utf-8") if md.is_file() else ""
    lines = text.splitlines()
    titled = bool(lines) and lines[0].startswith("# ")
    sec = Section(path.name, kind, lines[0][2:].strip() if titled else TEXT[kind])
    body = lines[1:] if titled else lines
    # The charts go after the first "##" part: the key sentences, the pictures, then the detail.
    parts = [i for i, line in enumerate(body) if line.startswith("## ")] + [len(body)] * 2
    link = _resolver(path.parent, sec.name, anchors)
    shown = {posixpath.splitext(posixpath.basename(src))[0] for src in re.findall(r"!\[[^\]]*\]\(([^()\s/]*)\)", text)}
    sidecars = {p.stem: _json(p) for p in sorted(path.glob("*.json")) if p.with_suffix(".csv").is_file()}
    sec.html = "\n".join(
        [
            f'<section id="{_h(sec.anchor)}">\n<h2>{_h(sec.title)}</h2>',
            f'<p class="meta">{_h(TEXT[kind])} · {_h(TEXT["files"])} {_a(f"{sec.name}/", f"{sec.name}/")}</p>',
            markdown_html("\n".join(body[: parts[1]]), shift=1, href=link),
            _charts(path, skip=shown),  # not those the summary shows itself
            markdown_html("\n".join(body[parts[1] :]), shift=1, href=link),
            _tables(path, sidecars),
            _top(),
            "</section>",
        ]
    )
    sec.sources = [s for doc in sidecars.values() for s in doc.get("sources", [])]
    records = [r for doc in sidecars.values() for r in doc.get("budget", {}).get("scenarios", [])]
    sec.plan = next((r["plan_source"] for r in records if r.get("name") == sec.name and r.get("plan_source")), {})
    return sec


def _json(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def _order(stem: str, known: Sequence[str]) -> tuple[int, str]:
    return (list(known).index(stem) if stem in known else len(known), stem)


def _charts(path: Path, skip: set[str]) -> str:
    """A figure per chart: the first of ``IMAGES`` present as ``<img>`` (none for a PDF only), every format linked."""
    out = []
    stems = {p.stem for p in path.iterdir() if p.suffix in FORMATS} - skip
    for stem in sorted(stems, key=lambda s: _order(s, [*CHARTS])):
        rel = [f"{path.name}/{stem}{ext}" for ext in FORMATS if (path / f"{stem}{ext}").is_file()]
        shown = next((r for ext in IMAGES for r in rel if r.endswith(ext)), None)
        caption = CHARTS.get(stem, stem.replace("_", " "))
        img = f'<a href="{_h(_url(shown))}"><img src="{_h(_url(shown))}" alt="{_h(caption)}"></a>' if shown else ""
        files = ", ".join(_a(r, r.rsplit(".", 1)[1].upper()) for r in rel)
        out.append(f"<figure>{img}<figcaption>{_h(caption)} {_h(TEXT['open_as'])} {files}.</figcaption></figure>")
    return "\n".join(out)


def _tables(path: Path, sidecars: dict[str, dict[str, Any]]) -> str:
    """Every CSV with its sidecar's description and a link to the sidecar."""
    items = []
    for p in sorted(path.glob("*.csv"), key=lambda p: _order(p.stem, TABLES)):
        doc, rel = sidecars.get(p.stem, {}), f"{path.name}/{p.stem}"
        side = f" ({_a(rel + '.json', TEXT['fields'])})" if doc else ""
        items.append(f"<li>{_a(rel + '.csv', p.name)}: {_h(doc.get('description', ''))}{side}</li>")
    if not items:
        return ""
    return f"<h3>{_h(TEXT['tables'])}</h3>\n<p>{_h(TEXT['table_note'])}</p>\n<ul>\n" + "\n".join(items) + "\n</ul>"


def _sources(sections: list[Section]) -> str:
    """Every source the sidecars name, once (first use first), with the sections that use it; a
    scenario's plan is a source too. Dates a sidecar lacks come from the package's sources, by id.
    """
    from budget.history import load_sources

    known = load_sources()
    rows: dict[str, dict[str, Any]] = {}
    for sec in sections:
        plan = {"path": sec.plan.get("url", ""), "published": sec.plan.get("date", "")} if sec.plan else {}
        for s in [*sec.sources, *([{**sec.plan, **plan}] if plan else [])]:
            key = str(s.get("id") or s.get("path") or s.get("title"))
            src = known.get(key)
            dates = {"published": src.published, "accessed": src.accessed} if src else {}
            used = rows.setdefault(key, {**dates, **s, "used": []})["used"]
            used += [sec] if sec not in used else []
    if not rows:
        return ""
    body = [
        [_h(row.get("publisher", "")), _titled(row.get("title", ""), row.get("path", "")),
         _h(row.get("published", "")), _h(row.get("accessed", "")), _used(row["used"], sections)]
        for row in rows.values()
    ]  # fmt: skip
    return "\n".join(
        [
            f'<section id="sources">\n<h2>{_h(TEXT["sources"])}</h2>\n<p>{_h(TEXT["sources_note"])}</p>',
            _table([TEXT[k] for k in ("publisher", "edition", "published", "accessed", "used_in")], body),
            _top(),
            "</section>",
        ]
    )


def _used(used: list[Section], sections: list[Section]) -> str:
    """Where a source is used: links to those sections, or "every scenario" and the like."""
    if len(used) == len(sections) > 1:
        return _h(TEXT["everywhere"])
    out = []
    for kind in ("scenario", "comparison", "alliance"):
        mine = [s for s in used if s.kind == kind]
        if len(mine) == len([s for s in sections if s.kind == kind]) > 1:
            out.append(_h(TEXT[f"every_{kind}"]))
        else:
            out += [f'<a href="#{_h(s.anchor)}">{_h(s.name)}</a>' for s in mine]
    return ", ".join(out)


def _titled(title: str, url: str) -> str:
    """A title with its address under it (a link where it is a web address)."""
    if not url:
        return _h(title)
    shown = f'<a href="{_h(url)}">{_h(url)}</a>' if url.lower().startswith(SAFE_SCHEMES) else _h(url)
    return f'{_h(title)}<span class="url">{shown}</span>'


def _table(head: list[str], rows: list[list[str]]) -> str:
    """A table of cells that are HTML already (escaped by the caller)."""
    th = "".join(f"<th>{_h(h)}</th>" for h in head)
    trs = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table>\n<thead><tr>{th}</tr></thead>\n<tbody>\n{trs}\n</tbody>\n</table>"


def _contents(sections: list[Section], earlier: bool) -> str:
    out = [f'<nav aria-label="{_h(TEXT["contents"])}">', f"<h2>{_h(TEXT['contents'])}</h2>"]
    for kind in ("scenario", "comparison", "alliance"):
        links = [f'<a href="#{_h(s.anchor)}">{_h(s.title)}</a>' for s in sections if s.kind == kind]
        if kind == "comparison":  # one link, no list
            out += [f"<h3>{link}</h3>" for link in links]
        elif links:
            out += [f"<h3>{_h(TEXT[kind + 's'])}</h3>", "<ol>", *(f"<li>{link}</li>" for link in links), "</ol>"]
    more = [("sources", TEXT["sources"])] * any(s.sources for s in sections) + [("earlier", TEXT["earlier"])] * earlier
    out += [f'<h3><a href="#{i}">{_h(t)}</a></h3>' for i, t in more]
    return "\n".join([*out, "</nav>"])


def _earlier(names: Sequence[str]) -> str:
    if not names:
        return ""
    items = "\n".join(f"<li>{_a(n, n)}</li>" for n in names)
    intro = f'<section id="earlier">\n<h2>{_h(TEXT["earlier"])}</h2>\n<p>{_h(TEXT["earlier_note"])}</p>'
    return f"{intro}\n<ul>\n{items}\n</ul>\n</section>"
