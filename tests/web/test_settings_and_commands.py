from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from samvirke.programmes.models import Municipality, Programme

PROJECT = Path(__file__).resolve().parents[2]


def run_check(
    env_overrides: dict[str, str], tmp_path: Path, *, fail_level: str = "WARNING"
) -> subprocess.CompletedProcess[str]:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SAMVIRKE_", "DATABASE", "DJANGO_ALLOW_ASYNC"))
    }
    env.update({"SAMVIRKE_VAR_DIR": str(tmp_path), "SAMVIRKE_TESTING": "0"})
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "samvirke", "check", "--deploy", "--fail-level", fail_level],
        env=env,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "samvirke.example.org",
    "DATABASE_URL": "postgres://samvirke@db.invalid:5432/samvirke",
    "SAMVIRKE_IDENTITY_KEYS": "Jk0XzUHE1q3hl5k2d3dWNR2xbnDHc0Dbv7hHCm8Dixk=",
    "SAMVIRKE_IDENTITY_HASH_KEY": secrets.token_urlsafe(32),
}


def test_the_deploy_check_is_clean_for_a_production_configuration(tmp_path: Path) -> None:
    result = run_check(PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_rejects_switched_off_two_factor(tmp_path: Path) -> None:
    result = run_check({**PRODUCTION, "SAMVIRKE_REQUIRE_2FA": "0"}, tmp_path)
    assert result.returncode != 0
    assert "samvirke.E001" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_check(env, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_secret_key_can_come_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "secret"
    key_file.write_text(secrets.token_urlsafe(50))
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_check({**env, "SECRET_KEY_FILE": str(key_file)}, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_the_demo_loads_both_programmes_and_is_safe_to_run_twice() -> None:
    # when
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    counts = (Programme.objects.count(), Municipality.objects.count())
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # then
    assert set(Programme.objects.values_list("slug", flat=True)) == {
        "integrering-2008",
        "entreprenorskap-2011",
    }
    assert (Programme.objects.count(), Municipality.objects.count()) == counts
    second = Programme.objects.get(slug="entreprenorskap-2011")
    assert second.subprojects.filter(name="Kirkens hus").exists()
    assert second.activities.filter(type="writing_seminar").exists()


@pytest.mark.django_db
def test_a_municipality_file_with_one_bad_row_imports_nothing(tmp_path: Path) -> None:
    # given
    csv = tmp_path / "kommuner.csv"
    csv.write_text(
        '"code";"parentCode";"level";"name"\n"5001";"";"1";"Trondheim"\n"50x";"";"1";"Feil"\n',
        encoding="utf-8",
    )
    # when
    with pytest.raises(CommandError):
        call_command("import_municipalities", str(csv), country="NO")
    # then
    assert Municipality.objects.count() == 0


@pytest.mark.django_db
def test_importing_the_same_municipality_file_twice_changes_nothing(tmp_path: Path) -> None:
    csv = tmp_path / "kommuner.csv"
    csv.write_text("Kommunkod;Kommunnamn\n2380;Östersund\n2321;Åre\n", encoding="utf-8")
    call_command("import_municipalities", str(csv), country="SE", stdout=open(os.devnull, "w"))  # noqa: SIM115
    first = list(Municipality.objects.values_list("code", "name", "updated_at"))
    call_command("import_municipalities", str(csv), country="SE", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert list(Municipality.objects.values_list("code", "name", "updated_at")) == first


def test_every_msgid_is_translated_in_nb_sv_and_en() -> None:
    call_command("check_translations", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_production_refuses_to_start_without_identity_keys(tmp_path: Path) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "SAMVIRKE_IDENTITY_KEYS"}
    result = run_check(env, tmp_path)
    assert result.returncode != 0
    assert "SAMVIRKE_IDENTITY_KEYS" in result.stderr


def run_python(env_overrides: dict[str, str], tmp_path: Path, code: str) -> str:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SAMVIRKE_", "DATABASE", "DJANGO_ALLOW_ASYNC", "SECRET_KEY"))
    }
    env.update({"SAMVIRKE_VAR_DIR": str(tmp_path), "SAMVIRKE_TESTING": "0"})
    env.update(env_overrides)
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", code],
        env=env,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


SHOW_KEYS = (
    "from samvirke import settings as s; "
    "print(s.SECRET_KEY, s.IDENTITY_KEYS[0], s.IDENTITY_HASH_KEYS[0])"
)


def test_the_deploy_check_fails_with_debug_on_at_its_default_level(tmp_path: Path) -> None:
    result = run_check({**PRODUCTION, "SAMVIRKE_DEBUG": "1"}, tmp_path, fail_level="ERROR")
    assert result.returncode != 0
    assert "samvirke.E004" in result.stdout + result.stderr


def test_debug_without_secrets_uses_no_key_written_in_the_source(tmp_path: Path) -> None:
    # when: two installations start in debug mode without any secret set
    first = run_python({"SAMVIRKE_DEBUG": "1"}, tmp_path / "one", SHOW_KEYS).split()
    second = run_python({"SAMVIRKE_DEBUG": "1"}, tmp_path / "two", SHOW_KEYS).split()
    again = run_python({"SAMVIRKE_DEBUG": "1"}, tmp_path / "one", SHOW_KEYS).split()
    # then: each has its own keys, kept between starts, readable by its owner only
    assert all(a != b for a, b in zip(first, second, strict=True))
    assert again == first
    source = (PROJECT / "samvirke" / "settings.py").read_text(encoding="utf-8")
    assert not any(key in source for key in first)
    assert (tmp_path / "one" / "secrets" / "secret_key").stat().st_mode & 0o077 == 0


def test_the_deploy_check_refuses_a_generated_secret(tmp_path: Path) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "SAMVIRKE_IDENTITY_HASH_KEY"}
    result = run_check({**env, "SAMVIRKE_DEBUG": "1"}, tmp_path, fail_level="ERROR")
    assert result.returncode != 0
    assert "samvirke.E005" in result.stderr
    assert "SAMVIRKE_IDENTITY_HASH_KEY is this installation's generated" in result.stderr


def test_the_deploy_check_refuses_mail_without_tls(tmp_path: Path) -> None:
    result = run_check({**PRODUCTION, "EMAIL_USE_TLS": "0"}, tmp_path, fail_level="ERROR")
    assert result.returncode != 0
    assert "samvirke.E006" in result.stderr


def test_mail_goes_out_with_starttls_by_default(tmp_path: Path) -> None:
    shown = run_python(
        PRODUCTION,
        tmp_path,
        "from samvirke import settings as s; print(s.EMAIL_USE_TLS, s.EMAIL_PORT)",
    )
    assert shown == "True 587"
