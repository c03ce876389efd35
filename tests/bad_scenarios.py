"""One small bad scenario per failure mode, shared by the library and the CLI tests.

Each case names the files to write, the file to load, and the (file, key, words) that the
resulting ``ScenarioError`` must report. ``key`` is exact; ``""`` for file-level problems.
"""

from __future__ import annotations

from dataclasses import dataclass

from budget.schema import gdp_line

EDITIONS = gdp_line().editions  # the shipped GDP editions, read from the data
NEWER = EDITIONS[-1]  # IMF WEO April 2026 states Bulgaria in euro

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
    _bad(
        GOOD + '\n[path]\nmethd = "linear"\n',
        "path.methd",
        "unknown key",
        "[path]",
        "method",
        case_id="unknown_table_key",
    ),
    _bad(
        _target('year = 2030\nvalue = 3.0\nunit = "pct_gdp"\nyaer = 2031'),
        "targets[0].yaer",
        "unknown key",
        "year",
        case_id="unknown_target_key",
    ),
    _bad(
        GOOD + '\n[procurement]\nlow_pct = "20"\n',
        "procurement.low_pct",
        "expected a number",
        "'20'",
        case_id="string_for_number",
    ),
    _bad(
        _target('year = 2030\nvalue = true\nunit = "pct_gdp"'),
        "targets[0].value",
        "expected a number",
        "True",
        case_id="bool_for_number",
    ),
    _bad(
        GOOD + "\n[economy]\nreal_growth_pct = false\n",
        "economy.real_growth_pct",
        "expected a number",
        case_id="bool_for_economy_number",
    ),
    _bad(
        _target('year = 2030\nvalue = 15.0\nunit = "eur_bn"'),
        "targets[0].unit",
        "'eur_bn'",
        "not allowed",
        "usd_bn",
        "czk_bn",
        "pct_gdp",
        case_id="wrong_unit",
    ),
    _bad(
        _target('year = 2030\nvalue = -5.0\nunit = "usd_bn"'),
        "targets[0].value",
        "-5",
        "negative",
        case_id="negative_amount",
    ),
    _bad(
        GOOD + "\n[procurement]\nlow_pct = 120\nhigh_pct = 130\n",
        "procurement.low_pct",
        "120",
        "0-100",
        case_id="procurement_share_over_100",
    ),
    _bad(
        _target('year = 2030\nvalue = 150.0\nunit = "pct_gdp"'),
        "targets[0].value",
        "150",
        "0-100",
        case_id="target_share_over_100",
    ),
    _bad(
        _target('year = 2030\nlow = 25.0\nhigh = 23.0\nunit = "usd_bn"'),
        "targets[0].low",
        "25",
        "23",
        "above",
        case_id="range_low_above_high",
    ),
    _bad(
        GOOD + "\n[procurement]\nlow_pct = 30\nhigh_pct = 20\n",
        "procurement",
        "low_pct",
        "high_pct",
        "above",
        case_id="procurement_low_above_high",
    ),
    _bad(
        _target('year = 2020\nvalue = 3.0\nunit = "pct_gdp"'),
        "targets[0].year",
        "2020",
        "2026",
        case_id="target_year_in_history",
    ),
    _bad(
        _target('year = 2040\nvalue = 3.0\nunit = "pct_gdp"'),
        "targets[0].year",
        "2040",
        "end_year",
        case_id="target_year_after_end",
    ),
    _bad(GOOD + TARGET.replace("2030", "2028"), "targets", "increasing", "2030, 2028", case_id="unsorted_years"),
    _bad(GOOD + TARGET, "targets", "duplicates", "2030, 2030", case_id="duplicate_years"),
    Case(
        "extends_loop_two_files",
        {"bad.toml": 'extends = "other.toml"\n' + GOOD, "other.toml": 'extends = "bad.toml"\n' + GOOD},
        "extends",
        ("loop", "bad.toml", "other.toml"),
        file="other.toml",
    ),
    Case("extends_loop_self", {"bad.toml": 'extends = "bad.toml"\n' + GOOD}, "extends", ("loop", "bad.toml")),
    _bad('extends = "nowhere.toml"\n' + GOOD, "extends", "not found", "nowhere.toml", case_id="extends_missing_file"),
    _bad(
        _target('year = 2030\nvalue = 15.0\nunit = "usd_bn"\nprices = "constant"'),
        "targets[0].base_year",
        "required",
        "constant",
        case_id="constant_without_base_year",
    ),
    _bad(
        GOOD + '\n[path]\nmethod = "cubic"\n',
        "path.method",
        "'cubic'",
        "linear",
        "geometric",
        "step",
        case_id="unknown_method",
    ),
    _bad(
        GOOD + '\n[path]\nafter_last = "grow"\n',
        "path.after_last",
        "'grow'",
        "hold_share",
        "hold_real",
        "stop",
        case_id="unknown_after_last",
    ),
    _bad(
        GOOD + "\n[uncertainty]\nreal_growth_sd_pct = -1.0\n",
        "uncertainty.real_growth_sd_pct",
        "-1",
        "negative",
        case_id="negative_sd",
    ),
    _bad(GOOD.replace('title = "Test scenario"\n', ""), "title", "missing", case_id="missing_title"),
    _bad(
        'title = "Test"\n[path]\nmethod = "geometric"\n' + TARGET.replace("3.0", "0.0"),
        "path.method",
        "geometric",
        "above 0",
        case_id="geometric_with_zero_target",
    ),
]

# Loader holes: files the TOML reader or the path handling choked on, and keys that were ignored.
CASES += [
    _bad("\ufeff" + GOOD, "", "byte-order mark", "without BOM", case_id="utf8_bom"),
    _bad('extends = "a\\u0000b.toml"\n' + GOOD, "extends", "NUL", case_id="extends_nul_byte"),
    _bad('extends = ""\n' + GOOD, "extends", "empty", "give a file name or remove the key", case_id="extends_empty"),
    _bad("x = " + "[" * 100_000 + "\n" + GOOD, "", "nested too deeply", case_id="deeply_nested_arrays"),
    _bad("x = " + "{a = " * 100_000 + "\n" + GOOD, "", "nested too deeply", case_id="deeply_nested_inline_tables"),
    _bad(
        'title = "Test scenario"\n"economy.real_growth_pct" = 3\n' + TARGET,
        '"economy.real_growth_pct"',
        "unknown key",
        "top level",
        "[economy]",
        case_id="quoted_dotted_key_at_top_level",
    ),
    _bad(
        '"{cur}_per_usd" = 40\n' + GOOD,
        '"{cur}_per_usd"',
        "unknown key",
        "top level",
        case_id="placeholder_key_at_top_level",
    ),
    _bad(
        GOOD + '\n[economy]\n"{cur}_per_usd" = 40\n',
        'economy."{cur}_per_usd"',
        "unknown key",
        "czk_per_usd",
        case_id="placeholder_key_in_economy",
    ),
    _bad('name = "a__b"\n' + GOOD, "name", "'a__b'", "__", "allowed", case_id="name_with_double_underscore"),
    _bad('name = "Comparison"\n' + GOOD, "name", "reserved", "comparison", "any case", case_id="name_reserved"),
    _bad(
        _target('year = 2030\nvalue = 200000.0\nunit = "usd_bn"'),
        "targets[0].value",
        "200,000",
        "100,000",
        "world GDP",
        case_id="usd_target_above_world_gdp",
    ),
    _bad(
        _target('year = 2030\nlow = 1.0\nhigh = 2e9\nunit = "czk_bn"'),
        "targets[0].high",
        "1,000,000,000",
        case_id="local_target_above_bound",
    ),
    _bad(
        GOOD + '\n[[claims]]\nyear = 2030\nvalue = 1e12\nunit = "usd_bn"\n',
        "claims[0].value",
        "100,000",
        case_id="claim_above_bound",
    ),
    _bad(GOOD + "\n[economy]\nczk_per_usd = 0.0\n", "economy.czk_per_usd", "above 0", case_id="exchange_rate_zero"),
    _bad(GOOD + "\n[economy]\nczk_per_usd = 2e6\n", "economy.czk_per_usd", "1,000,000", case_id="exchange_rate_huge"),
    _bad(GOOD + "\n[path]\nend_year = 2200\n", "path.end_year", "2200", "2100", case_id="end_year_after_2100"),
    _bad(
        "".join(f"k{i} = 1\n" for i in range(10_000)) + GOOD, "k0", "unknown key", case_id="ten_thousand_unknown_keys"
    ),
    _bad(
        GOOD + '\n[economy]\ngdp_edition = "IMF WEO 2099-10"\n',
        "economy.gdp_edition",
        "'IMF WEO 2099-10' is not allowed",
        "allowed",
        *EDITIONS,
        case_id="gdp_edition_not_shipped",
    ),
    _bad(
        GOOD + "\n[economy]\ngdp_edition = 2026\n",
        "economy.gdp_edition",
        "expected a string",
        case_id="gdp_edition_number",
    ),
    _bad(
        f'title = "Test"\ncountry = "bulgaria"\n\n[economy]\ngdp_edition = "{NEWER}"\n\n[[targets]]\n'
        'year = 2030\nvalue = 8.0\nunit = "bgn_bn"\n',
        "targets[0].unit",
        "'bgn_bn' is not allowed",
        "in EUR, not BGN",
        "eur_bn",
        "gdp_edition",
        case_id="gdp_edition_in_another_currency",
    ),
    _bad(
        f'title = "Test"\ncountry = "bulgaria"\n\n[economy]\ngdp_edition = "{NEWER}"\nbgn_per_usd = 1.7\n' + TARGET,
        "economy.bgn_per_usd",
        "in EUR, not BGN",
        "eur_per_usd",
        case_id="gdp_edition_rate_in_another_currency",
    ),
    # [execution]: a rate of the plan spent, 0-150 %, or "historical" where the data hold budget outturns.
    _bad(
        GOOD + "\n[execution]\nrate_pct = 160\n",
        "execution.rate_pct",
        "160",
        "0-150",
        case_id="execution_rate_above_150",
    ),
    _bad(GOOD + "\n[execution]\nrate_pct = -5\n", "execution.rate_pct", "negative", case_id="execution_rate_negative"),
    _bad(
        GOOD + '\n[execution]\nrate = "average"\n',
        "execution.rate",
        "'average' is not allowed",
        "historical",
        case_id="execution_rate_unknown_text",
    ),
    _bad(
        GOOD + '\n[execution]\nrate_pct = 95\nrate = "historical"\n',
        "execution",
        "either rate_pct",
        "not both",
        case_id="execution_rate_both_keys",
    ),
    _bad(
        'title = "Test"\ncountry = "poland"\n\n[execution]\nrate = "historical"\n' + TARGET,
        "execution.rate",
        "needs the budget outturns of Poland",
        "allowed",
        "rate_pct",
        "czechia",
        case_id="execution_historical_without_outturn_data",
    ),
]
