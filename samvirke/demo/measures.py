"""The demo's service map and measures in Trondheim, Stjørdal and Östersund, from
``data/service_map.json`` and ``data/measures.json``.

Organisations and place names are real; every address, telephone number and e-mail address is
made up (``example.test``, +47 400 00 0xx, +46 70 000 00 xx). Loading again updates in place.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import models, transaction

from samvirke.accounts.models import User
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import Change, record_event
from samvirke.demo.fixtures import day, fixture, translated
from samvirke.measures.models import (
    Enrolment,
    EnrolmentStatus,
    Measure,
    Pathway,
    PathwayStep,
    Service,
)
from samvirke.measures.services import (
    add_note,
    change_enrolment_status,
    enrol_participant,
    plan_sessions,
    publish_service_map,
    record_attendance,
    remove_pathway_step,
    save_measure,
    save_pathway,
    save_pathway_step,
    save_service,
)
from samvirke.participants.models import Participant
from samvirke.participants.services import _decrypted_identity
from samvirke.programmes.models import Municipality, Organisation, Programme, Subproject

M = TypeVar("M", bound=models.Model)
LOADER = Actor.of_user(None)


def _municipalities() -> dict[str, Municipality]:
    # Municipalities come from the official registers (`samvirke import_municipalities`); the
    # demo adds the three it needs only when they were not imported.
    found = {}
    for key, spec in fixture("service_map")["municipalities"].items():
        found[key], _ = Municipality.objects.get_or_create(
            country=spec["country"],
            code=spec["code"],
            defaults={"name": spec["name"], "county": spec["county"]},
        )
    return found


def _text(value: str | dict[str, str]) -> dict[str, str]:
    """A text in nb, sv and en, or the name of one that several services share."""
    return fixture("service_map")["shared_texts"][value] if isinstance(value, str) else value


def _phone(country: str, number: int) -> str:
    return f"+47 400 00 {number:03d}" if country == "NO" else f"+46 70 000 00 {number:02d}"


def _save(obj: M, values: dict[str, Any], save: Any) -> M:
    """Set the values and save through the service, only when the object is new or one of them
    differs, so that loading again changes (and logs) nothing."""
    if obj._state.adding:
        changed = tuple(values)
    else:
        changed = tuple(name for name, value in values.items() if getattr(obj, name) != value)
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        saved: M = save(actor=LOADER, change=Change(obj=obj, fields=changed))
        return saved
    return obj


@transaction.atomic
def load_service_map(programme: Programme) -> None:
    """The service map of Trondheim, Stjørdal and Östersund, published; safe to run again."""
    data = fixture("service_map")
    municipalities = _municipalities()
    services: dict[str, Service] = {}
    for spec in data["services"]:
        municipality = municipalities[spec["municipality"]]
        name = _text(spec["name"])
        found = Service.objects.filter(programme=programme, name_nb=name["nb"]).first()
        values = {
            "country": municipality.country,
            "municipality": municipality,
            "provider_kind": spec["kind"],
            **translated("name", name),
            **translated("offers", _text(spec["offers"])),
            **translated("eligibility", _text(spec["eligibility"])),
            **translated("access", _text(spec["access"])),
            **translated("opening_hours", _text(spec["hours"])),
            "address": spec["address"],
            "phone": _phone(municipality.country, spec["number"]),
            "email": f"{spec['key']}@example.test",
            "languages": spec["languages"],
        }
        services[spec["key"]] = _save(found or Service(programme=programme), values, save_service)
    for spec in data["pathways"]:
        found_pathway = Pathway.objects.filter(
            programme=programme, situation=spec["situation"], country=spec["country"]
        ).first()
        pathway = _save(
            found_pathway
            or Pathway(programme=programme, situation=spec["situation"], country=spec["country"]),
            {**translated("title", spec["title"]), **translated("summary", spec["summary"])},
            save_pathway,
        )
        for position, step in enumerate(spec["steps"], start=1):
            found_step = PathwayStep.objects.filter(pathway=pathway, position=position).first()
            _save(
                found_step or PathwayStep(pathway=pathway, position=position),
                {
                    **translated("title", step["title"]),
                    **translated("text", step["text"]),
                    "service": services.get(step["service"]),
                },
                save_pathway_step,
            )
        for extra in pathway.steps.filter(position__gt=len(spec["steps"])):
            remove_pathway_step(actor=Actor.of_user(None), step=extra)
    publish_service_map(actor=Actor.of_user(None), programme=programme, published=True)
    record_event(
        action=AuditAction.CREATE,
        actor=Actor.of_user(None),
        programme=programme,
        object_type="measures.service",
        object_label="service map",
        detail={
            "source": "demo",
            "services": len(data["services"]),
            "pathways": len(data["pathways"]),
        },
    )


@transaction.atomic
def load_measures(programme: Programme) -> None:
    """Six measures in Trondheim, Stjørdal and Östersund with sessions; enrolments, attendance
    and one note for the demo participants. Safe to run again."""

    data = fixture("measures")
    municipalities = _municipalities()
    organisations = {
        o.short_name: o for o in Organisation.objects.filter(partnerships__programme=programme)
    }
    measures: dict[str, Measure] = {}
    for spec in data["measures"]:
        municipality = municipalities[spec["municipality"]]
        found = Measure.objects.filter(programme=programme, name_nb=spec["name"]["nb"]).first()
        values = {
            **translated("name", spec["name"]),
            **translated("description", spec["description"]),
            "kind": spec["kind"],
            "status": spec["status"],
            "language": spec["language"],
            "subproject": Subproject.objects.get(programme=programme, name=spec["subproject"]),
            "country": municipality.country,
            "municipality": municipality,
            "place": spec["place"],
            "capacity": spec["capacity"],
            "weekday": spec["weekday"],
            "starts_at": dt.time.fromisoformat(spec["time"]),
            "duration_minutes": spec["minutes"],
            "first_date": day(data["first_day"]),
            "last_date": day(data["last_day"]),
            "method": spec["method"],
            "intended_effect": spec["effect"],
            "target_group": spec["target_group"],
        }
        measure = _save(found or Measure(programme=programme), values, save_measure)
        measure.partners.set([organisations[n] for n in spec["partners"] if n in organisations])
        measure.goals.set(programme.goals.all()[:1])
        plan_sessions(actor=Actor.of_user(None), measure=measure)
        measures[spec["key"]] = measure
    if Enrolment.objects.filter(measure__programme=programme).exists():
        return
    people = _demo_participants(programme)
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.samvirke.test")}
    first_day = day(data["first_day"])
    enrolled: list[Enrolment] = []
    for spec in data["enrolments"]:
        if spec["participant"] not in people:
            continue
        guide = users[spec["guide"]]
        enrolment = enrol_participant(
            actor=Actor.of_user(guide),
            measure=measures[spec["measure"]],
            participant=people[spec["participant"]],
            referral_source=spec["referred_by"],
            referred_on=first_day - dt.timedelta(days=14),
            guide=guide,
        )
        for step in spec["steps"]:
            enrolment = change_enrolment_status(
                actor=Actor.of_user(guide),
                enrolment=enrolment,
                status=step["status"],
                on=day(step["on"]),
                reason_code=step["reason"],
            )
        enrolled.append(enrolment)
    _attendance(measures, enrolled, data["attended_sessions"])
    nora_in_cafe = next(e for e in enrolled if e.measure == measures["kafe"])
    add_note(
        actor=Actor.of_user(users["veileder@demo.samvirke.test"]),
        enrolment=nora_in_cafe,
        text=data["note"],
    )


def _demo_participants(programme: Programme) -> dict[str, Participant]:
    """The named demo participants, found by their (made-up) names."""

    found = {}
    for participant in Participant.objects.filter(programme=programme, identity__isnull=False):
        name = _decrypted_identity(participant).full_name
        if not name.startswith("RSMH-medlem"):
            found[name] = participant
    return found


def _attendance(measures: dict[str, Measure], enrolled: list[Enrolment], sessions: int) -> None:
    """Attendance for the first weeks: mostly present, now and then away for a reason."""
    reasons = ["ill", "appointment", "work", "no_show"]
    for measure in measures.values():
        mine = [e for e in enrolled if e.measure_id == measure.pk]
        if not mine:
            continue
        recorder = mine[0].guide
        for number, session in enumerate(measure.sessions.order_by("starts_at")[:sessions]):
            marks: dict[int, tuple[bool | None, str]] = {}
            for index, enrolment in enumerate(mine):
                started = enrolment.started_on or enrolment.referred_on
                ended = enrolment.ended_on
                on = session.starts_at.date()
                if (
                    on < started
                    or (ended and on > ended)
                    or enrolment.status == EnrolmentStatus.WAITING
                ):
                    continue
                away = (number + index) % 5 == 4
                marks[enrolment.pk] = (not away, reasons[(number + index) % 4] if away else "")
            if marks and recorder is not None:
                record_attendance(actor=Actor.of_user(recorder), session=session, marks=marks)
