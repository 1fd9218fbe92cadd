"""The evaluation page: who sees what, the background run, the report and its PDF."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from samvirke.audit.actor import Actor
from samvirke.evaluation.analysis_pages import localised_numbers
from samvirke.evaluation.analysis_selectors import analysis_input
from samvirke.evaluation.models import AnalysisRun, AnalysisStatus
from samvirke.participants.models import Consent
from tests.conftest import Cast, sign_in
from tests.evaluation.analysis_data import small_cohort

pytestmark = pytest.mark.django_db


def said(message: str) -> str:
    """``message`` as the page shows it to the cast, who read Norwegian."""
    with translation.override("nb"):
        return translation.gettext(message)


def start(client: Client, slug: str) -> None:
    url = reverse("evaluation:evaluation_start", args=[slug])
    response = client.post(url, {"grouping": "kind", "seed": "3"})
    assert response.status_code == 302


def test_a_researchers_run_finishes_in_the_background_and_shows_effects(
    cast: Cast, django_capture_on_commit_callbacks: object
) -> None:
    # given a programme with questionnaires and enrolments of consented people
    call_command("load_instruments", verbosity=0)
    small_cohort(cast.programme, people=120)
    client = sign_in(Client(), cast.researcher)
    # when the researcher starts an analysis (the task runs on commit)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        start(client, cast.programme.slug)
    page = client.get(reverse("evaluation:evaluation", args=[cast.programme.slug]))
    # then the page shows the flow, the change and the effects, each chart with its table
    run = AnalysisRun.objects.get()
    assert run.status == AnalysisStatus.DONE, run.error
    html = page.content.decode()
    assert "<svg" in html and "chart-data" in html
    assert "d_av" in html
    assert said("Causal estimate") in html
    assert html.count("<svg") == html.count('class="chart-data"')


def test_someone_who_withdrew_research_consent_is_left_out_of_the_analysis(cast: Cast) -> None:
    # given a cohort where one person withdraws their consent to research
    call_command("load_instruments", verbosity=0)
    small_cohort(cast.programme, people=30)
    before = analysis_input(cast.programme.pk)
    consent = Consent.objects.filter(participant__programme=cast.programme).first()
    assert consent is not None
    consent.withdrawn_at = timezone.now() + dt.timedelta(seconds=1)
    consent.save(update_fields=["withdrawn_at"])
    # when the engine's input is built again
    after = analysis_input(cast.programme.pk)
    # then that person is in none of its rows, and nobody else is missing
    assert len(set(after.frame["participant"])) == len(set(before.frame["participant"])) - 1
    assert len(after.enrolled) == len(before.enrolled) - 1


def finished_run(cast: Cast, people: int) -> AnalysisRun:
    from samvirke.accounts.permissions import access_for
    from samvirke.evaluation.analysis_services import execute_analysis, request_analysis

    call_command("load_instruments", verbosity=0)
    small_cohort(cast.programme, people=people)
    access = access_for(cast.coordinator, cast.programme)
    run = request_analysis(
        actor=Actor.of_user(cast.coordinator), access=access, grouping="kind", adjust=[], seed=1
    )
    return execute_analysis(run=run)


def test_a_user_representative_sees_small_flow_counts_hidden_that_the_coordinator_sees(
    cast: Cast,
) -> None:
    # given a finished analysis where few people took both measures
    run = finished_run(cast, people=60)
    flows = run.result["instruments"][0]["flow"]
    small = [f for f in flows if f["lost"] is not None and 0 < f["lost"] < 5]
    assert small, flows
    # when each opens the evaluation page
    url = reverse("evaluation:evaluation", args=[cast.programme.slug])
    coordinator = sign_in(Client(), cast.coordinator).get(url).content.decode()
    user_rep = sign_in(Client(), cast.user_rep).get(url).content.decode()
    # then the user representative's tables say "fewer than 5" where the coordinator's do not
    hidden = said(
        "Counts of fewer than 5 people are hidden, and so are counts from which they could be "
        "worked out; totals are rounded to the nearest 5."
    )
    assert "&lt;5" in user_rep and hidden in user_rep
    assert hidden not in coordinator
    disclosed = run.result["instruments"][0]["disclosed"]["flow"]
    for shown in disclosed:
        for value in [shown["baseline"], *shown["followups"], shown["lost"]]:
            assert value is None or value == 0 or value >= 5


def test_the_researcher_downloads_the_report_as_a_pdf(cast: Cast) -> None:
    # given a finished analysis
    run = finished_run(cast, people=40)
    # when the researcher downloads its report
    url = reverse("evaluation:evaluation_report_pdf", args=[cast.programme.slug, run.public_id])
    response = sign_in(Client(), cast.researcher).post(url)
    # then it is a PDF
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_html_report_names_the_data_checksum_and_the_seed(cast: Cast) -> None:
    # given a finished analysis
    run = finished_run(cast, people=40)
    # when the coordinator opens its report
    url = reverse("evaluation:evaluation_report", args=[cast.programme.slug, run.public_id])
    html = sign_in(Client(), cast.coordinator).post(url).content.decode()
    # then it says how to repeat it
    assert run.checksum in html
    assert "numpy" in html and "statsmodels" in html


def test_a_run_with_nobody_to_analyse_says_so_in_words(
    cast: Cast, django_capture_on_commit_callbacks: object
) -> None:
    # given a programme where nobody with a research consent has answered a questionnaire
    client = sign_in(Client(), cast.coordinator)
    # when the coordinator runs an analysis
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        start(client, cast.programme.slug)
    page = client.get(reverse("evaluation:evaluation", args=[cast.programme.slug]))
    # then the page tells why there are no results
    assert AnalysisRun.objects.get().status == AnalysisStatus.FAILED
    assert (
        said(
            "No questionnaire was answered at baseline by enough people with a consent to research."
        )
        in page.content.decode()
    )


def test_a_stored_result_holds_no_participants_key(cast: Cast) -> None:
    # given the keys the engine read the cohort's people by
    run = finished_run(cast, people=40)
    keys = set(analysis_input(cast.programme.pk).frame["participant"])
    # when the stored result is searched for them
    stored = json.dumps(run.result)
    # then none is there (the page and report show aggregates only)
    assert keys and not any(key in stored for key in keys)


def test_a_user_representative_can_open_only_the_newest_runs_report(cast: Cast) -> None:
    # given two finished runs
    older = finished_run(cast, people=30)
    newer = AnalysisRun.objects.create(
        programme=cast.programme, status=AnalysisStatus.DONE, result=older.result,
        finished_at=timezone.now(),
    )  # fmt: skip
    client = sign_in(Client(), cast.user_rep)

    # when the user representative asks for each report
    def report(run: AnalysisRun) -> int:
        url = reverse("evaluation:evaluation_report", args=[cast.programme.slug, run.public_id])
        return client.post(url).status_code

    # then only the newest opens, so two runs cannot be subtracted from each other
    assert (report(older), report(newer)) == (404, 200)


def test_chart_tables_write_numbers_as_the_readers_language_does() -> None:
    # given a table cell and a chart label with decimals and a negative number
    markup = '<td>-0.2 – 1.5</td><text x="12.5" y="3.0">2.9</text>'
    # when it is shown in Swedish and in English
    swedish = localised_numbers(markup, "sv")
    english = localised_numbers(markup, "en")
    # then Swedish readers get decimal commas and a true minus, coordinates stay as they were
    assert swedish == '<td>−0,2 – 1,5</td><text x="12.5" y="3.0">2,9</text>'
    assert english == markup


def test_the_mixed_models_combination_is_both_measures_and_their_interaction() -> None:
    # given a stored result with a mixed model and a causal estimate of a pair
    from samvirke.evaluation.analysis_pages import instrument_context
    from tests.evaluation.analysis_data import engine_result

    result = engine_result()
    who5 = result["instruments"][0]
    terms = {t["name"]: t["estimate"] for t in who5["mixed"]["terms"]}
    pair = next(e for e in who5["causal"]["msm"] if e["kind"] == "combination")
    a, b = pair["name"].split("+")
    # when the page shows it (in English)
    with translation.override("en"):
        rows = instrument_context(who5, result, full=True)["effects"]
    # then the mixed-model column of the pair adds both measures and the interaction
    shown = next(r for r in rows if r["label"] == "Work training + Peer support"
                 or r["label"] == "Peer support + Work training")  # fmt: skip
    assert shown["mixed"] == f"{terms[a] + terms[b] + terms[pair['name']]:.1f}".replace("-", "−")
