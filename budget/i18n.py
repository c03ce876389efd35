"""Languages: the reader-facing text in English (the default) or Czech, and numbers in each
language's format.

Strings are marked with ``_()`` (whole sentences with named placeholders, so that a translator
sees the sentence) and translated from GNU gettext catalogs, read with the standard library's
``gettext``: ``budget/locale/<lang>/LC_MESSAGES/budget.po`` is the source a translator edits,
``budget.mo`` beside it is compiled from it (``python -m budget.locale``, which needs the dev
extra's Babel; a test fails when the two disagree or a string has no translation).

The language is a process-wide setting (``use``), set once per run and once in every worker
process, because text is made deep inside tables and charts.

Number formats (``num``): English ``12,345.7`` and ``3.5 %``; Czech ``12 345,7`` and
``3,5 %`` with no-break spaces (U+00A0), and money as ``15,0 mld. USD`` / ``123 mld. Kč``.
"""

from __future__ import annotations

import gettext
import math
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

LANGS = ("en", "cs")  # English is the source language: its catalog is the identity
DOMAIN = "budget"
LOCALE_DIR = Path(__file__).parent / "locale"
NBSP = "\u00a0"

_lang = "en"


@cache
def _catalog(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang])


def language() -> str:
    """The language text is made in now (``en`` or ``cs``)."""
    return _lang


def set_language(lang: str) -> None:
    """Make text in ``lang`` from now on (one of ``LANGS``; ``ValueError`` otherwise)."""
    global _lang
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGS)}")
    _catalog(lang)  # fails here, not halfway through a run, if the catalog is missing
    _lang = lang


@contextmanager
def use(lang: str) -> Iterator[None]:
    r"""Make text in ``lang`` inside the ``with`` block, then go back to the previous language.

    >>> with use("cs"):
    ...     num(1234.5)
    '1\xa0234,5'
    >>> num(1234.5)
    '1,234.5'
    """
    before = _lang
    set_language(lang)
    try:
        yield
    finally:
        set_language(before)


def _(message: str) -> str:
    """``message`` in the current language (itself where the catalog has no translation; an empty
    message stays empty, where gettext would give the catalog's header).
    """
    return message if _lang == "en" or not message else _catalog(_lang).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention Babel extracts
    """Mark ``message`` for the catalog where it is defined (a table of texts) and translate it where
    it is shown, with ``_(TABLE[key])``: returns ``message`` unchanged.
    """
    return message


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, told apart by ``context`` (e.g. ``"currency"``)."""
    return message if _lang == "en" else _catalog(_lang).pgettext(context, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the current language (Czech has three forms)."""
    if _lang == "en":
        return singular if n == 1 else plural
    return _catalog(_lang).ngettext(singular, plural, n)


def num(x: float | None, digits: int = 1, missing: str = "n/a") -> str:
    """``x`` with thousands separators in the current language's format; ``missing`` (translated)
    for a missing number. Never ``-0.0``: a value that rounds to zero prints as zero.

    >>> num(12345.678), num(-0.01), num(float("nan"))
    ('12,345.7', '0.0', 'n/a')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return _(missing)
    text = f"{x:,.{digits}f}"
    if text.lstrip("-").strip("0.,") == "":
        text = text.lstrip("-")
    if _lang == "cs":
        text = text.replace(",", NBSP).replace(".", ",").replace("-", "\u2212")
    return text


def pct(x: float | None, digits: int = 1) -> str:
    """A percentage with a no-break space before the sign: ``3.5 %`` / ``3,5 %``."""
    return f"{num(x, digits)}{NBSP}%"


def currency(code: str) -> str:
    """How a currency code is written in running text: ``CZK`` in English, ``Kč`` in Czech."""
    return pgettext("currency", code)


def money(amount: str, code: str) -> str:
    """A formatted amount in billions of a currency: ``USD 15.0 bn`` / ``15,0 mld. USD``."""
    return _("{currency} {amount} bn").format(currency=currency(code), amount=amount)


def short(x: float) -> str:
    """A number in its shortest form (Python's ``g``), in the current language: ``3.5``, ``20``
    (``3,5`` in Czech). For levels and shares as stated (``3.5 % of GDP``), not for measured figures.
    """
    text = f"{x:g}"
    return text.replace(".", ",").replace("-", "\u2212") if _lang == "cs" else text


def billions(code: str) -> str:
    """The unit "billions of a currency" after a number or in a table header: ``USD bn`` / ``mld. USD``."""
    return _("{currency} bn").format(currency=currency(code))


def _marked() -> tuple[str, ...]:  # pragma: no cover - never called: marks messages made from variables
    """Messages the code makes from a variable (``currency(code)``, ``num``'s ``missing``), written
    out here so that the extraction (``python -m budget.locale``) finds them.
    """
    return pgettext("currency", "CZK"), _("n/a")
