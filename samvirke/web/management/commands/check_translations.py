"""Fail when any nb, sv or en msgid is untranslated, fuzzy, or missing from the catalogue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from samvirke.web.translations import (
    LANGUAGE_CODES,
    missing_from_catalogue,
    msgids_in_source,
    untranslated,
)


class Command(BaseCommand):
    help = "Check that every catalogue is complete and up to date with the source."

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        source = msgids_in_source()
        if source is None:
            self.stdout.write(
                "GNU gettext (xgettext) is not installed: skipped the check that the "
                "catalogues hold every msgid of the source. Install gettext to run it."
            )
        for language in LANGUAGE_CODES:
            for msgid in untranslated(language):
                problems.append(f"{language}: untranslated: {msgid!r}")
            if source is not None:
                for msgid in missing_from_catalogue(language, source):
                    problems.append(f"{language}: not in the catalogue: {msgid!r}")
        if problems:
            raise CommandError(
                "Translations are incomplete (run `make makemessages` and translate):\n"
                + "\n".join(problems[:200])
            )
        self.stdout.write(f"Translations complete for {', '.join(LANGUAGE_CODES)}.")
