"""``reverse`` once per address: a list page links every row, and reversing costs ~30 µs."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=16384)
def _reversed(url_name: str, args: tuple[object, ...], prefix: str, urlconf: str | None) -> str:
    return reverse(url_name, urlconf=urlconf, args=args)


def address(url_name: str, *args: object) -> str:
    """``reverse(url_name, args=args)``, kept for the next request. The key holds the script
    prefix and the URL configuration, so that a test which changes either is not served
    another's address; a slug or a number is all the arguments ever are."""
    return _reversed(url_name, args, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
