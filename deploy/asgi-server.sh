#!/usr/bin/env bash
# The WebSocket (ASGI) process: uvicorn with several worker processes on one port, behind the
# nginx site (which sends it /ws/ only). Every value comes from the environment
# (deploy/README.md); the systemd unit, the Procfile and serve-local.sh all start it here.
set -euo pipefail
cd "$(dirname "$0")/.."
# Django's persistent connections do not apply under ASGI: a small psycopg pool instead.
export DATABASE_POOL_MAX_SIZE=${DATABASE_POOL_MAX_SIZE:-4}
# Messages are a few hundred bytes of JSON: per-message compression would save little and
# cost each connection its own zlib state (hundreds of KB) and every frame a compression.
exec "${PYTHON:-.venv/bin/python}" -m uvicorn config.asgi:application \
  --host "${ASGI_HOST:-127.0.0.1}" --port "${ASGI_PORT:-8002}" \
  --workers "${ASGI_WORKERS:-2}" \
  --ws websockets-sansio \
  --ws-per-message-deflate "${ASGI_WS_DEFLATE:-false}" \
  --limit-concurrency "${ASGI_LIMIT_CONCURRENCY:-4000}" \
  --backlog "${ASGI_BACKLOG:-2048}" \
  --proxy-headers --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
  --timeout-graceful-shutdown 10 \
  --no-access-log --log-level warning
