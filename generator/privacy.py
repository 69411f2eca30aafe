"""Privacy: masks personal mobile numbers in the model, so every public output derives from masked data."""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

from .model import Money, Share, Text

T = TypeVar("T")

# 11 digits starting with 1[3-9], not part of a longer number: a personal mobile in mainland China.
# Also as people write them: grouped 3-4-4 by a space or hyphen, after a glued (+)86, in full-width digits.
_MOBILE = re.compile(r"(?:(?<!\d)|(?<=86))([1１][3-9３-９]\d)([ \-－]?)(\d{4})([ \-－]?)(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    return _MOBILE.sub(r"\1\2****\4\5", text)


def has_mobile(text: str) -> bool:
    return _MOBILE.search(text) is not None


def mask(value: T) -> T:
    """The same value with every mobile number in every text field masked (159****6299)."""
    return _mask(value)  # type: ignore[no-any-return]


def _mask(value: Any) -> Any:
    if isinstance(value, Text):
        return Text(mask_text(value))
    if isinstance(value, tuple):
        return tuple(_mask(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, (Money, Share, type)):
        changes = {f.name: _mask(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value
