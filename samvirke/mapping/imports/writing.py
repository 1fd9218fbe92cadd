"""The import itself: batches, planning, and writing all or nothing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.imports.reading import (
    Table,
    read_table,
    sha256_of,
)
from samvirke.imports.rows import RowError
from samvirke.imports.steps import ImportWriteError
from samvirke.mapping import aggregate_versions
from samvirke.mapping.imports.checking import (
    EMPTY_ANSWERS,
    ImportCounts,
    ImportOutcome,
    _is_recorded,
    _Lookups,
    _recorded_versions,
    _Row,
    _RowReader,
    _Version,
    answers_key,
)
from samvirke.mapping.imports.fields import (
    STALE_AFTER,
    ImportField,
    ImportFileError,
)
from samvirke.mapping.models import (
    Education,
    EducationLevel,
    EducationScheme,
    FilledBy,
    ImportBatch,
    ImportedMember,
    ImportStatus,
    Mapping,
    MappingItem,
    Occupation,
    Skill,
    WorkExperience,
)
from samvirke.mapping.profiles import refresh_profiles
from samvirke.mapping.selectors import with_parts
from samvirke.mapping.services import (
    MappingConsentError,
    record_mapping,
)
from samvirke.participants.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Participant,
    ParticipantIdentity,
    new_pseudonym,
)
from samvirke.participants.services import ConsentError, cipher, current_text, give_consent
from samvirke.programmes.models import Subproject

if TYPE_CHECKING:
    from samvirke.accounts.models import User
    from samvirke.programmes.models import Programme

# --- The import ------------------------------------------------------------------------------


def purge_stale_batches(*, programme: Programme | None = None, batch_id: int | None = None) -> int:
    """Forget the files of uploads that were never imported (they hold personal data).

    Every programme's unless one (or one upload) is named; ``mapping.tasks.forget_upload``
    runs this for each upload a day after it, and ``samvirke purge_member_uploads`` for all.
    """
    stale = ImportBatch.objects.filter(
        status=ImportStatus.UPLOADED, created_at__lte=timezone.now() - STALE_AFTER
    )
    if programme is not None:
        stale = stale.filter(programme=programme)
    if batch_id is not None:
        stale = stale.filter(pk=batch_id)
    return stale.exclude(content=b"").update(content=b"", updated_at=timezone.now())


def _forget_upload_later(batch: ImportBatch) -> None:
    """Ask the worker to forget the file a day after the upload, imported or not."""
    from samvirke.mapping.tasks import forget_upload

    if not forget_upload.get_backend().supports_defer:
        return  # tests and the demo: `samvirke purge_member_uploads` and the next upload do it
    later = forget_upload.using(run_after=batch.created_at + STALE_AFTER)
    batch_id = batch.pk
    transaction.on_commit(lambda: later.enqueue(batch_id))


def batch_uploaded_by(user: User, programme: Programme, public_id: str) -> ImportBatch | None:
    """An upload in the programme, for the person who made it only: the file is personal data."""
    return (
        ImportBatch.objects.filter(programme=programme, public_id=public_id, uploaded_by=user)
        .select_related("subproject")
        .first()
    )


@transaction.atomic
def create_batch(
    *,
    actor: User,
    programme: Programme,
    subproject: Subproject,
    country: str,
    filename: str,
    content: bytes,
) -> ImportBatch:
    """Keep an uploaded file for the next steps. The caller has already read it as a table."""
    purge_stale_batches(programme=programme)
    batch = ImportBatch.objects.create(
        programme=programme,
        subproject=subproject,
        uploaded_by=actor,
        country=country,
        filename=filename[:255],
        sha256=sha256_of(content),
        content=content,
        columns=[],
    )
    _forget_upload_later(batch)
    return batch


def plan_rows(
    *, table: Table, columns: Sequence[str], batch: ImportBatch
) -> tuple[list[_Row], list[RowError], ImportCounts]:
    """Check every row and work out what importing it would do; writes nothing."""
    today = timezone.localdate()
    lookups = _Lookups(batch.programme, batch.subproject)
    reader = _RowReader(table, columns, lookups, batch.country, today)
    rows: list[_Row] = []
    first_seen: dict[str, int] = {}
    for cells in reader.rows:
        number = cells.number
        row = reader.read(cells)
        if row is None:
            continue
        if row.key in first_seen:
            cells.fail(
                ImportField.MEMBER_ID,
                _("The member id %(id)s is also on row %(row)s.")
                % {"id": row.key[:40], "row": first_seen[row.key]},
            )
            continue
        first_seen[row.key] = number
        row.participant_id = lookups.members.get(row.key)
        if row.participant_id is not None and row.participant_id not in lookups.in_subproject:
            cells.fail(
                ImportField.MEMBER_ID,
                # Not "into another subproject": that would tell the importer of people they
                # may not see.
                _("The member id %(id)s cannot be imported here; ask a coordinator.")
                % {"id": row.key[:40]},
            )
            continue
        rows.append(row)
    counts = ImportCounts(rows=len(table.rows))
    if reader.errors:
        return rows, reader.errors, counts
    _decide(rows, counts, today)
    return rows, [], counts


def _decide(rows: list[_Row], counts: ImportCounts, today: dt.date) -> None:
    existing = [row.participant_id for row in rows if row.participant_id is not None]
    given: dict[int, set[str]] = defaultdict(set)  # every purpose ever consented to
    active: dict[int, set[str]] = defaultdict(set)
    for participant_id, purpose, withdrawn_at in Consent.objects.filter(
        participant_id__in=existing,
        purpose__in=[ConsentPurpose.FOLLOW_UP, ConsentPurpose.RESEARCH],
    ).values_list("participant_id", "purpose", "withdrawn_at"):
        given[participant_id].add(purpose)
        if withdrawn_at is None:
            active[participant_id].add(purpose)
    versions = _recorded_versions(existing)
    for row in rows:
        wanted = [
            purpose
            for purpose, yes in (
                (ConsentPurpose.FOLLOW_UP, row.follow_up),
                (ConsentPurpose.RESEARCH, row.research),
            )
            if yes
        ]
        if row.participant_id is None:
            counts.participants_created += 1
            # A consent withdrawn in Samvirke is never given again by re-importing old paper.
            row.give = tuple(wanted)
            consented = row.follow_up
            recorded: Sequence[_Version] = ()
        else:
            counts.participants_found += 1
            row.give = tuple(p for p in wanted if p not in given[row.participant_id])
            consented = (
                ConsentPurpose.FOLLOW_UP in active[row.participant_id]
                or ConsentPurpose.FOLLOW_UP in row.give
            )
            recorded = versions.get(row.participant_id, ())
        counts.consents_given += len(row.give)
        if answers_key(row.answers) == EMPTY_ANSWERS:
            counts.without_answers += 1
        elif not consented:
            counts.without_consent += 1
        elif _is_recorded(row, recorded, today):
            counts.unchanged += 1
        else:
            row.mapping = True
            counts.mappings_created += 1


@transaction.atomic
def import_members(
    *,
    actor: Actor,
    batch: ImportBatch,
    columns: Sequence[str],
    dry_run: bool,
) -> ImportOutcome:
    """Check the batch's file with ``columns`` and, unless ``dry_run``, import it.

    All or nothing: a row with a problem means nothing is written and the outcome lists the
    problems. Raises :class:`ImportFileError` if the file cannot be read and
    :class:`ImportWriteError` if a service refuses a write (everything is rolled back).
    """
    batch = (
        ImportBatch.objects.select_for_update()
        .select_related("programme", "subproject")
        .get(pk=batch.pk)
    )
    if batch.status != ImportStatus.UPLOADED or not batch.content:
        raise ImportFileError(_("This file has already been imported or has expired."))
    table = read_table(bytes(batch.content))
    rows, errors, counts = plan_rows(table=table, columns=columns, batch=batch)
    outcome = ImportOutcome(counts=counts, errors=errors)
    if errors or dry_run:
        return outcome
    _write(actor=actor, batch=batch, rows=rows)
    batch.columns = list(columns)
    batch.status = ImportStatus.IMPORTED
    batch.counts = counts.as_dict()
    batch.content = b""
    batch.completed_at = timezone.now()
    batch.save(
        update_fields=["columns", "status", "counts", "content", "completed_at", "updated_at"]
    )
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        obj=batch,
        object_label="member import",
        programme=batch.programme,
        detail={
            "what": "member import",
            "subproject": batch.subproject_id,
            "sha256": batch.sha256,
            **counts.as_dict(),
        },
    )
    outcome.imported = True
    return outcome


def _write(*, actor: Actor, batch: ImportBatch, rows: list[_Row]) -> None:
    known = [r for r in rows if r.participant_id is not None and (r.give or r.mapping)]
    new = [r for r in rows if r.participant_id is None]
    _register_new_members(actor=actor, batch=batch, rows=new)
    _update_known_members(actor=actor, rows=known)
    aggregate_versions.bump(batch.programme_id)  # bulk inserts send no signals


def _update_known_members(*, actor: Actor, rows: list[_Row]) -> None:
    """Members imported before: their consents and mappings have a history, so the services
    that know it (``give_consent``, ``record_mapping``) write each change."""

    participants = Participant.objects.select_related("programme").in_bulk(
        [row.participant_id for row in rows]
    )
    today = timezone.localdate()
    for row in rows:
        participant = participants[row.participant_id]
        try:
            for purpose in row.give:
                give_consent(
                    actor=actor,
                    participant=participant,
                    purpose=purpose,
                    method=ConsentMethod.PAPER,
                    given_at=consent_collected_at(row, timezone.now()),
                )
            if row.mapping:
                record_mapping(
                    actor=actor,
                    participant=participant,
                    filled_by=FilledBy.SELF,
                    filled_on=row.filled_on or today,
                    answers=row.answers,
                )
        except (ConsentError, MappingConsentError) as exc:
            raise ImportWriteError(
                _("Row %(row)s: %(problem)s") % {"row": row.number, "problem": exc}
            ) from exc


def _register_new_members(*, actor: Actor, batch: ImportBatch, rows: list[_Row]) -> None:
    """Members not seen before, written in bulk: a first import of thousands of members would
    take minutes through the one-person services.

    What is written is what ``register_participant``, ``give_consent`` (on paper) and
    ``record_mapping`` write for a new person with no history: the same identity encryption, the
    current consent texts, and a first mapping version that is the current one
    (``tests/mapping/test_member_import.py`` compares the two). Each new participant gets one
    ``create`` entry in the audit log, which they can read in their access log.
    """
    if not rows:
        return
    programme = batch.programme
    taken = set(Participant.objects.values_list("pseudonym", flat=True))
    records = []
    for row in rows:
        pseudonym = new_pseudonym(row.country)
        while pseudonym in taken:
            pseudonym = new_pseudonym(row.country)
        taken.add(pseudonym)
        records.append(
            Participant(
                programme=programme,
                pseudonym=pseudonym,
                country=row.country,
                birth_year=row.birth_year,
                gender=row.gender,
                municipality_id=row.municipality_id,
            )
        )
    participants = Participant.objects.bulk_create(records, batch_size=_BATCH)
    for row, participant in zip(rows, participants, strict=True):
        row.participant_id = participant.pk
    through = Participant.subprojects.through
    through.objects.bulk_create(
        [through(participant_id=p.pk, subproject_id=batch.subproject_id) for p in participants],
        batch_size=_BATCH,
    )
    ImportedMember.objects.bulk_create(
        [
            ImportedMember(programme=programme, source_key=row.key, participant=p, batch=batch)
            for row, p in zip(rows, participants, strict=True)
        ],
        batch_size=_BATCH,
    )
    box = cipher()
    ParticipantIdentity.objects.bulk_create(
        [
            # As participants.services._store_identity stores it.
            ParticipantIdentity(
                participant=p,
                full_name=box.encrypt(row.full_name.strip()),
                email=box.encrypt(row.email.strip().lower()),
                phone=box.encrypt(row.phone.strip()),
                national_id="",
                national_id_hash="",
            )
            for row, p in zip(rows, participants, strict=True)
        ],
        batch_size=_BATCH,
    )
    consents = _bulk_consents(actor=actor.user, rows=rows, participants=participants)
    mappings = _bulk_mappings(actor=actor.user, batch=batch, rows=rows, participants=participants)
    for participant in participants:
        record_event(
            action=AuditAction.CREATE,
            actor=actor,
            obj=participant,
            programme=programme,
            detail={
                "import": str(batch.public_id),
                "consents": [{"consent": purpose, "method": ConsentMethod.PAPER}
                             for purpose in consents.get(participant.pk, ())],
                "mapping": mappings.get(participant.pk, ""),
            },
        )  # fmt: skip


_BATCH = 500


def consent_collected_at(row: _Row, now: dt.datetime) -> dt.datetime:
    """When a "yes" in the file was given: the day the member filled in the survey (noon, local
    time), else now. Who vouches for it is the person importing (``given_by``)."""
    if row.filled_on is None:
        return now
    noon = dt.datetime.combine(row.filled_on, dt.time(12))
    return min(timezone.make_aware(noon), now)


def _bulk_consents(
    *, actor: User | None, rows: list[_Row], participants: list[Participant]
) -> dict[int, list[str]]:
    texts: dict[tuple[str, bool], int] = {}
    now = timezone.now()
    records = []
    given: dict[int, list[str]] = defaultdict(list)
    for row, participant in zip(rows, participants, strict=True):
        youth = participant.needs_age_appropriate_consent
        for purpose in row.give:
            if (purpose, youth) not in texts:
                texts[(purpose, youth)] = current_text(purpose, youth=youth).pk
            records.append(
                Consent(
                    participant=participant,
                    purpose=purpose,
                    text_id=texts[(purpose, youth)],
                    method=ConsentMethod.PAPER,
                    given_at=consent_collected_at(row, now),
                    given_by=actor,
                )
            )
            given[participant.pk].append(purpose)
    Consent.objects.bulk_create(records, batch_size=_BATCH)
    return given


def _bulk_mappings(
    *, actor: User | None, batch: ImportBatch, rows: list[_Row], participants: list[Participant]
) -> dict[int, str]:
    """A first, current mapping version for each new member whose row asks for one."""
    wanted = [(row, p) for row, p in zip(rows, participants, strict=True) if row.mapping]
    if not wanted:
        return {}
    today = timezone.localdate()
    mappings = Mapping.objects.bulk_create(
        [
            Mapping(
                programme=batch.programme,
                participant=participant,
                filled_on=row.filled_on or today,
                filled_by=FilledBy.SELF,
                is_current=True,
                recorded_by=actor,
                hours_per_week=row.answers.hours_per_week,
            )
            for row, participant in wanted
        ],
        batch_size=_BATCH,
    )
    skill_ids = dict(Skill.objects.values_list("code", "pk"))
    occupation_ids = dict(Occupation.objects.filter(level=4).values_list("code", "pk"))
    level_ids = dict(
        EducationLevel.objects.filter(scheme=EducationScheme.ISCED_2011).values_list("code", "pk")
    )
    skill_links = Mapping.skills.through
    skills, items, work, education = [], [], [], []
    for (row, _participant), mapping in zip(wanted, mappings, strict=True):
        answers = row.answers
        skills += [
            skill_links(mapping_id=mapping.pk, skill_id=skill_ids[code])
            for code in sorted(set(answers.skill_codes))
        ]
        items += [
            MappingItem(mapping=mapping, kind=kind, code=code)
            for kind, codes in answers.items.items()
            for code in sorted(set(codes))
        ]
        work += [
            WorkExperience(
                mapping=mapping,
                title=entry.title,
                occupation_id=occupation_ids.get(entry.occupation_code),
            )
            for entry in answers.work
        ]
        education += [
            Education(mapping=mapping, level_id=level_ids[entry.level_code], field=entry.field)
            for entry in answers.education
        ]
    skill_links.objects.bulk_create(skills, batch_size=_BATCH)
    MappingItem.objects.bulk_create(items, batch_size=_BATCH)
    WorkExperience.objects.bulk_create(work, batch_size=_BATCH)
    Education.objects.bulk_create(education, batch_size=_BATCH)
    # What record_mapping does last: the profile that resource maps count.

    ids = [mapping.pk for mapping in mappings]
    for start in range(0, len(ids), 2000):
        refresh_profiles(with_parts(Mapping.objects.filter(pk__in=ids[start : start + 2000])))
    return {
        row_participant[1].pk: str(mapping.public_id)
        for row_participant, mapping in zip(wanted, mappings, strict=True)
    }
