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
from samvirke.evaluation.models import TimePoint
from samvirke.evaluation.paper_import import ANSWERED_ON, PSEUDONYM, TIME_POINT, Report
from samvirke.imports.cells import key as _key
from samvirke.imports.reading import Table
from samvirke.imports.rows import RowError

if TYPE_CHECKING:
    from samvirke.accounts.permissions import Access
    from samvirke.evaluation.models import InstrumentVersion
    from samvirke.programmes.models import Programme

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
    errors: list[RowError] = field(default_factory=list)
    # The events of the rows that answer the questionnaire, with their number of rows.
    events: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Field:
    number: int
    name: str
    form: str
    kind: str
    choices: tuple[int | str, ...]
    label: str = ""
    # The choices' labels (by their loose key) to their codes, as REDCap's label export writes.
    labels: Mapping[str, str] = field(default_factory=dict)


# REDCap's own yes/no and true/false fields, coded 1/0.
FIXED_CHOICES = {"yesno": "1, Yes | 0, No", "truefalse": "1, True | 0, False"}


def _choice_pairs(text: str) -> list[tuple[str, str]]:
    pairs = []
    for part in text.split("|"):
        code, _comma, label = part.partition(",")
        if code.strip():
            pairs.append((code.strip(), label.strip()))
    return pairs


def _choices(text: str) -> tuple[int | str, ...]:
    return tuple(
        int(code) if re.fullmatch(r"-?\d+", code) else code for code, _label in _choice_pairs(text)
    )


def _dictionary(table: Table) -> tuple[list[_Field], list[RowError]]:
    first = _key(table.headers[0]) if table.headers else ""
    if first not in {_key("Variable / Field Name"), _key("field_name")} or len(table.headers) < 6:
        return [], [RowError(1, _("Data dictionary"), _("This is not a REDCap data dictionary."))]
    fields = []
    for number, cells in table.rows:
        cells = [*cells, *[""] * (6 - len(cells))]
        if cells[0].strip():
            kind = cells[3].strip().lower()
            choices = FIXED_CHOICES.get(kind, cells[5])
            fields.append(
                _Field(
                    number,
                    cells[0].strip(),
                    cells[1].strip(),
                    kind,
                    _choices(choices) if kind in CODED_TYPES else (),
                    label=_plain(cells[4]),
                    labels={_key(label): code for code, label in _choice_pairs(choices) if label}
                    if kind in CODED_TYPES | set(FIXED_CHOICES)
                    else {},
                )
            )
    return fields, []


TAG = re.compile(r"<[^>]*>")


def _plain(label: str) -> str:
    """A field label without the HTML REDCap allows in it."""
    return TAG.sub("", label).strip()


def _dictionary_errors(version: InstrumentVersion, fields: list[_Field]) -> list[RowError]:
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
                RowError(
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


# REDCap's own columns as its label export heads them.
SYSTEM_LABELS = {
    _key("Event Name"): EVENT,
    _key("Repeat Instrument"): "redcap_repeat_instrument",
    _key("Repeat Instance"): "redcap_repeat_instance",
    _key("Data Access Group"): "redcap_data_access_group",
    _key("Survey Identifier"): "redcap_survey_identifier",
}
SURVEY_TIMESTAMP = _key("Survey Timestamp")
COMPLETE = _key("Complete?")
CHECKBOX_LABEL = re.compile(r"^(?P<label>.*)\(choice=(?P<choice>.*)\)\s*$", re.S)
# What the rows of an event are imported as, besides a time point.
NO_TIME_POINT, SKIP = "-", "--skip"


def _variable_names(
    headers: list[str], fields: list[_Field], form: str, items: set[str]
) -> list[str]:
    """The variable name of each column: as exported, or from its field label when REDCap wrote
    the labels as headers (a checkbox as ``label (choice=…)``); REDCap's own columns too."""
    names = {_key(spec.name): spec.name for spec in fields}
    by_label: dict[str, _Field] = {}
    for spec in fields:
        if spec.label:
            by_label.setdefault(_key(spec.label), spec)
    found: list[str] = []
    for header in headers:
        loose = _key(header)
        box = CHECKBOX_LABEL.match(header)
        if loose in names or not fields:
            found.append(names.get(loose, header))
        elif loose in by_label:
            found.append(by_label[loose].name)
        elif box and _key(box["label"]) in by_label:
            spec = by_label[_key(box["label"])]
            code = spec.labels.get(_key(box["choice"]), box["choice"].strip())
            found.append(f"{spec.name}___{code}")
        elif loose in SYSTEM_LABELS:
            found.append(SYSTEM_LABELS[loose])
        elif loose == SURVEY_TIMESTAMP:
            found.append("redcap_other_timestamp")
        elif loose == COMPLETE:
            found.append("redcap_other_complete")
        else:
            found.append(header)
    # The survey timestamp of the questionnaire's form is the last one before its questions.
    first_item = next((i for i, name in enumerate(found) if name.partition("___")[0] in items), 0)
    before = [i for i in range(first_item) if _key(headers[i]) == SURVEY_TIMESTAMP and fields]
    if before:
        found[before[-1]] = f"{form or 'survey'}_timestamp"
    return found


def convert(
    version: InstrumentVersion,
    data: Table,
    dictionary: Table | None = None,
    events: Mapping[str, str] | None = None,
) -> Converted:
    """The export as the paper import's table, or the problems that stop it from being one.

    ``events`` says what each event's rows are: a time point's key, ``NO_TIME_POINT`` or
    ``SKIP``; without it, an event is its time point without the arm (``baseline_arm_1``)."""
    items = version.items.exclude(kind="text").order_by("position")  # free text is not imported
    item_keys = list(items.values_list("key", flat=True))
    header = [PSEUDONYM, ANSWERED_ON, TIME_POINT, *item_keys]
    converted = Converted(table=Table(headers=header, rows=[]))
    fields: list[_Field] = []
    if dictionary is not None:
        fields, converted.errors = _dictionary(dictionary)
        if converted.errors:
            return converted
        converted.errors = _dictionary_errors(version, fields)
    by_item = {_key(item): item for item in item_keys}
    forms = {spec.form for spec in fields if spec.name in by_item.values()}
    shown = [name.strip() for name in data.headers]
    headers = _variable_names(shown, fields, min(forms, default=""), set(item_keys))
    keyed = {_key(name): index for index, name in reversed(list(enumerate(headers)))}
    listed = {_key(spec.name) for spec in fields}
    record = fields[0].name if fields else (headers[0] if headers else "")
    field_of = {spec.name: spec for spec in fields}

    person = keyed.get(_key(PSEUDONYM), keyed.get(_key(record)))
    if person is None:
        converted.errors.append(RowError(1, record or PSEUDONYM, _("This column is missing.")))
    stamp = keyed.get(_key(ANSWERED_ON))
    if stamp is None:
        stamps = [i for i, name in enumerate(headers) if name.lower().endswith("_timestamp")]
        own = [i for i in stamps if headers[i][: -len("_timestamp")] in forms]
        chosen = own or [i for i in stamps if headers[i] != "redcap_other_timestamp"]
        stamp = chosen[0] if len(chosen) == 1 else None
    if stamp is None:
        converted.errors.append(
            RowError(
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
                RowError(
                    1,
                    shown[index],
                    _(
                        "This column is neither a question of the questionnaire nor in the data "
                        "dictionary."
                    ),
                )
            )
    if person is not None:
        converted.sources[PSEUDONYM] = shown[person]
    if stamp is not None:
        converted.sources[ANSWERED_ON] = shown[stamp]
    converted.sources[TIME_POINT] = shown[event] if event is not None else EVENT
    for item in item_keys:
        if item in boxes:
            converted.sources[item] = shown[boxes[item][0][1]]
        elif item in plain:
            converted.sources[item] = shown[plain[item]]
    if converted.errors or person is None or stamp is None:
        return converted

    def cell(cells: list[str], index: int | None) -> str:
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def code_of(item: str, number: int, value: str) -> str:
        """The code of a cell that may hold a choice's label (REDCap's label export)."""
        spec = field_of.get(item)
        if not value or spec is None or not spec.labels or value in map(str, spec.choices):
            return value
        found = spec.labels.get(_key(value))
        if found is None and not (spec.kind in FIXED_CHOICES and value in {"0", "1"}):
            converted.errors.append(
                RowError(
                    number,
                    shown[plain[item]],
                    _("“%(value)s” is neither a code nor a label of this field's choices.")
                    % {"value": value[:60]},
                )
            )
        return found or value

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
                values.append(code_of(item, number, cell(cells, plain[item])))
                continue
            ticked = []
            for code, index in boxes.get(item, []):
                text = cell(cells, index).lower()
                if text in TICKED:
                    ticked.append((code, index))
                elif text not in UNTICKED:
                    converted.errors.append(
                        RowError(number, shown[index], _("Write 1 for ticked or 0 for not."))
                    )
            if len(ticked) > 1:
                converted.errors.append(
                    RowError(number, shown[ticked[1][1]], _("Only one answer can be ticked here."))
                )
            for code, index in ticked:
                if code not in choices.get(item, [code]):
                    converted.errors.append(
                        RowError(
                            number,
                            shown[index],
                            _("That answer is not one of the choices (%(choices)s).")
                            % {"choices": ", ".join(choices[item])},
                        )
                    )
            values.append(ticked[0][0] if ticked else "")
        if not any(values):
            continue
        name = cell(cells, event)
        if name:
            converted.events[name] = converted.events.get(name, 0) + 1
        if events is None:
            time_point = ARM.sub("", name)
        elif not name:
            time_point = ""
        else:
            time_point = events.get(name, SKIP)
            if time_point == SKIP:
                continue
            time_point = "" if time_point == NO_TIME_POINT else time_point
        converted.table.rows.append(
            (number, [cell(cells, person), cell(cells, stamp), time_point, *values])
        )
    return converted


def check(access: Access, version: InstrumentVersion, converted: Converted) -> Report:
    """Every problem of the export by its own row and column; the rows to write when none."""
    if converted.errors:
        return Report(errors=converted.errors)
    table = converted.table
    report = paper_import.check(access, version, table, table.headers)
    report.errors = [
        RowError(error.row, _source(converted, error.column), error.message)
        for error in report.errors
    ]
    return report


def _source(converted: Converted, column: str) -> str:
    return converted.sources.get(column, column)


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
    for item in version.items.exclude(kind="text").order_by("position"):
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


# --- Which time point an event is --------------------------------------------------------------


@dataclass(frozen=True)
class Occasion:
    """A time point of the programme's schedules, as the event step offers it."""

    key: str
    anchor: str
    offset_months: int


ARM_LABEL = re.compile(r"\(\s*arm\s*\d+[^)]*\)\s*$", re.I)
BASELINE_WORDS = frozenset(
    {
        "baseline", "screening", "t0", "start", "inclusion", "intake", "enrolment", "enrollment",
        "pre", "oppstart", "inntak", "innskriving", "kartlegging", "baslinje", "basis",
        "inskrivning", "inklusion", "startmatning", "forste",
    }
)  # fmt: skip
CLOSING_WORDS = frozenset(
    {
        "closing", "close", "end", "exit", "final", "completion", "post", "avslutning",
        "avsluttende", "slutt", "utskriving", "avslut", "avslutande", "slut", "utskrivning",
    }
)  # fmt: skip
MONTH_WORDS = frozenset(
    {"m", "mo", "mth", "mon", "month", "months", "mnd", "mndr", "maned", "maneder", "manad",
     "manader", "man"}
)  # fmt: skip
YEAR_WORDS = frozenset({"y", "yr", "year", "years", "ar", "aar", "arig"})


def event_stem(event: str) -> str:
    """An event without its arm: ``baseline_arm_1`` and ``Baseline (Arm 1: Control)`` are
    ``baseline`` and ``Baseline``."""
    return ARM_LABEL.sub("", ARM.sub("", event.strip())).strip()


def guess_time_point(event: str, occasions: list[Occasion]) -> str:
    """The time point an event most likely is: its key, else words of a start or an end, else
    its number of months (``3_month_followup``, ``month_6``, ``12mnd``, ``1 år``), else words
    of an end; ``""`` when nothing fits."""
    stem = event_stem(event)
    by_key = {_key(occasion.key): occasion.key for occasion in occasions}
    if _key(stem) in by_key:
        return by_key[_key(stem)]
    words = set(_key(stem).split())
    parts = re.findall(r"[a-z]+|\d+", _key(stem))
    numbers = [int(part) for part in parts if part.isdigit()]
    start = [o for o in occasions if o.anchor == "enrolment" and o.offset_months == 0]
    end = [o for o in occasions if o.anchor == "end"]
    if words & BASELINE_WORDS or set(parts) & BASELINE_WORDS - {"t"}:
        return start[0].key if start else ""
    if len(numbers) == 1 and set(parts) & (MONTH_WORDS | YEAR_WORDS):
        months = numbers[0] * (12 if set(parts) & YEAR_WORDS else 1)
        found = [o for o in occasions if o.anchor == "enrolment" and o.offset_months == months]
        return found[0].key if found else ""
    if words & CLOSING_WORDS or set(parts) & CLOSING_WORDS:
        return end[0].key if end else ""
    return ""


def occasions_of(programme: Programme) -> list[Occasion]:
    """The time points of the programme's schedules, each key once, in schedule order."""

    found: dict[str, Occasion] = {}
    for key, anchor, months in (
        TimePoint.objects.filter(schedule__programme=programme)
        .order_by("position", "key")
        .values_list("key", "anchor", "offset_months")
    ):
        found.setdefault(key, Occasion(key, anchor, months))
    return list(found.values())
