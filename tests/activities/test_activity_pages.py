from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samvirke.accounts.models import Membership, User
from samvirke.activities.models import Action, Activity, Registration
from samvirke.activities.services import calendar_token_for
from samvirke.audit.models import AuditEntry
from tests.conftest import Cast, sign_in
from tests.factories import ActionFactory, ActivityFactory, RegistrationFactory


def activity_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "type": "user_meeting",
        "title": "Brukertreff i Östersund",
        "starts_at": "2030-03-05T17:00",
        "ends_at": "2030-03-05T19:00",
        "time_zone": "Europe/Stockholm",
        "place": "Mica, Östersund",
        "status": "planned",
        "registration_open": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_coordinator_creates_an_activity_in_the_places_own_time_zone(cast: Cast) -> None:
    # given: the profile form offers Oslo and Stockholm only, which share their offsets, so the
    # coordinator's own zone is set to one whose offset differs (the middleware activates any).
    cast.coordinator.time_zone = "America/New_York"
    cast.coordinator.save(update_fields=["time_zone"])
    client = sign_in(Client(), cast.coordinator)
    # when: 17:00 on a March Tuesday in Östersund, when New York is five hours behind
    response = client.post(
        reverse("activities:new", args=[cast.programme.slug]),
        activity_form(starts_at="2030-03-05T17:00", time_zone="Europe/Stockholm"),
    )
    # then
    assert response.status_code == 302
    activity = Activity.objects.get(title="Brukertreff i Östersund")
    assert activity.starts_at == dt.datetime(2030, 3, 5, 16, 0, tzinfo=dt.UTC)
    assert activity.time_zone == "Europe/Stockholm"


@pytest.mark.django_db
def test_an_activity_ending_before_it_starts_is_refused_and_nothing_is_saved(cast: Cast) -> None:
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.coordinator)
    # when
    response = client.post(
        reverse("activities:new", args=[cast.programme.slug]),
        activity_form(ends_at="2030-03-05T16:00"),
    )
    # then
    assert response.status_code == 400
    assert "The activity cannot end before it starts." in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_the_error_is_shown_in_swedish_to_a_swedish_user(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    client.post(reverse("accounts:set_language"), {"language": "sv"})
    # when
    response = client.post(
        reverse("activities:new", args=[cast.programme.slug]), activity_form(title="")
    )
    # then
    assert response.status_code == 400
    assert "Detta fält måste fyllas i." in response.content.decode()


@pytest.mark.django_db
def test_an_activity_needs_a_place_or_an_online_link(cast: Cast) -> None:
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.coordinator)
    response = client.post(
        reverse("activities:new", args=[cast.programme.slug]), activity_form(place="")
    )
    assert response.status_code == 400
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_attendance_is_recorded_from_one_screen(cast: Cast) -> None:
    # given
    activity = ActivityFactory(programme=cast.programme)
    came = RegistrationFactory(activity=activity, user=cast.participant)
    stayed_home = RegistrationFactory(activity=activity, user=cast.user_rep)
    client = sign_in(Client(), cast.coordinator)
    url = reverse("activities:attendance", args=[cast.programme.slug, activity.public_id])
    # when
    client.post(url, {f"attended-{came.pk}": "yes", f"attended-{stayed_home.pk}": "no"})
    # then
    assert dict(Registration.objects.values_list("user__email", "attended")) == {
        cast.participant.email: True,
        cast.user_rep.email: False,
    }


@pytest.mark.django_db
def test_nonsense_in_the_attendance_form_saves_nothing(cast: Cast) -> None:
    activity = ActivityFactory(programme=cast.programme)
    came = RegistrationFactory(activity=activity, user=cast.participant)
    other = RegistrationFactory(activity=activity, user=cast.user_rep)
    client = sign_in(Client(), cast.coordinator)
    url = reverse("activities:attendance", args=[cast.programme.slug, activity.public_id])
    response = client.post(url, {f"attended-{came.pk}": "yes", f"attended-{other.pk}": "maybe"})
    assert response.status_code == 400
    assert Registration.objects.filter(attended__isnull=False).count() == 0


@pytest.mark.django_db
def test_a_participant_signs_up_for_an_open_user_meeting(cast: Cast) -> None:
    # given
    activity = ActivityFactory(programme=cast.programme, open_to_participants=True)
    client = sign_in(Client(), cast.participant, second_factor=False)
    # when
    client.post(reverse("activities:register", args=[cast.programme.slug, activity.public_id]))
    # then
    assert activity.registrations.get().user == cast.participant


@pytest.mark.django_db
def test_a_participant_does_not_see_staff_only_activities_in_the_list(cast: Cast) -> None:
    # given
    ActivityFactory(
        programme=cast.programme, title="Prosjektgruppemøte", open_to_participants=False
    )
    ActivityFactory(programme=cast.programme, title="Brukertreff", open_to_participants=True)
    client = sign_in(Client(), cast.participant, second_factor=False)
    # when
    response = client.get(reverse("activities:list", args=[cast.programme.slug]))
    # then
    titles = [a.title for a in response.context["page"].object_list]
    assert titles == ["Brukertreff"]


@pytest.mark.django_db
def test_only_those_who_run_an_activity_see_who_is_registered(cast: Cast) -> None:
    # given
    activity = ActivityFactory(programme=cast.programme)
    RegistrationFactory(activity=activity, user=cast.participant)
    url = reverse("activities:detail", args=[cast.programme.slug, activity.public_id])
    # when
    as_researcher = sign_in(Client(), cast.researcher).post(url, {"reveal": "people"})
    opened = sign_in(Client(), cast.coordinator).get(url)
    as_coordinator = sign_in(Client(), cast.coordinator).post(url, {"reveal": "people"})
    # then
    assert not opened.context["registrations"]
    registrations = as_coordinator.context["registrations"]
    assert [r.user for r in registrations] == [cast.participant]
    assert not as_researcher.context["registrations"]
    assert cast.participant.full_name not in as_researcher.content.decode()


@pytest.mark.django_db
def test_who_is_registered_is_read_through_a_logged_reveal_not_by_opening_the_page(
    cast: Cast,
) -> None:
    # given
    activity = ActivityFactory(programme=cast.programme)
    RegistrationFactory(activity=activity, user=cast.participant)
    url = reverse("activities:detail", args=[cast.programme.slug, activity.public_id])
    client = sign_in(Client(), cast.coordinator)
    # when
    client.get(url)
    logged_on_opening = AuditEntry.objects.filter(detail__read="registrations").exists()
    client.post(url, {"reveal": "people"})
    # then
    assert not logged_on_opening
    read = AuditEntry.objects.get(action="view", detail__read="registrations")
    assert (read.actor, read.detail["count"]) == (cast.coordinator, 1)


@pytest.mark.django_db
def test_a_contact_person_edits_activities_of_their_own_subproject(cast: Cast) -> None:
    # given
    activity = ActivityFactory(programme=cast.programme, subprojects=[cast.subproject])
    client = sign_in(Client(), cast.contact)
    # when
    response = client.post(
        reverse("activities:edit", args=[cast.programme.slug, activity.public_id]),
        activity_form(title="Brukertreff flyttet til Stjørdal", subprojects=[cast.subproject.pk]),
    )
    # then
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Brukertreff flyttet til Stjørdal"
    assert list(activity.subprojects.all()) == [cast.subproject]


@pytest.mark.django_db
def test_a_follow_up_action_is_recorded_on_an_activity(cast: Cast) -> None:
    # given
    activity = ActivityFactory(programme=cast.programme)
    client = sign_in(Client(), cast.coordinator)
    url = reverse("activities:action_new", args=[cast.programme.slug, activity.public_id])
    # when
    client.post(
        url,
        {"title": "Send referat", "owner": cast.guide.pk, "due_on": "2030-01-10", "status": "open"},
    )
    # then
    action = Action.objects.get()
    assert (action.activity, action.owner, action.programme) == (
        activity,
        cast.guide,
        cast.programme,
    )


@pytest.mark.django_db
def test_an_action_cannot_be_given_to_someone_outside_the_programme(cast: Cast) -> None:
    activity = ActivityFactory(programme=cast.programme)
    client = sign_in(Client(), cast.coordinator)
    url = reverse("activities:action_new", args=[cast.programme.slug, activity.public_id])
    response = client.post(
        url, {"title": "X", "owner": cast.outsider.pk, "due_on": "2030-01-10", "status": "open"}
    )
    assert response.status_code == 400
    assert not Action.objects.exists()


@pytest.mark.django_db
def test_overdue_actions_are_on_the_dashboard(cast: Cast) -> None:
    # given
    ActionFactory(
        programme=cast.programme,
        title="Bestille lokale",
        due_on=timezone.localdate() - dt.timedelta(days=3),
    )
    ActionFactory(programme=cast.programme, title="Ikke forfalt")
    client = sign_in(Client(), cast.coordinator)
    # when
    response = client.get(reverse("programmes:dashboard", args=[cast.programme.slug]))
    # then
    assert [a.title for a in response.context["dash"].overdue] == ["Bestille lokale"]


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_activity_list_needs_the_same_number_of_queries_for_more_data(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    url = reverse("activities:list", args=[cast.programme.slug])
    for _ in range(2):
        RegistrationFactory(activity=ActivityFactory(programme=cast.programme))
    few = count_queries(client, url)
    # when
    for _ in range(20):
        activity = ActivityFactory(programme=cast.programme, subprojects=[cast.subproject])
        RegistrationFactory(activity=activity)
    many = count_queries(client, url)
    # then
    assert few == many


def feed_url(cast: Cast, user: User) -> str:
    token = calendar_token_for(user=user, programme=cast.programme)
    return reverse("activities:calendar_feed", args=[cast.programme.slug, token])


@pytest.mark.django_db
def test_the_calendar_feed_lists_the_programmes_activities(cast: Cast) -> None:
    # given
    ActivityFactory(programme=cast.programme, title="Skriveseminar i Stjørdal")
    url = feed_url(cast, cast.coordinator)
    # when
    response = Client().get(url)
    # then
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:Skriveseminar i Stjørdal" in body
    assert body.count("BEGIN:VEVENT") == 1


@pytest.mark.django_db
def test_the_calendar_feed_with_a_wrong_token_is_not_found(cast: Cast) -> None:
    url = reverse("activities:calendar_feed", args=[cast.programme.slug, "guessed"])
    assert Client().get(url).status_code == 404


@pytest.mark.django_db
def test_a_new_calendar_address_makes_the_old_one_stop_working(cast: Cast) -> None:
    # given
    old = feed_url(cast, cast.coordinator)
    client = sign_in(Client(), cast.coordinator)
    # when
    client.post(reverse("programmes:calendar_settings", args=[cast.programme.slug]))
    # then
    assert Client().get(old).status_code == 404
    assert Client().get(feed_url(cast, cast.coordinator)).status_code == 200


@pytest.mark.django_db
def test_each_person_has_a_calendar_address_of_their_own(cast: Cast) -> None:
    # when
    pages = [
        sign_in(Client(), user).get(
            reverse("programmes:calendar_settings", args=[cast.programme.slug])
        )
        for user in (cast.coordinator, cast.guide)
    ]
    # then
    first, second = (page.content.decode() for page in pages)
    assert feed_url(cast, cast.coordinator) in first
    assert feed_url(cast, cast.guide) in second
    assert feed_url(cast, cast.guide) not in first


@pytest.mark.django_db
def test_the_calendar_address_stops_working_when_the_role_is_taken_away(cast: Cast) -> None:
    # given
    url = feed_url(cast, cast.guide)
    assert Client().get(url).status_code == 200
    # when
    Membership.objects.filter(user=cast.guide, programme=cast.programme).delete()
    # then
    assert Client().get(url).status_code == 404


@pytest.mark.django_db
def test_the_old_shared_programme_address_no_longer_works(cast: Cast) -> None:
    url = reverse(
        "activities:calendar_feed", args=[cast.programme.slug, cast.programme.calendar_token]
    )
    assert Client().get(url).status_code == 404


@pytest.mark.django_db
def test_a_date_in_year_one_is_refused_without_an_error_page(cast: Cast) -> None:
    client = sign_in(Client(), cast.coordinator)
    response = client.post(
        reverse("activities:new", args=[cast.programme.slug]),
        activity_form(starts_at="0001-01-01T00:00", ends_at="0001-01-01T01:00"),
    )
    assert response.status_code == 400
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_a_junk_subproject_filter_is_ignored(cast: Cast) -> None:
    client = sign_in(Client(), cast.coordinator)
    for junk in ["²", "9" * 40, "-1"]:
        response = client.get(
            reverse("activities:list", args=[cast.programme.slug]), {"subproject": junk}
        )
        assert response.status_code == 200


@pytest.mark.django_db
def test_a_calendar_address_with_letters_outside_ascii_is_not_found(cast: Cast) -> None:
    url = reverse("activities:calendar_feed", args=[cast.programme.slug, "æøå"])
    assert Client().get(url).status_code == 404


@pytest.mark.django_db
def test_registering_a_person_for_a_full_activity_says_they_are_on_the_waiting_list(
    cast: Cast,
) -> None:
    # given
    activity = ActivityFactory(programme=cast.programme, capacity=1)
    RegistrationFactory(activity=activity, user=cast.leader)
    client = sign_in(Client(), cast.coordinator)
    client.cookies["django_language"] = "en"
    url = reverse("activities:register_person", args=[cast.programme.slug, activity.public_id])
    # when
    response = client.post(url, {"person": cast.user_rep.pk}, follow=True)
    # then
    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["The activity is full: the person is on the waiting list."]


@pytest.mark.django_db
def test_a_programme_whose_period_is_over_opens_its_activity_list_on_the_past(
    cast: Cast,
) -> None:
    # given: the 2011–2014 programme, seen today
    cast.programme.starts_on, cast.programme.ends_on = dt.date(2011, 12, 1), dt.date(2014, 8, 31)
    cast.programme.save(update_fields=["starts_on", "ends_on"])
    ActivityFactory(
        programme=cast.programme,
        title="Nettverkssamling i Östersund",
        starts_at=dt.datetime(2014, 5, 6, 10, tzinfo=dt.UTC),
        ends_at=dt.datetime(2014, 5, 6, 15, tzinfo=dt.UTC),
    )
    client = sign_in(Client(), cast.coordinator)
    # when
    listed = client.get(reverse("activities:list", args=[cast.programme.slug]))
    dashboard = client.get(reverse("programmes:dashboard", args=[cast.programme.slug]))
    # then
    assert [a.title for a in listed.context["page"].object_list] == ["Nettverkssamling i Östersund"]
    assert [a.title for a in dashboard.context["dash"].upcoming] == ["Nettverkssamling i Östersund"]


@pytest.mark.django_db
def test_a_running_programme_still_opens_its_activity_list_on_what_is_coming(
    cast: Cast,
) -> None:
    # given
    ActivityFactory(
        programme=cast.programme,
        title="Skriveseminar i fjor",
        starts_at=timezone.now() - dt.timedelta(days=300),
        ends_at=timezone.now() - dt.timedelta(days=300, hours=-3),
    )
    client = sign_in(Client(), cast.coordinator)
    # when
    listed = client.get(reverse("activities:list", args=[cast.programme.slug]))
    # then
    assert list(listed.context["page"].object_list) == []
