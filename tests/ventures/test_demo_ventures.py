"""The demo's ventures: three in RSMH's subproject, with proposals from RSMH's mapped members."""

from __future__ import annotations

import pytest

from samvirke.participants.models import ConsentPurpose, active_consent_q
from samvirke.programmes.demo import load_demo
from samvirke.programmes.models import Municipality, Programme
from samvirke.ventures.demo import load_ventures
from samvirke.ventures.models import FormationRun, Proposal, Venture

pytestmark = pytest.mark.django_db


def test_the_demo_proposes_consenting_rsmh_members_for_the_cafe_and_loads_again_unchanged() -> None:
    # given: as `samvirke demo` imports the municipalities first
    Municipality.objects.create(country="SE", code="2380", name="Östersund", county="Jämtland")
    load_demo()
    programme = Programme.objects.get(slug="entreprenorskap-2011")
    # when
    load_ventures(programme)
    # then
    assert Venture.objects.filter(programme=programme).count() == 3
    cafe = Venture.objects.get(name__startswith="Kafé Solsidan")
    assert cafe.stage == "team"
    run = FormationRun.objects.get(programme=programme)
    assert run.status == "done"
    proposed = Proposal.objects.filter(run=run)
    assert proposed.filter(venture=cafe).count() >= 2
    assert proposed.filter(status="accepted").count() == 2
    consenting = programme.participants.filter(active_consent_q(ConsentPurpose.TEAM_MATCHING))
    assert set(proposed.values_list("participant", flat=True)) <= set(
        consenting.values_list("pk", flat=True)
    )
