"""Samvirke's own settings, with one page more: the floor every page is measured against."""

from samvirke.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
