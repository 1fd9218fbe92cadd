"""Stage checklists: from each country's template, ticked with who and when, edited by managers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import translation

from samvirke.audit.actor import Actor
from samvirke.ventures import checklists, services
from samvirke.ventures.models import ChecklistItem, ChecklistTemplateItem, Venture
from tests.conftest import Cast, sign_in
from tests.factories import ProgrammeFactory, VentureFactory


def venture_of(cast: Cast, **values: object) -> Venture:
    values.setdefault("created_by", cast.contact)
    return VentureFactory(programme=cast.programme, subproject=cast.subproject, **values)


def item_of(venture: Venture, stage: str, text_en: str) -> ChecklistItem:
    return ChecklistItem.objects.get(
        venture=venture, template_item__stage=stage, template_item__text_en=text_en
    )


def template(cast: Cast, country: str, stage: str, text_en: str) -> ChecklistTemplateItem:
    return ChecklistTemplateItem.objects.get(
        programme=cast.programme, country=country, stage=stage, text_en=text_en
    )


def detail(client: Client, venture: Venture, language: str = "nb") -> str:
    page = client.get(venture.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    return page.content.decode()


def tick_url(venture: Venture, item: ChecklistItem) -> str:
    return reverse(
        "ventures:checklist_tick", args=[venture.programme.slug, venture.public_id, item.pk]
    )


VAT_NO = (
    "Find out whether the business must register for VAT (over NOK 50,000 in sales in 12 months)"
)


def test_a_new_swedish_venture_gets_swedens_checklist_for_its_first_stage(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.contact)
    data = {
        "name": "Kafé Solsidan",
        "subproject": cast.subproject.pk,
        "country": "SE",
        "legal_form": "se_ekonomisk",
        "min_team_size": 2,
        "max_team_size": 5,
    }
    # when
    client.post(reverse("ventures:new", args=[cast.programme.slug]), data)
    # then
    venture = Venture.objects.get(name="Kafé Solsidan")
    html = detail(client, venture, "sv")
    assert "Tala med Försäkringskassan och Arbetsförmedlingen" in html
    assert "NAV-veilederen" not in html


def test_moving_on_puts_the_next_stages_checklist_on_the_venture_page(cast: Cast) -> None:
    # given
    venture = venture_of(cast, stage="team")
    client = sign_in(Client(), cast.contact)
    # when
    client.post(
        reverse("ventures:move", args=[cast.programme.slug, venture.public_id]),
        {"stage": "business_plan"},
    )
    # then
    html = detail(client, venture)
    assert "Avklar skatt med Skatteetaten: forskuddsskatt og bokføringsplikt" in html
    assert "Finn ut om virksomheten må registreres i Merverdiavgiftsregisteret" in html


def test_ticking_off_an_item_shows_who_did_it_and_when(cast: Cast) -> None:
    # given
    venture = venture_of(cast, stage="business_plan")
    item = item_of(venture, "business_plan", VAT_NO)
    client = sign_in(Client(), cast.guide)
    venture.members.create(kind="guide", user=cast.guide)
    # when
    response = client.post(tick_url(venture, item), {"done": "1"})
    # then
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.done_by, item.done_at is not None) == (cast.guide, True)
    assert "av Guide Example" in detail(client, venture)


def test_unticking_an_item_clears_who_and_when(cast: Cast) -> None:
    # given
    venture = venture_of(cast, stage="business_plan")
    item = item_of(venture, "business_plan", VAT_NO)
    checklists.tick_item(actor=Actor.of_user(cast.contact), item=item, done=True)
    client = sign_in(Client(), cast.contact)
    # when
    client.post(tick_url(venture, item), {"done": "0"})
    # then
    item.refresh_from_db()
    assert (item.done_at, item.done_by) == (None, None)


def test_a_researcher_sees_the_checklist_but_cannot_tick_it(cast: Cast) -> None:
    # given
    venture = venture_of(cast, stage="business_plan")
    item = item_of(venture, "business_plan", VAT_NO)
    client = sign_in(Client(), cast.researcher)
    # when
    html = detail(client, venture)
    response = client.post(tick_url(venture, item), {"done": "1"})
    # then
    assert "Merverdiavgiftsregisteret" in html
    assert tick_url(venture, item) not in html
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.done_at is None


def test_earlier_stages_keep_their_checklist_with_what_was_ticked_and_what_was_left(
    cast: Cast,
) -> None:
    # given
    venture = venture_of(cast, stage="team")
    roles = item_of(venture, "team", "Agree in writing on each member's role and hours")
    checklists.tick_item(actor=Actor.of_user(cast.contact), item=roles, done=True)
    services.move_venture(
        actor=Actor.of_user(cast.contact), venture=venture, to_stage="business_plan", reason=""
    )
    # when
    html = detail(sign_in(Client(), cast.contact), venture, "en")
    # then
    earlier = html.split('id="earlier-checklists-heading"')[1]
    assert "Team: 1 of 3 done" in earlier
    assert "Agree in writing on each member&#x27;s role and hours" in earlier
    assert "left undone" in earlier


def test_coming_back_to_a_stage_brings_back_its_items_as_they_were(cast: Cast) -> None:
    # given
    venture = venture_of(cast, stage="team")
    roles = item_of(venture, "team", "Agree in writing on each member's role and hours")
    checklists.tick_item(actor=Actor.of_user(cast.contact), item=roles, done=True)
    for stage in ("business_plan", "team"):
        services.move_venture(
            actor=Actor.of_user(cast.contact), venture=venture, to_stage=stage, reason=""
        )
    # when
    team_items = ChecklistItem.objects.filter(venture=venture, template_item__stage="team")
    # then
    assert team_items.count() == 3
    assert team_items.filter(done_at__isnull=False).get() == roles


def test_an_item_added_by_a_coordinator_reaches_ventures_in_that_stage_now(cast: Cast) -> None:
    # given
    in_stage = venture_of(cast, stage="business_plan")
    elsewhere = venture_of(cast, stage="idea")
    swedish = venture_of(cast, stage="business_plan", country="SE", legal_form="se_ab")
    client = sign_in(Client(), cast.coordinator)
    # when
    response = client.post(
        reverse("ventures:checklist_template_new", args=[cast.programme.slug]),
        {"country": "NO", "stage": "business_plan", "text_nb": "Sjekk skjenkebevilling"},
    )
    # then
    assert response.status_code == 302
    assert "Sjekk skjenkebevilling" in detail(client, in_stage)
    assert "Sjekk skjenkebevilling" not in detail(client, elsewhere)
    assert "Sjekk skjenkebevilling" not in detail(client, swedish)


def test_an_item_written_in_one_language_is_shown_in_that_language_to_everyone(
    cast: Cast,
) -> None:
    # given
    checklists.seed_templates(programme=cast.programme)
    item = checklists.add_template_item(
        actor=Actor.of_user(cast.coordinator),
        programme=cast.programme,
        country="NO",
        stage="idea",
        texts={"nb": "Snakk med Kirkens bymisjon"},
    )
    # when
    with translation.override("en"):
        shown = item.text
    # then
    assert shown == "Snakk med Kirkens bymisjon"


def test_renaming_changes_open_items_and_ticked_items_keep_the_wording_ticked(cast: Cast) -> None:
    # given
    open_one = venture_of(cast, stage="business_plan")
    ticked_one = venture_of(cast, stage="business_plan")
    checklists.tick_item(
        actor=Actor.of_user(cast.contact),
        item=item_of(ticked_one, "business_plan", VAT_NO),
        done=True,
    )
    item = template(cast, "NO", "business_plan", VAT_NO)
    client = sign_in(Client(), cast.coordinator)
    url = reverse("ventures:checklist_template_edit", args=[cast.programme.slug, item.pk])
    # when
    client.post(url, {"text_nb": "Registrer i Merverdiavgiftsregisteret ved behov", "text_en": ""})
    # then
    assert "Registrer i Merverdiavgiftsregisteret ved behov" in detail(client, open_one)
    ticked_page = detail(client, ticked_one)
    assert "Registrer i Merverdiavgiftsregisteret ved behov" not in ticked_page
    assert "Finn ut om virksomheten må registreres i Merverdiavgiftsregisteret" in ticked_page


def test_an_item_needs_a_text_in_some_language(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    # when
    response = client.post(
        reverse("ventures:checklist_template_new", args=[cast.programme.slug]),
        {"country": "NO", "stage": "idea", "text_nb": "  ", "text_sv": "", "text_en": ""},
    )
    # then
    assert response.status_code == 400
    assert "Skriv punktet på minst ett språk." in response.content.decode()
    assert not ChecklistTemplateItem.objects.filter(programme=cast.programme).exists()


def test_moving_an_item_up_changes_the_order_ventures_see(cast: Cast) -> None:
    # given
    venture = venture_of(cast, stage="team")
    last = template(
        cast, "NO", "team", "Each member checks with NAV how the work affects their benefits"
    )
    client = sign_in(Client(), cast.coordinator)
    url = reverse("ventures:checklist_template_action", args=[cast.programme.slug, last.pk])
    # when
    client.post(url, {"action": "up"})
    client.post(url, {"action": "up"})
    # then
    html = detail(client, venture)
    assert html.index("Hvert medlem avklarer med NAV") < html.index("Bli enige skriftlig om")


def test_a_retired_item_leaves_open_lists_stays_where_ticked_and_new_ventures_skip_it(
    cast: Cast,
) -> None:
    # given
    open_one = venture_of(cast, stage="business_plan")
    ticked_one = venture_of(cast, stage="business_plan")
    checklists.tick_item(
        actor=Actor.of_user(cast.contact),
        item=item_of(ticked_one, "business_plan", VAT_NO),
        done=True,
    )
    item = template(cast, "NO", "business_plan", VAT_NO)
    client = sign_in(Client(), cast.coordinator)
    url = reverse("ventures:checklist_template_action", args=[cast.programme.slug, item.pk])
    # when
    client.post(url, {"action": "retire"})
    newcomer = venture_of(cast, stage="business_plan")
    # then
    assert "Merverdiavgiftsregisteret" not in detail(client, open_one)
    assert "Merverdiavgiftsregisteret" in detail(client, ticked_one)
    assert "Merverdiavgiftsregisteret" not in detail(client, newcomer)


def test_a_retired_item_brought_back_returns_to_ventures_in_its_stage(cast: Cast) -> None:
    # given
    venture = venture_of(cast, stage="business_plan")
    item = template(cast, "NO", "business_plan", VAT_NO)
    checklists.retire_template_item(actor=Actor.of_user(cast.coordinator), item=item, retire=True)
    client = sign_in(Client(), cast.coordinator)
    url = reverse("ventures:checklist_template_action", args=[cast.programme.slug, item.pk])
    # when
    client.post(url, {"action": "restore"})
    # then
    assert "Merverdiavgiftsregisteret" in detail(client, venture)


def test_a_contact_person_cannot_change_the_templates(cast: Cast) -> None:
    # given
    checklists.seed_templates(programme=cast.programme)
    item = ChecklistTemplateItem.objects.filter(programme=cast.programme).first()
    assert item is not None
    client = sign_in(Client(), cast.contact)
    url = reverse("ventures:checklist_template_action", args=[cast.programme.slug, item.pk])
    # when
    response = client.post(url, {"action": "retire"})
    # then
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.retired_at is None


def test_the_template_page_lists_each_countrys_stages_with_its_items(cast: Cast) -> None:
    # given
    checklists.seed_templates(programme=cast.programme)
    client = sign_in(Client(), cast.coordinator)
    # when
    page = client.get(
        reverse("ventures:checklists", args=[cast.programme.slug]) + "?country=SE",
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    # then
    html = page.content.decode()
    assert "Registrera verksamheten hos Bolagsverket (verksamt.se)" in html
    assert "Brønnøysundregistrene" not in html


def test_a_programme_without_checklists_starts_from_the_defaults(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    page = client.get(reverse("ventures:checklists", args=[cast.programme.slug]))
    # when
    client.post(reverse("ventures:checklists_seed", args=[cast.programme.slug]), {})
    # then
    assert "Start med standard-sjekklistene" in page.content.decode()
    assert ChecklistTemplateItem.objects.filter(programme=cast.programme, country="SE").exists()
    assert ChecklistTemplateItem.objects.filter(programme=cast.programme, country="NO").exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_ventures_the_checklist_of_their_stage() -> None:
    # given: a venture from before checklists existed
    executor = MigrationExecutor(connection)
    executor.migrate([("ventures", "0004_checklists_tasks_documents")])
    programme = ProgrammeFactory()
    venture = VentureFactory(programme=programme, stage="establishment", country="SE")
    ChecklistItem.objects.all().delete()
    ChecklistTemplateItem.objects.all().delete()
    # when
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("ventures", "0005_seed_stage_checklists")])
    # then
    texts = set(
        ChecklistItem.objects.filter(venture=venture).values_list(
            "template_item__text_sv", flat=True
        )
    )
    assert "Registrera verksamheten hos Bolagsverket (verksamt.se)" in texts
    assert ChecklistTemplateItem.objects.filter(programme=programme, country="NO").exists()


def test_a_venture_moved_to_the_other_country_gets_that_countrys_open_items(cast: Cast) -> None:
    # given
    venture = venture_of(cast, stage="establishment")
    banking = item_of(venture, "establishment", "Open a business bank account")
    checklists.tick_item(actor=Actor.of_user(cast.contact), item=banking, done=True)
    client = sign_in(Client(), cast.contact)
    data = {
        "name": venture.name,
        "subproject": cast.subproject.pk,
        "country": "SE",
        "legal_form": "se_ab",
        "min_team_size": 2,
        "max_team_size": 6,
    }
    # when
    client.post(reverse("ventures:edit", args=[cast.programme.slug, venture.public_id]), data)
    # then
    html = detail(client, venture, "sv")
    assert "Registrera verksamheten hos Bolagsverket (verksamt.se)" in html
    assert "Registrera i Brønnøysundregistrene" not in html
    assert ChecklistItem.objects.filter(pk=banking.pk, done_at__isnull=False).exists()


def test_a_guide_on_the_team_sees_the_venture_and_can_tick_its_checklist(cast: Cast) -> None:
    # given: a guide on the team who guides nobody on it
    venture = venture_of(cast, stage="team")
    venture.members.create(kind="guide", user=cast.guide)
    item = item_of(venture, "team", "Agree in writing on each member's role and hours")
    client = sign_in(Client(), cast.guide)
    # when
    page = client.get(venture.get_absolute_url())
    ticked = client.post(tick_url(venture, item), {"done": "1"})
    # then
    assert (page.status_code, ticked.status_code) == (200, 302)


def test_a_guide_not_on_the_team_gets_404_on_its_checklist(cast: Cast) -> None:
    # given
    venture = venture_of(cast, stage="team")
    item = item_of(venture, "team", "Agree in writing on each member's role and hours")
    # when
    response = sign_in(Client(), cast.guide).post(tick_url(venture, item), {"done": "1"})
    # then
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.done_at is None
