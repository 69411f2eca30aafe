"""Rules' shared kit: the context a rule reads, where a finding points, and the fields each rule reads.

It lies below the check stage, so that a form kind's rules (generator/forms/<kind>/) need not import
the stage that runs them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .model import Document, Level
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
