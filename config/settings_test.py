"""Settings for the test suite: the development settings with a fixed, test-only key."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key-not-for-production")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_COOKIES", "false")
# The test client and the live servers speak plain HTTP.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Tests run queries from helper threads (sync_to_async, channels' communicator, live servers);
# a connection kept open there would outlive the test database.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "0")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / ".pytest_media"  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
