"""The programme's activities as an iCalendar (RFC 5545) feed."""

from __future__ import annotations

from collections.abc import Iterable

from icalendar import Calendar, Event

from samvirke.activities.models import (
    Activity,
    ActivityStatus,
)
from samvirke.programmes.models import Programme


def activities_as_ical(
    programme: Programme, activities: Iterable[Activity], base_url: str
) -> bytes:
    """The feed; each event links to its page under ``base_url`` (the site the feed is read
    from, without a trailing slash)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Samvirke//samvirke//NB")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", programme.name)
    for activity in activities:
        event = Event()
        event.add("uid", f"{activity.public_id}@samvirke")
        event.add("summary", activity.title)
        event.add("dtstart", activity.starts_at)
        event.add("dtend", activity.ends_at)
        event.add("dtstamp", activity.updated_at)
        if activity.place:
            event.add("location", activity.place)
        description = activity.agenda
        if activity.online_url:
            description = f"{description}\n\n{activity.online_url}".strip()
        if description:
            event.add("description", description)
        event.add("url", base_url + activity.get_absolute_url())
        event.add(
            "status", "CANCELLED" if activity.status == ActivityStatus.CANCELLED else "CONFIRMED"
        )
        calendar.add_component(event)
    return calendar.to_ical()
