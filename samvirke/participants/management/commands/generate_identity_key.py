"""Print a new key for SAMVIRKE_IDENTITY_KEYS."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samvirke.lib.identitycrypto import new_key


class Command(BaseCommand):
    help = "Print a new Fernet key for SAMVIRKE_IDENTITY_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(new_key())
