"""Background work for activities: thin, idempotent, enqueued on commit."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from samvirke.accounts.services import delivery_address
from samvirke.activities.models import Registration, RegistrationStatus


@task()
def notify_registration(registration_id: int, status: str) -> bool:
    """Tell a person, in their own language, that they have a place or are on the waiting list.

    Does nothing when the registration has changed since the task was enqueued.
    """
    registration = (
        Registration.objects.select_related("activity", "activity__programme", "user")
        .filter(pk=registration_id, status=status)
        .first()
    )
    if registration is None or status not in (
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITING,
    ):
        return False
    person = registration.user
    with translation.override(person.language), timezone.override(person.time_zone):
        subject = (
            _("You have a place: %(title)s")
            if status == RegistrationStatus.REGISTERED
            else _("On the waiting list: %(title)s")
        ) % {"title": registration.activity.title}
        body = render_to_string(
            "activities/email/registration.txt",
            {"registration": registration, "activity": registration.activity},
        )

    address = delivery_address(person)
    if not address:
        return False
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return True
