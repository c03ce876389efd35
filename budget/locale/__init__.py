"""Translation catalogs (GNU gettext) and the tool that keeps them current: ``python -m budget.locale``."""
