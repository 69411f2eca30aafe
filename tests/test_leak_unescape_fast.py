"""The leak scan's string escapes (issue 18): the two-character shortcut reads every escape as before."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.leaks import _ESCAPE, _unescape_script


def reference(match: re.Match[str]) -> str:
    """_unescape_script as it was: every escape through its groups."""
    braced, wide, high, low, unit, byte, letter, other = match.groups()
    if braced or wide:
        point = int(braced or wide, 16)
        return chr(point) if point <= 0x10FFFF else match[0]
    if high:
        return chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + int(low, 16) - 0xDC00)
    if unit or byte:
        point = int(unit or byte, 16)
        return "\ufffd" if 0xD800 <= point <= 0xDFFF else chr(point)
    if letter:
        return {"n": "\u2028", "r": "\u2028", "t": "\t", "b": "", "f": "\u2028", "v": "\u2028"}[letter]
    return str(other)


PIECES = ["\\", "\\\\", "n", "r", "t", "b", "f", "v", "u", "U", "x", "{", "}", "0031", "d83d", "de00", "D800",
          "31", "0010FFFF", "00110000", "\"", "/", "\n", "a", "1", "号", "\\u{1F600}", "\\u{110000}"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_every_escape_reads_as_before(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _ESCAPE.sub(_unescape_script, text) == _ESCAPE.sub(reference, text)


def test_common_escapes() -> None:
    assert _ESCAPE.sub(_unescape_script, r'a\"b\\c\nd\/e\u0031\x32') == 'a"b\\c\u2028d/e12'
