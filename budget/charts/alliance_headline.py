"""Alliance headlines: the finding each alliance chart's title states, from numbers its module
computes from the members' data (as ``budget.charts.headline`` does for a scenario's charts).

Pure functions of numbers and names. Each sentence is whole, with named placeholders, through
the translation hook ``_`` (``budget.i18n``); each says it compares with a line's **level**, and
whether the members follow straight paths (our assumption) or other rules.
"""

from __future__ import annotations

from budget.i18n import _, num

NBSP, DASH = "\u00a0", "\u2013"


def count(n: int, total: int) -> str:
    """How many of ``total``: "none of the 30", "all 30" or "4 of 30".

    >>> count(0, 30), count(30, 30), count(4, 30)
    ('none of the 30', 'all 30', '4 of 30')
    """
    if n == 0:
        return _("none of the {total}").format(total=total)
    return _("all {total}").format(total=total) if n == total else _("{n} of {total}").format(n=n, total=total)


def rank_text(position: int, n: int) -> str:
    """A rank in words: "the highest", "the third highest", "the lowest" (``position`` from 1, highest first)."""
    if position == 1:
        return _("the highest")
    if position == n:
        return _("the lowest")
    ordinals = (_("second"), _("third"), _("fourth"), _("fifth"), _("sixth"), _("seventh"), _("eighth"), _("ninth"))
    if position - 2 < len(ordinals):
        return _("the {ordinal} highest").format(ordinal=ordinals[position - 2])
    return _("the {position}th highest").format(position=position)


def ranked_title(
    group: str, n: int, below: int, low: str, reach: tuple[int, int], high: str, end: int, paths: bool
) -> str:
    """How many members were below the lowest common core line's level ``low`` in their last
    figure, and how many reach the highest one's, ``high``, in ``end`` at the low and the high end.

    >>> ranked_title("G", 30, 4, "NATO 2 %", (30, 30), "NATO 3.5 % core", 2035, True).split("; ")[1]
    'on these paths all 30 reach the NATO 3.5 % core level in 2035'
    """
    words = {"group": group, "below": count(below, n), "low": low, "high": high, "end": end}
    if reach[0] == reach[1]:
        template = (
            _(
                "{group}: {below} below the {low} level in their last figure; on these paths {reach} reach the "
                "{high} level in {end}"
            )
            if paths
            else _(
                "{group}: {below} below the {low} level in their last figure; under these rules {reach} reach the "
                "{high} level in {end}"
            )
        )
        return template.format(reach=count(reach[0], n), **words)
    template = (
        _(
            "{group}: {below} below the {low} level in their last figure; on these paths {low_end} (low end of the "
            "range) to {high_end} (high end) reach the {high} level in {end}"
        )
        if paths
        else _(
            "{group}: {below} below the {low} level in their last figure; under these rules {low_end} (low end of "
            "the range) to {high_end} (high end) reach the {high} level in {end}"
        )
    )
    return template.format(low_end=count(reach[0], n), high_end=count(reach[1], n), **words)


def ranked_plain(group: str, n: int, end: int) -> str:
    """The ranked chart's title where no core line binds every member."""
    return _("{group}: {n} members by share of GDP, last figure and {end}").format(group=group, n=n, end=end)


def group_path_title(group: str, share: str, end: int, extra: str, start: int, first: int) -> str:
    """The group's share in ``end`` and the extra money of its rules over holding each member's
    last share (``share``, ``extra``: formatted, "" where unknown).

    >>> group_path_title("G", "3.50 %", 2035, "USD 2,510 bn", 2026, 2014)
    'G: 3.50 % of GDP in 2035, USD 2,510 bn more over 2026–2035 than if each member held its last share'
    """
    words = {"group": group, "share": share, "end": end, "extra": extra, "start": start, "first": first}
    if share and extra:
        return _(
            "{group}: {share} of GDP in {end}, {extra} more over {start}–{end} than if each member held its last share"
        ).format(**words)
    if share:
        return _("{group}: {share} of GDP in {end}").format(**words)
    if extra:
        return _("{group}: {extra} more over {start}–{end} than if each member held its last share").format(**words)
    return _("{group}: defense spending, {first}–{end}").format(**words)


def multiples_title(
    group: str, rose: int, n: int, since: int | None, mover: str, change: tuple[float, float], end: int, paths: bool
) -> str:
    """How many members raised their share since ``since`` (None: each since its first figure) and
    whose share moves most by ``end`` (``mover``, "" for none), by ``change`` points at the low and
    the high end (one number where they read alike).

    >>> multiples_title("G", 30, 30, 2014, "Slovenia", (2.13, 2.13), 2035, True).split("; ")[1]
    "on these paths Slovenia's share rises most by 2035, +2.1 points"
    >>> multiples_title("G", 30, 30, None, "CZ", (2.06, 2.4), 2035, False).split("; ")[1]
    "under these rules CZ's share rises most by 2035, +2.1–2.4 points"
    """
    when = _("since {year}").format(year=since) if since is not None else _("since their first figure")
    words = {"group": group, "rose": count(rose, n), "since": when, "name": mover, "end": end}
    if not mover:
        return _("{group}: {rose} raised their share of GDP {since}").format(**words)
    low, high = sorted(abs(c) for c in change)
    size = num(low, 1) if num(low, 1) == num(high, 1) else f"{num(low, 1)}{DASH}{num(high, 1)}"
    if max(change, key=abs) >= 0:
        template = (
            _(
                "{group}: {rose} raised their share of GDP {since}; on these paths {name}'s share rises most by "
                "{end}, +{points} points"
            )
            if paths
            else _(
                "{group}: {rose} raised their share of GDP {since}; under these rules {name}'s share rises most by "
                "{end}, +{points} points"
            )
        )
    else:
        template = (
            _(
                "{group}: {rose} raised their share of GDP {since}; on these paths {name}'s share falls most by "
                "{end}, \u2212{points} points"
            )
            if paths
            else _(
                "{group}: {rose} raised their share of GDP {since}; under these rules {name}'s share falls most by "
                "{end}, \u2212{points} points"
            )
        )
    return template.format(points=size, **words)


def neighbours_title(
    name: str, share: str, year: int, rank: str, n: int, group: str, end_share: str, end: int, paths: bool
) -> str:
    """One member's last share, its rank in its comparison group, and its share in ``end``.

    >>> neighbours_title("CZ", "2.00 %", 2025, "the third highest", 4, "V4", "3.50 %", 2035, True).split("; ")
    ['CZ: 2.00 % of GDP in 2025, the third highest of the 4 in V4', 'on these paths it reaches 3.50 % in 2035']
    """
    words = {"name": name, "share": share, "year": year, "rank": rank, "n": n, "group": group}
    template = (
        _(
            "{name}: {share} of GDP in {year}, {rank} of the {n} in {group}; on these paths it reaches "
            "{end_share} in {end}"
        )
        if paths
        else _(
            "{name}: {share} of GDP in {year}, {rank} of the {n} in {group}; under these rules it reaches {end_share} "
            "in {end}"
        )
    )
    return template.format(end_share=end_share, end=end, **words)
