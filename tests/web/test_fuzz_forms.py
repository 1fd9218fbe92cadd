"""Property-based fuzzing of every form's POST and every filter's GET: never a 500.

Bad input must also change nothing: when a form answers 400, no create or update reached
the audit log (every write goes through a service that logs it).
"""

from __future__ import annotations

import string

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samvirke.audit.models import AuditEntry
from tests.conftest import Cast, sign_in
from tests.factories import ActionFactory, ActivityFactory, RegistrationFactory

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

values = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=string.digits + "-:T. ", max_size=20),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1",
            "99999999999999999999",
            "2030-02-30",
            "2030-01-01",
            "2030-01-01T10:00",
            "on",
            "yes",
            "no",
            "Europe/Oslo",
            "NO",
            "SE",
            "\x00",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "١٢٣",
            "🙂" * 50,
        ]
    ),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
)

FORM_PAGES = [
    ("programmes:edit", "slug"),
    ("programmes:partner_add", "slug"),
    ("programmes:organisation_new", "slug"),
    ("programmes:subproject_new", "slug"),
    ("programmes:subproject_edit", "subproject"),
    ("programmes:project_group_add", "slug"),
    ("programmes:goal_new", "slug"),
    ("programmes:indicator_new", "slug"),
    ("programmes:goal_edit", "goal"),
    ("programmes:milestone_new", "slug"),
    ("programmes:member_add", "slug"),
    ("activities:new", "slug"),
    ("activities:edit", "activity"),
    ("activities:attendance", "activity"),
    ("activities:decision_new", "activity"),
    ("activities:action_new", "activity"),
    ("activities:action_edit", "action"),
    ("activities:register_person", "activity"),
    ("participants:new", "slug"),
    ("participants:edit", "participant"),
    ("participants:identity", "participant"),
    ("participants:consent_record", "participant"),
    ("participants:my_consent_give", "slug"),
    ("accounts:profile", ""),
    ("accounts:change_password", ""),
    ("accounts:two_factor_verify", ""),
    ("accounts:login", ""),
]

FIELD_NAMES = {
    # Names taken from the forms; fuzzing also sends names no form has.
    "common": [
        "name",
        "title",
        "type",
        "status",
        "country",
        "role",
        "email",
        "full_name",
        "starts_at",
        "ends_at",
        "time_zone",
        "place",
        "online_url",
        "capacity",
        "organisation",
        "subproject",
        "subprojects",
        "owners",
        "owner",
        "due_on",
        "text",
        "text_nb",
        "name_nb",
        "goal",
        "target",
        "baseline",
        "current",
        "starts_on",
        "ends_on",
        "budget",
        "org_number",
        "municipality",
        "website",
        "user",
        "purpose",
        "partner",
        "given_on",
        "national_id",
        "birth_year",
        "gender",
        "languages",
        "guides",
        "organisations",
        "phone",
        "person",
        "token",
        "username",
        "password",
        "old_password",
        "new_password1",
        "new_password2",
        "language",
        "position",
        "unexpected",
    ],
}


def url_for(kind: str, name: str, cast: Cast, activity_id: str, action_id: int) -> str:
    slug = cast.programme.slug
    match kind:
        case "slug":
            return reverse(name, args=[slug])
        case "subproject":
            return reverse(name, args=[slug, cast.subproject.pk])
        case "participant":
            from tests.factories import ParticipantFactory

            record = ParticipantFactory(programme=cast.programme)
            return reverse(name, args=[slug, record.public_id])
        case "goal":
            from tests.factories import GoalFactory

            return reverse(name, args=[slug, GoalFactory(programme=cast.programme).pk])
        case "activity":
            return reverse(name, args=[slug, activity_id])
        case "action":
            return reverse(name, args=[slug, action_id])
    return reverse(name)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kind"), FORM_PAGES)
def test_no_form_post_ever_answers_500(cast: Cast, name: str, kind: str) -> None:
    activity = ActivityFactory(programme=cast.programme)
    registration = RegistrationFactory(activity=activity, user=cast.participant)
    action = ActionFactory(programme=cast.programme, owner=cast.coordinator)
    client = sign_in(Client(raise_request_exception=True), cast.coordinator)
    url = url_for(kind, name, cast, str(activity.public_id), action.pk)
    names = [*FIELD_NAMES["common"], f"attended-{registration.pk}"]

    @FUZZ
    @given(data=st.dictionaries(st.sampled_from(names), st.lists(values, max_size=3), max_size=12))
    def fuzz(data: dict[str, list[str]]) -> None:
        before = AuditEntry.objects.filter(action__in=["create", "update"]).count()
        response = client.post(url, data)
        assert response.status_code < 500
        if response.status_code == 400:
            after = AuditEntry.objects.filter(action__in=["create", "update"]).count()
            assert after == before, "a refused form changed something"

    fuzz()


LIST_PAGES = [
    ("activities:list", ["when", "type", "subproject", "q", "page"]),
    ("activities:actions", ["status", "mine", "page"]),
    ("audit:log", ["action", "actor", "since", "until", "page"]),
    ("programmes:search", ["q", "page"]),
    ("participants:list", ["q", "subproject", "page"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "params"), LIST_PAGES)
def test_no_filter_ever_answers_500(cast: Cast, name: str, params: list[str]) -> None:
    client = sign_in(Client(raise_request_exception=True), cast.coordinator)
    url = reverse(name, args=[cast.programme.slug])

    @FUZZ
    @given(query=st.dictionaries(st.sampled_from(params), values, max_size=len(params)))
    def fuzz(query: dict[str, str]) -> None:
        response = client.get(url, query)
        assert response.status_code in {200, 400}

    fuzz()
