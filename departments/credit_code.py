"""The unified social credit code (统一社会信用代码) of GB 32100-2015.

Eighteen characters from a 31-character alphabet (digits and capital letters without I, O, Z,
S, V). The last is a check character: 31 minus the weighted sum of the first seventeen, mod 31.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first_seventeen: str) -> str:
    total = sum(
        ALPHABET.index(char) * weight for char, weight in zip(first_seventeen, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位。"), code="credit_code_length")
    if any(char not in ALPHABET for char in code):
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）。"),
            code="credit_code_alphabet",
        )
    if check_character(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确。"), code="credit_code_check")
