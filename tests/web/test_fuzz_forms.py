"""Property-based fuzzing of every URL that accepts a POST, and of every filter's GET: never a 500.

The list of POST targets is checked against the URL resolver: a pattern whose view lets POST
through (``require_POST``, ``require_http_methods([..., "POST"])`` or no restriction at all) must
be in FORM_PAGES or in NOT_FUZZED with a reason, or the suite fails.

Bad input must also change nothing: when a POST is refused (any 4xx), no create, update or delete
reached the audit log (every write goes through a service that logs it).
"""

from __future__ import annotations

import re
import string
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samvirke.accounts.services import sign_in_link_url
from samvirke.audit.models import AuditAction, AuditEntry
from tests.conftest import Cast, sign_in
from tests.factories import (
    ActivityFactory,
    ParticipantFactory,
    RegistrationFactory,
    measure_args,
)
from tests.web.routes import (
    ROUTES,
    Fuzz,
    Scene,
    allowed_methods,
    has_numeric_id,
    names_answering,
    url_views,
)

FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
WRITES = [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE]

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
            "9" * 400,
            "1e309",
            "NaN",
            "-0",
            "2030-02-30",
            "2030-01-01",
            "0001-01-01",
            "9999-12-31T23:59",
            "2030-01-01T10:00",
            "on",
            "yes",
            "no",
            "Europe/Oslo",
            "NO",
            "SE",
            "\x00",
            "a\x00b",
            "x" * 70_000,
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "١٢٣",
            "🙂" * 50,
            "\u202e\ufeff\u200b",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)

COMMON_FIELDS = [
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
    "owner",
    "due_on",
    "text",
    "goal",
    "target",
    "user",
    "purpose",
    "partner",
    "method",
    "reason",
    "national_id",
    "person",
    "token",
    "username",
    "password",
    "old_password",
    "new_password1",
    "new_password2",
    "language",
    "next",
]


# Who posts to each URL, from the route table.
FORM_PAGES: dict[str, Fuzz] = {name: route.fuzz for name, route in ROUTES.items() if route.fuzz}

# URL patterns that accept a POST but are not fuzzed here, each with the reason.
NOT_FUZZED: dict[str, str] = {
    name: route.not_fuzzed for name, route in ROUTES.items() if route.not_fuzzed
}


def test_every_url_that_accepts_a_post_is_fuzzed_or_excluded_with_a_reason() -> None:
    # given
    posting = names_answering("POST")
    # when
    listed = set(FORM_PAGES) | set(NOT_FUZZED)
    # then
    assert posting - listed == set(), "add these to FORM_PAGES or NOT_FUZZED"
    assert listed - posting == set(), "these no longer accept a POST (or no longer exist)"
    assert not set(FORM_PAGES) & set(NOT_FUZZED)


def test_the_method_check_sees_which_views_refuse_a_post() -> None:
    # given
    views = url_views()
    # when
    logout, activity_list = (
        allowed_methods(views[name]) for name in ("accounts:logout", "activities:list")
    )
    # then
    assert logout == {"POST"}
    assert activity_list == {"GET"}


class FuzzScene(Scene):
    """The route table's objects, but those a coordinator (or the participant) posts to."""

    @property
    def import_uploader(self) -> Any:
        return self.cast.coordinator  # an uploaded file is shown only to whoever uploaded it

    @property
    def venture_starter(self) -> Any:
        return self.cast.coordinator

    def kind_activity(self, name: str) -> list[object]:
        activity = ActivityFactory(programme=self.programme, open_to_participants=True)
        RegistrationFactory(activity=activity, user=self.cast.participant)
        RegistrationFactory(activity=activity, user=self.cast.coordinator)
        return [self.slug, activity.public_id]

    def kind_participant(self, name: str) -> list[object]:
        record = ParticipantFactory(programme=self.programme, subprojects=[self.cast.subproject])
        return [self.slug, record.public_id]

    def _measure(self, kind: str) -> list[object]:
        return [self.slug, *measure_args(kind, self.programme, self.cast.subproject)]

    def kind_sign_in_link(self, name: str) -> str:
        return sign_in_link_url(user=self.cast.participant, base_url="")

    def kind_password_link(self, name: str) -> str:
        # The one-time link stores its token in the session and answers with the form's URL.
        user = self.cast.participant
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        link = reverse(name, args=[uid, default_token_generator.make_token(user)])
        assert self.client is not None
        return str(self.client.get(link)["Location"])


def target_url(name: str, target: Fuzz, cast: Cast, client: Client) -> str:
    route = ROUTES[name]
    return FuzzScene(cast, client).url(name, target.kind or route.kind, route.query)


def field_names_on(client: Client, url: str, name: str) -> list[str]:
    """The names of the fields the page's form shows, when it answers a GET."""
    if "GET" not in allowed_methods(url_views()[name]):
        return []
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    found = re.findall(r'\bname="([^"]+)"', response.content.decode())
    return sorted(set(found) - {"csrfmiddlewaretoken"})


def poster(cast: Cast, target: Fuzz) -> Client:
    client = Client(raise_request_exception=True)
    if target.who == "visitor":
        return client
    # A session that has passed the second factor, as recovery codes and verification need.
    staff = target.who not in {"participant", "user_rep"}
    return sign_in(client, cast.user(target.who), second_factor=staff)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FORM_PAGES))
def test_no_post_ever_answers_500_and_a_refused_one_changes_nothing(cast: Cast, name: str) -> None:
    # given
    target = FORM_PAGES[name]
    client = poster(cast, target)
    url = target_url(name, target, cast, client)
    names = st.one_of(
        st.sampled_from(sorted({*COMMON_FIELDS, *field_names_on(client, url, name)})),
        st.text(max_size=30),
    )

    @FUZZ
    @given(data=st.dictionaries(names, st.lists(values, max_size=3), max_size=12))
    def fuzz(data: dict[str, list[str]]) -> None:
        # when
        writes_before = AuditEntry.objects.filter(action__in=WRITES).count()
        response = client.post(url, data)
        # then
        assert response.status_code < 500
        if 400 <= response.status_code < 500:
            writes_after = AuditEntry.objects.filter(action__in=WRITES).count()
            assert writes_after == writes_before, "a refused POST changed something"

    fuzz()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(filter(has_numeric_id, FORM_PAGES)))
def test_an_unknown_or_out_of_range_id_in_the_address_answers_404(cast: Cast, name: str) -> None:
    # given
    target = FORM_PAGES[name]
    client = poster(cast, target)
    match = resolve(target_url(name, target, cast, client))
    numbered = [key for key, value in match.kwargs.items() if isinstance(value, int)]
    methods = sorted(allowed_methods(match.func) & {"GET", "POST"})

    @settings(FUZZ, max_examples=8)
    @given(number=st.integers(min_value=10**6, max_value=2**80), method=st.sampled_from(methods))
    def fuzz(number: int, method: str) -> None:
        url = reverse(name, kwargs={**match.kwargs, **dict.fromkeys(numbered, number)})
        # when
        response = getattr(client, method.lower())(url)
        # then
        assert response.status_code == 404

    fuzz()


LIST_PAGES = [
    ("activities:list", ["when", "type", "subproject", "q", "page"]),
    ("activities:actions", ["status", "mine", "page"]),
    (
        "audit:log",
        ["action", "actor", "since", "until", "page", "kind", "participant", "object_id"],
    ),
    ("audit:export", ["action", "kind", "actor", "participant", "object_id", "since", "until"]),
    ("programmes:search", ["q", "page"]),
    ("participants:list", ["q", "subproject", "page"]),
    ("measures:services", ["q", "country", "municipality", "kind", "page"]),
    (
        "evaluation:research_codebook",
        ["codebook-dataset", "codebook-layout", "codebook-dates", "codebook-output"],
    ),
    (
        "measures:measures",
        ["q", "municipality", "kind", "status", "subproject", "language", "page"],
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "params"), LIST_PAGES)
def test_no_filter_ever_answers_500(cast: Cast, name: str, params: list[str]) -> None:
    client = sign_in(Client(raise_request_exception=True), cast.coordinator)
    url = reverse(name, args=[cast.programme.slug])
    # A download that writes its export entry is a POST, filtered by its address's query.
    posted = "GET" not in allowed_methods(url_views()[name])

    @FUZZ
    @given(query=st.dictionaries(st.sampled_from(params), values, max_size=len(params)))
    def fuzz(query: dict[str, str]) -> None:
        if posted:
            response = client.post(f"{url}?{urlencode(query)}")
        else:
            response = client.get(url, query)
        assert response.status_code in {200, 400}

    fuzz()


EXPORT_PAGES = [
    "evaluation:research_export",
    "evaluation:research_export_progress",
    "evaluation:research_export_download",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXPORT_PAGES)
def test_an_unknown_research_export_answers_404_and_the_wrong_method_405(
    cast: Cast, name: str
) -> None:
    # given: one export of the researcher's exists, so the table is not empty
    from tests.evaluation.export_data import finished_export

    finished_export(cast.programme, cast.researcher)
    client = sign_in(Client(raise_request_exception=True), cast.researcher)

    @FUZZ
    @given(public_id=st.uuids())
    def fuzz(public_id: object) -> None:
        url = reverse(name, args=[cast.programme.slug, public_id])
        # when
        answers = client.get(url).status_code, client.post(url, {"x": "1"}).status_code
        # then: the download takes a POST only, the pages a GET only
        assert answers == ((405, 404) if name.endswith("_download") else (404, 405))

    fuzz()
