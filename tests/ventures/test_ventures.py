"""Ventures: the pipeline, teams and needs, and team proposals, as the people using them see it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.mapping.models import FilledBy, Skill
from samvirke.mapping.services import MappingAnswers, record_mapping
from samvirke.participants.models import Participant
from samvirke.participants.services import give_consent
from samvirke.ventures import services
from samvirke.ventures.models import (
    FormationRun,
    Outcome,
    Proposal,
    ProposalStatus,
    StageChange,
    TeamMember,
    Venture,
)
from tests.conftest import Cast, sign_in
from tests.factories import MunicipalityFactory, ParticipantFactory, ServiceFactory, VentureFactory


def venture_of(cast: Cast, **values: object) -> Venture:
    return VentureFactory(programme=cast.programme, subproject=cast.subproject, **values)


def mapped(
    cast: Cast, *, skills: list[str], team_consent: bool = True, **values: object
) -> Participant:
    record = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject], **values)
    record.guides.set([cast.guide])
    purposes = ["follow_up", "team_matching"] if team_consent else ["follow_up"]
    for purpose in purposes:
        give_consent(
            actor=Actor.of_user(cast.guide), participant=record, purpose=purpose, method="paper"
        )
    record_mapping(
        actor=Actor.of_user(cast.guide),
        participant=record,
        filled_by=FilledBy.WITH_GUIDE,
        filled_on=timezone.localdate(),
        answers=MappingAnswers(
            skill_codes=skills, items={"interest": ["cooking"], "goal": ["enterprise"]}
        ),
    )
    return record


def need(venture: Venture, code: str, importance: int = 3) -> None:
    services.add_need(
        actor=Actor.of_user(venture.created_by),  # type: ignore[arg-type]
        venture=venture,
        importance=importance,
        skill=Skill.objects.get(code=code),
    )


def test_moving_a_venture_keeps_a_dated_history_of_who_and_why(cast: Cast) -> None:
    # given
    venture = venture_of(cast, stage="team")
    client = sign_in(Client(), cast.contact)
    url = reverse("ventures:move", args=[cast.programme.slug, venture.public_id])
    # when
    response = client.post(url, {"stage": "business_plan", "reason": "Teamet er komplett"})
    # then
    assert response.status_code == 302
    venture.refresh_from_db()
    assert venture.stage == "business_plan"
    change = StageChange.objects.filter(venture=venture).latest("moved_at")
    assert (change.from_stage, change.to_stage, change.moved_by, change.reason) == (
        "team",
        "business_plan",
        cast.contact,
        "Teamet er komplett",
    )


def test_the_board_has_a_button_on_each_card_to_move_it_on(cast: Cast) -> None:
    # given
    venture = venture_of(cast, name="Kafé Kirkens hus", stage="team")
    # when
    page = sign_in(Client(), cast.contact).get(
        reverse("ventures:board", args=[cast.programme.slug])
    )
    # then
    html = page.content.decode()
    assert 'value="business_plan"' in html
    assert reverse("ventures:move", args=[cast.programme.slug, venture.public_id]) in html


def test_a_legal_form_of_the_other_country_is_refused_and_nothing_is_saved(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.contact)
    data = {
        "name": "Bruktbutikken",
        "subproject": cast.subproject.pk,
        "country": "NO",
        "legal_form": "se_ab",
        "min_team_size": 2,
        "max_team_size": 5,
    }
    # when
    response = client.post(reverse("ventures:new", args=[cast.programme.slug]), data)
    # then
    assert response.status_code == 400
    assert "Velg en selskapsform fra landet" in response.content.decode()
    assert not Venture.objects.exists()


def test_a_guide_sees_only_ventures_with_someone_they_guide_on_the_team(cast: Cast) -> None:
    # given
    theirs = venture_of(cast, name="Hagelaget")
    venture_of(cast, name="Reparasjonsverkstedet")
    record = mapped(cast, skills=["gardening"])
    TeamMember.objects.create(venture=theirs, kind="participant", participant=record)
    # when
    page = sign_in(Client(), cast.guide).get(reverse("ventures:list", args=[cast.programme.slug]))
    # then
    html = page.content.decode()
    assert "Hagelaget" in html
    assert "Reparasjonsverkstedet" not in html


def test_a_researcher_sees_the_team_by_pseudonym_and_never_by_name(cast: Cast) -> None:
    # given
    venture = venture_of(cast)
    record = mapped(cast, skills=["cooking"])
    TeamMember.objects.create(venture=venture, kind="participant", participant=record)
    # when
    page = sign_in(Client(), cast.researcher).post(venture.get_absolute_url(), {"reveal": "team"})
    # then
    html = page.content.decode()
    assert record.pseudonym in html
    assert "Testa Testesen" not in html


def test_the_coverage_shows_who_covers_a_need_and_a_support_partner_for_a_gap(cast: Cast) -> None:
    # given
    venture = venture_of(cast, created_by=cast.contact)
    need(venture, "cooking")
    need(venture, "bookkeeping")
    cook = mapped(cast, skills=["cooking"])
    TeamMember.objects.create(venture=venture, kind="participant", participant=cook)
    ServiceFactory(
        programme=cast.programme,
        country="NO",
        municipality=None,
        provider_kind="business_support",
        name_nb="Innovasjon Norge",
    )
    # when
    page = sign_in(Client(), cast.contact).post(venture.get_absolute_url(), {"reveal": "team"})
    # then
    html = page.content.decode()
    assert cook.pseudonym in html
    assert "1 gap" in html
    assert "Innovasjon Norge" in html


def test_opening_a_venture_shows_no_team_and_logs_nothing(cast: Cast) -> None:
    # given
    venture = venture_of(cast)
    record = mapped(cast, skills=["cooking"])
    TeamMember.objects.create(venture=venture, kind="participant", participant=record)
    # when
    page = sign_in(Client(), cast.contact).get(venture.get_absolute_url()).content.decode()
    # then
    assert record.pseudonym not in page and 'name="reveal" value="team"' in page
    assert not AuditEntry.objects.filter(detail__read="venture_team").exists()


def test_showing_a_team_is_in_each_members_access_log(cast: Cast) -> None:
    # given
    venture = venture_of(cast)
    record = mapped(cast, skills=["cooking"])
    TeamMember.objects.create(venture=venture, kind="participant", participant=record)
    # when
    sign_in(Client(), cast.contact).post(venture.get_absolute_url(), {"reveal": "team"})
    # then
    assert AuditEntry.objects.filter(
        action="view", object_id=str(record.public_id), detail__read="venture_team"
    ).exists()


def run_engine(cast: Cast) -> FormationRun:
    from samvirke.accounts.permissions import access_for

    run = services.start_formation(
        actor=Actor.of_user(cast.contact),
        access=access_for(cast.contact, cast.programme),
        seed=1,
        max_ventures_per_person=1,
        time_limit=5,
    )
    return services.execute_formation(run=run)


def test_the_engine_proposes_only_people_who_consented_to_team_matching(cast: Cast) -> None:
    # given
    place = MunicipalityFactory()
    venture = venture_of(
        cast, created_by=cast.contact, stage="team", municipality=place, min_team_size=1
    )
    need(venture, "cooking")
    willing = mapped(cast, skills=["cooking"], municipality=place)
    mapped(cast, skills=["cooking"], municipality=place, team_consent=False)
    # when
    run = run_engine(cast)
    # then
    assert run.status == "done"
    assert list(Proposal.objects.values_list("participant", flat=True)) == [willing.pk]
    assert not TeamMember.objects.filter(venture=venture).exists()  # proposals only


def test_the_proposals_page_explains_each_proposal_and_logs_the_read(cast: Cast) -> None:
    # given
    place = MunicipalityFactory()
    venture = venture_of(
        cast, created_by=cast.contact, stage="team", municipality=place, min_team_size=1
    )
    need(venture, "cooking")
    cook = mapped(cast, skills=["cooking"], municipality=place)
    run = run_engine(cast)
    address = reverse("ventures:formation_run", args=[cast.programme.slug, run.public_id])
    client = sign_in(Client(), cast.contact)
    # when
    opened = client.get(address).content.decode()
    logged_on_opening = AuditEntry.objects.filter(detail__read="team_proposal").exists()
    page = client.post(address, {"reveal": "proposals"})
    # then
    assert cook.pseudonym not in opened and not logged_on_opening
    html = page.content.decode()
    assert "Har det teamet trenger" in html
    assert cook.pseudonym in html
    assert AuditEntry.objects.filter(
        object_id=str(cook.public_id), detail__read="team_proposal"
    ).exists()


def test_accepting_a_proposal_puts_the_person_on_the_team(cast: Cast) -> None:
    # given
    place = MunicipalityFactory()
    venture = venture_of(
        cast, created_by=cast.contact, stage="team", municipality=place, min_team_size=1
    )
    need(venture, "cooking")
    cook = mapped(cast, skills=["cooking"], municipality=place)
    run_engine(cast)
    proposal = Proposal.objects.get()
    url = reverse("ventures:proposal_decide", args=[cast.programme.slug, proposal.public_id])
    # when
    sign_in(Client(), cast.contact).post(url, {"decision": "accept"})
    # then
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert TeamMember.objects.filter(venture=venture, participant=cook).exists()


def test_a_participant_sees_a_proposal_about_them_and_can_decline_it(cast: Cast) -> None:
    # given
    place = MunicipalityFactory()
    venture = venture_of(
        cast, created_by=cast.contact, stage="team", municipality=place, min_team_size=1
    )
    need(venture, "cooking")
    cook = mapped(cast, skills=["cooking"], municipality=place, account=cast.participant)
    run_engine(cast)
    proposal = Proposal.objects.get(participant=cook)
    client = sign_in(Client(), cast.participant, second_factor=False)
    # when
    page = client.get(reverse("ventures:my_proposals", args=[cast.programme.slug]))
    client.post(
        reverse("ventures:my_proposal_decline", args=[cast.programme.slug, proposal.public_id])
    )
    # then
    assert venture.name in page.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED


def test_a_user_representative_sees_fewer_than_five_workers_as_a_hidden_count(cast: Cast) -> None:
    # given
    venture = venture_of(cast, stage="operation")
    record = mapped(cast, skills=["cooking"])
    TeamMember.objects.create(venture=venture, kind="participant", participant=record)
    # when
    page = sign_in(Client(), cast.user_rep, second_factor=False).get(
        reverse("ventures:pipeline", args=[cast.programme.slug])
    )
    leader_page = sign_in(Client(), cast.leader).get(
        reverse("ventures:pipeline", args=[cast.programme.slug])
    )
    # then
    assert '<p class="lead">&lt;5</p>' in page.content.decode()
    assert '<p class="lead">1</p>' in leader_page.content.decode()


def outcome_url(cast: Cast, venture: Venture) -> str:
    return reverse("ventures:outcome", args=[cast.programme.slug, venture.public_id])


def test_an_organisation_number_with_a_wrong_check_digit_is_refused(cast: Cast) -> None:
    # given
    venture = venture_of(cast, stage="operation")
    client = sign_in(Client(), cast.contact)
    # when
    response = client.post(outcome_url(cast, venture), {"organisation_number": "974760674"})
    # then
    assert response.status_code == 400
    assert not Outcome.objects.exists()


def test_a_valid_norwegian_organisation_number_is_saved_and_shown(cast: Cast) -> None:
    # given
    venture = venture_of(cast, stage="operation")
    client = sign_in(Client(), cast.contact)
    # when
    client.post(outcome_url(cast, venture), {"organisation_number": "974 760 673"})
    page = client.get(venture.get_absolute_url())
    # then
    assert Outcome.objects.get().organisation_number == "974760673"
    assert "974760673" in page.content.decode()


def test_a_sole_traders_personnummer_is_stored_encrypted_and_never_shown(cast: Cast) -> None:
    # given
    venture = venture_of(cast, stage="operation", country="SE", legal_form="se_ef")
    client = sign_in(Client(), cast.contact)
    # when
    client.post(outcome_url(cast, venture), {"owner_national_id": "19811218-9876"})
    page = client.get(venture.get_absolute_url()).content.decode()
    # then
    stored = Outcome.objects.get().owner_national_id
    assert stored and "9876" not in stored
    assert "9876" not in page
    assert not AuditEntry.objects.filter(detail__icontains="9876").exists()


def test_saving_the_canvas_writes_a_new_version_and_keeps_the_old_one(cast: Cast) -> None:
    # given
    venture = venture_of(cast, stage="business_plan")
    client = sign_in(Client(), cast.contact)
    url = reverse("ventures:canvas", args=[cast.programme.slug, venture.public_id])
    client.post(url, {"value_propositions": "Lunsj laget av medlemmer"})
    # when
    client.post(url, {"value_propositions": "Lunsj og kaffe", "problem": "Utenforskap"})
    first = client.get(url + "?version=1").content.decode()
    newest = client.get(url).content.decode()
    # then
    assert list(venture.canvases.values_list("version", flat=True)) == [2, 1]
    assert "Lunsj laget av medlemmer" in first
    assert "Utenforskap" in newest


def test_a_researcher_reads_the_canvas_but_cannot_save_one(cast: Cast) -> None:
    # given
    venture = venture_of(cast)
    client = sign_in(Client(), cast.researcher)
    url = reverse("ventures:canvas", args=[cast.programme.slug, venture.public_id])
    # when
    page = client.get(url)
    refused = client.post(url, {"value_propositions": "x"})
    # then
    assert page.status_code == 200
    assert refused.status_code == 403
    assert not venture.canvases.exists()


def test_an_overlong_canvas_block_is_refused_with_a_message_and_saves_nothing(cast: Cast) -> None:
    # given
    venture = venture_of(cast, stage="business_plan")
    client = sign_in(Client(), cast.contact)
    url = reverse("ventures:canvas", args=[cast.programme.slug, venture.public_id])
    # when
    page = client.post(url, {"value_propositions": "x" * 4001, "problem": "Utenforskap"})
    # then
    assert page.status_code == 400
    assert "4000 tegn" in page.content.decode()  # "Hold det under 4000 tegn."
    assert not venture.canvases.exists()
