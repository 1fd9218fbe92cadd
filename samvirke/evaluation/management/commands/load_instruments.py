"""Load the instrument files into published instrument versions (all or nothing, repeatable)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samvirke.evaluation.instrument_files import BUNDLED_DIR, InstrumentFileError
from samvirke.evaluation.instrument_services import load_instruments


class Command(BaseCommand):
    help = "Create a published version for every instrument file not loaded yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--folder", type=Path, default=BUNDLED_DIR, help="Instrument files; default: bundled."
        )
        parser.add_argument(
            "--texts-folder",
            type=Path,
            default=None,
            help="Licensed item texts; default: SAMVIRKE_LICENSED_INSTRUMENTS_DIR.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        if not folder.is_dir():
            raise CommandError(f"Nothing was loaded: {folder} is not a folder.")
        try:
            report = load_instruments(folder=folder, texts_folder=options["texts_folder"])
        except InstrumentFileError as error:
            raise CommandError(f"Nothing was loaded: {error}") from error
        for label in report.created:
            self.stdout.write(f"published {label}")
        for label in report.texts_added:
            self.stdout.write(f"licensed texts added to {label}")
        self.stdout.write(
            f"{len(report.created)} published, {len(report.texts_added)} given texts, "
            f"{len(report.unchanged)} unchanged"
        )
