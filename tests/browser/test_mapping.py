"""Resource mapping in the browser: a participant's own mapping on a phone, and resource maps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from samvirke.audit.actor import Actor
from samvirke.mapping.models import FilledBy, Mapping, Skill
from samvirke.mapping.services import MappingAnswers, WorkEntry, record_mapping
from samvirke.mapping.skills import sync_skills
from samvirke.participants.models import Consent, Participant
from samvirke.participants.services import give_consent
from tests.browser.conftest import Workspace
from tests.browser.support import (
    LANGUAGES,
    PHONE,
    assert_accessible,
    axe_violations,
    browser_in,
    check_page,
    scrolls_sideways,
    seed_consent_texts,
    sign_in,
    translated,
)
from tests.factories import ParticipantFactory


def own_record(workspace: Workspace) -> Participant:
    seed_consent_texts()
    sync_skills(Skill)  # what migration mapping/0003 loads; the live server's database is emptied
    cast = workspace.cast
    record = ParticipantFactory(
        programme=cast.programme, account=cast.participant, subprojects=[cast.subproject]
    )
    record.guides.set([cast.guide])
    return record


def say_yes_to(phone: Page, purpose_label: str) -> None:
    card = phone.locator(".card", has_text=purpose_label)
    card.locator("button[type=submit]").tap()
    expect(phone.locator(".messages")).to_be_visible()


@pytest.mark.browser
def test_a_participant_fills_in_their_mapping_in_swedish_on_a_phone(
    workspace: Workspace, new_context: Callable[..., BrowserContext]
) -> None:
    # given a participant on a phone, in Swedish, who has said yes to follow-up
    record = own_record(workspace)
    workspace.cast.participant.language = "sv"
    workspace.cast.participant.save(update_fields=["language"])
    phone = new_context(**PHONE, locale="sv-SE").new_page()
    sign_in(phone, workspace.cast.participant)
    phone.goto(f"/p/{workspace.slug}/me/")
    say_yes_to(phone, translated("sv", "follow-up in the programme"))
    # when they fill in their mapping
    phone.goto(f"/p/{workspace.slug}/me/mapping/new/")
    expect(phone.locator("h1")).to_have_text(translated("sv", "Fill in my mapping"))
    assert_accessible(phone, "the mapping form on a phone, in Swedish")
    assert not scrolls_sideways(phone)
    phone.locator("#id_work-0-title").fill("kock")
    phone.locator("#id_work-0-start_year").fill("2010")
    phone.locator("#id_work-0-paid_0").check()
    phone.get_by_label(translated("sv", "cooking and food"), exact=True).check()
    phone.get_by_label(translated("sv", "start an enterprise"), exact=True).check()
    phone.locator("button[type=submit]", has_text=translated("sv", "Save the mapping")).tap()
    # then they see it, in Swedish, without sideways scrolling
    expect(phone.locator(".messages")).to_contain_text(
        translated("sv", "Thank you. Your mapping is saved.")
    )
    expect(phone.locator("#work-heading + .table-wrap")).to_contain_text("kock")
    assert not scrolls_sideways(phone)
    assert_accessible(phone, "my mapping on a phone, in Swedish")
    mapping = Mapping.objects.get(participant=record)
    assert mapping.filled_by == FilledBy.SELF
    assert mapping.items_of("interest") == ["cooking"]


@pytest.mark.browser
def test_a_participant_gives_research_consent_and_withdraws_it_on_a_phone(
    workspace: Workspace, new_context: Callable[..., BrowserContext]
) -> None:
    # given
    record = own_record(workspace)
    phone = new_context(**PHONE, locale="sv-SE").new_page()
    sign_in(phone, workspace.cast.participant)
    phone.goto(f"/p/{workspace.slug}/me/")
    research = translated("nb", "evaluation research")
    # when
    say_yes_to(phone, research)
    assert Consent.objects.filter(participant=record, purpose="research", withdrawn_at=None)
    say_yes_to(phone, research)  # the same button now withdraws
    # then
    consent = Consent.objects.get(participant=record, purpose="research")
    assert consent.withdrawn_at is not None
    expect(phone.locator(".card", has_text=research)).to_contain_text(translated("nb", "No"))


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_mapping_pages_and_the_resource_map_have_no_accessibility_violations(
    language: str,
    workspace: Workspace,
    new_context: Callable[..., BrowserContext],
    live_server: Any,
) -> None:
    # given a followed participant with a mapping, and enough people for a resource map
    record = own_record(workspace)
    cast = workspace.cast
    for person in [record, *[ParticipantFactory(programme=cast.programme) for _ in range(5)]]:
        person.subprojects.add(cast.subproject)
        give_consent(
            actor=Actor.of_user(cast.guide), participant=person, purpose="follow_up", method="paper"
        )
        record_mapping(
            actor=Actor.of_user(cast.guide),
            participant=person,
            filled_by=FilledBy.WITH_GUIDE,
            filled_on=timezone.localdate(),
            answers=MappingAnswers(
                skill_codes=["cooking"],
                items={"interest": ["cooking"], "goal": ["work"]},
                work=[WorkEntry(title="kokk")],
                life_situation=[("housing", "self", "green"), ("housing", "guide", "yellow")],
            ),
        )
    p = f"/p/{workspace.slug}"
    guide = browser_in(language, cast.guide, new_context, live_server.url)
    contact = browser_in(language, cast.contact, new_context, live_server.url)
    failures: list[str] = []
    # when
    sign_in(guide, cast.guide)
    check_page(
        guide,
        "a participant's mapping",
        f"{p}/participants/{record.public_id}/mapping/",
        200,
        failures,
    )
    check_page(
        guide,
        "the guide's mapping form",
        f"{p}/participants/{record.public_id}/mapping/new/",
        200,
        failures,
    )
    # The guide starts from the last version: the reveal button, pressed from the keyboard.
    guide.locator("#reveal-mapping button").focus()
    with guide.expect_navigation():
        guide.keyboard.press("Enter")
    expect(guide.locator("input[name='work-0-title']")).to_have_value("kokk")
    failures.extend(f"the form from the last version: {line}" for line in axe_violations(guide))
    sign_in(contact, cast.contact)
    check_page(contact, "the resource map", f"{p}/resource-map/", 200, failures)
    check_page(
        contact,
        "a subproject's resource map",
        f"{p}/resource-map/?subproject={cast.subproject.pk}",
        200,
        failures,
    )
    # then
    assert not failures, f"Accessibility problems in {language}:\n" + "\n".join(failures)
