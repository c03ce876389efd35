"""Groups of countries (``budget/data/groups.toml``): who an alliance scenario adds up.

A group is defined by membership (every country folder listing it in ``memberships``) minus an
``except`` list, or by an explicit ``members`` list. Countries are data: nothing here names one.
"""

from __future__ import annotations

from dataclasses import dataclass

from budget.history import DATA, countries, load_country, load_toml


@dataclass(frozen=True)
class Group:
    """A named set of country keys (sorted), with the label readers see."""

    id: str
    label: str
    members: tuple[str, ...]
    note: str = ""


def groups() -> dict[str, Group]:
    """Every group of ``groups.toml`` by id."""
    raw = load_toml(DATA / "groups.toml").get("groups", {})
    assert isinstance(raw, dict)
    out = {}
    for gid, spec in raw.items():
        if "members" in spec:
            members = tuple(sorted(spec["members"]))
        else:
            need = spec["membership"]
            need = [need] if isinstance(need, str) else list(need)
            members = tuple(
                k
                for k in countries()
                if all(m in load_country(k).memberships for m in need) and k not in spec.get("except", ())
            )
        out[gid] = Group(gid, spec["label"], members, spec.get("note", ""))
    return out


def resolve(group: str | list[str]) -> Group:
    """A group id, or a list of country keys (a group of its own); ``KeyError`` names what is unknown."""
    if isinstance(group, str):
        known = groups()
        if group not in known:
            raise KeyError(group)
        return known[group]
    unknown = [k for k in group if k not in countries()]
    if unknown:
        raise KeyError(", ".join(unknown))
    names = [load_country(k).name for k in group]
    return Group("custom", ", ".join(names), tuple(sorted(dict.fromkeys(group))))
