"""Records every importer returns, whatever the publisher's file layout.

An importer turns one input file into these records; ``budget.importers.build`` turns records
into each country's ``series.csv``. Values are as published: no rounding, no filling
(``None`` where the publisher gives no value).
"""

from __future__ import annotations

from typing import NamedTuple


class WeoValue(NamedTuple):
    """One IMF World Economic Outlook value.

    ``weo_code`` is the WEO subject code (``NGDP`` national currency bn, ``NGDPD`` USD bn,
    ``NGDP_RPCH`` real growth in percent, ``NGDP_D`` deflator index with ``base_year`` = 100).
    ``last_actual`` is the country's last year of actual data ("Estimates Start After").
    """

    iso3: str
    weo_code: str
    year: int
    value: float | None
    base_year: int | None
    last_actual: int | None


class RateValue(NamedTuple):
    """One annual-average exchange rate as published: ``value`` units of ``quote`` per ``base``
    (FRED's ``AEXUSEU`` is USD per EUR: base ``EUR``, quote ``USD``).
    """

    series_id: str
    base: str
    quote: str
    year: int
    value: float | None
