"""Writes for resource mapping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from samvirke.participants.models import Participant

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.lib.fuzzy import normalise
from samvirke.mapping.classification_files import (
    BUNDLED_DATA_DIR,
    ClassificationData,
    ClassificationFileError,
    read_classification_files,
)
from samvirke.mapping.models import (
    ITEM_CHOICES,
    Education,
    EducationLevel,
    EducationScheme,
    LifeSituation,
    Mapping,
    MappingItem,
    Occupation,
    OccupationTitle,
    Skill,
    SsykGroup,
    WorkExperience,
    content_language,
)
from samvirke.mapping.profiles import refresh_profiles
from samvirke.mapping.selectors import search_occupations, with_parts
from samvirke.participants.models import ConsentPurpose
from samvirke.participants.selectors import has_active_consent

__all__ = [
    "BUNDLED_DATA_DIR",
    "ClassificationFileError",
    "ImportCounts",
    "ImportReport",
    "import_classifications",
    "MappingConsentError",
    "log_mapping_read",
    "record_mapping",
]

M = TypeVar("M", bound=models.Model)
Key = tuple[Any, ...]
Values = tuple[Any, ...]

_BATCH_SIZE = 1000
_SEARCH_TEXT_LENGTH = OccupationTitle._meta.get_field("search_text").max_length or 200


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def add(self, other: ImportCounts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.deleted += other.deleted

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


@dataclass
class ImportReport:
    """What one import did, per kind of row."""

    occupations: ImportCounts = field(default_factory=ImportCounts)
    ssyk_groups: ImportCounts = field(default_factory=ImportCounts)
    ssyk_links: ImportCounts = field(default_factory=ImportCounts)
    titles: ImportCounts = field(default_factory=ImportCounts)
    education_levels: ImportCounts = field(default_factory=ImportCounts)

    @property
    def changed(self) -> bool:
        return any(counts.changed for _name, counts in self.items())

    def items(self) -> list[tuple[str, ImportCounts]]:
        return [(f.name, getattr(self, f.name)) for f in fields(self)]


def import_classifications(data_dir: Path = BUNDLED_DATA_DIR) -> ImportReport:
    """Bring the classification tables in line with the files in ``data_dir``.

    Every file is read and checked before anything is written, so a bad file raises
    :class:`ClassificationFileError` and changes nothing. Then everything is written in one
    transaction, touching only rows that differ: importing the same files twice changes nothing
    the second time. Occupation groups, SSYK groups and education levels that disappear from the
    files are kept, because records elsewhere may point at them; titles and SSYK links that
    disappear are removed.
    """
    data = read_classification_files(data_dir)
    now = timezone.now()
    report = ImportReport()
    with transaction.atomic():
        report.occupations = _import_occupations(data, now)
        report.ssyk_groups = _sync(
            SsykGroup,
            SsykGroup.objects.all(),
            ("code",),
            ("level", "label_sv"),
            {(g.code,): (g.level, g.label_sv) for g in data.ssyk_groups},
            now,
        )
        report.ssyk_links = _import_ssyk_links(data)
        report.titles = _import_titles(data, now)
        report.education_levels = _sync(
            EducationLevel,
            EducationLevel.objects.all(),
            ("scheme", "code"),
            ("level", "parent_code", "label_en", "label_nb", "label_sv"),
            {
                (e.scheme, e.code): (e.level, e.parent_code, e.label_en, e.label_nb, e.label_sv)
                for e in data.education_levels
            },
            now,
        )
    return report


def _sync(
    model: type[M],
    queryset: models.QuerySet[M],
    key_fields: Sequence[str],
    value_fields: Sequence[str],
    wanted: dict[Key, Values],
    now: dt.datetime,
    *,
    delete_missing: bool = False,
) -> ImportCounts:
    """Create, update (and optionally delete) rows of ``queryset`` to match ``wanted``.

    Rows are compared as plain tuples and only differing ones are written.
    """
    width = len(key_fields)
    existing: dict[Key, tuple[int, Values]] = {
        tuple(row[:width]): (row[width], tuple(row[width + 1 :]))
        for row in queryset.order_by().values_list(*key_fields, "pk", *value_fields)
    }
    counts = ImportCounts()
    created: list[Values] = []
    updated: list[Values] = []
    for key, values in wanted.items():
        current = existing.get(key)
        if current is None:
            created.append((*key, *values))
        elif current[1] != values:
            updated.append((*values, current[0]))
        else:
            counts.unchanged += 1
    _insert_rows(model, [*key_fields, *value_fields], created, now)
    _update_rows(model, value_fields, updated, now)
    counts.created, counts.updated = len(created), len(updated)
    if delete_missing:
        stale = [pk for key, (pk, _values) in existing.items() if key not in wanted]
        for chunk in _chunks(stale):
            model._default_manager.filter(pk__in=chunk).delete()
        counts.deleted = len(stale)
    return counts


# New rows are written as multi-row INSERTs and changed rows with executemany(), not with
# bulk_create()/bulk_update(): for the ~47,000 ESCO titles the ORM spent about 5 of the import's
# 6.5 seconds on SQLite preparing each of ~380,000 values, and executemany() alone still needed
# 4.7 seconds on PostgreSQL. Table and column names come from the model's _meta, and every value
# is a query parameter.


def _concrete_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a column.")
    return field


def _columns(model: type[models.Model], names: Sequence[str]) -> list[str]:
    quote = connection.ops.quote_name
    return [quote(_concrete_field(model, name).column) for name in names]


def _timestamp(model: type[models.Model], now: dt.datetime) -> Any:
    return _concrete_field(model, "updated_at").get_db_prep_save(now, connection)


def _insert_rows(
    model: type[models.Model], names: Sequence[str], rows: list[Values], now: dt.datetime
) -> None:
    if not rows:
        return
    columns = _columns(model, [*names, "created_at", "updated_at"])
    max_params = connection.features.max_query_params or 65_000
    per_statement = max(1, min(_BATCH_SIZE, max_params // len(columns)))
    row_placeholder = f"({', '.join(['%s'] * len(columns))})"
    stamp = _timestamp(model, now)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            sql = (
                f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} "  # noqa: S608
                f"({', '.join(columns)}) VALUES {', '.join([row_placeholder] * len(batch))}"
            )
            cursor.execute(sql, [value for row in batch for value in (*row, stamp, stamp)])


def _update_rows(
    model: type[models.Model], names: Sequence[str], rows: list[Values], now: dt.datetime
) -> None:
    """``rows`` are the new values of ``names`` followed by the primary key."""
    if not rows:
        return
    assignments = ", ".join(f"{column} = %s" for column in _columns(model, [*names, "updated_at"]))
    sql = (
        f"UPDATE {connection.ops.quote_name(model._meta.db_table)} "  # noqa: S608
        f"SET {assignments} WHERE {_columns(model, ['pk'])[0]} = %s"
    )
    stamp = _timestamp(model, now)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*row[:-1], stamp, row[-1]) for row in rows])


def _named(names: Sequence[str], values: Values) -> dict[str, Any]:
    return dict(zip(names, values, strict=True))


def _chunks(items: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), _BATCH_SIZE):
        yield items[start : start + _BATCH_SIZE]


def _occupation_ids() -> dict[str, int]:
    return dict(Occupation.objects.values_list("code", "pk"))


def _import_occupations(data: ClassificationData, now: dt.datetime) -> ImportCounts:
    # Level by level, so that every parent has an id before its children are written.
    counts = ImportCounts()
    ids = _occupation_ids()
    for level in sorted({group.level for group in data.isco_groups}):
        wanted = {
            (group.code,): (
                group.level,
                ids[group.parent_code] if group.parent_code else None,
                group.label_en,
                group.label_nb,
                group.label_sv,
                data.styrk_labels.get(group.code, ""),
            )
            for group in data.isco_groups
            if group.level == level
        }
        counts.add(
            _sync(
                Occupation,
                Occupation.objects.filter(level=level),
                ("code",),
                ("level", "parent_id", "label_en", "label_nb", "label_sv", "styrk_label"),
                wanted,
                now,
            )
        )
        ids = _occupation_ids()
    return counts


def _import_ssyk_links(data: ClassificationData) -> ImportCounts:
    link_model = Occupation.ssyk_groups.through
    occupation_ids = _occupation_ids()
    ssyk_ids = dict(SsykGroup.objects.values_list("code", "pk"))
    wanted = {
        (occupation_ids[isco_code], ssyk_ids[ssyk_code])
        for ssyk_code, isco_code in data.ssyk_isco_links
    }
    existing = {
        (occupation_id, ssyk_id): pk
        for pk, occupation_id, ssyk_id in link_model.objects.values_list(
            "pk", "occupation_id", "ssykgroup_id"
        )
    }
    new = sorted(wanted - existing.keys())
    stale = [pk for link, pk in existing.items() if link not in wanted]
    link_model.objects.bulk_create(
        [link_model(occupation_id=o, ssykgroup_id=s) for o, s in new], batch_size=_BATCH_SIZE
    )
    for chunk in _chunks(stale):
        link_model.objects.filter(pk__in=chunk).delete()
    return ImportCounts(created=len(new), unchanged=len(wanted) - len(new), deleted=len(stale))


def _import_titles(data: ClassificationData, now: dt.datetime) -> ImportCounts:
    occupation_ids = _occupation_ids()
    wanted = {
        (title.language, title.esco_uri, title.title): (
            title.is_preferred,
            occupation_ids[title.isco_code] if title.isco_code else None,
            normalise(title.title)[:_SEARCH_TEXT_LENGTH],
        )
        for title in data.titles
    }
    return _sync(
        OccupationTitle,
        OccupationTitle.objects.all(),
        ("language", "esco_uri", "title"),
        ("is_preferred", "occupation_id", "search_text"),
        wanted,
        now,
        delete_missing=True,
    )


# --- Mapping versions -------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkEntry:
    title: str
    occupation_code: str = ""
    start_year: int | None = None
    end_year: int | None = None
    sector: str = ""
    paid: bool = True


@dataclass(frozen=True)
class EducationEntry:
    level_code: str
    field: str = ""
    completed: bool = True
    courses: str = ""


@dataclass(frozen=True)
class MappingAnswers:
    """Everything one mapping version says, as the forms (or an import) collected it."""

    skill_codes: Sequence[str] = ()
    other_skills: str = ""
    items: dict[str, Sequence[str]] = field(default_factory=dict)
    languages: str = ""
    hours_per_week: int | None = None
    goals_in_own_words: str = ""
    support_in_own_words: str = ""
    work: Sequence[WorkEntry] = ()
    education: Sequence[EducationEntry] = ()
    # (domain, rater, level)
    life_situation: Sequence[tuple[str, str, str]] = ()


# A title is coded automatically only when the best match is this close; else a person codes it.
AUTO_CODE_SCORE = 0.75


def suggest_occupation_code(title: str, language: str) -> str:
    """The ISCO-08 unit group a free-text job title most likely belongs to, or ``""``."""

    matches = search_occupations(title, language, limit=1)
    if matches and matches[0].score >= AUTO_CODE_SCORE:
        return matches[0].code
    return ""


class MappingConsentError(Exception):
    """A mapping is recorded only with the participant's consent to follow-up."""


def log_mapping_read(*, actor: Actor, participant: Participant, mapping: Mapping) -> None:
    """Staff reading a person's mapping is written to the log the participant can read."""
    record_event(
        action=AuditAction.VIEW,
        actor=actor,
        obj=participant,
        programme=participant.programme,
        detail={"what": "mapping", "mapping": str(mapping.public_id)},
    )


@transaction.atomic
def record_mapping(
    *,
    actor: Actor,
    participant: Participant,
    filled_by: str,
    filled_on: dt.date,
    answers: MappingAnswers,
) -> Mapping:
    """Save a new dated version of a participant's mapping; earlier versions stay as they were.

    Work titles without a code are coded to the closest occupation group when the match is
    clear, in the language the person wrote in. Raises :class:`MappingConsentError` unless the
    participant has an active consent to follow-up in the programme.
    """

    if not has_active_consent(participant, ConsentPurpose.FOLLOW_UP):
        raise MappingConsentError(
            _("The participant has not consented to follow-up in the programme.")
        )
    newest = (
        Mapping.objects.filter(participant=participant)
        .order_by("-filled_on", "-created_at")
        .first()
    )
    is_current = newest is None or filled_on >= newest.filled_on
    if is_current:
        Mapping.objects.filter(participant=participant, is_current=True).update(is_current=False)
    mapping = Mapping.objects.create(
        is_current=is_current,
        programme_id=participant.programme_id,
        participant=participant,
        filled_on=filled_on,
        filled_by=filled_by,
        recorded_by=actor.user,
        other_skills=answers.other_skills,
        languages=answers.languages,
        hours_per_week=answers.hours_per_week,
        goals_in_own_words=answers.goals_in_own_words,
        support_in_own_words=answers.support_in_own_words,
    )
    mapping.skills.set(Skill.objects.filter(code__in=list(answers.skill_codes)))
    MappingItem.objects.bulk_create(
        MappingItem(mapping=mapping, kind=kind, code=code)
        for kind, codes in answers.items.items()
        for code in sorted(set(codes))
        if kind in ITEM_CHOICES and code in ITEM_CHOICES[kind].values
    )
    language = content_language()
    work_codes = [
        entry.occupation_code or suggest_occupation_code(entry.title, language)
        for entry in answers.work
    ]
    occupations = {
        occupation.code: occupation
        for occupation in Occupation.objects.filter(code__in=set(work_codes), level=4)
    }
    WorkExperience.objects.bulk_create(
        WorkExperience(
            mapping=mapping,
            title=entry.title,
            occupation=occupations.get(code),
            start_year=entry.start_year,
            end_year=entry.end_year,
            sector=entry.sector,
            paid=entry.paid,
        )
        for entry, code in zip(answers.work, work_codes, strict=True)
    )
    levels = {
        level.code: level
        for level in EducationLevel.objects.filter(scheme=EducationScheme.ISCED_2011)
    }
    Education.objects.bulk_create(
        Education(
            mapping=mapping,
            level=levels[entry.level_code],
            field=entry.field,
            completed=entry.completed,
            courses=entry.courses,
        )
        for entry in answers.education
        if entry.level_code in levels
    )
    LifeSituation.objects.bulk_create(
        LifeSituation(mapping=mapping, domain=domain, rater=rater, level=level)
        for domain, rater, level in dict(
            ((domain, rater), (domain, rater, level))
            for domain, rater, level in answers.life_situation
        ).values()
    )
    refresh_profiles(with_parts(Mapping.objects.filter(pk=mapping.pk)))
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        obj=participant,
        programme=participant.programme,
        detail={"what": "mapping", "mapping": str(mapping.public_id), "filled_by": filled_by},
    )
    return mapping
