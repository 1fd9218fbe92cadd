from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from samvirke.accounts.models import Membership, Role, User
from samvirke.programmes.models import Programme
from tests.factories import UserFactory

ARGS = [
    "samvirke-2026",
    "--name-nb=Samvirke 2026–2029",
    "--starts-on=2026-01-01",
    "--ends-on=2029-12-31",
]


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_programme", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_creates_a_programme_led_by_an_existing_person() -> None:
    # given
    leader = UserFactory(email="leder@example.test")
    # when
    run(*ARGS, "--leader=Leder@Example.test")
    # then
    programme = Programme.objects.get(slug="samvirke-2026")
    assert Membership.objects.filter(
        user=leader, programme=programme, role=Role.PROGRAMME_LEADER
    ).exists()


@pytest.mark.django_db
def test_the_command_indexes_the_new_programme_for_search() -> None:
    # given
    UserFactory(email="leder@example.test")
    # when
    run(*ARGS, "--leader=leder@example.test")
    # then
    assert Programme.objects.get(slug="samvirke-2026").search_entries.count() == 1


@pytest.mark.django_db
def test_a_new_leader_gets_an_account_and_an_invitation_in_their_language(
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    # when
    with django_capture_on_commit_callbacks(execute=True):
        run(
            *ARGS,
            "--leader=ny.leder@example.test",
            "--leader-name=Ny Leder",
            "--leader-language=en",
        )
    # then
    leader = User.objects.get(email="ny.leder@example.test")
    assert not leader.has_usable_password()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ny.leder@example.test"], "You are invited to Samvirke")
    ]


@pytest.mark.django_db
def test_a_new_leader_without_a_name_is_refused() -> None:
    # when / then
    with pytest.raises(CommandError, match="--leader-name"):
        run(*ARGS, "--leader=ny.leder@example.test")
    assert not Programme.objects.exists()


@pytest.mark.django_db
def test_a_programme_that_ends_before_it_starts_is_refused() -> None:
    # given
    UserFactory(email="leder@example.test")
    # when / then
    with pytest.raises(CommandError):
        run(
            "x-1",
            "--name-nb=X",
            "--starts-on=2027-01-01",
            "--ends-on=2026-01-01",
            "--leader=leder@example.test",
        )
    assert not Programme.objects.exists()


@pytest.mark.django_db
def test_a_slug_already_in_use_is_refused() -> None:
    # given
    UserFactory(email="leder@example.test")
    run(*ARGS, "--leader=leder@example.test")
    # when / then
    with pytest.raises(CommandError):
        run(*ARGS, "--leader=leder@example.test")
    assert Programme.objects.count() == 1
