"""Every named URL pattern and the HTTP methods its view lets through.

The fuzzing and the accessibility tour derive their lists from here, so a new URL pattern that
neither of them knows about fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

ANY_METHOD = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def url_patterns() -> dict[str, URLPattern]:
    """``namespace:name`` → pattern for every named URL pattern outside the admin."""
    found: dict[str, URLPattern] = {}

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue  # Django's own admin; tests/web/test_permission_matrix.py covers it
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found[f"{namespace}{pattern.name}"] = pattern

    walk(get_resolver().url_patterns, "")
    return found


def url_views() -> dict[str, Callable[..., Any]]:
    """``namespace:name`` → view for every named URL pattern outside the admin."""
    return {name: pattern.callback for name, pattern in url_patterns().items()}


def has_numeric_id(name: str) -> bool:
    """Whether the pattern's path holds an ``<int:…>``."""
    pattern = url_patterns().get(name)
    converters = getattr(pattern.pattern, "converters", {}) if pattern else {}
    return any(isinstance(converter, IntConverter) for converter in converters.values())


def allowed_methods(view: Callable[..., Any]) -> frozenset[str]:
    """The methods the view answers, read from ``require_http_methods`` (or ``require_GET``,
    ``require_POST``) anywhere in its chain of decorators; a view without one answers any."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return frozenset(
            method.upper() for method in view_class.http_method_names if hasattr(view_class, method)
        )
    function: Any = view
    while function is not None:
        code = getattr(function, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = function.__closure__[code.co_freevars.index("request_method_list")]
            return frozenset(cell.cell_contents)
        function = getattr(function, "__wrapped__", None)
    return ANY_METHOD


def names_answering(method: str) -> set[str]:
    return {name for name, view in url_views().items() if method in allowed_methods(view)}
