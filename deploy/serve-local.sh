#!/usr/bin/env bash
# Serve Shenlianti as production does, on loopback ports, for benchmarks and the smoke test:
# nginx (the site from deploy/nginx/, generated under a temporary directory) in front of
# gunicorn (HTTP, deploy/gunicorn.conf.py) and uvicorn (WebSockets, deploy/asgi-server.sh).
# Runs in the foreground and stops all three on exit, Ctrl-C or SIGTERM.
#
# Prerequisites: the Debian package nginx (installed here with apt-get when missing and run as
# root), the virtual environment in .venv, and the usual settings in the environment:
# SECRET_KEY, ALLOWED_HOSTS (with 127.0.0.1), DATABASE_URL (PostgreSQL: the processes share
# it), REDIS_URL (WebSockets across processes).
#
# Ports and sizes (defaults in brackets): SERVE_PORT [8400] nginx · WSGI_BIND [127.0.0.1:8401]
# · ASGI_PORT [8402] · WEB_CONCURRENCY [2] · ASGI_WORKERS [2] · SERVE_DIR [a new temporary
# directory, removed on exit] · SERVE_COLLECTSTATIC=1 to collect static files first.
# Prints "ready http://127.0.0.1:<SERVE_PORT>/" once all three answer (within 40 s).
set -euo pipefail
cd "$(dirname "$0")/.."
project=$(pwd)

export SERVE_PORT=${SERVE_PORT:-8400}
export WSGI_BIND=${WSGI_BIND:-127.0.0.1:8401}
export ASGI_HOST=127.0.0.1 ASGI_PORT=${ASGI_PORT:-8402}
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-2} ASGI_WORKERS=${ASGI_WORKERS:-2}
# nginx writes the client's address into X-Real-IP; sign-in lockouts count by it.
export LOGIN_CLIENT_IP_HEADER=${LOGIN_CLIENT_IP_HEADER:-X-Real-IP}
python=${PYTHON:-.venv/bin/python}

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  [ "$(id -u)" = 0 ] || { echo "nginx is missing: apt-get install nginx" >&2; exit 1; }
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

own_dir=0
if [ -z "${SERVE_DIR:-}" ]; then
  SERVE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/shenlianti-serve.XXXXXX")
  own_dir=1
fi
chmod 755 "$SERVE_DIR"  # nginx's workers run as nobody

pids=()
stop() {
  trap - EXIT INT TERM
  local pid i
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$own_dir" = 1 ]; then rm -rf "$SERVE_DIR"; fi
}
trap stop EXIT
trap 'exit 143' INT TERM

if [ "${SERVE_COLLECTSTATIC:-0}" = 1 ]; then
  "$python" manage.py collectstatic --noinput -v0
fi

user_line=""
if [ "$(id -u)" = 0 ]; then user_line="user nobody nogroup;"; fi
NGINX_LISTEN="127.0.0.1:$SERVE_PORT" NGINX_SERVER_NAME=127.0.0.1 \
  NGINX_ACCESS_LOG="$SERVE_DIR/access.log" deploy/nginx/render.sh > "$SERVE_DIR/site.conf"
cat > "$SERVE_DIR/nginx.conf" <<NGINX
$user_line
daemon off;
worker_processes 1;
worker_rlimit_nofile 16384;
pid $SERVE_DIR/nginx.pid;
error_log $SERVE_DIR/nginx-error.log warn;
events { worker_connections 8192; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $SERVE_DIR/client_body;
    proxy_temp_path $SERVE_DIR/proxy;
    fastcgi_temp_path $SERVE_DIR/fastcgi;
    uwsgi_temp_path $SERVE_DIR/uwsgi;
    scgi_temp_path $SERVE_DIR/scgi;
    include $SERVE_DIR/site.conf;
}
NGINX

"$python" -m gunicorn -c deploy/gunicorn.conf.py > "$SERVE_DIR/gunicorn.log" 2>&1 &
pids+=($!)
PYTHON="$python" deploy/asgi-server.sh > "$SERVE_DIR/uvicorn.log" 2>&1 &
pids+=($!)
"$nginx_bin" -p "$SERVE_DIR" -c "$SERVE_DIR/nginx.conf" -e "$SERVE_DIR/nginx-error.log" \
  > "$SERVE_DIR/nginx.log" 2>&1 &
pids+=($!)

answers() {  # host:port accepts a connection
  "$python" -c "import socket,sys; h,p=sys.argv[1].rsplit(':',1); socket.create_connection((h,int(p)),1).close()" "$1" 2>/dev/null
}
for ((i = 0; ; i++)); do
  if answers "$WSGI_BIND" && answers "127.0.0.1:$ASGI_PORT" && answers "127.0.0.1:$SERVE_PORT"; then
    break
  fi
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "a server stopped while starting; logs in $SERVE_DIR:" >&2
      tail -n 20 "$SERVE_DIR"/*.log >&2
      exit 1
    fi
  done
  if ((i >= 200)); then echo "not ready within 40 s" >&2; tail -n 20 "$SERVE_DIR"/*.log >&2; exit 1; fi
  sleep 0.2
done
echo "ready http://127.0.0.1:$SERVE_PORT/ (logs in $SERVE_DIR)"
# Until one of them stops or this script is told to stop.
wait -n "${pids[@]}" || true
echo "a server stopped; logs in $SERVE_DIR" >&2
tail -n 20 "$SERVE_DIR"/*.log >&2
exit 1
