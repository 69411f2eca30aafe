"""Form kinds: the registry the stages consult. Adding a kind is one folder and one line below."""

from __future__ import annotations

from ..model import Form
from .base import FormKind
from .department import KIND as DEPARTMENT
from .department_result import KIND as DEPARTMENT_RESULT
from .project import KIND as PROJECT
from .project_result import KIND as PROJECT_RESULT

FORM_KEY = "form"  # the top-level key that names a file's kind
KINDS: dict[str, FormKind] = {}
DEFAULT = DEPARTMENT.name  # a file without `form:` is a 部门整体 form: every file written before kinds existed
_BY_MODEL: dict[type, FormKind] = {}


def register(kind: FormKind) -> FormKind:
    """Make a kind known to every stage (a kind registered twice under one name is a programming error)."""
    if KINDS.get(kind.name, kind) is not kind:
        raise ValueError(f"form kind {kind.name!r} registered twice")
    KINDS[kind.name] = kind
    _BY_MODEL[kind.model] = kind
    return kind


def unregister(kind: FormKind) -> None:
    """Forget a kind (tests register throwaway kinds)."""
    KINDS.pop(kind.name, None)
    _BY_MODEL.pop(kind.model, None)


def kind_of(decl: Form) -> FormKind:
    """The kind of a loaded form, from its root type."""
    return _BY_MODEL[type(decl)]


def kind_named(name: str) -> FormKind | None:
    return KINDS.get(name)


register(DEPARTMENT)
register(PROJECT)
register(PROJECT_RESULT)
register(DEPARTMENT_RESULT)
