"""Empty every uploaded member-survey file that was not imported within a day.

The worker does this for each upload a day after it (``mapping.tasks.forget_upload``); this
command catches anything a stopped worker missed and can run from cron.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from samvirke.mapping.imports.writing import purge_stale_batches


class Command(BaseCommand):
    help = "Empty uploaded member-survey files not imported within 24 hours."

    def handle(self, *args: Any, **options: Any) -> None:
        emptied = purge_stale_batches()
        self.stdout.write(_("%(count)d upload(s) emptied.") % {"count": emptied})
