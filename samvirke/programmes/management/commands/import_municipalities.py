"""Refresh the municipality registry from a statistics office's published CSV list.

All or nothing: a file with one bad row changes nothing. Importing the same file twice changes
nothing the second time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from samvirke.lib.municipalities import MunicipalityFileError, parse_municipality_csv
from samvirke.programmes.services import import_municipalities

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = "Import municipalities from SSB (Norway) or SCB (Sweden) CSV files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--country", choices=["NO", "SE"], help="Country of the file.")
        parser.add_argument("file", nargs="?", help="CSV file; default: the bundled lists.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"]:
            if not options["country"]:
                raise CommandError(_("Say which country the file is for with --country."))
            sources = [(options["country"], Path(options["file"]))]
        else:
            sources = [
                ("NO", DATA_DIR / "municipalities_no.csv"),
                ("SE", DATA_DIR / "municipalities_se.csv"),
            ]
        for country, path in sources:
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(
                    _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}
                ) from exc
            try:
                records = parse_municipality_csv(text, country)
            except MunicipalityFileError as exc:
                raise CommandError(
                    _("Nothing was imported: line %(line)s of %(path)s: %(reason)s")
                    % {"line": exc.line or "-", "path": path, "reason": exc}
                ) from exc
            created, updated = import_municipalities(records)
            self.stdout.write(
                _("%(country)s: %(created)s new, %(updated)s changed, %(total)s in the file.")
                % {
                    "country": country,
                    "created": created,
                    "updated": updated,
                    "total": len(records),
                }
            )
