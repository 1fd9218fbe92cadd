"""System checks that `samvirke check --deploy` runs in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import connection


@register(Tags.security, deploy=True)
def check_production_safety(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if not settings.REQUIRE_2FA:
        errors.append(
            Error(
                "Two-factor authentication is switched off (SAMVIRKE_REQUIRE_2FA=0).",
                hint="Only the local demo may run without it. Unset SAMVIRKE_REQUIRE_2FA.",
                id="samvirke.E001",
            )
        )
    if settings.DEMO_MODE:
        errors.append(
            Error(
                "Demo mode is on (SAMVIRKE_DEMO=1).",
                hint="Unset SAMVIRKE_DEMO in production.",
                id="samvirke.E002",
            )
        )
    if connection.vendor != "postgresql":
        errors.append(
            Error(
                "Production runs on PostgreSQL; DATABASE_URL does not point to it.",
                hint="Set DATABASE_URL=postgres://user:password@host:5432/samvirke.",
                id="samvirke.E003",
            )
        )
    if settings.DEBUG:
        errors.append(
            Error(
                "DEBUG is on (SAMVIRKE_DEBUG=1): error pages show settings and data.",
                hint="Unset SAMVIRKE_DEBUG in production.",
                id="samvirke.E004",
            )
        )
    for name in settings.GENERATED_SECRETS:
        errors.append(
            Error(
                f"{name} is this installation's generated development secret.",
                hint=f"Set {name} (or {name}_FILE) from your secret store.",
                id="samvirke.E005",
            )
        )
    smtp = settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    if smtp and not (settings.EMAIL_USE_TLS or settings.EMAIL_USE_SSL):
        errors.append(
            Error(
                "Mail is sent without TLS (EMAIL_USE_TLS and EMAIL_USE_SSL are off).",
                hint="Sign-in and set-password links travel by mail: unset EMAIL_USE_TLS=0.",
                id="samvirke.E006",
            )
        )
    return errors
