"""The demo: the demo participant has a questionnaire due, and the demo guide sees questionnaires
due this week and overdue among the people they follow."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from samvirke.accounts.models import User
from samvirke.demo.evaluation import DEMO_GUIDE_EMAIL, load_questionnaire_demo
from samvirke.demo.programmes import load_demo
from samvirke.evaluation.models import QuestionnaireResponse
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> QuestionnaireResponse | None:
    call_command("load_instruments", verbosity=0)
    load_demo()
    return load_questionnaire_demo()


def test_the_demo_participant_has_a_questionnaire_due(demo: QuestionnaireResponse | None) -> None:
    assert demo is not None
    assert demo.participant.account is not None
    assert demo.status == "due"


def test_the_demo_guide_sees_questionnaires_due_this_week_and_overdue(
    demo: QuestionnaireResponse | None,
) -> None:
    guide = User.objects.get(email=DEMO_GUIDE_EMAIL)
    programme = guide.memberships.get().programme
    page = sign_in(Client(), guide).get(
        reverse("evaluation:questionnaires_due", args=[programme.slug])
    )
    lists = page.context["lists"]
    assert lists["due"] and lists["overdue"]


def test_loading_the_questionnaire_demo_again_opens_nothing_more(
    demo: QuestionnaireResponse | None,
) -> None:
    before = QuestionnaireResponse.objects.count()
    load_questionnaire_demo()
    assert QuestionnaireResponse.objects.count() == before
