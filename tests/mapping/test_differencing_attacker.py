"""The differencing attacker: a member opens every resource map and filter their role can open
(read from the page itself, so a new filter is covered without anyone listing it), knows who is
in which subproject and organisation, and solves for the people's cells with an integer program.
They must not pin any count of people to 1–4."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import highspy
import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from samvirke.accounts.models import Membership, User
from samvirke.accounts.services import account_for_address
from samvirke.demo.programmes import DEMO_LOGINS, load_demo
from samvirke.mapping.resource_maps import Scope, current_mappings
from samvirke.participants.models import Participant
from samvirke.programmes.models import Programme
from tests.conftest import sign_in

PARTITIONS = {"education"}
SECTION = re.compile(r'<section aria-labelledby="table-([\w-]+)"(.*?)</section>', re.S)
ROW = re.compile(r'<tr[^>]*><th scope="row">(.*?)</th><td class="num">(.*?)</td>', re.S)
CARD = re.compile(r'<li class="card"[^>]*>(.*?)(?:<br>|</li>)', re.S)


@dataclass
class Page:
    people: frozenset[int]
    shown: bool
    cells: dict[str, dict[str, int | None]]  # table -> cell -> count (None: hidden)
    opportunities: dict[str, int]


def options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select id="rm-{name}" name="{name}">(.*?)</select>', html, re.S)
    assert select is not None
    return [value for value in re.findall(r'<option value="(\d*)"', select.group(1)) if value]


def parse(html: str, people: frozenset[int]) -> Page:
    cells: dict[str, dict[str, int | None]] = {}
    for table, section in SECTION.findall(html):
        for key, value in ROW.findall(section):
            cells.setdefault(table, {})[key] = int(value) if value.strip().isdigit() else None
    opportunities = {}
    for card in CARD.findall(html):
        count = re.search(r"\d+", card)
        assert count is not None
        opportunities[re.sub(r"\d+", "", card)] = int(count.group())
    return Page(people, bool(cells), cells, opportunities)


def every_page(client: Client, programme: Programme) -> list[Page]:
    """Every map the member can request: each subproject and organisation offered, alone and
    together, and the programme as a whole."""
    url = reverse("mapping:resource_map", args=[programme.slug])
    first = client.get(url)
    assert first.status_code == 200
    html = first.content.decode()
    counted = current_mappings(Scope(programme=programme)).values_list("participant", flat=True)
    population = Participant.objects.filter(pk__in=counted)
    pages = []
    for subproject, organisation in itertools.product(
        ["", *options(html, "subproject")], ["", *options(html, "organisation")]
    ):
        people = population
        if subproject:
            people = people.filter(subprojects=subproject)
        if organisation:
            people = people.filter(organisations=organisation)
        response = client.get(url, {"subproject": subproject, "organisation": organisation})
        assert response.status_code == 200
        members = frozenset(people.values_list("pk", flat=True))
        pages.append(parse(response.content.decode(), members))
    return pages


def atoms_of(pages: list[Page]) -> list[frozenset[int]]:
    everyone = frozenset().union(*(page.people for page in pages))
    groups: dict[tuple[bool, ...], set[int]] = {}
    for person in everyone:
        groups.setdefault(tuple(person in page.people for page in pages), set()).add(person)
    return [frozenset(group) for group in groups.values()]


def unions_to_solve(pages: list[Page], atoms: list[frozenset[int]]) -> list[frozenset[int]]:
    """Each group of people alike to the attacker, each scope, and each scope minus another
    inside it: every set of people a reader could hope to count."""
    scopes = {page.people for page in pages if page.people}
    sets = set(atoms) | scopes
    sets |= {outer - inner for outer in scopes for inner in scopes if inner < outer}
    return [s for s in sets if s]


class Solver:
    """min and max of a sum of integer unknowns under the published equalities."""

    def __init__(self, upper: list[int]) -> None:
        self.highs = highspy.Highs()
        self.highs.silent()
        self.size = len(upper)
        for bound in upper:
            self.highs.addVar(0, float(bound))
        for column in range(self.size):
            self.highs.changeColIntegrality(column, highspy.HighsVarType.kInteger)

    def add(self, columns: list[int], low: float, high: float) -> None:
        index = np.array(columns, dtype=np.int32)
        self.highs.addRow(low, high, len(index), index, np.ones(len(index)))

    def range_of(self, columns: list[int]) -> tuple[int, int]:
        values = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            costs = np.zeros(self.size)
            costs[columns] = 1.0
            self.highs.changeColsCost(self.size, np.arange(self.size, dtype=np.int32), costs)
            self.highs.changeObjectiveSense(sense)
            self.highs.run()
            values.append(round(self.highs.getInfo().objective_function_value))
        return values[0], values[1]


def constrain(
    solver: Solver, columns: list[int], value: int | None, *, hidden_floor: int = 1
) -> None:
    if value is None:  # hidden: someone (an empty row is left out), but how many is not said
        solver.add(columns, hidden_floor, highspy.kHighsInf)
    else:
        solver.add(columns, value, value)


def pinned_counts(pages: list[Page]) -> list[str]:
    atoms = atoms_of(pages)
    unions = unions_to_solve(pages, atoms)
    shown = [page for page in pages if page.shown]
    inside = {
        page.people: [i for i, atom in enumerate(atoms) if atom <= page.people] for page in pages
    }
    found = []

    def check(solver: Solver, column_of: dict[int, int], label: str) -> None:
        for union in unions:
            columns = [column_of[i] for i, atom in enumerate(atoms) if atom <= union]
            low, high = solver.range_of(columns)
            if low == high and 0 < low < 5:
                found.append(f"{label}: {low} of {len(union)} people")

    tables = {table for page in shown for table in page.cells} | {"opportunity"}
    for table in sorted(tables):
        cells = sorted(
            {key for page in shown for key in page.cells.get(table, {})}
            | {key for page in shown for key in page.opportunities if table == "opportunity"}
        )
        if table in PARTITIONS:
            solver = Solver([len(atom) for atom in atoms] * len(cells))
            for i, atom in enumerate(atoms):
                solver.add([c * len(atoms) + i for c in range(len(cells))], len(atom), len(atom))
            for c, key in enumerate(cells):
                for page in shown:
                    columns = [c * len(atoms) + i for i in inside[page.people]]
                    # A partition may hide an empty row too.
                    constrain(solver, columns, page.cells[table].get(key, 0), hidden_floor=0)
            for c, key in enumerate(cells):
                check(solver, {i: c * len(atoms) + i for i in range(len(atoms))}, f"{table} {key}")
            continue
        for key in cells:
            solver = Solver([len(atom) for atom in atoms])
            for page in shown:
                if table == "opportunity":
                    if key in page.opportunities:
                        constrain(solver, inside[page.people], page.opportunities[key])
                    continue
                constrain(solver, inside[page.people], page.cells.get(table, {}).get(key, 0))
            check(solver, {i: i for i in range(len(atoms))}, f"{table} {key}")
    return found


def staff_of_demo() -> list[tuple[str, User, Programme]]:
    found = []
    for login in DEMO_LOGINS:
        # A participant's account holds a keyed hash of the address, not the address.
        user = account_for_address(login.email)
        assert user is not None, login.email
        for membership in Membership.objects.filter(user=user).select_related("programme"):
            found.append((login.role, user, membership.programme))
    return found


@pytest.mark.django_db
def test_no_member_can_pin_a_small_count_by_comparing_every_map_they_can_open() -> None:
    # given
    load_demo()
    # when
    pinned = {}
    for role, user, programme in staff_of_demo():
        client = sign_in(Client(), user)
        response = client.get(reverse("mapping:resource_map", args=[programme.slug]))
        if response.status_code != 200:
            continue  # a role without resource maps
        found = pinned_counts(every_page(client, programme))
        if found:
            pinned[f"{role} in {programme.slug}"] = found[:5]
    # then
    assert pinned == {}
