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
from dataclasses import dataclass

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
from samvirke.mapping.models import ImportBatch
from samvirke.participants.data_rights import request_erasure
from samvirke.participants.services import give_consent
from tests.conftest import Cast, sign_in
from tests.factories import (
    ActionFactory,
    ActivityFactory,
    GoalFactory,
    IndicatorFactory,
    MeasureFactory,
    MilestoneFactory,
    ParticipantFactory,
    ProjectGroupMemberFactory,
    ReferralFactory,
    RegistrationFactory,
    measure_args,
    service_map_args,
    venture_args,
)
from tests.web.routes import allowed_methods, has_numeric_id, names_answering, url_views

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


@dataclass(frozen=True)
class Target:
    kind: str = ""  # which objects fill the URL
    who: str = "coordinator"  # who posts: a manager, or the participant for their own pages


FORM_PAGES: dict[str, Target] = {
    "home": Target(),
    "health": Target(),
    "accounts:login": Target(who="visitor"),
    "accounts:sign_in_link_request": Target(who="visitor"),
    "accounts:sign_in_link": Target("sign_in_link", who="visitor"),
    "accounts:password_reset": Target(who="visitor"),
    "accounts:password_set": Target("password_link", who="visitor"),
    "accounts:logout": Target(),
    "accounts:two_factor_setup": Target(),
    "accounts:two_factor_verify": Target(),
    "accounts:recovery_codes": Target(),
    "accounts:profile": Target(),
    "accounts:change_password": Target(),
    "accounts:set_language": Target(),
    "programmes:dashboard": Target("slug"),
    "programmes:edit": Target("slug"),
    "programmes:partners": Target("slug"),
    "programmes:partner_add": Target("slug"),
    "programmes:partner_edit": Target("partnership"),
    "programmes:partner_remove": Target("partnership"),
    "programmes:organisation_new": Target("slug"),
    "programmes:organisation_edit": Target("organisation"),
    "programmes:subprojects": Target("slug"),
    "programmes:subproject_new": Target("slug"),
    "programmes:subproject": Target("subproject"),
    "programmes:subproject_edit": Target("subproject"),
    "programmes:project_group": Target("slug"),
    "programmes:project_group_add": Target("slug"),
    "programmes:project_group_remove": Target("group_member"),
    "programmes:goals": Target("slug"),
    "programmes:goal_new": Target("slug"),
    "programmes:goal_edit": Target("goal"),
    "programmes:indicator_new": Target("slug"),
    "programmes:indicator_edit": Target("indicator"),
    "programmes:milestone_new": Target("slug"),
    "programmes:milestone_edit": Target("milestone"),
    "programmes:members": Target("slug"),
    "programmes:member_add": Target("slug"),
    "programmes:member_remove": Target("membership"),
    "programmes:search": Target("slug"),
    "programmes:calendar_settings": Target("slug"),
    "activities:new": Target("slug"),
    "activities:edit": Target("activity"),
    "activities:register": Target("activity"),
    "activities:cancel": Target("activity"),
    "activities:register_person": Target("activity"),
    "activities:attendance": Target("activity"),
    "activities:decision_new": Target("activity"),
    "activities:action_new": Target("activity"),
    "activities:action_edit": Target("action"),
    "participants:new": Target("slug"),
    "participants:edit": Target("participant"),
    "participants:identity": Target("participant"),
    "participants:consent_record": Target("participant"),
    "participants:sign_in_access": Target("participant"),
    "participants:sign_in_confirm": Target("participant"),
    "participants:sign_in_approve": Target("participant"),
    "participants:consent_withdraw": Target("consent"),
    "participants:my_consent_give": Target("own_record", who="participant"),
    "participants:my_consent_withdraw": Target("own_consent", who="participant"),
    "participants:my_erasure": Target("own_record", who="participant"),
    "participants:my_details": Target("own_record", who="participant"),
    "mapping:new": Target("participant"),
    "mapping:import": Target("slug"),
    "mapping:import_batch": Target("import_batch"),
    "participants:erasure_confirm": Target("erasure_request"),
    "participants:erasure_refuse": Target("erasure_request"),
    "mapping:my_new": Target("own_record", who="participant"),
    "evaluation:my_questionnaire": Target("own_questionnaire", who="participant"),
    "evaluation:my_questionnaire_submit": Target("own_questionnaire", who="participant"),
    "evaluation:questionnaire_enter": Target("own_questionnaire"),
    "evaluation:safety_alert_followed_up": Target("safety_alert"),
    "evaluation:questionnaire_import": Target("slug"),
    "evaluation:instrument_new": Target("slug"),
    "measures:service_new": Target("slug"),
    "measures:service_edit": Target("service"),
    "measures:service_map_publication": Target("slug"),
    "measures:pathway_new": Target("slug"),
    "measures:pathway_edit": Target("pathway"),
    "measures:pathway_step_new": Target("pathway"),
    "measures:pathway_step_edit": Target("pathway_step"),
    "measures:pathway_step_remove": Target("pathway_step"),
    "measures:measure_new": Target("slug"),
    "measures:measure_edit": Target("measure"),
    "measures:plan_sessions": Target("measure"),
    "measures:enrol": Target("measure"),
    "measures:attendance": Target("session"),
    "measures:enrolment_status": Target("enrolment"),
    "measures:notes": Target("enrolment"),
    "measures:measure_import": Target("measure"),
    "measures:measures_import": Target("slug"),
    "measures:referrals": Target("participant"),
    "measures:measure_referrals": Target("measure"),
    "measures:referral_withdraw": Target("referral"),
    "measures:referral_answer": Target("referral"),
    "evaluation:research_data_file": Target("slug"),
    "evaluation:evaluation_start": Target("slug"),
    "ventures:new": Target("slug"),
    "ventures:edit": Target("venture"),
    "ventures:move": Target("venture"),
    "ventures:member_add": Target("venture"),
    "ventures:need_add": Target("venture"),
    "ventures:outcome": Target("venture"),
    "ventures:canvas": Target("venture"),
    "ventures:formation": Target("slug"),
    "ventures:proposal_decide": Target("venture_proposal"),
    "ventures:my_proposal_decline": Target("own_proposal", who="participant"),
    "ventures:checklists_seed": Target("slug"),
    "ventures:checklist_template_new": Target("slug"),
    "ventures:checklist_template_edit": Target("checklist_template"),
    "ventures:checklist_template_action": Target("checklist_template"),
    "ventures:checklist_tick": Target("venture_checklist_item"),
    "ventures:task_new": Target("venture"),
    "ventures:task_edit": Target("venture_task"),
    "ventures:task_done": Target("venture_task"),
    "ventures:document_new": Target("venture"),
    "ventures:document_delete": Target("venture_document"),
}

# URL patterns that accept a POST but are not fuzzed here, each with the reason.
NOT_FUZZED: dict[str, str] = {}


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


def target_url(name: str, kind: str, cast: Cast, client: Client) -> str:
    slug = cast.programme.slug
    programme = cast.programme
    match kind:
        case "":
            return reverse(name)
        case "slug":
            return reverse(name, args=[slug])
        case "partnership":
            return reverse(name, args=[slug, programme.partnerships.get().pk])
        case "organisation":
            return reverse(name, args=[slug, programme.partnerships.get().organisation_id])
        case "subproject":
            return reverse(name, args=[slug, cast.subproject.pk])
        case "group_member":
            member = ProjectGroupMemberFactory(programme=programme, user=cast.leader)
            return reverse(name, args=[slug, member.pk])
        case "goal":
            return reverse(name, args=[slug, GoalFactory(programme=programme).pk])
        case "indicator":
            indicator = IndicatorFactory(goal=GoalFactory(programme=programme))
            return reverse(name, args=[slug, indicator.pk])
        case "milestone":
            return reverse(name, args=[slug, MilestoneFactory(programme=programme).pk])
        case "membership":
            return reverse(name, args=[slug, cast.user_rep.memberships.get().pk])
        case "activity":
            activity = ActivityFactory(programme=programme, open_to_participants=True)
            RegistrationFactory(activity=activity, user=cast.participant)
            RegistrationFactory(activity=activity, user=cast.coordinator)
            return reverse(name, args=[slug, activity.public_id])
        case "action":
            action = ActionFactory(programme=programme, owner=cast.coordinator)
            return reverse(name, args=[slug, action.pk])
        case "participant":
            record = ParticipantFactory(programme=programme, subprojects=[cast.subproject])
            return reverse(name, args=[slug, record.public_id])
        case "own_record":
            ParticipantFactory(programme=programme, account=cast.participant)
            return reverse(name, args=[slug])
        case "safety_alert":
            from tests.factories import safety_alert

            record = ParticipantFactory(programme=programme)
            return reverse(name, args=[slug, safety_alert(record).public_id])
        case "own_questionnaire":
            from tests.factories import who5_response

            record = ParticipantFactory(programme=programme, account=cast.participant)
            return reverse(name, args=[slug, who5_response(record).public_id])
        case "consent" | "own_consent":
            account = cast.participant if kind == "own_consent" else None
            record = ParticipantFactory(programme=programme, account=account)
            consent = give_consent(
                actor=cast.coordinator,
                request=None,
                participant=record,
                purpose="research",
                method="paper",
            )
            if kind == "own_consent":
                return reverse(name, args=[slug, consent.pk])
            return reverse(name, args=[slug, record.public_id, consent.pk])
        case "erasure_request":
            record = ParticipantFactory(programme=programme, account=cast.participant)
            request_erasure(actor=cast.participant, request=None, participant=record)
            return reverse(name, args=[slug, record.public_id])
        case "import_batch":
            batch = ImportBatch.objects.create(
                programme=programme,
                subproject=cast.subproject,
                uploaded_by=cast.coordinator,
                country="NO",
                filename="members.csv",
                content=b"member id,name\n1,Test\n",
            )
            return reverse(name, args=[slug, batch.public_id])
        case "service" | "pathway" | "pathway_step":
            return reverse(name, args=[slug, *service_map_args(kind, programme)])
        case "measure" | "session" | "enrolment":
            return reverse(name, args=[slug, *measure_args(kind, programme, cast.subproject)])
        case "referral":
            measure = MeasureFactory(programme=programme, subproject=cast.other_subproject)
            record = ParticipantFactory(programme=programme, subprojects=[cast.subproject])
            referral = ReferralFactory(measure=measure, participant=record)
            return reverse(name, args=[slug, referral.public_id])
        case "checklist_template":
            from samvirke.ventures.checklists import seed_templates
            from samvirke.ventures.models import ChecklistTemplateItem

            seed_templates(programme=programme)
            item = ChecklistTemplateItem.objects.filter(programme=programme).first()
            return reverse(name, args=[slug, item.pk])  # type: ignore[union-attr]
        case (
            "venture"
            | "venture_proposal"
            | "own_proposal"
            | "venture_checklist_item"
            | "venture_task"
            | "venture_document"
        ):
            account = cast.participant if kind == "own_proposal" else None
            record = ParticipantFactory(
                programme=programme, account=account, subprojects=[cast.subproject]
            )
            extra = venture_args(
                kind.removeprefix("venture_").replace("own_", ""),
                programme,
                cast.subproject,
                participant=record,
                started_by=cast.coordinator,
            )
            return reverse(name, args=[slug, *extra])
        case "sign_in_link":
            return sign_in_link_url(user=cast.participant, base_url="")
        case "password_link":
            # The one-time link stores its token in the session and answers with the form's URL.
            user = cast.participant
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            link = reverse(name, args=[uid, default_token_generator.make_token(user)])
            return str(client.get(link)["Location"])
    raise AssertionError(f"no way to build a URL of kind {kind!r}")


def field_names_on(client: Client, url: str, name: str) -> list[str]:
    """The names of the fields the page's form shows, when it answers a GET."""
    if "GET" not in allowed_methods(url_views()[name]):
        return []
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    found = re.findall(r'\bname="([^"]+)"', response.content.decode())
    return sorted(set(found) - {"csrfmiddlewaretoken"})


def poster(cast: Cast, target: Target) -> Client:
    client = Client(raise_request_exception=True)
    if target.who == "visitor":
        return client
    user = cast.participant if target.who == "participant" else cast.coordinator
    # A session that has passed the second factor, as recovery codes and verification need.
    return sign_in(client, user, second_factor=target.who != "participant")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FORM_PAGES))
def test_no_post_ever_answers_500_and_a_refused_one_changes_nothing(cast: Cast, name: str) -> None:
    # given
    target = FORM_PAGES[name]
    client = poster(cast, target)
    url = target_url(name, target.kind, cast, client)
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
    match = resolve(target_url(name, target.kind, cast, client))
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

    @FUZZ
    @given(query=st.dictionaries(st.sampled_from(params), values, max_size=len(params)))
    def fuzz(query: dict[str, str]) -> None:
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
def test_an_unknown_research_export_answers_404_and_a_post_to_it_405(cast: Cast, name: str) -> None:
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
        # then
        assert answers == (404, 405)

    fuzz()
