"""The demo's ventures: three in RSMH's subproject, with proposals from RSMH's mapped members."""

from __future__ import annotations

import pytest
from django.test import Client

from samvirke.accounts.models import User
from samvirke.demo.programmes import load_demo
from samvirke.demo.ventures import load_ventures
from samvirke.participants.models import ConsentPurpose, active_consent_q
from samvirke.programmes.models import Municipality, Programme
from samvirke.ventures.models import ChecklistItem, Document, FormationRun, Proposal, Task, Venture
from tests.conftest import sign_in

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
    assert cafe.stage_changes.filter(from_stage="team", to_stage="business_plan").exists()
    run = FormationRun.objects.get(programme=programme)
    assert run.status == "done"
    proposed = Proposal.objects.filter(run=run)
    assert proposed.filter(venture=cafe).count() >= 2
    assert proposed.filter(status="accepted").count() == 2
    consenting = programme.participants.filter(active_consent_q(ConsentPurpose.TEAM_MATCHING))
    assert set(proposed.values_list("participant", flat=True)) <= set(
        consenting.values_list("pk", flat=True)
    )


def test_the_demo_cafe_is_in_business_planning_with_its_checklist_partly_ticked_and_a_canvas(
    client: Client,
) -> None:
    # given
    Municipality.objects.create(country="SE", code="2380", name="Östersund", county="Jämtland")
    load_demo()
    programme = Programme.objects.get(slug="entreprenorskap-2011")
    load_ventures(programme)
    cafe = Venture.objects.get(name__startswith="Kafé Solsidan")
    contact = User.objects.get(pk=cafe.created_by_id)
    # when
    page = sign_in(client, contact).get(cafe.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="sv")
    # then
    assert cafe.stage == "business_plan"
    plan = ChecklistItem.objects.filter(venture=cafe, template_item__stage="business_plan")
    assert 0 < plan.filter(done_at__isnull=False).count() < plan.count()
    assert not ChecklistItem.objects.filter(
        venture=cafe, template_item__stage="team", done_at__isnull=True
    ).exists()
    assert cafe.canvases.count() == 1
    assert Task.objects.filter(venture=cafe, kind="milestone").count() == 2
    assert Document.objects.filter(venture=cafe).count() == 1
    html = page.content.decode()
    assert "Skriv affärsplanen med budget och likviditetsplan" in html
    assert "Checklistor från tidigare faser" in html
