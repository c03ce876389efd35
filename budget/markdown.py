"""Markdown to HTML for the Markdown budget writes itself (``summary.md``, ``comparison.md``).

Exactly the subset the writers emit, rendered as CommonMark with GitHub's tables would render it:
ATX headings, paragraphs (lines joined), ``-`` bullet lists (a line that is not an item
continues the item), pipe tables with ``:---:`` alignment, ``**strong**``, ``*emphasis*``,
```code```, ``![alt](image)``, ``[text](link)``, ``<https://...>`` and bare ``https://...``
links. No raw HTML: every character of text is escaped, so a title such as ``<b>`` shows as
typed. A test renders every Markdown file of a run both here and with markdown-it-py and
compares the two.

A small converter rather than a runtime dependency: the input is ours, the subset is small and
fixed, and every ``budget run`` writes ``index.html``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

Link = Callable[[str], "str | None"]  # href as written -> href on the page, or None: no link

HEADING = re.compile(r"(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
BULLET = re.compile(r"[-*+][ \t]+(.*)")
SEPARATOR = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|<(?P<auto>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)>"
    r"|!\[(?P<alt>[^\]]*)\]\((?P<src>[^()\s]*)\)"
    r"|\[(?P<text>[^\]]+)\]\((?P<href>[^()\s]*)\)"
    r"|\*\*(?P<strong>[^*\s](?:.*?[^*\s])?)\*\*"
    r"|\*(?P<em>[^*\s](?:[^*]*?[^*\s])?)\*"
    r"|(?P<url>https?://[^\s<>]*[^\s<>.,;:!?'\")\]*_~])"
)


def markdown_html(text: str, shift: int = 0, href: Link | None = None) -> str:
    r"""HTML of ``text``; headings one level lower per ``shift``; each link's target through ``href``.

    >>> markdown_html("# A & B\n\nSee **<this>** and [x](y.md).")
    '<h1>A &amp; B</h1>\n<p>See <strong>&lt;this&gt;</strong> and <a href="y.md">x</a>.</p>'
    """
    link: Link = href or (lambda h: h)
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
        elif m := HEADING.fullmatch(line):
            level = min(6, len(m[1]) + shift)
            out.append(f"<h{level}>{inline(m[2], link)}</h{level}>")
            i += 1
        elif _table_at(lines, i):
            i = _table(lines, i, out, link)
        elif BULLET.fullmatch(line):
            items: list[str] = []
            while i < len(lines) and lines[i].strip() and not _starts_other(lines, i):
                item = BULLET.fullmatch(lines[i].strip())
                if item:
                    items.append(item[1])
                else:  # a lazy continuation of the item above
                    items[-1] += "\n" + lines[i].strip()
                i += 1
            out.append("<ul>\n" + "\n".join(f"<li>{inline(t, link)}</li>" for t in items) + "\n</ul>")
        else:
            para = [line]
            i += 1
            while i < len(lines) and lines[i].strip() and not _starts_block(lines, i):
                para.append(lines[i].strip())
                i += 1
            out.append(f"<p>{inline(chr(10).join(para), link)}</p>")
    return "\n".join(out)


def _starts_block(lines: list[str], i: int) -> bool:
    """Whether line ``i`` starts a heading, a list or a table (each interrupts a paragraph)."""
    line = lines[i].strip()
    return bool(HEADING.fullmatch(line) or BULLET.fullmatch(line) or _table_at(lines, i))


def _starts_other(lines: list[str], i: int) -> bool:
    """Whether line ``i`` starts a heading or a table (which end a list)."""
    return bool(HEADING.fullmatch(lines[i].strip()) or _table_at(lines, i))


def _table_at(lines: list[str], i: int) -> bool:
    """A pipe table starts here: a row, then a separator row with as many cells."""
    if i + 1 >= len(lines) or "|" not in lines[i] or not SEPARATOR.fullmatch(lines[i + 1].strip()):
        return False
    return len(_cells(lines[i])) == len(_cells(lines[i + 1]))


def _cells(row: str) -> list[str]:
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", row)]


def _table(lines: list[str], i: int, out: list[str], link: Link) -> int:
    """Render the table at line ``i`` into ``out``; return the line after it."""
    head = _cells(lines[i])
    aligns = []
    for spec in _cells(lines[i + 1]):
        side = {(True, True): "center", (True, False): "left", (False, True): "right"}.get(
            (spec.startswith(":"), spec.endswith(":"))
        )
        aligns.append(f' style="text-align:{side}"' if side else "")
    i += 2
    body = []
    while i < len(lines) and lines[i].strip() and not _starts_other(lines, i):
        cells = _cells(lines[i])
        body.append((cells + [""] * len(head))[: len(head)])
        i += 1

    def row(cells: list[str], tag: str) -> str:
        return (
            "<tr>\n"
            + "".join(f"<{tag}{a}>{inline(c, link)}</{tag}>\n" for c, a in zip(cells, aligns, strict=True))
            + "</tr>"
        )

    html = ["<table>", "<thead>", row(head, "th"), "</thead>"]
    if body:
        html += ["<tbody>", *(row(r, "td") for r in body), "</tbody>"]
    out.append("\n".join([*html, "</table>"]))
    return i


def inline(text: str, link: Link) -> str:
    """HTML of one block's text: code, links, strong and emphasis; everything else escaped."""
    out: list[str] = []
    at = 0
    for m in INLINE.finditer(text):
        out.append(escape(text[at : m.start()]))
        at = m.end()
        if m["code"] is not None:
            out.append(f"<code>{escape(m['code'])}</code>")
        elif m["src"] is not None:
            src = link(m["src"])
            out.append(escape(m["alt"]) if src is None else f'<img src="{escape(src)}" alt="{escape(m["alt"])}">')
        elif m["text"] is not None:
            out.append(_anchor(link(m["href"]), inline(m["text"], link)))
        elif m["strong"] is not None:
            out.append(f"<strong>{inline(m['strong'], link)}</strong>")
        elif m["em"] is not None:
            out.append(f"<em>{inline(m['em'], link)}</em>")
        else:
            url = m["auto"] or m["url"]
            out.append(_anchor(link(url), escape(url)))
    out.append(escape(text[at:]))
    return "".join(out)


def _anchor(href: str | None, html: str) -> str:
    return f'<a href="{escape(href)}">{html}</a>' if href is not None else html
