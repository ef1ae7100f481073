"""Organisations and people of a load: the office, departments, third parties, enterprises
across the 专精特新 tiers, and their members.

They are looked up by name (organisations) and username (people) and only the missing ones are
created, so loading again, or on top of the demo, reuses what is there. What an enterprise is
called, its tier and its members depend on its ordinal alone, not on the seed: two loads into one
database share their enterprises and only the cases differ.
"""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from departments.credit_code import check_character
from departments.models import Organisation, User
from workflow.loadgen import vocabulary as words

PASSWORD = "shenlianti-demo"  # the demo's, so the same accounts sign in everywhere

# The cultivation ladder is a pyramid: most enterprises have no tier, few are champions.
TIER_SHARES = [
    (Organisation.Tier.NONE, 0.40),
    (Organisation.Tier.INNOVATIVE_SME, 0.30),
    (Organisation.Tier.SPECIALISED_SME, 0.20),
    (Organisation.Tier.LITTLE_GIANT, 0.08),
    (Organisation.Tier.SINGLE_CHAMPION, 0.02),
]
# Bigger enterprises file more: a tier's relative number of cases.
TIER_WEIGHT = {
    Organisation.Tier.NONE: 0.7,
    Organisation.Tier.INNOVATIVE_SME: 1.0,
    Organisation.Tier.SPECIALISED_SME: 1.3,
    Organisation.Tier.LITTLE_GIANT: 1.8,
    Organisation.Tier.SINGLE_CHAMPION: 2.5,
}
CASES_PER_ENTERPRISE = 200  # the spec: 5,000 enterprises for 1,000,000 cases
COORDINATORS = 6


@dataclass
class Directory:
    """Who is who in a load, by database id."""

    office: int = 0
    coordinators: list[int] = field(default_factory=list)
    # id -> categories it usually answers for; departments and third parties together
    owners: dict[int, list[str]] = field(default_factory=dict)
    owner_kind: dict[int, str] = field(default_factory=dict)
    owner_names: dict[int, str] = field(default_factory=dict)
    enterprises: list[int] = field(default_factory=list)
    enterprise_weight: list[float] = field(default_factory=list)
    members: dict[int, list[int]] = field(default_factory=dict)  # organisation -> user ids
    representatives: dict[str, list[int]] = field(default_factory=dict)  # capacity -> user ids


def enterprise_count(cases: int) -> int:
    return max(10, round(cases / CASES_PER_ENTERPRISE))


def enterprise_name(ordinal: int) -> str:
    """A distinct name for each ordinal: a scrambled walk through place × brand × trade."""
    space = len(words.PLACES) * len(words.BRANDS) * len(words.TRADES)
    # 7919 is prime and does not divide the space, so the walk visits every name once.
    index = (ordinal * 7919) % space
    place, rest = divmod(index, len(words.BRANDS) * len(words.TRADES))
    brand, trade = divmod(rest, len(words.TRADES))
    form = words.FORMS[ordinal % 7 == 0]
    name = f"{words.PLACES[place]}{words.BRANDS[brand]}{words.TRADES[trade]}{form}"
    lap = ordinal // space
    return f"{name[: -len(form)]}（{lap + 1}号）{form}" if lap else name


def credit_code(ordinal: int) -> str:
    # "LT" keeps these apart from real codes and from the tests' factories (digits only).
    first_seventeen = f"913302LT{ordinal:09d}"
    return first_seventeen + check_character(first_seventeen)


def person_name(rng: random.Random) -> str:
    return rng.choice(words.SURNAMES) + "".join(rng.choices(words.GIVEN, k=rng.randint(1, 2)))


def _enterprise_rows(count: int):
    for ordinal in range(1, count + 1):
        rng = random.Random(ordinal)
        draw, tier = rng.random(), Organisation.Tier.NONE
        for candidate, share in TIER_SHARES:
            if draw < share:
                tier = candidate
                break
            draw -= share
        weight = TIER_WEIGHT[tier] * rng.uniform(0.5, 1.5)
        members = 1 + (rng.random() < 0.5) + (rng.random() < 0.2)
        yield ordinal, enterprise_name(ordinal), tier, weight, members, rng


def build_directory(cases: int, joined) -> Directory:
    """Create what is missing and return the ids of everyone a load needs."""
    password = make_password(PASSWORD, salt="seedload")
    existing_orgs = dict(Organisation.objects.values_list("name", "id"))
    new_orgs = []
    plan = []  # (name, kind, short_name, stem, categories)
    plan.append((words.OFFICE[0], Organisation.Kind.OFFICE, words.OFFICE[1], words.OFFICE[2], []))
    for name, short, stem, categories in words.DEPARTMENTS:
        plan.append((name, Organisation.Kind.DEPARTMENT, short, stem, categories))
    for name, short, stem, categories in words.THIRD_PARTIES:
        plan.append((name, Organisation.Kind.THIRD_PARTY, short, stem, categories))
    for name, kind, short, _stem, _categories in plan:
        if name not in existing_orgs:
            new_orgs.append(Organisation(name=name, short_name=short, kind=kind))
    enterprises = list(_enterprise_rows(enterprise_count(cases)))
    for ordinal, name, tier, _weight, _members, _rng in enterprises:
        if name not in existing_orgs:
            new_orgs.append(
                Organisation(
                    name=name,
                    short_name=name[:10],
                    kind=Organisation.Kind.ENTERPRISE,
                    credit_code=credit_code(ordinal),
                    tier=tier,
                )
            )
    Organisation.objects.bulk_create(new_orgs, batch_size=2000)
    org_ids = dict(Organisation.objects.values_list("name", "id"))

    existing_users = set(User.objects.values_list("username", flat=True))
    new_users = []

    def person(username, display_name, organisation_id, role="member", capacity=""):
        if username in existing_users:
            return
        existing_users.add(username)
        new_users.append(
            User(
                username=username,
                display_name=display_name,
                organisation_id=organisation_id,
                organisation_role=role,
                representative_capacity=capacity,
                password=password,
                date_joined=joined,
            )
        )

    names = random.Random(0)
    directory = Directory()
    for name, kind, short, stem, categories in plan:
        org = org_ids[name]
        if kind == Organisation.Kind.OFFICE:
            directory.office = org
            for k in range(1, COORDINATORS + 1):
                person(f"{stem}{k}", f"{person_name(names)} ({short})", org)
            person("office_leader", f"{person_name(names)} ({short}主任)", org, "leader")
            continue
        directory.owners[org] = categories
        directory.owner_kind[org] = kind
        directory.owner_names[org] = name
        for k in range(1, 4 if kind == Organisation.Kind.DEPARTMENT else 3):
            person(f"{stem}{k}", f"{person_name(names)} ({short})", org)
        person(f"{stem}_leader", f"{person_name(names)} ({short}分管领导)", org, "leader")
    for stem, label, capacity in words.REPRESENTATIVES:
        for k in range(1, 6):
            person(f"{stem}{k}", f"{person_name(names)} ({label})", None, capacity=capacity)
    for ordinal, name, _tier, weight, members, rng in enterprises:
        org = org_ids[name]
        directory.enterprises.append(org)
        directory.enterprise_weight.append(weight)
        for k in range(members):
            suffix = f"_{k + 1}" if k else ""
            person(f"e{ordinal:05d}{suffix}", f"{person_name(rng)} ({name[:8]})", org)
    User.objects.bulk_create(new_users, batch_size=2000)

    wanted = {directory.office, *directory.owners, *directory.enterprises}
    people = User.objects.filter(is_active=True).order_by("id")
    for user_id, org, capacity in people.values_list(
        "id", "organisation_id", "representative_capacity"
    ):
        if org in wanted:
            directory.members.setdefault(org, []).append(user_id)
        elif org is None and capacity:
            directory.representatives.setdefault(capacity, []).append(user_id)
    leaders = set(
        User.objects.filter(
            organisation_id=directory.office, organisation_role=User.OrganisationRole.LEADER
        ).values_list("id", flat=True)
    )
    directory.coordinators = [u for u in directory.members[directory.office] if u not in leaders]
    # An enterprise that someone else created under one of these names may have no members:
    # it cannot file, so it gets no cases.
    filing = [
        (org, weight)
        for org, weight in zip(directory.enterprises, directory.enterprise_weight, strict=True)
        if directory.members.get(org)
    ]
    directory.enterprises = [org for org, _weight in filing]
    directory.enterprise_weight = [weight for _org, weight in filing]
    return directory
