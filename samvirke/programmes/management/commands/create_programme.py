"""``samvirke create_programme``: start a programme and name its leader.

The leader is found by e-mail address; a new person gets an account without a password and an
e-mail with a link to choose one (links start with SAMVIRKE_BASE_URL).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from samvirke.accounts.models import User
from samvirke.programmes.models import Programme
from samvirke.programmes.services import create_programme_led_by


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("Write dates as YYYY-MM-DD, not %(value)s.") % {"value": value}
        ) from exc


class Command(BaseCommand):
    help = "Create a programme and give one person (by e-mail address) the programme-leader role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="Short name in addresses, e.g. samvirke-2026.")
        parser.add_argument("--name-nb", required=True, help="Name in Norwegian.")
        parser.add_argument("--name-sv", default="", help="Name in Swedish.")
        parser.add_argument("--name-en", default="", help="Name in English.")
        parser.add_argument("--starts-on", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--ends-on", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--funding", default="", help="For example Interreg Sverige–Norge.")
        parser.add_argument("--leader", required=True, help="The leader's e-mail address.")
        parser.add_argument(
            "--leader-name", default="", help="The leader's full name (needed for a new person)."
        )
        parser.add_argument(
            "--leader-language",
            default="",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of a new person's invitation and pages.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fields = {
            "slug": options["slug"],
            "name_nb": options["name_nb"],
            "name_sv": options["name_sv"],
            "name_en": options["name_en"],
            "starts_on": _date(options["starts_on"]),
            "ends_on": _date(options["ends_on"]),
            "funding": options["funding"],
        }
        if fields["ends_on"] < fields["starts_on"]:
            raise CommandError(_("The programme cannot end before it starts."))
        try:
            Programme(**fields).full_clean(exclude=["calendar_token"])
            validate_email(options["leader"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        email = options["leader"].strip().lower()
        if not User.objects.filter(email=email).exists() and not options["leader_name"].strip():
            raise CommandError(
                _("%(email)s has no account yet: give --leader-name.") % {"email": email}
            )
        programme, leader, invited = create_programme_led_by(
            actor=None,
            leader_email=email,
            leader_name=options["leader_name"],
            leader_language=options["leader_language"],
            **fields,
        )
        self.stdout.write(
            _("Created %(programme)s (%(slug)s), led by %(email)s.")
            % {"programme": programme.name, "slug": programme.slug, "email": leader.email}
        )
        if invited:
            self.stdout.write(
                _("An invitation to choose a password is sent to %(email)s.")
                % {"email": leader.email}
            )
            if not settings.BASE_URL:
                self.stderr.write(
                    _("SAMVIRKE_BASE_URL is not set: the invitation's link points to localhost.")
                )
