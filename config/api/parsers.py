"""The parsers every API view reads a body with: DRF's, with limits and the project's messages.

- JSON nested deeper than MAX_JSON_DEPTH is refused before it is parsed: Python's parser
  recurses once per level, so a body of a thousand brackets was a RecursionError (a 500).
- A number too large for a float (`1e400`) is kept as the text it was written as, so the
  field it was sent for refuses it by name ("expected a number", "no such id") instead of
  an id lookup overflowing; NaN and Infinity are not JSON and are a parse error.
- A malformed multipart body is a 400 in the error shape with a message in the user's
  language, not DRF's English one. Bodies over DATA_UPLOAD_MAX_MEMORY_SIZE are refused as
  they are read, by Django; `config.api.errors` turns that into a 413.
"""

import codecs
import json
import math
import re

from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# No request of this API nests deeper than a handful of levels (a transition's assignments:
# object → list → object); 32 leaves room and stays far below Python's recursion limit.
MAX_JSON_DEPTH = 32

# A JSON string (its escapes included), the runs of text between brackets, and an innermost
# empty pair: what is left of a body once its strings and scalars are dropped is brackets only,
# and each pass that removes the innermost pairs takes one level of nesting away.
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")
_INNERMOST_PAIR = re.compile(r"\[\]|\{\}")


class TooDeep(ParseError):
    default_code = "too_deep"


def nesting_exceeds(text: str, limit: int) -> bool:
    """Whether the JSON `text` nests arrays and objects more than `limit` levels deep.

    Works on the text, in passes of regular expressions, so a hostile body costs no recursion.
    Text that is not JSON may pass; the parser then refuses it.
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    for _level in range(limit):
        if not brackets:
            return False
        brackets, removed = _INNERMOST_PAIR.subn("", brackets)
        if not removed:
            return False  # unbalanced: not JSON, which the parser says
    return bool(brackets)


def _number(text: str):
    """A JSON number with a fraction or exponent: a float, or its text when no float holds it."""
    value = float(text)
    return value if math.isfinite(value) else text


def _not_json(constant: str):
    raise ValueError(f"{constant} is not valid JSON")


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = codecs.getreader(encoding)(stream).read()
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(
                _("请求体不是 %(encoding)s 编码的文本。") % {"encoding": encoding}
            ) from exc
        if nesting_exceeds(text, MAX_JSON_DEPTH):
            raise TooDeep(_("JSON 嵌套超过 %(limit)d 层。") % {"limit": MAX_JSON_DEPTH})
        try:
            return json.loads(text, parse_float=_number, parse_constant=_not_json)
        except RecursionError as exc:  # only if the limit above were raised past Python's own
            raise TooDeep(_("JSON 嵌套过深。")) from exc
        except ValueError as exc:
            raise ParseError(_("请求体不是有效的 JSON：%(reason)s") % {"reason": exc}) from exc


class FormParser(parsers.FormParser):
    pass


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError as exc:
            raise ParseError(_("上传的表单格式有误，无法读取。")) from exc
        except MultiPartParserError as exc:  # raised past DRF's own handler while reading
            raise ParseError(_("上传的表单格式有误，无法读取。")) from exc
