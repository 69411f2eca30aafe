"""The one base type of disclose's refusals: a stage raises a subclass with a zh-CN message; the CLI catches
this type alone, prints the message (and the problems behind it) and exits with the error's code.

It imports nothing of the generator, so that every module, however low, may raise one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .check import Report


class DiscloseError(Exception):
    """A command refused: nothing it would have written was written."""

    exit_code = 1
    # The message already says what was left as it was ("未做任何改动"); otherwise the CLI adds what the
    # command keeps (site/, archive/) when the command has something to keep.
    says_untouched = False
    # The check's findings behind the refusal, printed before the message (BuildFailed has them).
    report: Report | None = None
