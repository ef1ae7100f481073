#!/usr/bin/env bash
# Print the nginx site for Shenlianti (deploy/nginx/shenlianti.conf.in), its @NAMES@ filled in
# from the environment (defaults in brackets):
#   NGINX_LISTEN [443 ssl] · NGINX_SERVER_NAME [_] · NGINX_TLS_CERT, NGINX_TLS_KEY (TLS when set, and port 80 redirecting to it)
#   WSGI_BIND [127.0.0.1:8001] · ASGI_HOST [127.0.0.1] · ASGI_PORT [8002]
#   WSGI_UPSTREAMS, ASGI_UPSTREAMS: the web nodes' addresses, comma-separated, when there are
#     several (default: the one above)
#   STATIC_ROOT [<project>/staticfiles] · ATTACHMENT_MAX_MB [20] · NGINX_HTTP_CONN_PER_ADDRESS [64]
#   NGINX_ACCESS_LOG [/var/log/nginx/shenlianti.access.log]
# e.g. env NGINX_TLS_CERT=… NGINX_TLS_KEY=… deploy/nginx/render.sh > /etc/nginx/sites-available/shenlianti
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PROJECT=$(cd "$here/../.." && pwd) exec python3 - "$here/shenlianti.conf.in" <<'PY'
import os
import sys

env = os.environ.get
tls = ""
if env("NGINX_TLS_CERT"):
    if not env("NGINX_TLS_KEY"):
        sys.exit("NGINX_TLS_KEY is needed with NGINX_TLS_CERT")
    tls = f"    ssl_certificate {env('NGINX_TLS_CERT')};\n    ssl_certificate_key {env('NGINX_TLS_KEY')};\n"
# With TLS, plain HTTP on port 80 only redirects to HTTPS (Django would too, a hop later).
http_redirect = ""
if tls:
    http_redirect = (
        "\n# Plain HTTP: to HTTPS, nothing else.\nserver {\n    listen 80;\n"
        f"    server_name {env('NGINX_SERVER_NAME', '_')};\n"
        "    return 301 https://$host$request_uri;\n}\n"
    )


def servers(addresses):
    return "\n".join(f"    server {a.strip()};" for a in addresses.split(",") if a.strip())


values = {
    "LISTEN": env("NGINX_LISTEN", "443 ssl"),
    "SERVER_NAME": env("NGINX_SERVER_NAME", "_"),
    "TLS": tls,
    "WSGI_SERVERS": servers(env("WSGI_UPSTREAMS") or env("WSGI_BIND", "127.0.0.1:8001")),
    "ASGI_SERVERS": servers(
        env("ASGI_UPSTREAMS") or f"{env('ASGI_HOST', '127.0.0.1')}:{env('ASGI_PORT', '8002')}"
    ),
    "STATIC_ROOT": env("STATIC_ROOT", f"{env('PROJECT')}/staticfiles"),
    # 1 MB over the per-file limit for the multipart boundaries and the other form fields.
    "MAX_BODY": f"{int(env('ATTACHMENT_MAX_MB', '20')) + 1}m",
    "HTTP_CONN_PER_ADDRESS": env("NGINX_HTTP_CONN_PER_ADDRESS", "64"),
    "ACCESS_LOG": env("NGINX_ACCESS_LOG", "/var/log/nginx/shenlianti.access.log"),
    "HTTP_REDIRECT": http_redirect,
}
text = open(sys.argv[1]).read()
for name, value in values.items():
    text = text.replace(f"@{name}@", value)
sys.stdout.write(text)
PY
