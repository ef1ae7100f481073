"""The container image, the compose file and the Kubernetes manifests (deploy/).

No image can be built here (no registry for base images), so what a container platform would
reject is checked offline: the manifests against Kubernetes' own schemas
(kubernetes-validate), the compose file against the Compose specification (compose-spec),
their references to each other, and the Dockerfile's install layout by installing the
project's wheel the way the image does and serving a page from it.
"""

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from compose_spec import PyCompose

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
# The oldest Kubernetes release the manifests are written for (autoscaling/v2, policy/v1,
# batch/v1 ttlSecondsAfterFinished are all stable there).
KUBERNETES_VERSION = "1.31.0"
WEB_COMPONENTS = {"web-wsgi": 8001, "web-asgi": 8002}


def manifests():
    """Every resource of deploy/kubernetes/, with the file it came from."""
    for path in sorted(KUBERNETES.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for document in yaml.safe_load_all(path.read_text()):
            if document:
                yield path.name, document


def resources(kind):
    return [doc for _, doc in manifests() if doc["kind"] == kind]


def containers(workload):
    return workload["spec"]["template"]["spec"]["containers"]


def documented_settings():
    """The variables named in the configuration tables of README.md and deploy/README.md."""
    names = set()
    for readme in (ROOT / "README.md", DEPLOY / "README.md"):
        for line in readme.read_text().splitlines():
            if line.startswith("| `"):
                first_cell = line.split("|")[1]
                names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", first_cell))
    return names


# ---------------------------------------------------------------- Kubernetes


@pytest.mark.parametrize("source,document", list(manifests()), ids=lambda v: str(v)[:40])
def test_each_manifest_is_valid_for_kubernetes(source, document):
    kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_the_validator_refuses_a_misspelt_field():
    """Guards the check above: strict validation must see a field Kubernetes would drop."""
    (scheduler,) = [d for d in resources("Deployment") if d["metadata"]["name"] == "scheduler"]
    broken = copy.deepcopy(scheduler)
    broken["spec"]["replica"] = broken["spec"].pop("replicas")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_kustomization_applies_every_manifest_but_the_one_off_job_and_the_secret_example():
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())
    on_disk = {p.name for p in KUBERNETES.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == on_disk - {"migrate-job.yaml", "secret.example.yaml"}
    # The job is applied with kubectl -f, without kustomize: it names the full image itself.
    (image,) = kustomization["images"]
    (job,) = resources("Job")
    assert containers(job)[0]["image"] == f"{image['newName']}:{image['newTag']}"
    for deployment in resources("Deployment"):
        assert {c["image"] for c in containers(deployment)} == {image["name"]}


def test_services_ingress_and_autoscalers_point_at_what_exists():
    deployments = {d["metadata"]["name"]: d for d in resources("Deployment")}
    services = {s["metadata"]["name"]: s for s in resources("Service")}
    for service in services.values():
        (target,) = [
            d
            for d in deployments.values()
            if service["spec"]["selector"].items()
            <= d["spec"]["template"]["metadata"]["labels"].items()
        ]
        port_names = {p["name"] for c in containers(target) for p in c.get("ports", [])}
        assert {p["targetPort"] for p in service["spec"]["ports"]} <= port_names
    routes = {}
    for ingress in resources("Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                routes[path["path"]] = path["backend"]["service"]["name"]
    # As in the nginx site: WebSockets to the ASGI pods, everything else to the WSGI pods.
    assert routes == {"/": "web-wsgi", "/ws/": "web-asgi"}
    for autoscaler in resources("HorizontalPodAutoscaler"):
        assert autoscaler["spec"]["scaleTargetRef"]["name"] in WEB_COMPONENTS
    assert {a["spec"]["scaleTargetRef"]["name"] for a in resources("HorizontalPodAutoscaler")} == (
        set(WEB_COMPONENTS)
    )


def test_web_pods_are_probed_on_health_and_readiness_and_the_scheduler_is_single():
    for deployment in resources("Deployment"):
        name = deployment["metadata"]["name"]
        (container,) = containers(deployment)
        pod_security = deployment["spec"]["template"]["spec"]["securityContext"]
        assert pod_security["runAsNonRoot"] is True and pod_security["runAsUser"] != 0
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert container["resources"]["requests"]["memory"]
        assert container["resources"]["limits"]["memory"]
        if name in WEB_COMPONENTS:
            port = container["ports"][0]["name"]
            assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": port}
            assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": port}
            assert container["ports"][0]["containerPort"] == WEB_COMPONENTS[name]
    (scheduler,) = [d for d in resources("Deployment") if d["metadata"]["name"] == "scheduler"]
    assert scheduler["spec"]["replicas"] == 1
    assert scheduler["spec"]["strategy"]["type"] == "Recreate"
    assert "scheduler" not in {
        a["spec"]["scaleTargetRef"]["name"] for a in resources("HorizontalPodAutoscaler")
    }


def test_the_secret_example_holds_no_secret():
    (secret,) = resources("Secret")
    for key, value in secret["stringData"].items():
        assert "replace-me" in value or ".example.org" in value, key


# ---------------------------------------------------------------- compose

COMPOSE_VARIABLES = {"SECRET_KEY": "compose-test-key", "POSTGRES_PASSWORD": "compose-test"}


def interpolate(text, variables):
    """Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?message}`, as docker compose
    applies them before it validates the file."""

    def value(match):
        name, operator, argument = match.groups()
        if name in variables:
            return variables[name]
        if operator == "?":
            raise KeyError(f"{name}: {argument}")
        return argument or ""

    return re.sub(r"\$\{(\w+)(?::([-?])([^}]*))?\}", value, text)


def compose_file(variables=COMPOSE_VARIABLES):
    # PyYAML resolves the merge keys (<<: *app) as docker compose does.
    return yaml.safe_load(interpolate((DEPLOY / "compose.yaml").read_text(), variables))


def test_the_compose_file_follows_the_compose_specification():
    compose = compose_file()
    parsed = PyCompose.from_json(json.dumps(compose))
    assert set(parsed.service_names()) == set(compose["services"])
    broken = copy.deepcopy(compose)
    broken["services"]["worker"]["deploy"] = {"replicas": "two"}
    with pytest.raises(ValueError):
        PyCompose.from_json(json.dumps(broken))


def test_the_compose_file_refuses_to_start_without_its_secrets():
    with pytest.raises(KeyError, match="SECRET_KEY"):
        compose_file({"POSTGRES_PASSWORD": "compose-test"})


def test_the_compose_topology_starts_in_order_with_one_scheduler():
    services = compose_file()["services"]
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, (name, dependency)
    for name in ("web-wsgi", "web-asgi", "worker", "scheduler"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    schedulers = [s for s in services.values() if "run_scheduler" in s.get("command", [])]
    assert len(schedulers) == 1 and "deploy" not in schedulers[0]
    for name in WEB_COMPONENTS:
        assert services[name]["deploy"]["replicas"] >= 2
        assert "/readyz" in " ".join(services[name]["healthcheck"]["test"])
        assert services["nginx"]["depends_on"][name] == {"condition": "service_healthy"}


def test_every_setting_the_deployments_give_is_documented():
    documented = documented_settings()
    # Variables of other programs: the postgres image, gunicorn's own, the migration Job's.
    foreign = {"POSTGRES_USER", "POSTGRES_DB", "POSTGRES_PASSWORD", "GUNICORN_CMD_ARGS"}
    given = set()
    for service in compose_file()["services"].values():
        given.update(service.get("environment", {}))
    for _, document in manifests():
        given.update(document.get("data", {}))
        given.update(document.get("stringData", {}))
        if document["kind"] in ("Deployment", "Job"):
            for container in containers(document):
                given.update(variable["name"] for variable in container.get("env", []))
    undocumented = given - documented - foreign
    assert not undocumented


# ---------------------------------------------------------------- the image


def dockerfile_stages():
    """The Dockerfile's stages: a list of (FROM line, instructions), continuations joined."""
    text = re.sub(r"\\\n\s*", " ", (DEPLOY / "Dockerfile").read_text())
    stages = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("FROM "):
            stages.append((line, []))
        elif stages:
            stages[-1][1].append(line)
    return stages


def test_the_final_image_runs_as_a_user_without_compilers_from_wheels():
    final_from, instructions = dockerfile_stages()[-1]
    assert "slim" in final_from or "PYTHON_IMAGE" in final_from
    (user,) = [i.split()[1] for i in instructions if i.startswith("USER ")]
    assert user.isdigit() and int(user) >= 1000
    runs = " ".join(i for i in instructions if i.startswith("RUN "))
    assert "pip install --no-index --find-links /wheels" in runs
    for compiler in ("apt-get", "gcc", "build-essential", "python3-dev"):
        assert compiler not in runs


def test_what_the_dockerfile_copies_exists_and_is_sent_to_the_builder():
    ignored = {
        line.strip().rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for _, instructions in dockerfile_stages():
        for instruction in instructions:
            if instruction.startswith("COPY ") and "--from" not in instruction:
                *sources, _ = instruction.split()[1:]
                for source in sources:
                    assert (ROOT / source).exists(), source
                    assert source.split("/")[0] not in ignored, source


def test_the_installed_wheel_serves_the_pages_translations_and_static_files(tmp_path):
    """What the image does, without the image: the project as a wheel installed apart from the
    checkout, manage.py and the catalogues copied beside it, static files collected, the
    database migrated; then a page in Chinese and in English, and a stylesheet from
    WhiteNoise."""
    wheels, site, app = tmp_path / "wheels", tmp_path / "site", tmp_path / "app"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", wheels, ROOT],
        check=True,
        cwd=tmp_path,
        capture_output=True,
    )
    (wheel,) = wheels.glob("shenlianti-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", site, wheel], check=True)
    app.mkdir()
    (app / "manage.py").write_text((ROOT / "manage.py").read_text())
    subprocess.run(["cp", "-r", ROOT / "locale", app / "locale"], check=True)
    for compiled in (app / "locale").glob("*/LC_MESSAGES/*.mo"):
        compiled.unlink()  # the image compiles its own (*.mo is not in git)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "REDIS_", "DJANGO_"))
    }
    env.update(
        PYTHONPATH=str(site),
        LOCALE_DIR=str(app / "locale"),
        STATIC_ROOT=str(app / "staticfiles"),
        MEDIA_ROOT=str(app / "media"),
        SERVE_STATIC_FILES="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    manage = [sys.executable, "manage.py"]
    for command in (["compile_translations"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([*manage, *command], check=True, cwd=app, env={**env, "DEBUG": "true"})
    production = {**env, "SECRET_KEY": "wheel-test", "ALLOWED_HOSTS": "testserver"}
    production["SECURE_SSL_REDIRECT"] = "false"
    subprocess.run([*manage, "migrate", "-v0"], check=True, cwd=app, env=production)
    probe = subprocess.run(
        [sys.executable, "-c", WHEEL_PROBE],
        check=True,
        cwd=app,
        env=production,
        capture_output=True,
        text=True,
    )
    found = json.loads(probe.stdout)
    assert found["config_from"].startswith(str(site))
    assert found["sign_in_zh"] == [200, True]
    assert found["sign_in_en"] == [200, True]
    assert found["stylesheet"] == [200, "text/css"]


WHEEL_PROBE = """
import json, os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
import config
from django.conf import settings
from django.test import Client
stylesheet = sorted(os.listdir(os.path.join(settings.STATIC_ROOT, "css")))[0]
zh = Client().get("/accounts/login/")
en = Client(headers={"cookie": settings.LANGUAGE_COOKIE_NAME + "=en"}).get("/accounts/login/")
css = Client().get("/static/css/" + stylesheet)
print(json.dumps({
    "config_from": config.__file__,
    "sign_in_zh": [zh.status_code, "登录" in zh.content.decode()],
    "sign_in_en": [en.status_code, "Sign in" in en.content.decode()],
    "stylesheet": [css.status_code, css["Content-Type"].split(";")[0]],
}))
"""
