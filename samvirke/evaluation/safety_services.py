"""Answers that ask for a person to follow up the same day.

An item marked ``"safety": true`` in its instrument file (PHQ-9 item 9: thoughts that you would
be better off dead or of hurting yourself) answered above 0 raises a ``SafetyAlert`` at once,
when the answer is saved, not when the questionnaire is sent in: the participant may stop
there. The participant's guides are told in Samvirke (the due list) and by e-mail; the e-mail
says only that an answer needs follow-up and links to Samvirke, never who, which questionnaire
or what was answered, because mail leaves the system. A programme whose participant has no
guide tells its managers instead. The participant is shown where to get help now, in their
language and for their country.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from samvirke.accounts.models import User
from samvirke.accounts.permissions import MANAGER_ROLES
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.evaluation.models import QuestionnaireResponse, SafetyAlert
from samvirke.programmes.models import Country

if TYPE_CHECKING:
    from samvirke.accounts.models import User

ALERT_TYPE = "evaluation.safety_alert"


@dataclass(frozen=True)
class HelpLine:
    name: Promise
    number: str
    about: Promise


HELP_LINES: dict[str, tuple[HelpLine, ...]] = {
    Country.NORWAY: (
        HelpLine(_("Emergency (medical)"), "113", _("if your life or someone's is in danger")),
        HelpLine(
            _("Mental Helse hjelpetelefon"),
            "116 123",
            _("someone to talk to, day and night, free of charge"),
        ),
    ),
    Country.SWEDEN: (
        HelpLine(_("Emergency"), "112", _("if your life or someone's is in danger")),
        HelpLine(
            _("Mind Självmordslinjen"),
            "90101",
            _("someone to talk to, day and night, free of charge"),
        ),
    ),
}


def safety_items(definition: dict[str, Any]) -> set[str]:
    """Keys of the items whose answer above 0 needs follow-up the same day."""
    return {str(item["key"]) for item in definition.get("items", []) if item.get("safety")}


def help_lines(country: str) -> tuple[HelpLine, ...]:
    """Where the participant's country answers; both countries' when it is not known."""
    if country in HELP_LINES:
        return HELP_LINES[country]
    return HELP_LINES[Country.NORWAY] + HELP_LINES[Country.SWEDEN]


def needs_follow_up(
    definition: dict[str, Any], answers: Iterable[tuple[str, int | None]]
) -> list[str]:
    keys = safety_items(definition)
    return [key for key, value in answers if key in keys and value is not None and value > 0]


def check_answers(
    *,
    actor: Actor,
    response: QuestionnaireResponse,
    answers: Iterable[tuple[str, int | None]],
) -> list[SafetyAlert]:
    """Raise an alert for each safety item answered above 0 that has none yet (call inside the
    transaction that saves the answers; the e-mails go when it commits)."""
    raised: list[SafetyAlert] = []
    for key in needs_follow_up(response.version.definition, answers):
        alert, created = SafetyAlert.objects.get_or_create(
            response=response, item_key=key, defaults={"raised_at": timezone.now()}
        )
        if not created:
            continue
        raised.append(alert)
        record_event(
            action=AuditAction.CREATE,
            actor=actor,
            programme=response.participant.programme,
            object_type=ALERT_TYPE,
            object_id=str(alert.public_id),
            object_label=response.participant.pseudonym,
            detail={"item": key},
        )
        alert_id = alert.pk
        transaction.on_commit(lambda alert_id=alert_id: _enqueue(alert_id))  # type: ignore[misc]
    return raised


def _enqueue(alert_id: int) -> None:
    from samvirke.evaluation.tasks import send_safety_alert

    send_safety_alert.enqueue(alert_id)


def recipients(alert: SafetyAlert) -> list[User]:
    """The participant's guides who can sign in; the programme's managers when there are none."""

    participant = alert.response.participant
    guides = list(participant.guides.filter(is_active=True).order_by("pk"))
    if guides:
        return guides
    return list(
        User.objects.filter(
            is_active=True,
            memberships__programme=participant.programme_id,
            memberships__role__in=list(MANAGER_ROLES),
        )
        .distinct()
        .order_by("pk")
    )


def open_alerts(followed: QuerySet[Any]) -> QuerySet[SafetyAlert]:
    """Alerts not yet followed up, of the participants in ``followed``, newest first."""
    return SafetyAlert.objects.filter(
        handled_at__isnull=True, response__participant__in=followed.values("pk")
    ).select_related("response__participant", "response__version")


@transaction.atomic
def mark_followed_up(*, actor: Actor, alert: SafetyAlert) -> SafetyAlert:
    """Say the alert has been followed up (the alert leaves the list; the row stays)."""
    alert = (
        SafetyAlert.objects.select_for_update()
        .select_related("response__participant")
        .get(pk=alert.pk)
    )
    if alert.handled_at is None:
        alert.handled_at, alert.handled_by = timezone.now(), actor.user
        alert.save(update_fields=["handled_at", "handled_by"])
        record_event(
            action=AuditAction.UPDATE,
            actor=actor,
            programme=alert.response.participant.programme,
            object_type=ALERT_TYPE,
            object_id=str(alert.public_id),
            object_label=alert.response.participant.pseudonym,
            detail={"followed_up": True},
        )
    return alert
