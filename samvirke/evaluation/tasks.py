"""Background work for outcome data: the daily questionnaire round and its reminders.

``questionnaire_round`` runs once a day: it plans the questionnaires of enrolments that changed
(a place from the waiting list, an end), closes those whose window has passed and sends each
reminder at most once. Each round books the next one for the next morning with ``run_after``,
so the worker (``samvirke db_worker``) keeps it going; ``samvirke questionnaire_round`` starts
it (or runs one round, from cron, where no worker runs).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task

from samvirke.evaluation.export_jobs import expire_files
from samvirke.evaluation.models import QuestionnaireResponse, ResponseStatus, SafetyAlert
from samvirke.evaluation.safety_services import recipients
from samvirke.evaluation.schedule_services import mark_missed, plan_changed_enrolments
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


ROUND_HOUR = 7  # local time: reminders arrive in the morning
# Enrolments changed since a little more than a day ago are planned: a late round misses none.
ROUND_LOOKBACK = dt.timedelta(days=2)


def next_round_at(now: dt.datetime) -> dt.datetime:
    """The next morning's round, in the programme's time zone."""
    local = timezone.localtime(now)
    tomorrow = local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(ROUND_HOUR)))


def book_next_round(now: dt.datetime) -> bool:
    """Enqueue tomorrow's round, unless one is already waiting. Backends that cannot wait (the
    tests' and the demo's, which run a task at once) book nothing."""
    if not questionnaire_round.get_backend().supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=questionnaire_round.module_path,
        run_after__gt=now,
    )
    if waiting.exists():
        return False
    questionnaire_round.using(run_after=next_round_at(now)).enqueue()
    return True


@task()
def questionnaire_round() -> dict[str, int]:
    """One day's round: plan, mark missed, remind, delete research files past their 24 hours;
    then book the next."""
    now = timezone.now()
    today = timezone.localdate(now)
    done = {
        "planned": plan_changed_enrolments(since=now - ROUND_LOOKBACK),
        "missed": mark_missed(today=today),
        "reminded": sum(remind(pk) for pk in reminders_due(today)),
        "research_files_deleted": expire_files(now),
    }
    book_next_round(now)
    return done


@task()
def send_safety_alert(alert_id: int) -> int:
    """Tell each recipient that an answer needs follow-up today: no name, pseudonym,
    questionnaire or answer in the mail, only the link to the list in Samvirke."""

    alert = (
        SafetyAlert.objects.select_related("response__participant__programme")
        .filter(pk=alert_id)
        .first()
    )
    if alert is None:
        return 0
    programme = alert.response.participant.programme
    link = reverse("evaluation:questionnaires_due", args=[programme.slug])
    sent = 0
    for user in recipients(alert):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = _("Samvirke: an answer needs your follow-up today")
            body = render_to_string(
                "evaluation/email/safety_alert.txt", {"url": f"{settings.BASE_URL}{link}"}
            )
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    return sent
