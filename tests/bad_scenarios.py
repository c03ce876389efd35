"""One small bad scenario per failure mode, shared by the library and the CLI tests.

Each case names the files to write, the file to load, and the (file, key, words) that the
resulting ``ScenarioError`` must report. ``key`` is exact; ``""`` for file-level problems.
"""

from __future__ import annotations

from dataclasses import dataclass

TARGET = """
[[targets]]
year = 2030
value = 3.0
unit = "pct_gdp"
"""
GOOD = 'title = "Test scenario"\n' + TARGET


@dataclass(frozen=True)
class Case:
    """A bad input and the problem it must produce."""

    id: str
    files: dict[str, str]
    key: str
    words: tuple[str, ...]
    main: str = "bad.toml"  # the file to load
    file: str = "bad.toml"  # the file the problem must name


def _bad(text: str, key: str, *words: str, case_id: str) -> Case:
    return Case(case_id, {"bad.toml": text}, key, words)


def _target(body: str) -> str:
    return 'title = "Test scenario"\n\n[[targets]]\n' + body.strip() + "\n"


CASES: list[Case] = [
    Case("missing_file", {}, "", ("file not found",), main="missing.toml", file="missing.toml"),
    _bad('title = "Test"\nthis is = not = toml\n' + TARGET, "", "TOML syntax error", case_id="toml_syntax"),
    _bad('titel = "typo"\n' + GOOD, "titel", "unknown key", "top level", "title", case_id="unknown_top_key"),
    _bad(GOOD + '\n[path]\nmethd = "linear"\n', "path.methd", "unknown key", "[path]", "method",
         case_id="unknown_table_key"),
    _bad(_target('year = 2030\nvalue = 3.0\nunit = "pct_gdp"\nyaer = 2031'), "targets[0].yaer",
         "unknown key", "year", case_id="unknown_target_key"),
    _bad(GOOD + '\n[procurement]\nlow_pct = "20"\n', "procurement.low_pct", "expected a number", "'20'",
         case_id="string_for_number"),
    _bad(_target('year = 2030\nvalue = true\nunit = "pct_gdp"'), "targets[0].value", "expected a number",
         "True", case_id="bool_for_number"),
    _bad(GOOD + "\n[economy]\nreal_growth_pct = false\n", "economy.real_growth_pct", "expected a number",
         case_id="bool_for_economy_number"),
    _bad(_target('year = 2030\nvalue = 15.0\nunit = "eur_bn"'), "targets[0].unit", "'eur_bn'",
         "not allowed", "usd_bn", "czk_bn", "pct_gdp", case_id="wrong_unit"),
    _bad(_target('year = 2030\nvalue = -5.0\nunit = "usd_bn"'), "targets[0].value", "-5", "negative",
         case_id="negative_amount"),
    _bad(GOOD + "\n[procurement]\nlow_pct = 120\nhigh_pct = 130\n", "procurement.low_pct", "120", "0-100",
         case_id="procurement_share_over_100"),
    _bad(_target('year = 2030\nvalue = 150.0\nunit = "pct_gdp"'), "targets[0].value", "150", "0-100",
         case_id="target_share_over_100"),
    _bad(_target('year = 2030\nlow = 25.0\nhigh = 23.0\nunit = "usd_bn"'), "targets[0].low", "25", "23",
         "above", case_id="range_low_above_high"),
    _bad(GOOD + "\n[procurement]\nlow_pct = 30\nhigh_pct = 20\n", "procurement", "low_pct", "high_pct",
         "above", case_id="procurement_low_above_high"),
    _bad(_target('year = 2020\nvalue = 3.0\nunit = "pct_gdp"'), "targets[0].year", "2020", "2026",
         case_id="target_year_in_history"),
    _bad(_target('year = 2040\nvalue = 3.0\nunit = "pct_gdp"'), "targets[0].year", "2040", "end_year",
         case_id="target_year_after_end"),
    _bad(GOOD + TARGET.replace("2030", "2028"), "targets", "increasing", "2030, 2028",
         case_id="unsorted_years"),
    _bad(GOOD + TARGET, "targets", "duplicates", "2030, 2030", case_id="duplicate_years"),
    Case("extends_loop_two_files", {"bad.toml": 'extends = "other.toml"\n' + GOOD,
                                    "other.toml": 'extends = "bad.toml"\n' + GOOD},
         "extends", ("loop", "bad.toml", "other.toml"), file="other.toml"),
    Case("extends_loop_self", {"bad.toml": 'extends = "bad.toml"\n' + GOOD},
         "extends", ("loop", "bad.toml")),
    _bad('extends = "nowhere.toml"\n' + GOOD, "extends", "not found", "nowhere.toml",
         case_id="extends_missing_file"),
    _bad(_target('year = 2030\nvalue = 15.0\nunit = "usd_bn"\nprices = "constant"'), "targets[0].base_year",
         "required", "constant", case_id="constant_without_base_year"),
    _bad(GOOD + '\n[path]\nmethod = "cubic"\n', "path.method", "'cubic'", "linear", "geometric", "step",
         case_id="unknown_method"),
    _bad(GOOD + '\n[path]\nafter_last = "grow"\n', "path.after_last", "'grow'", "hold_share", "hold_real",
         "stop", case_id="unknown_after_last"),
    _bad(GOOD + "\n[uncertainty]\nreal_growth_sd_pct = -1.0\n", "uncertainty.real_growth_sd_pct", "-1",
         "negative", case_id="negative_sd"),
    _bad(GOOD.replace('title = "Test scenario"\n', ""), "title", "missing", case_id="missing_title"),
    _bad('title = "Test"\n[path]\nmethod = "geometric"\n' + TARGET.replace("3.0", "0.0"), "path.method",
         "geometric", "above 0", case_id="geometric_with_zero_target"),
]
