"""De-identification of one research export, REDCap-style.

Every export is keyed with its own random salt (kept on its ``ResearchExport`` row):

* a participant's **study id** is a keyed HMAC of their internal id under that salt, so the
  same person has unrelated ids in two exports and the files cannot be joined on them; the
  operational pseudonym staff use never leaves Samvirke;
* rows are ordered by study id, so neither can two files be lined up by their order;
* **dates** become whole months since the participant's baseline (their first date in the
  programme: first mapping or referral), or, when asked, are moved by a random number of days
  that is the same for every date of one participant in this export and unrelated in another,
  so intervals survive and calendar dates do not;
* the **municipality** becomes its region (fylke / län: the first two digits of the official
  number) unless the municipality is asked for.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

MINIMUM_PEOPLE = 5
STUDY_ID_LENGTH = 10  # base32 characters: 50 bits, no collision to speak of among 10^5
MAX_SHIFT_DAYS = 182


class DateHandling(models.TextChoices):
    MONTHS = "months", _("Months since the participant's baseline (recommended)")
    SHIFTED = "shifted", _("Dates moved by a random number of days per participant")


class Geography(models.TextChoices):
    REGION = "region", _("Region: county (fylke) or län (recommended)")
    MUNICIPALITY = "municipality", _("Municipality")


def new_salt() -> str:
    return secrets.token_hex(32)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (negative when ``end`` comes first)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if months > 0 and end.day < start.day:
        months -= 1
    elif months < 0 and end.day > start.day:
        months += 1
    return months


def region_code(municipality_code: str | None) -> str:
    """Fylkesnummer or länskod: the first two digits of the municipality's official number."""
    return municipality_code[:2] if municipality_code else ""


@dataclass(frozen=True)
class Deidentifier:
    salt: str
    dates: str = DateHandling.MONTHS
    geography: str = Geography.REGION

    def _digest(self, purpose: bytes, public_id: uuid.UUID) -> bytes:
        key = bytes.fromhex(self.salt)
        return hmac.new(key, purpose + public_id.bytes, hashlib.sha256).digest()

    def study_id(self, public_id: uuid.UUID) -> str:
        code = base64.b32encode(self._digest(b"study-id:", public_id)).decode("ascii")
        return "R" + code[:STUDY_ID_LENGTH]

    def shift_days(self, public_id: uuid.UUID) -> int:
        """Between -182 and 182 days, never 0, the same for one person within this export."""
        number = int.from_bytes(self._digest(b"date-shift:", public_id)[:4], "big")
        days = number % MAX_SHIFT_DAYS + 1
        return days if number & (1 << 31) else -days

    @property
    def shifts_dates(self) -> bool:
        return self.dates == DateHandling.SHIFTED

    def when(
        self, day: dt.date | None, *, baseline: dt.date | None, public_id: uuid.UUID
    ) -> int | dt.date | None:
        """A date as this export gives it: months since baseline, or the shifted date."""
        if day is None:
            return None
        if self.shifts_dates:
            return day + dt.timedelta(days=self.shift_days(public_id))
        return months_between(baseline or day, day)

    def place(self, municipality_code: str | None) -> str:
        if self.geography == Geography.MUNICIPALITY:
            return municipality_code or ""
        return region_code(municipality_code)
