"""Refresh the occupation and education classifications from their CSV files.

All or nothing: one bad row in any file changes nothing. Importing the same files twice changes
nothing the second time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from samvirke.mapping.models import Skill
from samvirke.mapping.profiles import refresh_profiles
from samvirke.mapping.services import (
    BUNDLED_DATA_DIR,
    ClassificationFileError,
    import_classifications,
)
from samvirke.mapping.skills import sync_skills


class Command(BaseCommand):
    help = "Import ISCO-08, STYRK-08, SSYK 2012, ESCO titles and education levels from CSV files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=BUNDLED_DATA_DIR,
            help="Folder with the classification CSV files; default: the bundled files.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir: Path = options["data_dir"]
        if not data_dir.is_dir():
            raise CommandError(
                _("Nothing was imported: %(path)s is not a folder.") % {"path": data_dir}
            )
        try:
            report = import_classifications(data_dir)
        except ClassificationFileError as exc:
            raise CommandError(
                _("Nothing was imported: %(file)s, line %(line)s: %(reason)s")
                % {"file": data_dir / exc.file, "line": exc.line or "-", "reason": exc.reason}
            ) from exc
        kinds = {
            "occupations": _("ISCO-08 occupation groups"),
            "ssyk_groups": _("SSYK 2012 groups"),
            "ssyk_links": _("SSYK–ISCO links"),
            "titles": _("ESCO occupation titles"),
            "education_levels": _("education levels"),
        }
        for name, counts in report.items():
            self.stdout.write(
                _(
                    "%(kind)s: %(created)s new, %(updated)s changed, %(unchanged)s unchanged, "
                    "%(deleted)s removed."
                )
                % {
                    "kind": kinds[name],
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                    "deleted": counts.deleted,
                }
            )
        skills_changed = sync_skills(Skill)
        if skills_changed:
            # Which work counts as experience of a skill may have changed.
            refresh_profiles()
        self.stdout.write(_("Skills vocabulary: %(count)s changed.") % {"count": skills_changed})
        if not report.changed and not skills_changed:
            self.stdout.write(_("The classifications were already up to date."))
