from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def samvirke(request: HttpRequest) -> dict[str, Any]:
    return {
        "two_factor_relaxed": not settings.REQUIRE_2FA,
        "demo_mode": settings.DEMO_MODE,
        "access": getattr(request, "samvirke_access", None),
    }
