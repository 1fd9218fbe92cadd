"""What one upload may hold, whatever the import: checked while the file streams."""

from __future__ import annotations

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
# An XLSX file is a zip archive: refuse one that would unpack to far more than it weighs.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_CELL_LENGTH = 2000
# What one upload may hold once read, whatever its format: the characters of all its cells and
# the number of cells that are not empty (each costs some 60 bytes of memory beyond its text).
MAX_TOTAL_CHARACTERS = 5_000_000
MAX_FILLED_CELLS = 500_000
# Parts of a workbook that openpyxl reads whole before the first row (not streamed).
MAX_SHARED_STRINGS_BYTES = 20 * 1024 * 1024
MAX_STYLES_BYTES = 5 * 1024 * 1024
# Rows read from a workbook, empty ones included, before it is refused as too long.
MAX_ROWS_READ = 2 * MAX_ROWS + 1000
# The report lists this many problems; the count says how many there were in all.
MAX_ERRORS_SHOWN = 1000
