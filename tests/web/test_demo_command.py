from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from samvirke.programmes.models import Programme


@pytest.mark.django_db
@override_settings(DEMO_MODE=False, DEBUG=False, TESTING=False)
def test_the_demo_refuses_to_load_outside_demo_mode() -> None:
    # when / then
    with translation.override("en"), pytest.raises(CommandError, match="SAMVIRKE_DEMO=1"):
        call_command("demo")
    assert not Programme.objects.exists()
