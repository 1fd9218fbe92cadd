"""``{% programme_links %}``: the programme navigation's items (``samvirke.web.navigation``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from samvirke.web import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def programme_links(context: dict[str, Any]) -> SafeString:
    return navigation.programme_links(context["access"], context["request"].path)


@register.simple_tag(takes_context=True)
def programme_search_url(context: dict[str, Any]) -> str:
    return navigation.search_address(context["access"])
