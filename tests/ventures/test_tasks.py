"""Milestones and tasks of a venture: owners, due dates, overdue, done with who and when."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.ventures import milestones
from samvirke.ventures.models import Task, TeamMember, Venture
from tests.conftest import Cast, sign_in
from tests.factories import ParticipantFactory, VentureFactory


def venture_of(cast: Cast, **values: object) -> Venture:
    return VentureFactory(
        programme=cast.programme, subproject=cast.subproject, created_by=cast.contact, **values
    )


def on_team(cast: Cast, venture: Venture) -> TeamMember:
    record = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    return TeamMember.objects.create(venture=venture, kind="participant", participant=record)


def new_url(venture: Venture) -> str:
    return reverse("ventures:task_new", args=[venture.programme.slug, venture.public_id])


def test_a_task_owned_by_a_participant_shows_their_pseudonym(cast: Cast) -> None:
    # given
    venture = venture_of(cast)
    member = on_team(cast, venture)
    client = sign_in(Client(), cast.contact)
    # when
    response = client.post(
        new_url(venture),
        {"kind": "task", "title": "Skriv budsjett", "owner": f"member:{member.pk}"},
    )
    # then
    assert response.status_code == 302
    task = Task.objects.get(venture=venture)
    assert task.owner_member == member
    page = client.get(venture.get_absolute_url()).content.decode()
    assert member.participant.pseudonym in page  # type: ignore[union-attr]


def test_the_owner_list_offers_staff_by_name_and_the_team_by_pseudonym(cast: Cast) -> None:
    # given
    venture = venture_of(cast)
    member = on_team(cast, venture)
    # when
    page = sign_in(Client(), cast.contact).get(new_url(venture)).content.decode()
    # then
    assert f'value="member:{member.pk}">{member.participant.pseudonym}<' in page  # type: ignore[union-attr]
    assert f'value="user:{cast.guide.pk}">Guide Example<' in page
    assert "Researcher Example" not in page


def test_a_member_of_another_venture_cannot_own_the_task(cast: Cast) -> None:
    # given
    venture = venture_of(cast)
    stranger = on_team(cast, venture_of(cast))
    client = sign_in(Client(), cast.contact)
    # when
    response = client.post(
        new_url(venture),
        {"kind": "task", "title": "Skriv budsjett", "owner": f"member:{stranger.pk}"},
    )
    # then
    assert response.status_code == 400
    assert not Task.objects.exists()


def test_a_task_past_its_due_date_is_shown_as_overdue(cast: Cast) -> None:
    # given
    venture = venture_of(cast)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    milestones.save_task(
        actor=Actor.of_user(cast.contact),
        venture=venture,
        kind="task",
        title="Hent forsikringstilbud",
        due_on=yesterday,
        owner_user=cast.guide,
    )
    # when
    page = sign_in(Client(), cast.contact).get(venture.get_absolute_url()).content.decode()
    # then
    row = page.split("Hent forsikringstilbud")[1].split("</tr>")[0]
    assert "forsinket" in row


def test_marking_a_task_done_records_who_and_when_and_it_is_no_longer_overdue(
    cast: Cast,
) -> None:
    # given
    venture = venture_of(cast)
    task = milestones.save_task(
        actor=Actor.of_user(cast.contact),
        venture=venture,
        kind="task",
        title="Hent forsikringstilbud",
        due_on=timezone.localdate() - dt.timedelta(days=3),
    )
    client = sign_in(Client(), cast.contact)
    url = reverse("ventures:task_done", args=[cast.programme.slug, venture.public_id, task.pk])
    # when
    client.post(url, {"done": "1"})
    # then
    task.refresh_from_db()
    assert (task.done_by, task.is_done, task.is_overdue) == (cast.contact, True, False)
    page = client.get(venture.get_absolute_url()).content.decode()
    assert "av Contact Example" in page.split(f'id="task-{task.pk}"')[1].split("</tr>")[0]


def test_a_done_task_can_be_opened_again(cast: Cast) -> None:
    # given
    venture = venture_of(cast)
    task = milestones.save_task(
        actor=Actor.of_user(cast.contact),
        venture=venture,
        kind="task",
        title="Budsjett",
        due_on=None,
    )
    milestones.mark_task(actor=Actor.of_user(cast.contact), task=task, done=True)
    client = sign_in(Client(), cast.contact)
    url = reverse("ventures:task_done", args=[cast.programme.slug, venture.public_id, task.pk])
    # when
    client.post(url, {"done": "0"})
    # then
    task.refresh_from_db()
    assert (task.done_at, task.done_by) == (None, None)


def test_tasks_of_a_milestone_are_listed_under_it(cast: Cast) -> None:
    # given
    venture = venture_of(cast)
    plan = milestones.save_task(
        actor=Actor.of_user(cast.contact),
        venture=venture,
        kind="milestone",
        title="Forretningsplanen er ferdig",
        due_on=dt.date(2030, 6, 1),
    )
    client = sign_in(Client(), cast.contact)
    # when
    client.post(
        new_url(venture),
        {"kind": "task", "title": "Likviditetsbudsjett", "milestone": str(plan.pk)},
    )
    # then
    task = Task.objects.get(title="Likviditetsbudsjett")
    assert task.milestone == plan
    page = client.get(venture.get_absolute_url()).content.decode()
    section = page.split('id="milestone-')[1].split("</table>")[0]
    assert "Forretningsplanen er ferdig" in section and "Likviditetsbudsjett" in section


def test_a_researcher_sees_tasks_but_cannot_add_one(cast: Cast) -> None:
    # given
    venture = venture_of(cast)
    milestones.save_task(
        actor=Actor.of_user(cast.contact),
        venture=venture,
        kind="task",
        title="Budsjett",
        due_on=None,
    )
    client = sign_in(Client(), cast.researcher)
    # when
    page = client.get(venture.get_absolute_url()).content.decode()
    response = client.post(new_url(venture), {"kind": "task", "title": "Noe annet"})
    # then
    assert "Budsjett" in page
    assert new_url(venture) not in page
    assert response.status_code == 403
    assert Task.objects.count() == 1


def test_changing_a_task_moves_its_due_date(cast: Cast) -> None:
    # given
    venture = venture_of(cast)
    task = milestones.save_task(
        actor=Actor.of_user(cast.contact),
        venture=venture,
        kind="task",
        title="Budsjett",
        due_on=None,
    )
    url = reverse("ventures:task_edit", args=[cast.programme.slug, venture.public_id, task.pk])
    # when
    sign_in(Client(), cast.contact).post(
        url, {"kind": "task", "title": "Budsjett", "due_on": "2031-02-03"}
    )
    # then
    task.refresh_from_db()
    assert task.due_on == dt.date(2031, 2, 3)
