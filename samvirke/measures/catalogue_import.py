"""Importing the catalogue of measures from a spreadsheet: one row per measure.

A row names its measure (in one or more languages), the responsible subproject and, optionally,
the municipality; it updates the measure of the same subproject, name and municipality and adds
a new measure otherwise. Every row goes through :class:`MeasureForm`, so the rules are those of
the form a coordinator fills in by hand; an empty cell leaves what is recorded as it is. One bad
row and nothing is imported; importing the same file again changes nothing. The upload, column
and check steps are the import kit's (:mod:`samvirke.imports`); this module declares the
columns (:data:`CATALOGUE_COLUMNS`) and checks each row through the form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from samvirke.accounts.permissions import subprojects_editable_by
from samvirke.audit.actor import Actor
from samvirke.imports import cells
from samvirke.imports.cells import CellError
from samvirke.imports.cells import key as _key
from samvirke.imports.columns import Columns
from samvirke.imports.reading import Table
from samvirke.imports.rows import Row, RowError, Rows
from samvirke.measures import services
from samvirke.measures.forms import MeasureForm
from samvirke.measures.models import (
    Measure,
    MeasureKind,
    MeasureLanguage,
    MeasureStatus,
)
from samvirke.programmes.models import Country, Municipality, Subproject
from samvirke.web.forms import change_from

if TYPE_CHECKING:
    from samvirke.accounts.permissions import Access


class CatalogueColumn(models.TextChoices):
    """What a column of a catalogue file can be imported as."""

    IGNORE = "", gettext_lazy("do not import")
    NAME_NB = "name_nb", gettext_lazy("name (Norwegian)")
    NAME_SV = "name_sv", gettext_lazy("name (Swedish)")
    NAME_EN = "name_en", gettext_lazy("name (English)")
    KIND = "kind", gettext_lazy("kind")
    STATUS = "status", gettext_lazy("status")
    MUNICIPALITY = "municipality", gettext_lazy("municipality")
    COUNTRY = "country", gettext_lazy("country")
    SUBPROJECT = "subproject", gettext_lazy("responsible subproject")
    CAPACITY = "capacity", gettext_lazy("places")
    DESCRIPTION_NB = "description_nb", gettext_lazy("description (Norwegian)")
    DESCRIPTION_SV = "description_sv", gettext_lazy("description (Swedish)")
    DESCRIPTION_EN = "description_en", gettext_lazy("description (English)")
    TARGET_GROUP = "target_group", gettext_lazy("target group")


NAMES = (CatalogueColumn.NAME_NB, CatalogueColumn.NAME_SV, CatalogueColumn.NAME_EN)

CATALOGUE_HEADER_NAMES: dict[str, str] = {
    CatalogueColumn.NAME_NB: "name|navn|tiltak|navn nb|navn bokmal|name nb|name norwegian|name no",
    CatalogueColumn.NAME_SV: "namn|atgard|namn sv|name sv|name swedish|navn svensk",
    CatalogueColumn.NAME_EN: "name en|name english|navn engelsk|namn engelska",
    CatalogueColumn.KIND: "kind|type|art|typ|tiltakstype|atgardstyp|type of measure",
    CatalogueColumn.STATUS: "status|state|tilstand",
    CatalogueColumn.MUNICIPALITY: "municipality|municipality code|kommune|kommunenummer|kommun|"
    "kommunkod|kommunnummer|kommunenr",
    CatalogueColumn.COUNTRY: "country|land",
    CatalogueColumn.SUBPROJECT: "subproject|sub project|delprosjekt|delprojekt|prosjekt|projekt",
    CatalogueColumn.CAPACITY: "capacity|places|plasser|platser|antall plasser|antal platser",
    CatalogueColumn.DESCRIPTION_NB: "description|beskrivelse|beskrivelse nb|description nb",
    CatalogueColumn.DESCRIPTION_SV: "beskrivning|beskrivning sv|description sv",
    CatalogueColumn.DESCRIPTION_EN: "description en|description english",
    CatalogueColumn.TARGET_GROUP: "target group|malgruppe|malgrupp",
}


def catalogue_template_row(access: Access) -> dict[str, str]:
    """What the template file shows in its example row, in the user's language."""
    subproject = subprojects_editable_by(access).order_by("name").first()
    return {
        CatalogueColumn.NAME_NB: "Jobbklubb",
        CatalogueColumn.NAME_SV: "Jobbklubb",
        CatalogueColumn.NAME_EN: "Job club",
        CatalogueColumn.KIND: str(MeasureKind.COURSE.label),
        CatalogueColumn.STATUS: str(MeasureStatus.RUNNING.label),
        CatalogueColumn.MUNICIPALITY: "0301",
        CatalogueColumn.COUNTRY: str(Country.NORWAY.label),
        CatalogueColumn.SUBPROJECT: subproject.name if subproject else "",
        CatalogueColumn.CAPACITY: "12",
        CatalogueColumn.DESCRIPTION_NB: "",
        CatalogueColumn.DESCRIPTION_SV: "",
        CatalogueColumn.DESCRIPTION_EN: "",
        CatalogueColumn.TARGET_GROUP: "",
    }


def _a_name_is_chosen(columns: Sequence[str]) -> list[str]:
    if not any(name in columns for name in NAMES):
        return [_("Choose a column that holds the name of the measure.")]
    return []


CATALOGUE_COLUMNS = Columns(
    choices=CatalogueColumn,
    names=CATALOGUE_HEADER_NAMES,
    required={
        CatalogueColumn.SUBPROJECT: gettext_lazy("Choose the column that holds the subproject.")
    },
    cells={
        CatalogueColumn.KIND: cells.choice(
            MeasureKind, gettext_noop("“%(value)s” is not a known kind of measure.")
        ),
        CatalogueColumn.STATUS: cells.choice(
            MeasureStatus, gettext_noop("“%(value)s” is not a known status.")
        ),
        CatalogueColumn.COUNTRY: cells.choice(
            Country, gettext_noop("“%(value)s” is not a known country.")
        ),
        CatalogueColumn.CAPACITY: cells.whole_number,
        CatalogueColumn.DESCRIPTION_NB: str,
        CatalogueColumn.DESCRIPTION_SV: str,
        CatalogueColumn.DESCRIPTION_EN: str,
        CatalogueColumn.TARGET_GROUP: str,
    },
    rules=_a_name_is_chosen,
)
catalogue_column_problems = CATALOGUE_COLUMNS.problems


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass
class _MeasureRow:
    row: int
    form: MeasureForm
    is_new: bool


@dataclass
class CataloguePlan:
    """What the catalogue import would do; no errors means it may go ahead."""

    errors: list[RowError] = field(default_factory=list)
    rows: list[_MeasureRow] = field(default_factory=list)
    new_measures: int = 0
    changed_measures: int = 0
    unchanged_measures: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> int:
        return self.new_measures + self.changed_measures

    def add(self, row: int, form: MeasureForm) -> None:
        is_new = form.instance.pk is None
        self.rows.append(_MeasureRow(row, form, is_new))
        if is_new:
            self.new_measures += 1
        elif form.has_changed():
            self.changed_measures += 1
        else:
            self.unchanged_measures += 1

    def summary(self) -> list[str]:
        return [
            ngettext("%(count)s measure added.", "%(count)s measures added.", self.new_measures)
            % {"count": self.new_measures},
            ngettext(
                "%(count)s measure updated.", "%(count)s measures updated.", self.changed_measures
            )
            % {"count": self.changed_measures},
            ngettext(
                "%(count)s measure unchanged.",
                "%(count)s measures unchanged.",
                self.unchanged_measures,
            )
            % {"count": self.unchanged_measures},
        ]


def _form_data(measure: Measure) -> dict[str, Any]:
    """What the measure form holds for the measure as it is: the file changes only some of it."""
    data: dict[str, Any] = {}
    for name in MeasureForm.Meta.fields:
        model_field = Measure._meta.get_field(name)
        if model_field.many_to_many:
            data[name] = [] if measure.pk is None else [o.pk for o in getattr(measure, name).all()]
        elif model_field.is_relation:
            data[name] = getattr(measure, f"{name}_id")
        else:
            value = getattr(measure, name)
            data[name] = "" if value is None else value
    return data


class _Catalogue:
    """What the rows are checked against: the programme's measures, subprojects, municipalities."""

    def __init__(self, access: Access) -> None:
        programme = access.programme
        self.access = access
        self.editable = subprojects_editable_by(access)
        self.subprojects = {
            _key(name): pk
            for pk, name in Subproject.objects.filter(programme=programme).values_list("pk", "name")
        }
        self.measures = {m.pk: m for m in Measure.objects.filter(programme=programme)}
        self.by_name: dict[tuple[int, str, int | None], set[int]] = {}
        for measure in self.measures.values():
            for name in (measure.name_nb, measure.name_sv, measure.name_en):
                if name:
                    key = (measure.subproject_id, _name_key(name), measure.municipality_id)
                    self.by_name.setdefault(key, set()).add(measure.pk)
        self.municipalities: dict[str, list[Municipality]] = {}
        for municipality in Municipality.objects.all():
            self.municipalities.setdefault(municipality.code, []).append(municipality)

    def municipality(self, code: str, country: str) -> Municipality:
        text = code.strip()
        found = self.municipalities.get(text.zfill(4) if text.isdigit() else text, [])
        if country:
            found = [m for m in found if m.country == country]
        if not found:
            raise CellError(
                _("No municipality has the official number %(code)s.") % {"code": text[:20]}
            )
        if len(found) > 1:
            raise CellError(
                _("More than one municipality has the number %(code)s: give the country.")
                % {"code": text[:20]}
            )
        return found[0]


def check_catalogue(access: Access, table: Table, columns: Sequence[str]) -> CataloguePlan:
    """Check every row of a catalogue file; the measure form validates what would be saved."""
    rows = Rows(table, columns, CATALOGUE_COLUMNS)
    plan = CataloguePlan(errors=rows.errors)
    known = _Catalogue(access)
    claimed: dict[int, int] = {}  # measure id -> the row that names it
    for row in rows:
        names: dict[str, str] = {t: row.text(t) for t in NAMES if row.text(t)}
        if not names:
            missing = _("The name of the measure is missing.")
            row.fail(next(t for t in NAMES if t in rows.at), missing)
        subproject_id = _subproject(row, known)
        values: dict[str, Any] = {str(k): v for k, v in names.items()}
        for target in CATALOGUE_COLUMNS.cells:
            if (value := row.value(target)) is not None:
                values[target] = value
        municipality = _municipality(row, known, values.get(CatalogueColumn.COUNTRY, ""))
        if not row.ok or subproject_id is None:
            continue
        measure = _measure_named(row, known, names, subproject_id, municipality, claimed)
        if measure is not None:
            values.update(subproject=subproject_id, municipality=municipality)
            form = _form(row, known, measure, names, values)
            if form is not None:
                plan.add(row.number, form)
    return plan


def _form(
    row: Row, known: _Catalogue, measure: Measure, names: dict[str, str], values: dict[str, Any]
) -> MeasureForm | None:
    """The measure form as the row would fill it in, if it is valid (else the problems)."""
    data = _form_data(measure)
    municipality = values.pop("municipality")
    data.update(values)
    if municipality is not None:
        data["municipality"] = municipality.pk
        if CatalogueColumn.COUNTRY not in values:
            data["country"] = municipality.country
    if measure.pk is None and not _new_measure(row, data, names):
        return None
    form = MeasureForm(
        data, programme=known.access.programme, subprojects=known.editable, instance=measure
    )
    if form.is_valid():
        return form
    for name, messages in form.errors.items():
        target = name if name in row.rows.at else next(iter(names))
        for message in messages:
            row.fail(target, str(message))
    return None


def _subproject(row: Row, known: _Catalogue) -> int | None:
    name = row.text(CatalogueColumn.SUBPROJECT)
    found = known.subprojects.get(_key(name))
    if not name:
        row.fail(CatalogueColumn.SUBPROJECT, _("The subproject is missing."))
    elif found is None:
        row.fail(
            CatalogueColumn.SUBPROJECT,
            _("The programme has no subproject called “%(name)s”.") % {"name": name[:60]},
        )
    return found


def _municipality(row: Row, known: _Catalogue, country: str) -> Municipality | None:
    return row.value(CatalogueColumn.MUNICIPALITY, lambda code: known.municipality(code, country))


def _measure_named(
    row: Row,
    known: _Catalogue,
    names: dict[str, str],
    subproject_id: int,
    municipality: Municipality | None,
    claimed: dict[int, int],
) -> Measure | None:
    """The measure the row names, a new one, or ``None`` (the problem is noted)."""
    municipality_id = municipality.pk if municipality else None
    matches: set[int] = set()
    for name in names.values():
        matches |= known.by_name.get((subproject_id, _name_key(name), municipality_id), set())
    if len(matches) > 1:
        row.fail(
            next(iter(names)),
            _("The row matches more than one measure: give the names as in Samvirke."),
        )
        return None
    if not matches:
        return Measure(programme=known.access.programme)
    measure = known.measures[matches.pop()]
    earlier = claimed.setdefault(measure.pk, row.number)
    if earlier != row.number:
        row.fail(next(iter(names)), _("Row %(row)s is about the same measure.") % {"row": earlier})
        return None
    return measure


def _new_measure(row: Row, data: dict[str, Any], names: dict[str, str]) -> bool:
    """Fill in what a new measure needs from the row; whether it has it all."""
    data["name_nb"] = data["name_nb"] or next(iter(names.values()))
    if data["country"] == Country.SWEDEN:
        data["language"] = MeasureLanguage.SWEDISH
    if not data["kind"]:
        row.fail(CatalogueColumn.KIND, _("Give the kind of measure for a new measure."))
    if not data["country"]:
        row.fail(
            CatalogueColumn.COUNTRY, _("Give the country or the municipality for a new measure.")
        )
    return row.ok


@transaction.atomic
def run_catalogue(
    *, access: Access, actor: Actor, table: Table, columns: Sequence[str]
) -> CataloguePlan:
    """Check, then save only new and changed measures through the service; all or nothing."""
    plan = check_catalogue(access, table, columns)
    if not plan.ok or not plan.changes:
        return plan
    for row in plan.rows:
        if row.is_new or row.form.has_changed():
            services.save_measure(actor=actor, change=change_from(row.form))
    return plan
