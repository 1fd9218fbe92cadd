"""The programme aggregates live in a cache every worker process shares (settings.CACHE_URL)."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from samvirke.mapping import resource_maps
from samvirke.settings import cache_settings
from tests.conftest import Cast, sign_in
from tests.mapping.test_resource_map import kitchen_people, mapped

PROJECT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)


def redis_running() -> bool:
    try:
        socket.create_connection(REDIS, 1).close()
    except OSError:
        return False
    return True


def backend(caches: dict[str, dict[str, object]]) -> object:
    return caches["default"]["BACKEND"]


def test_a_redis_url_gives_django_s_redis_cache(tmp_path: Path) -> None:
    caches = cache_settings("redis://cache.internal:6379/1", var_dir=tmp_path, testing=False)
    assert backend(caches) == "django.core.cache.backends.redis.RedisCache"
    assert caches["default"]["LOCATION"] == "redis://cache.internal:6379/1"


def test_without_a_url_the_workers_share_files_in_var(tmp_path: Path) -> None:
    caches = cache_settings("", var_dir=tmp_path, testing=False)
    assert backend(caches) == "django.core.cache.backends.filebased.FileBasedCache"
    assert caches["default"]["LOCATION"] == str(tmp_path / "cache")


def test_the_cache_folder_is_the_owner_s_alone(tmp_path: Path) -> None:
    # given a folder someone left open to the host
    (tmp_path / "cache").mkdir(mode=0o755)
    # when
    cache_settings("", var_dir=tmp_path, testing=False)
    # then
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700


def test_a_new_cache_folder_is_the_owner_s_alone(tmp_path: Path) -> None:
    cache_settings("", var_dir=tmp_path / "var", testing=False)
    assert stat.S_IMODE((tmp_path / "var" / "cache").stat().st_mode) == 0o700


def test_a_file_url_names_the_folder(tmp_path: Path) -> None:
    caches = cache_settings(f"file://{tmp_path}/shared", var_dir=tmp_path, testing=False)
    assert caches["default"]["LOCATION"] == str(tmp_path / "shared")
    assert stat.S_IMODE((tmp_path / "shared").stat().st_mode) == 0o700


def test_the_tests_keep_a_cache_of_their_own_process(tmp_path: Path) -> None:
    caches = cache_settings("", var_dir=tmp_path, testing=True)
    assert backend(caches) == "django.core.cache.backends.locmem.LocMemCache"
    assert not (tmp_path / "cache").exists()


def test_an_unknown_cache_url_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_settings("memcached://127.0.0.1:11211", var_dir=tmp_path, testing=False)


def test_a_value_cached_by_one_process_is_read_by_another(tmp_path: Path, settings: object) -> None:
    # given another process, configured as a worker of the demo is (no CACHE_URL), that
    # caches a value
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SAMVIRKE_", "DATABASE", "CACHE_URL", "DJANGO_"))
    }
    env |= {
        "SAMVIRKE_VAR_DIR": str(tmp_path),
        "SAMVIRKE_TESTING": "0",
        "SAMVIRKE_DEMO": "1",
        "DJANGO_SETTINGS_MODULE": "samvirke.settings",
    }
    code = (
        "import django; django.setup(); from django.core.cache import cache; "
        "cache.set('handed-over', 'worked out by another worker', 60)"
    )
    subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], env=env, cwd=PROJECT, check=True, timeout=120
    )
    # when this process reads the same configuration's cache
    settings.CACHES = cache_settings("", var_dir=tmp_path, testing=False)  # type: ignore[attr-defined]
    from django.core.cache import cache

    # then
    assert cache.get("handed-over") == "worked out by another worker"


@pytest.fixture
def redis_cache(settings: object, tmp_path: Path) -> Iterator[str]:
    """Django's Redis cache on the local Redis, under a prefix of this test's own."""
    if not redis_running():
        pytest.skip("Redis not running on 127.0.0.1:6379")
    caches = cache_settings("redis://127.0.0.1:6379/0", var_dir=tmp_path, testing=True)
    prefix = f"samvirke-test-{uuid.uuid4().hex}"  # never another's keys, and never FLUSHDB
    caches["default"]["KEY_PREFIX"] = prefix
    settings.CACHES = caches  # type: ignore[attr-defined]
    client = redis.Redis(*REDIS)
    try:
        yield prefix
    finally:
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        client.close()


@pytest.fixture(params=["file", "redis"])
def shared_cache(request: pytest.FixtureRequest, settings: object, tmp_path: Path) -> str:
    """The cache a production host's workers share: files, or Redis when it answers."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    else:
        url = f"file://{tmp_path}/cache"
        settings.CACHES = cache_settings(url, var_dir=tmp_path, testing=True)  # type: ignore[attr-defined]
    return str(request.param)


def map_page(cast: Cast, **query: object) -> str:
    client = sign_in(Client(), cast.leader)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("mapping:resource_map", args=[cast.programme.slug]), query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_resource_map_is_served_from_the_shared_cache(
    cast: Cast, shared_cache: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a map shown once
    mapped(cast, kitchen_people(), count=6)
    map_page(cast)
    worked_out: list[object] = []
    monkeypatch.setattr(resource_maps, "programme_atoms", worked_out.append)
    # when it is shown again, for the programme and for a subproject
    programme = map_page(cast)
    subproject = map_page(cast, subproject=cast.subproject.pk)
    # then nothing is worked out again, and both show the people
    assert worked_out == []
    assert "Based on about 5 people." in programme
    assert "Based on about 5 people." in subproject


@pytest.mark.django_db
def test_the_aggregates_are_kept_in_redis(cast: Cast, redis_cache: str) -> None:
    # given
    mapped(cast, kitchen_people(), count=6)
    # when
    map_page(cast)
    # then
    keys = [key.decode() for key in redis.Redis(*REDIS).scan_iter(f"{redis_cache}:*")]
    assert any(":aggregate:resource-map-published:" in key for key in keys), keys


@pytest.mark.django_db
def test_a_changed_mapping_shows_on_the_next_request(cast: Cast, shared_cache: str) -> None:
    # given a map of six people, shown once and so cached
    mapped(cast, kitchen_people(), count=6)
    before = map_page(cast)
    # when four more are mapped
    mapped(cast, kitchen_people(), count=4)
    # then the next request shows them
    after = map_page(cast)
    assert "Based on about 5 people." in before
    assert "Based on about 10 people." in after
