"""axe-core finds no WCAG 2.1 A or AA violation on any page, in any language.

TOUR is checked against the URL resolver: a URL pattern that answers GET must be visited here
or be in NOT_PAGES with the reason, or the suite fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice
from playwright.sync_api import BrowserContext, Page, expect

from samvirke.accounts.models import User
from samvirke.accounts.services import sign_in_link_url
from samvirke.activities.models import Action
from samvirke.mapping.models import ImportBatch, Skill
from samvirke.mapping.skills import sync_skills
from samvirke.participants.models import ConfirmationRoute, Participant, SignInConfirmation
from samvirke.participants.services import give_consent
from samvirke.programmes.models import Goal, Indicator, Milestone
from tests.browser.conftest import Workspace
from tests.browser.support import (
    LANGUAGES,
    PHONE,
    axe_violations,
    browser_in,
    check_page,
    seed_consent_texts,
    sign_in,
)
from tests.factories import (
    MeasureFactory,
    ParticipantFactory,
    ReferralFactory,
    confirmed_totp,
    measure_args,
    service_map_args,
    venture_args,
)
from tests.web.routes import names_answering

RECOVERY_CODE = "k3y8m2q7w4"


@dataclass(frozen=True)
class Visit:
    who: str  # "visitor" (signed out, on a phone), "coordinator" or "participant"
    kind: str = ""  # which objects fill the URL
    query: str = ""


TOUR: list[tuple[str, Visit]] = [
    ("accounts:login", Visit("visitor")),
    ("accounts:sign_in_link_request", Visit("visitor")),
    ("accounts:sign_in_link_sent", Visit("visitor")),
    ("accounts:sign_in_link", Visit("visitor", "sign_in_link")),
    ("accounts:password_reset", Visit("visitor")),
    ("accounts:password_reset_sent", Visit("visitor")),
    ("accounts:password_set", Visit("visitor", "password_link")),
    ("accounts:password_set_done", Visit("visitor")),
    ("home", Visit("coordinator")),
    ("accounts:profile", Visit("coordinator")),
    ("accounts:two_factor_verify", Visit("coordinator")),
    ("programmes:dashboard", Visit("coordinator", "slug")),
    ("programmes:edit", Visit("coordinator", "slug")),
    ("programmes:partners", Visit("coordinator", "slug")),
    ("programmes:partner_add", Visit("coordinator", "slug")),
    ("programmes:partner_edit", Visit("coordinator", "partnership")),
    ("programmes:organisation_new", Visit("coordinator", "slug")),
    ("programmes:organisation_edit", Visit("coordinator", "organisation")),
    ("programmes:subprojects", Visit("coordinator", "slug")),
    ("programmes:subproject_new", Visit("coordinator", "slug")),
    ("programmes:subproject", Visit("coordinator", "subproject")),
    ("programmes:subproject_edit", Visit("coordinator", "subproject")),
    ("programmes:project_group", Visit("coordinator", "slug")),
    ("programmes:project_group_add", Visit("coordinator", "slug")),
    ("programmes:goals", Visit("coordinator", "slug")),
    ("programmes:goal_new", Visit("coordinator", "slug")),
    ("programmes:goal_edit", Visit("coordinator", "goal")),
    ("programmes:indicator_new", Visit("coordinator", "slug")),
    ("programmes:indicator_edit", Visit("coordinator", "indicator")),
    ("programmes:milestone_new", Visit("coordinator", "slug")),
    ("programmes:milestone_edit", Visit("coordinator", "milestone")),
    ("programmes:members", Visit("coordinator", "slug")),
    ("programmes:member_add", Visit("coordinator", "slug")),
    ("programmes:search", Visit("coordinator", "slug", "?q=Stj%C3%B8rdal")),
    ("programmes:calendar_settings", Visit("coordinator", "slug")),
    ("audit:log", Visit("coordinator", "slug")),
    ("activities:list", Visit("coordinator", "slug")),
    ("activities:new", Visit("coordinator", "slug")),
    ("activities:detail", Visit("coordinator", "activity")),
    ("activities:edit", Visit("coordinator", "activity")),
    ("activities:attendance", Visit("coordinator", "activity")),
    ("activities:action_new", Visit("coordinator", "activity")),
    ("activities:actions", Visit("coordinator", "slug")),
    ("activities:action_edit", Visit("coordinator", "action")),
    ("participants:list", Visit("coordinator", "slug")),
    ("participants:new", Visit("coordinator", "slug")),
    ("participants:detail", Visit("coordinator", "participant")),
    ("participants:edit", Visit("coordinator", "participant")),
    ("participants:export", Visit("coordinator", "participant")),
    ("participants:erasure_requests", Visit("coordinator", "slug")),
    ("mapping:import", Visit("coordinator", "slug")),
    ("mapping:import_batch", Visit("coordinator", "import_batch")),
    ("mapping:participant", Visit("coordinator", "participant")),
    ("mapping:new", Visit("coordinator", "participant")),
    ("mapping:resource_map", Visit("coordinator", "slug")),
    ("evaluation:research_data", Visit("coordinator", "slug")),
    ("evaluation:evaluation", Visit("coordinator", "analysis_results")),
    ("mapping:team_candidates", Visit("coordinator", "slug", "?interest=cooking&skill=cooking")),
    ("measures:services", Visit("coordinator", "slug", "?q=arbeidstrening")),
    ("measures:service", Visit("coordinator", "service")),
    ("measures:service_new", Visit("coordinator", "slug")),
    ("measures:service_edit", Visit("coordinator", "service")),
    ("measures:service_map_publication", Visit("coordinator", "slug")),
    ("measures:pathways", Visit("coordinator", "slug")),
    ("measures:pathway", Visit("coordinator", "pathway")),
    ("measures:pathway_compare", Visit("coordinator", "situation")),
    ("measures:pathway_new", Visit("coordinator", "slug")),
    ("measures:pathway_edit", Visit("coordinator", "pathway")),
    ("measures:pathway_step_new", Visit("coordinator", "pathway")),
    ("measures:pathway_step_edit", Visit("coordinator", "pathway_step")),
    ("measures:public_services", Visit("visitor", "service_map")),
    ("measures:public_service", Visit("visitor", "service")),
    ("measures:public_pathways", Visit("visitor", "service_map")),
    ("measures:public_pathway", Visit("visitor", "pathway")),
    ("measures:public_pathway_compare", Visit("visitor", "situation")),
    ("measures:measures", Visit("coordinator", "slug", "?kind=work_training")),
    ("measures:measure_new", Visit("coordinator", "slug")),
    ("measures:measure", Visit("coordinator", "measure")),
    ("measures:measure_edit", Visit("coordinator", "measure")),
    ("measures:enrol", Visit("coordinator", "measure")),
    ("measures:attendance", Visit("coordinator", "session")),
    ("measures:enrolment", Visit("coordinator", "enrolment")),
    ("measures:notes", Visit("coordinator", "enrolment")),
    ("measures:journey", Visit("coordinator", "participant")),
    ("measures:my_journey", Visit("participant", "slug")),
    ("measures:referrals", Visit("coordinator", "participant")),
    ("measures:measure_referrals", Visit("coordinator", "referred_measure")),
    ("measures:measure_import", Visit("coordinator", "measure")),
    ("measures:measures_import", Visit("coordinator", "slug")),
    ("accounts:two_factor_setup", Visit("participant")),
    ("programmes:dashboard", Visit("participant", "slug")),
    ("activities:list", Visit("participant", "slug")),
    ("activities:detail", Visit("participant", "open_activity")),
    ("activities:detail", Visit("participant", "activity")),
    ("participants:me", Visit("participant", "slug")),
    ("participants:my_details", Visit("participant", "slug")),
    ("participants:my_access_log", Visit("participant", "slug")),
    ("participants:my_data", Visit("participant", "slug")),
    ("participants:my_erasure", Visit("participant", "slug")),
    ("mapping:mine", Visit("participant", "slug")),
    ("mapping:my_new", Visit("participant", "slug")),
    ("evaluation:my_questionnaires", Visit("participant", "slug")),
    ("evaluation:questionnaires_due", Visit("coordinator", "slug")),
    ("evaluation:questionnaire_enter", Visit("coordinator", "own_questionnaire")),
    ("evaluation:questionnaire_import", Visit("coordinator", "slug")),
    ("evaluation:instruments", Visit("coordinator", "slug")),
    ("evaluation:instrument_new", Visit("coordinator", "slug")),
    ("evaluation:my_questionnaire", Visit("participant", "own_questionnaire")),
    ("evaluation:my_questionnaire_submit", Visit("participant", "own_questionnaire")),
    ("measures:services", Visit("participant", "slug")),
    ("ventures:list", Visit("coordinator", "slug")),
    ("ventures:board", Visit("coordinator", "slug")),
    ("ventures:new", Visit("coordinator", "slug")),
    ("ventures:pipeline", Visit("coordinator", "slug")),
    ("ventures:formation", Visit("coordinator", "slug")),
    ("ventures:formation_run", Visit("coordinator", "venture_run")),
    ("ventures:detail", Visit("coordinator", "venture")),
    ("ventures:edit", Visit("coordinator", "venture")),
    ("ventures:member_add", Visit("coordinator", "venture")),
    ("ventures:need_add", Visit("coordinator", "venture")),
    ("ventures:outcome", Visit("coordinator", "venture")),
    ("ventures:canvas", Visit("coordinator", "venture")),
    ("ventures:my_proposals", Visit("participant", "slug")),
    ("ventures:checklists", Visit("coordinator", "slug", "?country=SE")),
    ("ventures:checklist_template_new", Visit("coordinator", "slug")),
    ("ventures:checklist_template_edit", Visit("coordinator", "checklist_template")),
    ("ventures:task_new", Visit("coordinator", "venture")),
    ("ventures:task_edit", Visit("coordinator", "venture_task")),
    ("ventures:document_new", Visit("coordinator", "venture")),
]

# URL patterns that answer GET with something other than a page of their own.
NOT_PAGES = {
    "health": "plain text for the load balancer's health probe",
    "activities:calendar_feed": "an iCalendar feed for calendar apps",
    "mapping:occupation_search": "an htmx fragment of options inside the mapping form",
    "participants:export_file": "a JSON download",
    "participants:my_data_file": "a JSON download",
    "evaluation:research_codebook": "a codebook download (HTML, PDF, CSV, JSON or Markdown)",
    "evaluation:questionnaire_import_template": "an empty spreadsheet download (CSV or XLSX)",
    "evaluation:evaluation_progress": "an htmx fragment polled by the evaluation page",
    "evaluation:evaluation_report": "a standalone report document, printable like the codebook",
    "evaluation:evaluation_report_pdf": "a PDF download of that report",
    "evaluation:evaluation_chart": "an SVG download of one chart of that report",
    "evaluation:evaluation_chart_png": "a PNG download of one chart of that report",
    "measures:measures_export": "a CSV or XLSX download",
    "measures:enrolments_export": "a CSV or XLSX download",
    "measures:attendance_export": "a CSV or XLSX download",
    "audit:export": "a CSV download",
    "mapping:import_template": "a CSV or XLSX download",
    "measures:measure_import_template": "a CSV or XLSX download",
    "measures:measures_import_template": "a CSV or XLSX download",
    "ventures:document_download": "an attached document, downloaded as a file",
}


def test_every_page_is_in_the_accessibility_tour_or_excluded_with_a_reason() -> None:
    # given
    pages = names_answering("GET")
    # when
    listed = {name for name, _ in TOUR} | set(NOT_PAGES)
    # then
    assert pages - listed == set(), "visit these in TOUR, or say in NOT_PAGES why not"
    assert listed - pages == set(), "these no longer answer GET (or no longer exist)"


@dataclass
class Records:
    """What the pages show beyond the workspace: a participant's own record and a recovery code."""

    participant: Participant
    import_batch: ImportBatch

    @classmethod
    def make(cls, workspace: Workspace) -> Records:
        cast = workspace.cast
        seed_consent_texts()
        sync_skills(Skill)  # what migration mapping/0003 loads; the live database is emptied
        record = ParticipantFactory(
            programme=cast.programme, account=cast.participant, subprojects=[cast.subproject]
        )
        record.guides.set([cast.guide])
        give_consent(
            actor=cast.coordinator,
            request=None,
            participant=record,
            purpose="research",
            method="paper",
        )
        # A new sign-in address waiting for the participant's code: the record's page shows
        # the code form and, to the coordinator, the colleague's approval.
        SignInConfirmation.objects.create(
            participant=record,
            address="",
            route=ConfirmationRoute.PREVIOUS_ADDRESS,
            requested_by=cast.guide,
            expires_at=timezone.now() + dt.timedelta(days=1),
        )
        confirmed_totp(cast.coordinator)
        backup = StaticDevice.objects.create(user=cast.coordinator, name="backup", confirmed=True)
        backup.token_set.create(token=RECOVERY_CODE)
        batch = ImportBatch.objects.create(
            programme=cast.programme,
            subproject=cast.subproject,
            uploaded_by=cast.coordinator,
            country="NO",
            filename="medlemmer.csv",
            content="medlemsnummer;navn;fødselsår;yrke\n17;Kari Prøve;1980;kokk\n".encode(),
        )
        return cls(participant=record, import_batch=batch)


def password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:password_set", args=[uid, default_token_generator.make_token(user)])


def address(name: str, visit: Visit, workspace: Workspace, records: Records) -> str:
    """Built when visited: a password or sign-in link is spoilt by its owner signing in."""
    slug = workspace.slug
    programme = workspace.cast.programme
    args: list[object]
    match visit.kind:
        case "":
            args = []
        case "slug":
            args = [slug]
        case "analysis_results":  # the page with a finished analysis: charts and tables
            from tests.evaluation.analysis_data import finished_analysis

            finished_analysis(programme)
            args = [slug]
        case "partnership":
            args = [slug, programme.partnerships.get().pk]
        case "organisation":
            args = [slug, programme.partnerships.get().organisation_id]
        case "subproject":
            args = [slug, workspace.cast.subproject.pk]
        case "goal":
            args = [slug, Goal.objects.get(programme=programme).pk]
        case "indicator":
            args = [slug, Indicator.objects.get(goal__programme=programme).pk]
        case "milestone":
            args = [slug, Milestone.objects.get(programme=programme).pk]
        case "activity":
            args = [slug, workspace.activity.public_id]
        case "open_activity":
            args = [slug, workspace.open_activity.public_id]
        case "action":
            args = [slug, Action.objects.get(activity=workspace.activity).pk]
        case "participant":
            args = [slug, records.participant.public_id]
        case "own_questionnaire":
            from tests.factories import who5_response

            args = [slug, who5_response(records.participant).public_id]
        case "import_batch":
            args = [slug, records.import_batch.public_id]
        case "service_map" | "service" | "pathway" | "pathway_step" | "situation":
            published = name.startswith("measures:public_")
            args = [slug, *service_map_args(visit.kind, programme, published=published)]
        case "measure" | "session" | "enrolment":
            extra = measure_args(
                visit.kind,
                programme,
                workspace.cast.subproject,
                participant=records.participant,
                guide=workspace.cast.guide,
            )
            args = [slug, *extra]
        case "referred_measure":
            # A measure of another subproject, with the participant's referral waiting for it.
            measure = MeasureFactory(
                programme=programme, subproject=workspace.cast.other_subproject
            )
            ReferralFactory(measure=measure, participant=records.participant)
            args = [slug, measure.pk]
        case "checklist_template":
            from samvirke.ventures.checklists import seed_templates
            from samvirke.ventures.models import ChecklistTemplateItem

            seed_templates(programme=programme)
            item = ChecklistTemplateItem.objects.filter(programme=programme).first()
            args = [slug, item.pk]  # type: ignore[union-attr]
        case "venture" | "venture_run" | "venture_task":
            extra = venture_args(
                visit.kind.removeprefix("venture_"),
                programme,
                workspace.cast.subproject,
                participant=records.participant,
                started_by=workspace.cast.coordinator,
            )
            args = [slug, *extra]
        case "password_link":
            return password_link(User.objects.get(pk=workspace.cast.participant.pk))
        case "sign_in_link":
            owner = User.objects.get(pk=workspace.cast.participant.pk)
            return sign_in_link_url(user=owner, base_url="")
        case _:
            raise AssertionError(f"no way to build a URL of kind {visit.kind!r}")
    return reverse(name, args=args) + visit.query


def check_named_page(page: Page, name: str, who: str, url: str, failures: list[str]) -> None:
    """Like ``check_page``, and the page shown must be the one named (not, say, the login)."""
    response = page.goto(url)
    shown = resolve(urlsplit(page.url).path).view_name
    label = f"{name} as {who} ({url})"
    if response is None or response.status != 200 or shown != name:
        got = f"HTTP {response.status if response else '?'} from {shown}"
        failures.append(f"{label}: expected HTTP 200 from {name}, got {got}")
        return
    failures.extend(f"{label}: {line}" for line in axe_violations(page))


def pass_second_factor(page: Page) -> None:
    page.goto(reverse("accounts:two_factor_verify"))
    page.locator("#id_token").fill(RECOVERY_CODE)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(reverse("accounts:two_factor_verify"))


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_no_accessibility_violations(
    language: str,
    workspace: Workspace,
    new_context: Callable[..., BrowserContext],
    live_server: Any,
) -> None:
    # given
    cast = workspace.cast
    records = Records.make(workspace)
    visitor = new_context(**PHONE)
    visitor.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    browsers = {
        "visitor": visitor.new_page(),
        "coordinator": browser_in(language, cast.coordinator, new_context, live_server.url),
        "participant": browser_in(language, cast.participant, new_context, live_server.url),
    }
    failures: list[str] = []
    # when
    check_page(browsers["coordinator"], "login page", reverse("accounts:login"), 200, failures)
    for who in ("coordinator", "participant"):
        sign_in(browsers[who], cast.user(who))
    for name, visit in TOUR:
        url = address(name, visit, workspace, records)
        check_named_page(browsers[visit.who], name, visit.who, url, failures)
    coordinator, participant = browsers["coordinator"], browsers["participant"]
    check_page(coordinator, "404 page", f"/p/{workspace.slug}/no-such-page/", 404, failures)
    check_page(participant, "403 page", f"/p/{workspace.slug}/partners/", 403, failures)
    pass_second_factor(coordinator)
    coordinator.goto(reverse("accounts:profile"))
    coordinator.locator(f"main form[action='{reverse('accounts:recovery_codes')}'] button").click()
    expect(coordinator.locator("#recovery-codes li").first).to_be_visible()
    failures.extend(f"recovery codes: {line}" for line in axe_violations(coordinator))
    shown_in = {each.locator("html").get_attribute("lang") for each in browsers.values()}
    # then
    assert shown_in == {language}
    assert not failures, f"Accessibility problems in {language}:\n" + "\n".join(failures)
