from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast, sign_in


@pytest.mark.django_db
def test_pages_forbid_inline_scripts_plugins_base_tags_and_framing(cast: Cast) -> None:
    response = Client().get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_pages_send_nosniff_referrer_policy_and_deny_framing() -> None:
    response = Client().get(reverse("accounts:login"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_pages_with_personal_data_are_never_cached(cast: Cast) -> None:
    client = sign_in(Client(), cast.coordinator)
    response = client.get(reverse("programmes:members", args=[cast.programme.slug]))
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_templates_contain_no_inline_scripts_or_styles() -> None:
    from pathlib import Path

    import samvirke

    root = Path(samvirke.__file__).parent
    offenders = []
    for template in root.glob("*/templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if "<script>" in text or "<style" in text or " style=" in text or " onclick=" in text:
            offenders.append(str(template.relative_to(root)))
    assert offenders == []


@pytest.mark.django_db
def test_every_page_warns_when_two_factor_sign_in_is_switched_off(settings: Any) -> None:
    settings.REQUIRE_2FA = False
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get(reverse("accounts:login")).content.decode()
    assert "two-factor authentication is switched off" in html


@pytest.mark.django_db
def test_no_warning_shows_when_two_factor_sign_in_is_required(settings: Any) -> None:
    settings.REQUIRE_2FA = True
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get(reverse("accounts:login")).content.decode()
    assert "two-factor authentication is switched off" not in html
