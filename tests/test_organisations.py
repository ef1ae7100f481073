"""The organisation register: enterprises carry a valid unified social credit code."""

import pytest
from django.core.exceptions import ValidationError

from departments.credit_code import validate_credit_code
from departments.models import Organisation
from tests import factories

# Codes of real, registered companies (public record), and broken variants of them.
REAL_CODES = ["91350100M000100Y43", "91110000600037341L", "91440300708461136T"]


@pytest.mark.parametrize("code", [*REAL_CODES, "91440300708461136t"])
def test_real_credit_codes_are_accepted(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    "code,problem",
    [
        ("91440300708461136X", "credit_code_check"),  # last character changed
        ("91440300708461163T", "credit_code_check"),  # two characters swapped
        ("9144030070846113", "credit_code_length"),
        ("91440300708461136TT", "credit_code_length"),
        ("9144030070846I136T", "credit_code_alphabet"),  # I is not in the alphabet
    ],
)
def test_broken_credit_codes_are_refused_with_the_reason(code, problem):
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(code)
    assert refused.value.code == problem


@pytest.fixture
def administrator(db):
    return factories.user("admin", None, is_staff=True)


def register(api, user, **body):
    return api.as_user(user).post("/api/v1/organisations/", body, format="json")


def test_an_administrator_registers_an_enterprise_with_its_tier(api, administrator):
    response = register(
        api,
        administrator,
        name="宁波甬江智能装备有限公司",
        kind="enterprise",
        credit_code="91440300708461136t",
        tier="little_giant",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["credit_code"] == "91440300708461136T"
    assert Organisation.objects.get(name="宁波甬江智能装备有限公司").tier == "little_giant"


@pytest.mark.parametrize(
    "body,field",
    [
        ({"kind": "enterprise", "credit_code": "91440300708461136X"}, "credit_code"),
        ({"kind": "enterprise"}, "credit_code"),
        ({"kind": "department", "tier": "little_giant"}, "tier"),
        ({"kind": "enterprise", "credit_code": REAL_CODES[0], "tier": "giant"}, "tier"),
        ({"kind": "ministry"}, "kind"),
    ],
)
def test_a_bad_registration_is_a_400_naming_the_field(api, administrator, body, field):
    response = register(api, administrator, name="某某公司", **body)

    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert not Organisation.objects.filter(name="某某公司").exists()


def test_a_duplicate_credit_code_is_refused(api, administrator):
    factories.enterprise("已登记企业")
    code = Organisation.objects.get(name="已登记企业").credit_code
    response = register(api, administrator, name="另一家", kind="enterprise", credit_code=code)
    assert response.status_code == 400
    assert "credit_code" in response.json()["error"]["fields"]


def test_only_administrators_register_organisations(api, coordinator, enterprise_user):
    for user in (coordinator, enterprise_user):
        response = register(api, user, name="冒名单位", kind="department")
        assert response.status_code == 403
    assert not Organisation.objects.filter(name="冒名单位").exists()
