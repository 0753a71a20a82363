"""Production mode refuses to start without its secrets; development has defaults."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, settings.JAZZHR_BASE_URL)"
)
CONFIG_NAMES = (
    "APP_ENV",
    "DEBUG",
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "JAZZHR_BASE_URL",
)


def load_settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_NAMES}
    clean["DJANGO_SETTINGS_MODULE"] = "support_dashboard.settings"
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_secrets_refuses():
    result = load_settings(APP_ENV="production")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


def test_production_with_secrets_starts():
    result = load_settings(
        APP_ENV="production",
        SECRET_KEY="a-long-production-secret-key-for-this-test",
        FIELD_ENCRYPTION_KEYS="k1:" + "A" * 43 + "=",
        ALLOWED_HOSTS="support.example.com",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/unused",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "https://api.resumatorapi.com/v1"]


def test_development_defaults_start():
    result = load_settings()

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "http://127.0.0.1:8001/v1"]


def test_unknown_app_env_refuses():
    result = load_settings(APP_ENV="staging")

    assert result.returncode != 0
    assert "APP_ENV" in result.stderr
