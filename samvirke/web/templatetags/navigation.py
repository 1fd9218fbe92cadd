"""``{% programme_links %}``: the programme navigation's items (``samvirke.web.navigation``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from samvirke.web import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def programme_links(context: dict[str, Any]) -> SafeString:
    return navigation.programme_links(context["access"], context["request"].path)


@register.simple_tag(takes_context=True)
def programme_search_url(context: dict[str, Any]) -> str:
    return navigation.search_address(context["access"])


@register.simple_tag
def language_options() -> SafeString:
    """The ``<option>`` of each language, the active one selected, each named in itself."""
    return navigation.language_options(get_language())
