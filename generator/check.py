"""Check stage: each form kind's rules and the corpus-wide ones, every problem at once; waivers applied last."""

from __future__ import annotations

import dataclasses
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .forms import KINDS, kind_of
from .load import load_partial
from .model import Document, Path_, Pos, Waiver
from .problems import CODES, WAIVABLE, Problem, Severity, code
from .rules import READS, Context, at, can_run

__all__ = ["Context", "Report", "check_document", "check_file", "check_files", "declaration_files"]


# -- waivers and the corpus --------------------------------------------------------------------


def apply_waivers(doc: Document, problems: list[Problem]) -> list[Problem]:
    """Mark waived errors (never drop them); report waivers that name no error or are unused."""
    if not can_run(doc, ("waivers",)):
        return problems  # an unreadable waiver waives nothing; its load error blocks the document
    waivers: tuple[Waiver, ...] = getattr(doc.decl, "waivers", ())  # a kind may have none
    reasons = {str(w.code): str(w.reason) for w in waivers}
    out = [p.waive(reasons[p.code]) if p.code in reasons and p.code in WAIVABLE else p for p in problems]
    used = {p.code for p in out if p.waived}
    for i, w in enumerate(waivers):
        known = w.code in CODES and CODES[w.code].severity is Severity.ERROR
        if not known:
            out.append(at(doc, "WAIVER_UNKNOWN", "waivers", i, "code", actual=w.code))
        elif w.code not in WAIVABLE:  # (else it would be "unused" while the error stands beside it)
            out.append(at(doc, "WAIVER_NOT_WAIVABLE", "waivers", i, "code", actual=w.code))
        elif w.code not in used and doc.complete:  # a skipped rule may be the one it waives
            out.append(at(doc, "WAIVER_UNUSED", "waivers", i, "code", actual=w.code))
    return out


def check_document(doc: Document, ctx: Context) -> list[Problem]:
    """Every rule's problems, for the rules whose inputs loaded (all of them for a complete document)."""
    rules = kind_of(doc.decl).rules
    problems = [p for rule in rules if can_run(doc, READS[rule]) for p in rule(doc, ctx)]
    return apply_waivers(doc, problems)


def file_name(doc: Document) -> Iterator[Problem]:
    """A form sits at content/<year>/<stem>.yaml, its kind naming the stem (the page's name too)."""
    kind = kind_of(doc.decl)
    if not can_run(doc, kind.identity):
        return
    path, decl = doc.source.path, doc.decl
    if path.stem != kind.stem(decl) or path.parent.name != str(decl.year):
        actual = "/".join(path.parts[-2:])
        yield at(doc, "FILE_NAME", kind.identity[-1], year=decl.year, stem=kind.stem(decl), actual=actual)


def duplicates(docs: Iterable[Document]) -> Iterator[Problem]:
    """Two files of one kind with one key (a .yaml and a .yml of a unit, say): the second is refused."""
    by_key: dict[tuple[str, tuple[object, ...]], list[Document]] = defaultdict(list)
    for doc in docs:
        kind = kind_of(doc.decl)
        by_key[(kind.name, kind.key(doc.decl))].append(doc)
    for group in by_key.values():
        for doc in group[1:]:
            kind = kind_of(doc.decl)
            yield at(doc, "DUPLICATE_DECLARATION", kind.identity[-1], unit_id=kind.stem(doc.decl),
                     year=doc.decl.year, form=kind.title, other=group[0].source.path)


def corpus_rules(docs: Sequence[Document]) -> Iterator[Problem]:
    """The rules of each kind that relate its forms to the others of the corpus."""
    for kind in KINDS.values():
        for rule in kind.corpus_rules:
            yield from rule(docs)


@dataclass(frozen=True)
class Report:
    """Everything the check stage found: the documents that loaded and every problem."""

    files: list[Path]
    documents: list[Document]
    problems: list[Problem]
    masked: list[Document] | None = None  # each document masked, in order (check_cache keeps them made)
    # Each document's check-cache key by its file: everything the document is a function of (the file's bytes,
    # the context, the code), so that what is made of it alone can be cached by it (export.PackageRows).
    keys: dict[Path, str] = field(default_factory=dict)

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocks]

    def problems_of(self, path: Path) -> list[Problem]:
        return [p for p in self.problems if p.file == str(path)]


_SUFFIXES = (".yaml", ".yml")
_YEAR_FOLDER = re.compile(r"^\d{4}$")


def declaration_files(paths: Iterable[Path]) -> list[Path]:
    """The files a check reads: those named, and under each folder every YAML file (any case of the
    suffix) and every symbolic link, at any depth, so that check_file can refuse what does not belong
    there instead of skipping it silently. Linked folders inside are not walked into (a folder named
    here may itself be a link: content/ on another disk, say)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(_walk(path))
        else:
            files.append(path)
    return files


def _walk(folder: Path) -> Iterator[Path]:
    for top, dirs, names in os.walk(folder):  # os.walk does not follow linked folders
        for name in names + dirs:
            path = Path(top) / name
            if path.is_symlink() or (name in names and path.suffix.lower() in _SUFFIXES):
                yield path


def _layout(path: Path, ctx: Context) -> Problem | None:
    """Why a file is not read at all: a symbolic link (it could point anywhere: /etc/passwd would be
    quoted on the terminal and the preview), a suffix in capitals, or a place other than content/<year>/."""
    here, content = Path(os.path.abspath(path)), Path(os.path.abspath(ctx.content or "/"))  # links unresolved
    rel = here.relative_to(content) if ctx.content and here.is_relative_to(content) else None
    steps = [content.joinpath(*rel.parts[:i]) for i in range(1, len(rel.parts))] if rel else []
    if path.is_symlink() or any(step.is_symlink() for step in steps):  # the file, or a folder on its way
        return code("CONTENT_SYMLINK").at(path, 1, 1)
    if path.suffix.lower() in _SUFFIXES and path.suffix not in _SUFFIXES:
        return code("YAML_SUFFIX").at(path, 1, 1, actual=path.name, suggested=path.stem + path.suffix.lower())
    if rel and (len(rel.parts) != 2 or not _YEAR_FOLDER.match(rel.parts[0])):
        return code("CONTENT_DEPTH").at(path, 1, 1, actual=rel.as_posix())
    return None


def check_file(path: Path, ctx: Context) -> tuple[Document | None, list[Problem]]:
    """Load and check one file on its own (the corpus-wide rules need all files: see check_files).

    The rules run on whatever loaded, so that a file's problems are all reported at once; the
    document is returned only when it loaded completely (a partial one is never rendered).
    """
    refused = _layout(path, ctx)
    if refused:
        return None, [refused]
    doc, problems = load_partial(path)
    if doc:
        problems += check_document(doc, ctx)
        problems += file_name(doc)
    return (doc if doc and doc.complete else None), problems


def assemble(files: Sequence[Path], results: Sequence[tuple[Document | None, list[Problem]]]) -> Report:
    """The report of a corpus from each file's own result, adding the corpus-wide rules."""
    docs = [doc for doc, _ in results if doc]
    problems = [p for _, found in results for p in found] + list(duplicates(docs)) + list(corpus_rules(docs))
    problems.sort(key=lambda p: (p.file, p.line, p.col, p.code))
    return Report(list(files), docs, problems)


def check_files(files: Sequence[Path], ctx: Context) -> Report:
    """Load and check every file, returning all problems at once (never stopping at the first)."""
    return assemble(files, [_lean(*check_file(path, ctx)) for path in files])


def _lean(doc: Document | None, problems: list[Problem]) -> tuple[Document | None, list[Problem]]:
    """Once a file is checked, only its identity's position is still needed (for DUPLICATE_DECLARATION):
    keeping every value's position would hold about half of a big build's memory."""
    if doc is None:
        return None, problems
    kind = kind_of(doc.decl)
    where = (kind.identity[-1],)
    kept: dict[Path_, Pos] = {key: pos for key, pos in doc.source.positions.items()
                              if key == where or (key and key[0] in kind.kept)}
    return dataclasses.replace(doc, source=dataclasses.replace(doc.source, positions=kept)), problems
