"""Rules' shared kit: the context a rule reads, where a finding points, and the fields each rule reads.

It lies below the check stage, so that a form kind's rules (generator/forms/<kind>/) need not import
the stage that runs them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .model import Document, Indicator, Level, Path_
from .problems import Problem, code


@dataclass(frozen=True)
class Context:
    levels: dict[str, Level]
    content: Path | None = None  # the project's content/: files under it must sit at content/<year>/<file>


Rule = Callable[[Document, Context], Iterator[Problem]]
# The top-level fields each rule reads. A rule whose fields hold a value that failed to load is
# not run: its finding would rest on a None standing for that value (the load error says it all).
READS: dict[Rule, tuple[str, ...]] = {}


def reads(*fields: str) -> Callable[[Rule], Rule]:
    def register(rule: Rule) -> Rule:
        READS[rule] = fields
        return rule
    return register


def can_run(doc: Document, fields: Iterable[str]) -> bool:
    """Whether every value under these top-level fields loaded."""
    wanted = set(fields)
    return not any(path[0] in wanted for path in doc.invalid)


def at(doc: Document, code_name: str, *path: str | int, **params: object) -> Problem:
    """A problem at the place of a value of the document (or of its nearest present ancestor)."""
    return code(code_name).at(doc.source.path, *doc.source.pos(*path), **params)


# -- rules more than one kind has ---------------------------------------------------------------------

# Half-width digits, single half-width spaces, hyphens, brackets, +: anything else (full-width digits, U+3000,
# NBSP, dots, dashes, zero-width characters, doubled spaces) is odd enough to ask the clerk about.
_PHONE = re.compile(r"^(?!.*  )[0-9 ()（）+-]{7,20}$")


@reads("phone")
def phone_format(doc: Document, ctx: Context) -> Iterator[Problem]:
    if doc.decl.phone and not _PHONE.match(doc.decl.phone):
        yield at(doc, "PHONE_FORMAT", "phone", actual=doc.decl.phone)


Placed = Iterable[tuple[Path_, Indicator]]  # (where in the document, indicator)


def level_problems(doc: Document, ctx: Context, indicators: Placed) -> Iterator[Problem]:
    """Each indicator's 一级 and 二级 against the vocabulary of site_config/indicators.yml."""
    for path, ind in indicators:
        level = ctx.levels.get(ind.level1)
        if level is None:
            yield at(doc, "LEVEL1_UNKNOWN", *path, "level1", actual=ind.level1, allowed="、".join(ctx.levels))
        elif not level.admits(ind.level2):
            yield at(doc, "LEVEL2_UNKNOWN", *path, "level2", actual=ind.level2, level1=ind.level1)


def value_problems(doc: Document, indicators: Placed) -> Iterator[Problem]:
    """Each 指标值: qualitative text (a note), a rate over 100%."""
    for path, ind in indicators:
        if not ind.value:
            continue
        parsed = ind.parsed
        if parsed is None:
            yield at(doc, "VALUE_QUALITATIVE", *path, "value", name=ind.name, actual=ind.value)
        elif parsed.unit == "%" and parsed.number > 100:
            yield at(doc, "RATE_OVER_100", *path, "value", name=ind.name, actual=ind.value)
