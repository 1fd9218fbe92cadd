"""Background work for outcome data: questionnaire reminders, each sent at most once."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from samvirke.evaluation.models import QuestionnaireResponse, ResponseStatus
from samvirke.participants.models import ConsentPurpose, Participant, active_consent_q


def reminders_due(today: dt.date) -> list[int]:
    """Open questionnaires in their window, not reminded yet, of people who said yes to being
    contacted about questionnaires and can sign in (their account's address is used, so no
    identity is decrypted)."""
    contactable = Participant.objects.filter(
        active_consent_q(ConsentPurpose.QUESTIONNAIRE_CONTACT),
        erased_at__isnull=True,
        account__isnull=False,
        account__is_active=True,
    )
    return list(
        QuestionnaireResponse.objects.filter(
            status__in=[ResponseStatus.DUE, ResponseStatus.IN_PROGRESS],
            reminded_at__isnull=True,
            window_opens__lte=today,
            window_closes__gte=today,
            participant__in=contactable.values("pk"),
        ).values_list("pk", flat=True)
    )


def remind(response_id: int) -> bool:
    """Send one reminder; the conditional update makes a second run (or a second worker) send
    nothing."""
    claimed = QuestionnaireResponse.objects.filter(pk=response_id, reminded_at__isnull=True).update(
        reminded_at=timezone.now()
    )
    if claimed != 1:
        return False
    response = QuestionnaireResponse.objects.select_related(
        "participant__account", "participant__programme", "version"
    ).get(pk=response_id)
    account = response.participant.account
    if account is None:
        return False
    with translation.override(account.language):
        link = reverse("evaluation:my_questionnaires", args=[response.participant.programme.slug])
        subject = _("A questionnaire is waiting for you: %(title)s") % {
            "title": response.version.title(account.language)
        }
        body = render_to_string(
            "evaluation/email/reminder.txt",
            {
                "title": response.version.title(account.language),
                "due_on": response.due_on,
                "url": f"{settings.BASE_URL}{link}",
            },
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [account.email])
    return True


@task()
def send_questionnaire_reminders() -> int:
    """Remind everyone whose questionnaire is due today or in its window; returns how many."""
    return sum(remind(pk) for pk in reminders_due(timezone.localdate()))
