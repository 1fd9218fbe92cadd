"""``samvirke demo``: load the demo (``samvirke.demo``) and print one login per role."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from samvirke.demo.evaluation import load_questionnaire_demo, load_synthetic_responses
from samvirke.demo.evaluation_cohort import load_evaluation_demo
from samvirke.demo.programmes import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo programmes (2008–2011 and 2011–2014). Safe to run twice."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo users share one published password: never let them into a real database.
        if not (settings.DEMO_MODE or settings.DEBUG or settings.TESTING):
            raise CommandError(
                _(
                    "The demo data can only be loaded in demo mode: its accounts share a "
                    "published password. Run with SAMVIRKE_DEMO=1 on a database without real data."
                )
            )
        call_command("import_municipalities", stdout=self.stdout)
        call_command("import_classifications", stdout=self.stdout)
        call_command("load_instruments", stdout=self.stdout)
        loaded, logins = load_demo()

        load_questionnaire_demo()
        load_synthetic_responses()

        load_evaluation_demo()
        self.stdout.write(
            "Demo programmes loaded." if loaded else "Demo programmes were already there."
        )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for login in logins:
            self.stdout.write(f"  {login.role:<20} {login.email}")
