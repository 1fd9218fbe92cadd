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

The package's parts: ``fields`` (limits and what a column can hold), ``reading`` (the file),
``checking`` (every row, and what is already recorded), ``writing`` (the import) and ``forms``.
"""

from samvirke.mapping.imports.checking import (
    ImportOutcome,
    RowError,
    summary_of,
)
from samvirke.mapping.imports.fields import (
    MAX_ERRORS_SHOWN,
    ImportField,
    ImportFileError,
)
from samvirke.mapping.imports.forms import (
    ImportColumnsForm,
    ImportUploadForm,
    column_field_name,
)
from samvirke.mapping.imports.reading import (
    column_problems,
    guess_columns,
    read_table,
    sha256_of,
)
from samvirke.mapping.imports.writing import (
    ImportWriteError,
    batch_uploaded_by,
    create_batch,
    import_members,
    plan_rows,
    purge_stale_batches,
)

__all__ = [
    "MAX_ERRORS_SHOWN",
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
