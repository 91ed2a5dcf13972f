"""crassess: digital-maturity assessment of a territory."""

import os

# openpyxl writes its XML with lxml when lxml is installed (the test extra brings it) and with the standard
# library otherwise; the bytes differ. Always the standard library, so a workbook is the same everywhere.
os.environ.setdefault("OPENPYXL_LXML", "False")

__version__ = "0.1.0"
