"""Logging filters. No Django models here (settings load this module)."""

from __future__ import annotations

import logging

_EXPECTED_REFUSALS = {403}


class QuietRefusals(logging.Filter):
    """Keep the one line Django logs for an ordinary refusal (403), without its traceback.

    A refusal is the permission rules doing their job (the audit log has it); a traceback in the
    console for each one reads like a crash and buries real errors.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in _EXPECTED_REFUSALS:
            record.exc_info = None
            record.exc_text = None
        return True
