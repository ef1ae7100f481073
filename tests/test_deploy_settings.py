"""Deployment settings: production is HTTPS only with a strict Content-Security-Policy by
default and passes `check --deploy`; `make run` still serves plain HTTP on loopback; every
variable the settings read is named in the README's configuration table."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

ROOT = Path(settings.BASE_DIR)
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "false",
    "SECRET_KEY": "deploy-check-only-" + "k7Qp2xVb9mZt4LwR8nYc3HdF6sJa1GeU5oKi0TzXy",
    "ALLOWED_HOSTS": "shenlianti.example.org",
}
PRINT_SECURITY = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'redirect': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, "
    "'subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'session_secure': s.SESSION_COOKIE_SECURE, "
    "'csrf_secure': s.CSRF_COOKIE_SECURE, 'proxy': s.SECURE_PROXY_SSL_HEADER, "
    "'csp': getattr(s, 'CONTENT_SECURITY_POLICY', None), "
    "'csp_ro': getattr(s, 'CONTENT_SECURITY_POLICY_REPORT_ONLY', None), "
    "'middleware': s.MIDDLEWARE}))"
)


def production_env(**extra) -> dict:
    """The process environment of a production host: none of the test suite's overrides."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "CSP_", "DATABASE_", "REDIS_", "DJANGO_"))
        and k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return {**base, **PRODUCTION, **extra}


def security_settings(**env) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {PRINT_SECURITY}"],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_check_deploy_is_clean_in_production_mode():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_defaults_are_https_only_with_a_strict_policy():
    s = security_settings()
    assert s["redirect"] is True
    assert s["hsts"] >= 365 * 24 * 3600 and s["subdomains"] is True
    assert s["session_secure"] is True and s["csrf_secure"] is True
    assert s["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    directives = s["csp"]["DIRECTIVES"]
    for name in ("script-src", "style-src", "default-src", "connect-src"):
        assert directives[name] == ["'self'"], name
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert "config.csp.CSPMiddleware" in s["middleware"]


def test_make_run_serves_plain_http_on_loopback():
    makefile = (ROOT / "Makefile").read_text()
    run_env = makefile.split("RUN_ENV =", 1)[1].split("\n\n", 1)[0]
    assert "SECURE_COOKIES=false" in run_env and "SECURE_SSL_REDIRECT=false" in run_env
    s = security_settings(SECURE_COOKIES="false", SECURE_SSL_REDIRECT="false")
    assert s["redirect"] is False
    assert s["session_secure"] is False and s["csrf_secure"] is False
    assert s["csp"]["DIRECTIVES"]["script-src"] == ["'self'"]  # the policy stays on


def test_the_policy_can_be_rolled_out_report_only():
    s = security_settings(CSP_REPORT_ONLY="true", CSP_REPORT_URI="/csp-report/")
    assert s["csp"] is None
    assert s["csp_ro"]["DIRECTIVES"]["report-uri"] == ["/csp-report/"]


def test_http_is_redirected_and_https_behind_the_proxy_gets_hsts(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    plain = client.get("/accounts/login/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/accounts/login/"
    # The proxy says the client used HTTPS (it overwrites the header: deploy/README.md).
    secure = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_pages_carry_the_strict_policy(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_policy_built_once_is_django_csps_on_pages_and_api_answers(client, api, coordinator):
    """config/csp.py builds the header once per process: it must be exactly the one django-csp
    builds, on every page and answer, and follow a change of the setting."""
    from csp.utils import build_policy

    page = client.get("/accounts/login/")
    answer = api.as_user(coordinator).get("/api/v1/me/")
    assert page["Content-Security-Policy"] == build_policy()
    assert answer["Content-Security-Policy"] == build_policy()
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        assert client.get("/accounts/login/")["Content-Security-Policy"] == "default-src 'none'"
    assert client.get("/accounts/login/")["Content-Security-Policy"] == build_policy()


TEMPLATE_DIRS = [ROOT / "config" / "templates", *ROOT.glob("*/templates")]
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "script"),
    (re.compile(r"<style\b", re.I), "<style>"),
    (re.compile(r"\sstyle=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: address"),
]


@pytest.mark.parametrize(
    "template",
    sorted({p for d in TEMPLATE_DIRS for p in d.rglob("*.html")}),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_templates_hold_nothing_the_policy_refuses(template):
    text = template.read_text()
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert not found, f"{template.relative_to(ROOT)}: {found}"


def env_reads() -> set[str]:
    """Every environment variable config/settings.py and config/env.py read."""
    names = set()
    for path in (ROOT / "config" / "settings.py", ROOT / "config" / "env.py"):
        text = path.read_text()
        names |= set(re.findall(r"\benv_(?:str|bool|int|list)\(\s*\"([A-Z0-9_]+)\"", text))
        names |= set(re.findall(r"os\.environ(?:\.get)?[\(\[]\s*\"([A-Z0-9_]+)\"", text))
        names |= set(re.findall(r"os\.getenv\(\s*\"([A-Z0-9_]+)\"", text))
    return names


def test_every_variable_the_settings_read_is_in_the_readme_table():
    names = env_reads()
    assert {"SECRET_KEY", "SECURE_COOKIES", "MEDIA_ROOT", "SECURE_SSL_REDIRECT"} <= names
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = "\n".join(line for line in table.splitlines() if line.startswith("|"))
    documented = set(re.findall(r"`([A-Z0-9_]+)`", rows))
    assert sorted(names - documented) == []


def rendered_site(**env) -> str:
    result = subprocess.run(
        [str(ROOT / "deploy" / "nginx" / "render.sh")],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return result.stdout


def blocks(text: str, keyword: str) -> list[str]:
    """The bodies of `keyword … { … }` blocks (braces balanced)."""
    found = []
    for match in re.finditer(rf"^\s*{keyword}\b[^{{]*{{", text, re.M):
        depth, start = 1, match.end()
        for index in range(start, len(text)):
            depth += {"{": 1, "}": -1}.get(text[index], 0)
            if depth == 0:
                found.append(text[start:index])
                break
    return found


def test_the_nginx_site_overwrites_the_scheme_and_passes_the_host_everywhere():
    site = rendered_site(NGINX_TLS_CERT="/etc/ssl/site.pem", NGINX_TLS_KEY="/etc/ssl/site.key")
    servers = blocks(site, "server")
    main = next(s for s in servers if "proxy_pass" in s)
    server_headers = re.findall(r"^    proxy_set_header .*;$", main, re.M)
    for location in blocks(main, "location"):
        if "proxy_pass" not in location:
            continue
        own = re.findall(r"proxy_set_header .*;", location)
        effective = own or [h.strip() for h in server_headers]  # nginx's inheritance rule
        assert "proxy_set_header X-Forwarded-Proto $scheme;" in effective, location
        assert "proxy_set_header Host $host;" in effective, location
    assert f"client_max_body_size {settings.ATTACHMENT_MAX_BYTES // 1024 // 1024 + 1}m;" in main
    assert any("return 301 https://$host$request_uri;" in s for s in servers)


def test_the_runbook_names_what_the_proxy_must_set():
    runbook = (ROOT / "deploy" / "README.md").read_text()
    section = runbook.split("## What the proxy must set", 1)[1]
    for name in ("X-Forwarded-Proto", "overwritten", "Host", "client_max_body_size", "/ws/"):
        assert name in section
