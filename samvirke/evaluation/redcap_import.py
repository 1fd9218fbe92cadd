"""Importing a REDCap export (its data CSV and, optionally, its data dictionary): all or nothing.

The export is turned into the rows of the paper import (:mod:`samvirke.evaluation.paper_import`)
and checked and written by it, so it is scored, audited, raises safety alerts and is idempotent
by the same import key. The rules, in the order REDCap writes its files:

* the person: a ``pseudonym`` column when there is one, otherwise the record id (the first field
  of the dictionary, or the first column of the data), holding the pseudonym of someone the user
  follows;
* the day: an ``answered_on`` column, otherwise the survey timestamp of the form holding the
  questionnaire's fields (``<form>_timestamp``, or the only ``*_timestamp`` column);
* the time point: ``redcap_event_name`` without its arm (``baseline_arm_1`` is ``baseline``), as
  the time point key of a questionnaire already planned; no event column means none;
* the answers: a field named as the item (``who5_1``) holding the code of the option (radio,
  dropdown or text), or a checkbox exported as ``who5_1___3`` (0/1) with at most one ticked; the
  codes of the dictionary's choices and of every cell are checked against the questionnaire's.

Columns the dictionary lists for other forms, REDCap's own columns and ``*_complete`` are left
aside; without a dictionary, any other column is refused. A row answering none of the
questionnaire's items (another event or form) is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samvirke.evaluation import paper_import, scoring
from samvirke.evaluation.codebook import redcap_dictionary
from samvirke.evaluation.dataset import Variable
from samvirke.evaluation.paper_import import ANSWERED_ON, PSEUDONYM, TIME_POINT, CellError, Report
from samvirke.imports.cells import key as _key
from samvirke.imports.reading import Table

if TYPE_CHECKING:
    from samvirke.accounts.permissions import Access
    from samvirke.evaluation.models import InstrumentVersion

__all__ = ["Converted", "check", "convert", "template_dictionary"]

EVENT = "redcap_event_name"
RECORD_ID = "study_id"
SYSTEM = {
    EVENT,
    "redcap_repeat_instrument",
    "redcap_repeat_instance",
    "redcap_data_access_group",
    "redcap_survey_identifier",
}
CODED_TYPES = {"radio", "dropdown", "checkbox"}
ARM = re.compile(r"_arm_\d+$")
TICKED, UNTICKED = {"1", "checked"}, {"0", "", "unchecked"}


@dataclass
class Converted:
    """The export as paper-import rows, where each paper column came from, and what was wrong."""

    table: Table
    sources: dict[str, str] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)


@dataclass(frozen=True)
class _Field:
    number: int
    name: str
    form: str
    kind: str
    choices: tuple[int | str, ...]


def _choices(text: str) -> tuple[int | str, ...]:
    codes: list[int | str] = []
    for part in text.split("|"):
        code = part.split(",", 1)[0].strip()
        if code:
            codes.append(int(code) if re.fullmatch(r"-?\d+", code) else code)
    return tuple(codes)


def _dictionary(table: Table) -> tuple[list[_Field], list[CellError]]:
    first = _key(table.headers[0]) if table.headers else ""
    if first not in {_key("Variable / Field Name"), _key("field_name")} or len(table.headers) < 6:
        return [], [CellError(1, _("Data dictionary"), _("This is not a REDCap data dictionary."))]
    fields = []
    for number, cells in table.rows:
        cells = [*cells, *[""] * (6 - len(cells))]
        if cells[0].strip():
            fields.append(
                _Field(
                    number,
                    cells[0].strip(),
                    cells[1].strip(),
                    cells[3].strip().lower(),
                    _choices(cells[5]),
                )
            )
    return fields, []


def _dictionary_errors(version: InstrumentVersion, fields: list[_Field]) -> list[CellError]:
    """A coded field of the questionnaire whose codes are not the questionnaire's options."""
    items = scoring.item_by_key(version.definition)
    errors = []
    for spec in fields:
        item = items.get(spec.name)
        if item is None or spec.kind not in CODED_TYPES or item.get("kind") != "choice":
            continue
        options = scoring.option_values(version.definition, item)
        wrong = [str(code) for code in spec.choices if code not in options]
        if wrong:
            errors.append(
                CellError(
                    spec.number,
                    f"{_('Data dictionary')}: {spec.name}",
                    _("The codes %(codes)s are not choices of the questionnaire (%(choices)s).")
                    % {
                        "codes": ", ".join(wrong),
                        "choices": ", ".join(str(value) for value in options),
                    },
                )
            )
    return errors


def convert(version: InstrumentVersion, data: Table, dictionary: Table | None = None) -> Converted:
    """The export as the paper import's table, or the problems that stop it from being one."""
    item_keys = list(version.items.order_by("position").values_list("key", flat=True))
    header = [PSEUDONYM, ANSWERED_ON, TIME_POINT, *item_keys]
    converted = Converted(table=Table(headers=header, rows=[]))
    fields: list[_Field] = []
    if dictionary is not None:
        fields, converted.errors = _dictionary(dictionary)
        if converted.errors:
            return converted
        converted.errors = _dictionary_errors(version, fields)
    headers = [name.strip() for name in data.headers]
    keyed = {_key(name): index for index, name in enumerate(headers)}
    by_item = {_key(item): item for item in item_keys}
    forms = {spec.form for spec in fields if spec.name in by_item.values()}
    listed = {_key(spec.name) for spec in fields}
    record = fields[0].name if fields else (headers[0] if headers else "")

    person = keyed.get(_key(PSEUDONYM), keyed.get(_key(record)))
    if person is None:
        converted.errors.append(CellError(1, record or PSEUDONYM, _("This column is missing.")))
    stamp = keyed.get(_key(ANSWERED_ON))
    if stamp is None:
        stamps = [i for i, name in enumerate(headers) if name.lower().endswith("_timestamp")]
        own = [i for i in stamps if headers[i][: -len("_timestamp")] in forms]
        chosen = own or stamps
        stamp = chosen[0] if len(chosen) == 1 else None
    if stamp is None:
        converted.errors.append(
            CellError(
                1,
                ANSWERED_ON,
                _(
                    "Add a column answered_on with the day each questionnaire was filled in, "
                    "or export the survey timestamp of the form."
                ),
            )
        )
    event = keyed.get(_key(EVENT))
    plain: dict[str, int] = {}
    boxes: dict[str, list[tuple[str, int]]] = {}
    for index, name in enumerate(headers):
        stem, ticks, code = name.partition("___")
        item = by_item.get(_key(stem))
        if item is not None and ticks:
            boxes.setdefault(item, []).append((code, index))
        elif item is not None:
            plain[item] = index
        elif index in {person, stamp, event, keyed.get(_key(record))} or not name:
            continue
        elif _key(name) in {_key(column) for column in SYSTEM} or _key(stem) in listed:
            continue
        elif name.lower().endswith(("_complete", "_timestamp")):
            continue
        else:
            converted.errors.append(
                CellError(
                    1,
                    name,
                    _(
                        "This column is neither a question of the questionnaire nor in the data "
                        "dictionary."
                    ),
                )
            )
    if person is not None:
        converted.sources[PSEUDONYM] = headers[person]
    if stamp is not None:
        converted.sources[ANSWERED_ON] = headers[stamp]
    converted.sources[TIME_POINT] = EVENT
    for item in item_keys:
        if item in boxes:
            converted.sources[item] = headers[boxes[item][0][1]]
    if converted.errors or person is None or stamp is None:
        return converted

    def cell(cells: list[str], index: int | None) -> str:
        return cells[index].strip() if index is not None and index < len(cells) else ""

    specs = scoring.item_by_key(version.definition)
    choices = {
        item: [str(value) for value in scoring.option_values(version.definition, specs[item])]
        for item in boxes
        if item in specs and specs[item].get("kind") == "choice"
    }
    for number, cells in data.rows:
        values: list[str] = []
        for item in item_keys:
            if item in plain:
                values.append(cell(cells, plain[item]))
                continue
            ticked = []
            for code, index in boxes.get(item, []):
                text = cell(cells, index).lower()
                if text in TICKED:
                    ticked.append((code, index))
                elif text not in UNTICKED:
                    converted.errors.append(
                        CellError(number, headers[index], _("Write 1 for ticked or 0 for not."))
                    )
            if len(ticked) > 1:
                converted.errors.append(
                    CellError(
                        number, headers[ticked[1][1]], _("Only one answer can be ticked here.")
                    )
                )
            for code, index in ticked:
                if code not in choices.get(item, [code]):
                    converted.errors.append(
                        CellError(
                            number,
                            headers[index],
                            _("That answer is not one of the choices (%(choices)s).")
                            % {"choices": ", ".join(choices[item])},
                        )
                    )
            values.append(ticked[0][0] if ticked else "")
        if not any(values):
            continue
        time_point = ARM.sub("", cell(cells, event))
        converted.table.rows.append(
            (number, [cell(cells, person), cell(cells, stamp), time_point, *values])
        )
    return converted


def check(access: Access, version: InstrumentVersion, converted: Converted) -> Report:
    """Every problem of the export by its own row and column; the rows to write when none."""
    if converted.errors:
        return Report(errors=converted.errors)
    report = paper_import.check(access, version, converted.table)
    report.errors = [
        CellError(error.row, converted.sources.get(error.column, error.column), error.message)
        for error in report.errors
    ]
    return report


def _label(spec: Mapping[str, Any], name: str = "label") -> str:
    text = spec.get(name, "")
    if isinstance(text, Mapping):
        language = (get_language() or "en")[:2]
        return str(text.get(language) or text.get("en") or "")
    return str(text)


def template_dictionary(version: InstrumentVersion) -> str:
    """A REDCap data dictionary of one questionnaire, written by the codebook's writer: the record
    id (the pseudonym), the day it was answered and a field per item with the item's codes."""
    items = scoring.item_by_key(version.definition)
    variables = [
        Variable(RECORD_ID, _("Pseudonym"), kind="string", group=version.instrument.key),
        Variable(ANSWERED_ON, _("Day answered"), kind="date", group=version.instrument.key),
    ]
    for item in version.items.order_by("position"):
        spec = items.get(item.key, {})
        sets = version.definition.get("response_sets", {}).get(str(spec.get("options", "")), [])
        variables.append(
            Variable(
                item.key,
                _label(spec, "text") or item.key,
                values=tuple((int(option["value"]), _label(option)) for option in sets),
                group=version.instrument.key,
            )
        )
    return redcap_dictionary(variables)
