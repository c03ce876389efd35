"""Importers: publishers' files -> each country's ``series.csv`` (``python -m budget.importers``).

One module per input layout (``extracts`` for the checked long extracts, ``weo_tsv`` for the
IMF WEO download, ``fred_csv`` for FRED's CSV), ``build`` to turn records into rows per
country and edition, ``rates`` for the exchange rates, ``publish`` to write them and report what
changed. ``inputs.toml`` says which file gives what, and in which edition; nothing about a
country or a publisher is typed in the code.
"""
