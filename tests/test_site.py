"""index.html without a browser: every output linked, every link and image there, sources with
their dates, every string escaped, the same bytes again, and a page that follows the run.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import SCENARIOS, call

from budget.history import load_sources
from budget.markdown import markdown_html
from budget.scenario import name_problem
from budget.site import write_index
from budget.staging import read_manifest

NEIGHBOURS = """title = "Czechia and its NATO neighbours on straight paths to 3.5 % of GDP by 2035"
group = "czechia_neighbours"

[rule]
kind = "path"
line = "nato_core"
"""
SCENARIO_NAMES = ["stated-targets", "legal-floor-2pct"]


class Page(HTMLParser):
    """What a test needs of a page: ids, links, images, tags and the text of each section."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.imgs: list[dict[str, str]] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.sections: dict[str, list[str]] = {}
        self._section: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "section":
            self._section = a.get("id")
            self.sections[a.get("id", "")] = []
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag == "img":
            self.imgs.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._section = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._section is not None:
            self.sections[self._section].append(data)

    def section_text(self, anchor: str) -> str:
        return " ".join(" ".join(self.sections[anchor]).split())

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def local(href: str) -> bool:
    return not urlsplit(href).scheme and not href.startswith("#")


def small_run(out: Path, *extra: str, files: tuple[str, ...] = ()) -> None:
    paths = files or tuple(str(SCENARIOS / f"{n}.toml") for n in SCENARIO_NAMES)
    result = call("run", *paths, "--out", str(out), "--draws", "200", *extra)
    assert result.status == 0, result.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two scenarios and a four-member alliance, 200 draws; returns the output folder."""
    root = tmp_path_factory.mktemp("site")
    alliance = root / "neighbours.toml"
    alliance.write_text(NEIGHBOURS, encoding="utf-8")
    out = root / "out"
    small_run(out, files=(*(str(SCENARIOS / f"{n}.toml") for n in SCENARIO_NAMES), str(alliance)))
    return out


def page(out: Path) -> Page:
    return Page((out / "index.html").read_text(encoding="utf-8"))


def test_every_scenario_the_comparison_and_every_alliance_has_a_section_in_the_contents(site: Path) -> None:
    p = page(site)
    anchors = [f"scenario-{n}" for n in SCENARIO_NAMES] + ["comparison-comparison", "alliance-neighbours"]
    for anchor in anchors:
        assert anchor in p.ids and f"#{anchor}" in p.hrefs
    for name in [*SCENARIO_NAMES, "comparison", "neighbours"]:
        assert f"{name}/" in p.hrefs  # the folder itself
        title = (site / name / ("comparison.md" if name == "comparison" else "summary.md")).read_text().splitlines()[0]
        assert title.removeprefix("# ") in p.all_text
    assert "index.html" in read_manifest(site)  # budget's own entry: replaced by the next run


def test_every_link_and_image_resolves_and_every_chart_and_table_is_there(site: Path) -> None:
    p = page(site)
    for href in filter(local, p.hrefs):
        assert (site / unquote(href)).exists(), href
    for href in (h for h in p.hrefs if h.startswith("#")):
        assert href[1:] in p.ids, href
    srcs = {img["src"] for img in p.imgs}
    assert all(img["alt"].strip() for img in p.imgs)
    assert all(not urlsplit(s).scheme and (site / unquote(s)).is_file() for s in srcs)
    for name in [*SCENARIO_NAMES, "comparison", "neighbours"]:
        assert {f"{name}/{f.name}" for f in (site / name).glob("*.png")} <= srcs
        assert {f"{name}/{f.name}" for f in (site / name).glob("*.csv")} <= set(p.hrefs)
    assert {"stated-targets/spending.png", "stated-targets/fan.png", "neighbours/ranked.png"} <= srcs
    assert len(p.imgs) == len(srcs)  # each chart once


def test_key_sentences_and_links_of_the_summaries_are_on_the_page(site: Path) -> None:
    p = page(site)
    text = p.section_text("scenario-stated-targets")
    assert "In 2030 the plan means USD 15.0 bn" in text and "Against the lines that bind Czechia" in text
    assert "**" not in p.all_text and "|---" not in p.all_text  # Markdown rendered, not shown
    # comparison.md links ../<name>/summary.md: on the page, that scenario's section
    assert "#scenario-legal-floor-2pct" in p.hrefs and not any(".md" in h for h in p.hrefs)
    description = json.loads((site / "stated-targets" / "gaps.json").read_text())["description"]
    assert " ".join(description.split()) in text


def test_the_page_lists_every_source_with_its_edition_and_dates(site: Path) -> None:
    p = page(site)
    text = p.section_text("sources")
    known = load_sources()
    ids = {
        s["id"]
        for name in [*SCENARIO_NAMES, "comparison", "neighbours"]
        for side in (site / name).glob("*.json")
        for s in json.loads(side.read_text(encoding="utf-8"))["sources"]
    }
    assert "fred_g5a" in ids  # the alliance's own sources too (its sidecars carry no dates)
    for i in ids:
        src = known[i]
        assert src.title in text and src.publisher in text and src.published in text and src.accessed in text
        assert src.url in p.hrefs
    plan = json.loads((site / "stated-targets" / "projection.json").read_text())["budget"]["scenarios"][0]
    assert plan["plan_source"]["title"] in text and plan["plan_source"]["date"] in text


def test_the_page_works_offline(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    p = Page(html)
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "script" not in p.tags and "link" not in p.tags and "iframe" not in p.tags
    assert "url(" not in html and "@import" not in html and "max-width:100%" in html
    assert all(local(img["src"]) for img in p.imgs)
    assert all(urlsplit(h).scheme in ("", "http", "https", "mailto") for h in p.hrefs)


def test_a_rerun_writes_the_same_bytes(site: Path) -> None:
    before = (site / "index.html").read_bytes()
    small_run(
        site, files=(*(str(SCENARIOS / f"{n}.toml") for n in SCENARIO_NAMES), str(site.parent / "neighbours.toml"))
    )
    assert (site / "index.html").read_bytes() == before  # every folder carried over: the same page


def test_the_page_follows_the_scenarios_of_the_run(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(site, out)
    small_run(out, files=(str(SCENARIOS / "legal-floor-2pct.toml"),))
    p = page(out)
    assert "scenario-legal-floor-2pct" in p.ids
    assert "scenario-stated-targets" not in p.ids and "alliance-neighbours" not in p.ids
    # what earlier runs left in the folder is linked as such, never as this run's
    assert {"stated-targets", "neighbours"} <= set(p.hrefs) and "earlier" in p.ids
    assert (
        read_manifest(out)["index.html"]["files"][""] == hashlib.sha256((out / "index.html").read_bytes()).hexdigest()
    )
    for href in filter(local, p.hrefs):
        assert (out / unquote(href)).exists(), href


def test_an_index_html_budget_did_not_write_stops_the_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("my own page", encoding="utf-8")
    result = call("run", str(SCENARIOS / "legal-floor-2pct.toml"), "--out", str(out), "--draws", "0")
    assert result.status == 2 and "index.html" in result.stderr
    assert (out / "index.html").read_text(encoding="utf-8") == "my own page"


def test_index_html_is_reserved_for_the_page() -> None:
    for name in ("index.html", "INDEX.HTML"):
        assert "reserved" in (name_problem(name) or "")


def test_every_string_is_escaped_and_no_unsafe_link_is_made(tmp_path: Path) -> None:
    hostile = '<script>alert("x")</script> & <b>bold</b>'
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "summary.md").write_text(
        f"# {hostile}\n\n{hostile}: [this](javascript:alert(1)), <data:text/html,x>, [ok](https://example.org/?a=1&b=2).\n"
        f"\n## {hostile}\n\n- {hostile} **{hostile}**\n\n| a | b |\n|---|---:|\n| <i>x</i> | `{hostile}` |\n",
        encoding="utf-8",
    )
    (folder / "t.csv").write_text("a\n1\n", encoding="utf-8")
    (folder / "t.json").write_text(
        json.dumps({"description": hostile, "sources": [{"id": "x", "title": hostile, "path": "javascript:x()"}]}),
        encoding="utf-8",
    )
    (folder / 'odd "chart".png').write_bytes(b"")
    html = write_index(tmp_path, ["plan"], [], lang='en"><script>').read_text(encoding="utf-8")
    p = Page(html)
    assert "script" not in p.tags and "b" not in p.tags and "i" not in p.tags
    assert p.all_text.count(hostile) == 9 and "<i>x</i>" in p.all_text  # contents, title, 5 in the summary, 2 tables
    assert not any(h.lower().startswith(("javascript:", "data:")) for h in p.hrefs)
    assert "https://example.org/?a=1&b=2" in p.hrefs and "&amp;b=2" in html
    assert "plan/odd%20%22chart%22.png" in {img["src"] for img in p.imgs}


def test_svg_is_shown_where_written_and_every_format_linked(tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "summary.md").write_text("# Plan\n", encoding="utf-8")
    for f in ("spending.png", "spending.svg", "spending.pdf", "fan.pdf"):
        (folder / f).write_bytes(b"")
    p = Page(write_index(tmp_path, ["plan"], []).read_text(encoding="utf-8"))
    assert [img["src"] for img in p.imgs] == ["plan/spending.svg"]  # fan: a PDF only, linked not shown
    assert {"plan/spending.png", "plan/spending.svg", "plan/spending.pdf", "plan/fan.pdf"} <= set(p.hrefs)


def test_a_chart_the_summary_shows_itself_is_shown_once_in_a_format_written(tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "summary.md").write_text("# Plan\n\n![The plan, by year](spending.png)\n", encoding="utf-8")
    for f in ("spending.svg", "fan.png"):
        (folder / f).write_bytes(b"")
    p = Page(write_index(tmp_path, ["plan"], []).read_text(encoding="utf-8"))
    assert [(img["src"], img["alt"]) for img in p.imgs] == [
        ("plan/spending.svg", "The plan, by year"),  # only SVG was written
        ("plan/fan.png", p.imgs[1]["alt"]),
    ]


def test_markdown_renders_as_commonmark_would(site: Path) -> None:
    """Every Markdown file of the run, here and with markdown-it-py (CommonMark and tables)."""
    markdown_it = pytest.importorskip("markdown_it")
    md = markdown_it.MarkdownIt("commonmark", {"html": False}).enable("table")
    files = sorted(site.glob("*/*.md"))
    assert len(files) == 4
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert events(markdown_html(text)) == events(md.render(text)), path


def events(html: str) -> list[tuple[str, ...]]:
    """Tags, attributes and text (whitespace collapsed) of an HTML fragment; a bare-URL link (its
    text is its address: markdown-it-py links bare URLs only with an extra package) counts as text.
    """
    out: list[tuple[str, ...]] = []

    class Events(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            out.append(("start", tag, *sorted(f"{k}={v}" for k, v in attrs)))

        def handle_endtag(self, tag: str) -> None:
            if tag != "img":  # <img> and <img />: one and the same
                out.append(("end", tag))

        def handle_data(self, data: str) -> None:
            out.append(("text", data))

    parser = Events(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    plain: list[tuple[str, ...]] = []
    i = 0
    while i < len(out):
        if out[i][:2] == ("start", "a") and out[i + 1 : i + 3] == [("text", out[i][2][5:]), ("end", "a")]:
            plain.append(out[i + 1])  # <a href="X">X</a>: the address as text
            i += 3
            continue
        plain.append(out[i])
        i += 1
    merged: list[tuple[str, ...]] = []
    for e in plain:
        if e[0] == "text" and merged and merged[-1][0] == "text":
            merged[-1] = ("text", merged[-1][1] + e[1])
        else:
            merged.append(e)
    return [("text", " ".join(e[1].split())) if e[0] == "text" else e for e in merged if e[0] != "text" or e[1].strip()]
