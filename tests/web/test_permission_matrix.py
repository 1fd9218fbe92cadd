"""Every URL pattern against every role, an outsider and an anonymous visitor.

A URL pattern without an entry in the route table (tests/web/routes.py) fails the suite: a new
page must say who may see it.
Roles: programme leader, coordinator, contact person (of subproject A), guide (of subproject
A), user representative, researcher, participant, an outsider (coordinator of another
programme) and anonymous. The activity under test involves subproject B only and is not open to
participants; the action belongs to subproject A and is owned by the coordinator.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import Cast, sign_in
from tests.web.routes import ROLES, ROUTES, Route, Scene

# The matrix: every route's expected status per role, from the route table.
MATRIX: dict[str, Route] = ROUTES


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue  # the admin has its own test: superusers only
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_pattern_has_an_entry_in_the_matrix() -> None:
    assert url_names() == set(MATRIX)


def build_url(name: str, route: Route, cast: Cast) -> str:
    return Scene(cast).url(name, route.kind, route.query)


DENIED = {403, 404}


@cache
def refused_posts() -> frozenset[tuple[str, str]]:
    """(URL name, role) for each page that also takes a POST, and each role refused its GET."""
    from tests.web.routes import allowed_methods, url_views

    views = url_views()
    pairs = set()
    for name, entry in MATRIX.items():
        if entry.method != "get" or "POST" not in allowed_methods(views[name]):
            continue
        for role in ROLES:
            code = entry.expect[role]
            if code in DENIED or (role == "anonymous" and code == 302):
                pairs.add((name, role))
    return frozenset(pairs)


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_url_answers_each_role_as_the_matrix_says(cast: Cast, name: str, role: str) -> None:
    # given
    entry = MATRIX[name]
    url = build_url(name, entry, cast)
    client = Client()
    if role != "anonymous":
        user = cast.user(role)
        staff = role not in {"participant", "user_rep"}
        sign_in(client, user, second_factor=staff)
    # when
    response = getattr(client, entry.method)(url)
    # then
    assert response.status_code == entry.expect[role], (name, role, response.status_code)
    if (name, role) in refused_posts():
        # A role refused the page is refused its POST too, before any form is read.
        posted = client.post(url, {})
        assert posted.status_code == entry.expect[role], (name, role, "POST", posted.status_code)


def test_refused_posts_are_checked_for_pages_that_take_them() -> None:
    assert ("programmes:edit", "researcher") in refused_posts()
    assert ("measures:measures_import", "guide") in refused_posts()


def test_admin_is_for_superusers_only(cast: Cast) -> None:
    # given
    cast.coordinator.is_superuser = True
    cast.coordinator.is_staff = True
    cast.coordinator.save()
    # when
    as_superuser = sign_in(Client(), cast.coordinator).get("/admin/")
    as_leader = sign_in(Client(), cast.leader).get("/admin/")
    # then
    assert as_superuser.status_code == 200
    assert as_leader.status_code == 302


def test_admin_shows_a_superuser_only_the_programmes_they_manage(cast: Cast) -> None:
    # given
    cast.researcher.is_superuser = True
    cast.researcher.is_staff = True
    cast.researcher.save()
    # when
    response = sign_in(Client(), cast.researcher).get("/admin/programmes/programme/")
    # then
    assert response.status_code == 200
    assert cast.programme.slug not in response.content.decode()
