"""Importing an existing member survey (a CSV or XLSX file) as participants and their mappings.

Three steps: the file is read and kept in an :class:`ImportBatch`; the user says which column
holds what; then every row is checked before anything is written. One bad row and nothing is
imported: the report lists every problem by row and column, in the user's language.

Re-importing is safe. The member id of each row is remembered per programme
(:class:`ImportedMember`); a member seen before gets a new mapping version only when the row says
something different from what is already recorded, so the same file twice changes nothing.

Lookups are made once per import (classifications, municipalities, earlier imports and their
mappings), never per row. Everything is written in one transaction: members seen before through
the participants' and mapping services, new members in bulk as those services would write them
(``tests/mapping/test_member_import.py`` keeps the two equal).

The file is read, its columns guessed and its cells parsed by the import kit
(:mod:`samvirke.imports`), as in every import. The package's parts: ``fields`` (what a column
can hold), ``checking`` (every row, and what is already recorded), ``writing`` (the import)
and ``forms`` (the upload).
"""

from samvirke.imports.forms import column_field_name
from samvirke.imports.limits import MAX_ERRORS_SHOWN
from samvirke.imports.reading import ImportFileError, read_table, sha256_of
from samvirke.imports.rows import RowError
from samvirke.imports.steps import ImportWriteError
from samvirke.mapping.imports.checking import (
    ImportOutcome,
    summary_of,
)
from samvirke.mapping.imports.fields import MEMBER_COLUMNS, ImportField
from samvirke.mapping.imports.forms import (
    ImportColumnsForm,
    ImportUploadForm,
)
from samvirke.mapping.imports.writing import (
    batch_uploaded_by,
    create_batch,
    import_members,
    plan_rows,
    purge_stale_batches,
)

guess_columns = MEMBER_COLUMNS.guess
column_problems = MEMBER_COLUMNS.problems

__all__ = [
    "MAX_ERRORS_SHOWN",
    "MEMBER_COLUMNS",
    "ImportColumnsForm",
    "ImportField",
    "ImportFileError",
    "ImportOutcome",
    "ImportUploadForm",
    "ImportWriteError",
    "RowError",
    "batch_uploaded_by",
    "column_field_name",
    "column_problems",
    "create_batch",
    "guess_columns",
    "import_members",
    "plan_rows",
    "purge_stale_batches",
    "read_table",
    "sha256_of",
    "summary_of",
]
