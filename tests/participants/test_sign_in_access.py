"""Staff open self-service for a participant; a link goes only to an address the participant
confirmed, so no staff member can end up signed in as the participant (issue 8, point 4)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from samvirke.accounts.models import Role, User
from samvirke.accounts.services import hidden_address
from samvirke.audit.actor import Actor
from samvirke.participants.models import Participant, SignInConfirmation
from samvirke.participants.selectors import access_log_of
from samvirke.participants.services import (
    Identity,
    _store_identity,
    own_identity,
    update_own_details,
)
from samvirke.participants.sign_in import SignInAccessError, confirmed_address
from tests.conftest import Cast, sign_in
from tests.factories import MembershipFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

KARI = "kari@example.test"
NEW = "kari.ny@example.test"
GUIDES_OWN = "guide.private@example.test"
NAME = "Kari Testperson"


def followed(cast: Cast, email: str = KARI, **kwargs: Any) -> Participant:
    record = ParticipantFactory(
        programme=cast.programme,
        subprojects=[cast.subproject],
        identity=Identity(full_name=NAME, email=email),
        **kwargs,
    )
    record.guides.set([cast.guide])
    return record


def with_access(cast: Cast) -> Participant:
    """A participant who already signs in at their own address, Kari's."""
    account = UserFactory(email="kari.account@example.test")
    MembershipFactory(user=account, programme=cast.programme, role=Role.PARTICIPANT)
    return followed(cast, account=account)


def args(cast: Cast, record: Participant) -> list[object]:
    return [cast.programme.slug, record.public_id]


def give_access(cast: Cast, record: Participant, who: User | None = None, **extra: Any) -> Any:
    client = sign_in(Client(**extra), who or cast.guide)
    return client.post(reverse("participants:sign_in_access", args=args(cast, record)), follow=True)


def approve(cast: Cast, record: Participant, who: User) -> Any:
    client = sign_in(Client(), who)
    return client.post(
        reverse("participants:sign_in_approve", args=args(cast, record)), follow=True
    )


def enter_code(cast: Cast, record: Participant, code: str, **extra: Any) -> Any:
    client = sign_in(Client(**extra), cast.guide)
    return client.post(
        reverse("participants:sign_in_confirm", args=args(cast, record)),
        {"code": code},
        follow=True,
    )


def edit_email(cast: Cast, record: Participant, email: str, who: User | None = None) -> None:
    response = sign_in(Client(), who or cast.guide).post(
        reverse("participants:edit", args=args(cast, record)),
        {
            "full_name": NAME,
            "email": email,
            "country": "NO",
            "birth_year": 1980,
            "subprojects": [cast.subproject.pk],
            "guides": [cast.guide.pk],
        },
    )
    assert response.status_code == 302


def says(response: Any, message: str, **values: str) -> bool:
    """Whether the page shows the message, in the language the page is in (the user's)."""
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        text = gettext(message) % values if values else gettext(message)
    return escape(text) in response.content.decode()


def code_in(message: Any) -> str:
    match = re.search(r"\b([2-9A-Z]{4}-[2-9A-Z]{4})\b", message.body)
    assert match, message.body
    return match.group(1)


def link_request(email: str) -> None:
    Client().post(reverse("accounts:sign_in_link_request"), {"email": email})


# --- The first invitation: a colleague approves -------------------------------------------------


def test_a_first_invitation_sends_nothing_until_a_colleague_approves(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record = followed(cast)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = give_access(cast, record)
    # then
    record.refresh_from_db()
    assert record.account is None
    assert mail.outbox == []
    assert says(
        response,
        "A colleague must approve the address before a sign-in link is sent: a coordinator, or "
        "another contact person or guide who follows the participant, on this page.",
    )


def test_a_colleague_approves_and_the_link_goes_to_the_participants_address(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record = followed(cast)
    give_access(cast, record)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = approve(cast, record, cast.coordinator)
    # then
    record.refresh_from_db()
    assert record.account is not None and record.account.email == hidden_address(KARI)
    assert record.account.memberships.get().role == Role.PARTICIPANT
    (message,) = mail.outbox
    assert message.to == [KARI]
    assert "/accounts/login/link/" in message.body
    assert KARI in response.content.decode()


def test_the_staff_member_who_asked_cannot_approve_it_themself(cast: Cast) -> None:
    # given
    record = followed(cast)
    give_access(cast, record)
    # when
    response = approve(cast, record, cast.guide)
    # then
    record.refresh_from_db()
    assert record.account is None
    assert says(
        response, "A colleague must approve: not the staff member who asked for the access."
    )


def test_whoever_typed_the_address_cannot_approve_it(cast: Cast) -> None:
    # given the guide types an address and the contact person asks for access
    record = followed(cast)
    edit_email(cast, record, GUIDES_OWN)
    give_access(cast, record, who=cast.contact)
    # when the guide approves
    response = approve(cast, record, cast.guide)
    # then
    record.refresh_from_db()
    assert record.account is None
    assert says(
        response,
        "You have changed this participant's details yourself, so a colleague must approve "
        "the address.",
    )


def test_whoever_registered_the_participant_cannot_approve_the_address(cast: Cast) -> None:
    # given the coordinator registers the participant and the guide asks for access
    response = sign_in(Client(), cast.coordinator).post(
        reverse("participants:new", args=[cast.programme.slug]),
        {
            "full_name": NAME,
            "email": GUIDES_OWN,
            "country": "NO",
            "birth_year": 1980,
            "guides": [cast.guide.pk],
        },
    )
    assert response.status_code == 302
    record = Participant.objects.get()
    give_access(cast, record)
    # when the coordinator approves
    approve(cast, record, cast.coordinator)
    # then
    record.refresh_from_db()
    assert record.account is None


def test_colleagues_find_the_addresses_waiting_for_them_on_the_participant_list(
    cast: Cast,
) -> None:
    # given
    record = followed(cast)
    give_access(cast, record)
    url = reverse("participants:list", args=[cast.programme.slug])
    # when
    for_coordinator = sign_in(Client(), cast.coordinator).get(url).content.decode()
    for_guide = sign_in(Client(), cast.guide).get(url).content.decode()
    # then
    assert f"{record.get_absolute_url()}#sign-in-confirmation" in for_coordinator
    assert "#sign-in-confirmation" not in for_guide


def test_a_guide_giving_access_at_their_own_sign_in_address_is_refused(cast: Cast) -> None:
    # given
    record = with_access(cast)
    edit_email(cast, record, cast.guide.email)
    # when
    response = give_access(cast, record)
    # then
    assert says(
        response,
        "That is your own sign-in address. Self-service must go to an address that only the "
        "participant uses.",
    )
    assert not SignInConfirmation.objects.exists()


# --- The attack: a guide moves an existing participant's sign-in to their own address -----------


def test_a_guide_who_sets_their_own_address_gets_no_link_without_the_participants_code(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given a participant who signs in at their own address
    record = with_access(cast)
    account_before = User.objects.get(pk=record.account_id).email
    # when the guide puts their own address on the record and gives access
    edit_email(cast, record, GUIDES_OWN)
    with django_capture_on_commit_callbacks(execute=True):
        give_access(cast, record)
        link_request(GUIDES_OWN)
        Client().post(reverse("accounts:password_reset"), {"email": GUIDES_OWN})
    # then the only mail is a code, and it went to the participant's address
    assert [m.to for m in mail.outbox] == [[KARI]]
    assert "/accounts/login/" not in mail.outbox[0].body
    assert User.objects.get(pk=record.account_id).email == account_before
    assert confirmed_address(record) == KARI


def test_a_guide_cannot_give_self_consents_through_an_unconfirmed_address(cast: Cast) -> None:
    # given an account that signs in at an address nobody confirmed (as the old
    # "give sign-in access" made one at whatever address staff typed)
    account = UserFactory(email=hidden_address(GUIDES_OWN))
    MembershipFactory(user=account, programme=cast.programme, role=Role.PARTICIPANT)
    record = followed(cast, email="", account=account)
    _store_identity(record, Identity(full_name=NAME, email=GUIDES_OWN))
    client = sign_in(Client(), account, second_factor=False)
    # when
    client.post(
        reverse("participants:my_consent_give", args=[cast.programme.slug]), {"purpose": "research"}
    )
    # then
    assert not record.consents.exists()


# --- The participant's code -------------------------------------------------------------------


def test_the_participants_code_moves_sign_in_to_the_new_address(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record = with_access(cast)
    edit_email(cast, record, NEW)
    with django_capture_on_commit_callbacks(execute=True):
        give_access(cast, record)
    code = code_in(mail.outbox[0])
    mail.outbox.clear()
    # when the participant reads the code out (in lower case, without the dash)
    with django_capture_on_commit_callbacks(execute=True):
        response = enter_code(cast, record, code.lower().replace("-", " "))
    # then
    assert says(
        response,
        "The address is confirmed. A link to sign in is on its way to %(email)s.",
        email=NEW,
    )
    link = next(m for m in mail.outbox if "/accounts/login/link/" in m.body)
    assert link.to == [NEW]
    path = urlsplit(next(w for w in link.body.split() if "/accounts/login/link/" in w)).path
    participant_client = Client()
    participant_client.post(path)
    assert participant_client.session.get("_auth_user_id") == str(record.account_id)
    assert not SignInConfirmation.objects.exists()


def test_the_earlier_address_is_told_when_the_sign_in_address_changes(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record = with_access(cast)
    edit_email(cast, record, NEW)
    with django_capture_on_commit_callbacks(execute=True):
        give_access(cast, record)
    code = code_in(mail.outbox[0])
    mail.outbox.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        enter_code(cast, record, code)
    # then
    (notice,) = [m for m in mail.outbox if m.to == [KARI]]
    assert notice.subject == "Innloggingsadressen din i Samvirke er endret"  # her language
    text = notice.subject + notice.body
    for secret in (NAME, record.pseudonym, cast.programme.name, cast.subproject.name, NEW):
        assert secret not in text


def test_the_earlier_address_is_told_when_the_participant_changes_it_themself(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record = with_access(cast)
    account = User.objects.get(pk=record.account_id)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        update_own_details(
            actor=Actor.of_user(account),
            participant=record,
            full_name=NAME,
            email=NEW,
            phone="",
            languages="",
        )
    # then
    assert [m.to for m in mail.outbox] == [[KARI]]
    assert confirmed_address(record) == NEW


def test_a_colleague_can_approve_when_the_participant_cannot_open_the_earlier_address(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given a code went to an address the participant no longer has
    record = with_access(cast)
    edit_email(cast, record, NEW)
    give_access(cast, record)
    # when the contact person approves instead
    with django_capture_on_commit_callbacks(execute=True):
        approve(cast, record, cast.contact)
    # then
    assert confirmed_address(record) == NEW
    assert {m.to[0] for m in mail.outbox} == {KARI, NEW}  # the notice and the link


def test_a_waiting_address_is_not_confirmed_once_the_record_has_another(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given access was asked for at one address, then the record got another
    record = followed(cast)
    give_access(cast, record)
    edit_email(cast, record, GUIDES_OWN, who=cast.contact)
    # when the coordinator approves what was asked for
    with django_capture_on_commit_callbacks(execute=True):
        approve(cast, record, cast.coordinator)
    # then
    record.refresh_from_db()
    assert record.account is None
    assert mail.outbox == []


def test_a_wrong_code_is_refused_in_the_users_language_and_changes_nothing(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record = with_access(cast)
    edit_email(cast, record, NEW)
    with django_capture_on_commit_callbacks(execute=True):
        give_access(cast, record)
    mail.outbox.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = enter_code(cast, record, "2222-2222")
    # then (the guide reads Norwegian)
    assert "Koden er feil" in response.content.decode()
    assert mail.outbox == []
    assert confirmed_address(record) == KARI
    assert User.objects.get(pk=record.account_id).email == hidden_address(KARI)


def test_an_expired_code_is_refused_and_changes_nothing(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given a code sent two hours ago
    record = with_access(cast)
    edit_email(cast, record, NEW)
    with django_capture_on_commit_callbacks(execute=True):
        give_access(cast, record)
    code = code_in(mail.outbox[0])
    mail.outbox.clear()
    SignInConfirmation.objects.update(created_at=timezone.now() - dt.timedelta(hours=2))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = enter_code(cast, record, code)
    # then
    assert "Koden gjelder ikke lenger" in response.content.decode()
    assert mail.outbox == []
    assert confirmed_address(record) == KARI


def test_after_five_wrong_codes_even_the_right_one_is_refused(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record = with_access(cast)
    edit_email(cast, record, NEW)
    with django_capture_on_commit_callbacks(execute=True):
        give_access(cast, record)
    code = code_in(mail.outbox[0])
    for _try in range(5):
        enter_code(cast, record, "2222-2222")
    # when
    enter_code(cast, record, code)
    # then
    assert confirmed_address(record) == KARI


def test_codes_to_the_earlier_address_are_limited_to_a_few_an_hour(
    cast: Cast, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    # given
    settings.LINKS_PER_HOUR = 2
    record = with_access(cast)
    edit_email(cast, record, NEW)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        for _ask in range(4):
            response = give_access(cast, record)
    # then
    assert len(mail.outbox) == 2
    assert says(
        response, "Several codes were sent in the last hour. Wait a while before asking again."
    )


def test_the_code_is_kept_only_as_a_keyed_hash(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    record = with_access(cast)
    edit_email(cast, record, NEW)
    with django_capture_on_commit_callbacks(execute=True):
        give_access(cast, record)
    code = code_in(mail.outbox[0])
    row = SignInConfirmation.objects.get()
    held = f"{row.code_digest} {row.address}"
    assert code not in held and code.replace("-", "") not in held and NEW not in held


# --- Existing accounts --------------------------------------------------------------------------


@pytest.mark.parametrize("holder", ["staff", "participant_role", "other_participant"])
def test_an_address_that_belongs_to_another_account_is_refused_with_one_neutral_message(
    cast: Cast, holder: str
) -> None:
    # given an address some other account signs in with
    taken = "taken@example.test"
    if holder == "staff":
        MembershipFactory(user=UserFactory(email=taken), programme=cast.programme, role=Role.GUIDE)
    elif holder == "participant_role":
        account = UserFactory(email=taken)
        MembershipFactory(user=account, programme=cast.programme, role=Role.PARTICIPANT)
    else:
        other = ParticipantFactory(programme=cast.programme)
        from samvirke.participants.sign_in import bind_confirmed_address

        bind_confirmed_address(participant=other, address=taken)
    record = followed(cast, email=taken)
    # when
    response = give_access(cast, record)
    # then
    record.refresh_from_db()
    assert record.account is None
    assert not SignInConfirmation.objects.exists()
    assert says(
        response,
        "This e-mail address cannot be used for the participant's sign-in. Ask the participant "
        "for an address that only they use.",
    )


def test_a_participant_cannot_take_another_accounts_address_for_their_own(cast: Cast) -> None:
    # given
    record = with_access(cast)
    account = User.objects.get(pk=record.account_id)
    # when
    with pytest.raises(SignInAccessError):
        update_own_details(
            actor=Actor.of_user(account),
            participant=record,
            full_name=NAME,
            email=cast.coordinator.email,
            phone="",
            languages="",
        )
    # then
    assert confirmed_address(record) == KARI
    assert own_identity(record).email == KARI


# --- What stayed the same -----------------------------------------------------------------------


def test_a_new_link_to_the_confirmed_address_is_sent_at_once(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    record = with_access(cast)
    with django_capture_on_commit_callbacks(execute=True):
        give_access(cast, record)
    (message,) = mail.outbox
    assert message.to == [KARI] and "/accounts/login/link/" in message.body


def test_access_needs_an_email_address(cast: Cast) -> None:
    record = followed(cast, email="")
    give_access(cast, record)
    record.refresh_from_db()
    assert record.account is None


def test_reading_the_address_for_the_invitation_is_logged(cast: Cast) -> None:
    record = followed(cast)
    give_access(cast, record)
    assert access_log_of(record).filter(action="view", actor=cast.guide).exists()


def test_a_guide_who_does_not_follow_the_person_cannot_give_access(cast: Cast) -> None:
    stranger = ParticipantFactory(programme=cast.programme, subprojects=[cast.other_subproject])
    client = sign_in(Client(), cast.guide)
    response = client.post(
        reverse("participants:sign_in_access", args=[cast.programme.slug, stranger.public_id])
    )
    assert response.status_code == 404
    assert not SignInConfirmation.objects.exists()
