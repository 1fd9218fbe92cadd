"""The programme's navigation bar: which sections a role sees, and which one is current.

Written in Python rather than in ``base.html`` because every page draws it: as template tags
(twenty ``{% url %}`` and forty ``{% if %}``) it cost a signed-in page more than the rest of a
small page's work. The addresses are reversed once per programme and kept
(``samvirke.lib.urls.address``); a request only decides which links its role sees and marks
the current one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.functional import Promise
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from samvirke.accounts.permissions import Access
from samvirke.lib.urls import address


@dataclass(frozen=True)
class Section:
    url_name: str
    label: Promise
    shown: Callable[[Access], bool]
    # a section also holds the pages below its address (a measure under the catalogue);
    # a single page is current only at its own address
    holds_pages_below: bool = True


def _workspace(access: Access) -> bool:
    return access.is_workspace_member


def _always(access: Access) -> bool:
    return True


SECTIONS: tuple[Section, ...] = (
    Section("programmes:dashboard", _("Overview"), _workspace, holds_pages_below=False),
    Section(
        "programmes:dashboard",
        _("My page"),
        lambda access: not access.is_workspace_member,
        holds_pages_below=False,
    ),
    Section("activities:list", _("Activities"), _always),
    Section("measures:services", _("Service map"), _always),
    Section("measures:measures", _("Measures"), _workspace),
    Section("programmes:subprojects", _("Subprojects"), _workspace),
    Section("programmes:partners", _("Partners"), _workspace),
    Section("programmes:project_group", _("Project group"), _workspace),
    Section("programmes:goals", _("Goals"), _workspace, holds_pages_below=False),
    Section("activities:actions", _("Actions"), _workspace),
    Section(
        "participants:list",
        _("Participants"),
        lambda access: access.is_workspace_member and access.follows_participants,
    ),
    Section(
        "ventures:list",
        _("Ventures"),
        lambda access: access.is_workspace_member and access.sees_ventures,
    ),
    Section(
        "ventures:pipeline",
        _("Ventures"),
        lambda access: access.is_workspace_member and not access.sees_ventures,
    ),
    Section("mapping:resource_map", _("Resource map"), _workspace, holds_pages_below=False),
    Section(
        "evaluation:evaluation",
        _("Evaluation"),
        lambda access: access.is_workspace_member and access.sees_evaluation,
        holds_pages_below=False,
    ),
    Section(
        "evaluation:research_data",
        _("Research data"),
        lambda access: access.is_workspace_member and access.exports_research_data,
        holds_pages_below=False,
    ),
    Section("mapping:mine", _("My mapping"), lambda access: access.is_participant),
    Section(
        "measures:my_journey",
        _("What I have taken part in"),
        lambda access: access.is_participant,
        holds_pages_below=False,
    ),
    Section(
        "ventures:my_proposals",
        _("Enterprise teams proposed for me"),
        lambda access: access.is_participant,
        holds_pages_below=False,
    ),
    Section(
        "evaluation:my_questionnaires",
        _("My questionnaires"),
        lambda access: access.is_participant,
    ),
    Section("participants:me", _("My information"), lambda access: access.is_participant),
    Section("programmes:members", _("People and roles"), lambda access: access.is_manager),
    Section(
        "audit:log",
        _("Audit log"),
        lambda access: access.is_manager,
        holds_pages_below=False,
    ),
)


def _current(section: Section, url: str, path: str) -> str:
    if path == url:
        return ' aria-current="page"'
    if section.holds_pages_below and url in path:
        return ' aria-current="true"'
    return ""


def programme_links(access: Access, path: str) -> SafeString:
    """The ``<li>`` items of the programme navigation for ``access``'s roles, the section of
    ``path`` marked current."""
    slug = access.programme.slug
    items = []
    for section in SECTIONS:
        if not section.shown(access):
            continue
        url = address(section.url_name, slug)
        items.append((url, SafeString(_current(section, url, path)), section.label))
    return format_html_join("\n        ", '<li><a href="{}"{}>{}</a></li>', items)


def search_address(access: Access) -> str:
    return address("programmes:search", access.programme.slug)


@lru_cache(maxsize=16)
def language_options(active: str | None) -> SafeString:
    """The language selector's options, the same for every page in one language: each
    language named in itself (``language_name_local``, first letter capital), ``active``
    selected."""
    return format_html_join(
        "",
        '<option value="{}" lang="{}"{}>{}</option>',
        (
            (
                code,
                code,
                SafeString(" selected") if code == active else "",
                capfirst(get_language_info(code)["name_local"]),
            )
            for code, _name in settings.LANGUAGES
        ),
    )
