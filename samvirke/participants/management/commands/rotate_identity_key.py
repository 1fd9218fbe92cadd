"""Re-encrypt every participant identity with the newest key in SAMVIRKE_IDENTITY_KEYS.

Put the new key first in SAMVIRKE_IDENTITY_KEYS (keep the old ones after it), run this
command, then remove the old keys.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samvirke.participants.services import rotate_identity_keys


class Command(BaseCommand):
    help = "Re-encrypt all participant identities with the newest identity key."

    def handle(self, *args: Any, **options: Any) -> None:
        count = rotate_identity_keys()
        self.stdout.write(f"Re-encrypted {count} identities with the newest key.")
