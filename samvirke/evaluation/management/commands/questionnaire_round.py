"""Run the daily questionnaire round once now, and book the next for the worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samvirke.evaluation.tasks import questionnaire_round


class Command(BaseCommand):
    help = (
        "Plan questionnaires of changed enrolments, mark missed ones and send reminders; with "
        "the database task backend the next round is booked for tomorrow morning."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = questionnaire_round.call()
        self.stdout.write("planned {planned}, missed {missed}, reminded {reminded}".format(**done))
