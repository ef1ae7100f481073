"""Who the HTTP benchmarks sign in as, on a database filled by `manage.py seed_load`.

Prints shell assignments: a token for a coordinator, for the enterprise with the most cases and
for the department with the most action items; and writes the id files the transition load
draws from (`ID TOKEN` per line): submitted cases to accept (as the coordinator), assigned
items to sign (each as a member of its owner).

    eval "$(DATABASE_URL=… python tests/benchmarks/personas.py OUT_DIR)"
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.db.models import Count  # noqa: E402

from cases.models import Case  # noqa: E402
from departments.models import Organisation, User  # noqa: E402
from workflow.items.models import ActionItem  # noqa: E402

IDS = 20000  # more than a 20 s load at a few hundred a second can use


def token_of(user) -> str:
    from departments.services import token_issue

    return token_issue(user=user, device="benchmark")[1]


def member_of(organisation) -> User:
    return User.objects.filter(organisation=organisation, is_active=True).order_by("pk").first()


def busiest(kind: str, related: str) -> Organisation:
    return (
        Organisation.objects.filter(kind=kind)
        .annotate(n=Count(related))
        .order_by("-n", "pk")
        .first()
    )


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    coordinator = member_of(Organisation.objects.filter(kind="office").first())
    enterprise = member_of(busiest("enterprise", "filed_cases"))
    department = member_of(busiest("department", "action_items"))
    tokens = {
        who: token_of(user)
        for who, user in [
            ("COORDINATOR", coordinator),
            ("ENTERPRISE", enterprise),
            ("DEPARTMENT", department),
        ]
    }
    submitted = Case.objects.filter(status="submitted").order_by("-pk").values_list("pk", flat=True)
    (out / "accept.ids").write_text(
        "".join(f"{pk} {tokens['COORDINATOR']}\n" for pk in submitted[:IDS])
    )
    # Every assigned item, signed for by a member of its owner.
    owner_tokens = {}
    lines = []
    for pk, owner in (
        ActionItem.objects.filter(status="assigned")
        .order_by("-pk")
        .values_list("pk", "owner_id")[:IDS]
    ):
        if owner not in owner_tokens:
            owner_tokens[owner] = token_of(member_of(owner))
        lines.append(f"{pk} {owner_tokens[owner]}\n")
    (out / "sign.ids").write_text("".join(lines))
    case = Case.objects.filter(enterprise_id=enterprise.organisation_id).order_by("-pk").first()
    for who, key in tokens.items():
        print(f"{who}_TOKEN={key}")
    print(f"SAMPLE_CASE={case.pk}")
    print(f"ACCEPT_IDS={out / 'accept.ids'} SIGN_IDS={out / 'sign.ids'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
