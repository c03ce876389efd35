"""``python -m budget``: the same as the ``budget`` command."""

import sys

from budget.cli import main

sys.exit(main())
