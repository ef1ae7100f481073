#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # The statement timeout guards the web processes (gunicorn, uvicorn); a command run here
    # (migrations building indexes, seed_load, the worker, the scheduler) may legitimately run
    # longer, unless the environment says otherwise.
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
