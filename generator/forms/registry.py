"""The registry of form kinds: which kinds exist, and the kind of a loaded form.

It lies below the kinds (generator/forms/__init__.py imports and registers them), so that a kind's own code
(a corpus rule relating results to their targets, say) can ask the registry without an import cycle.
"""

from __future__ import annotations

from ..model import Form
from .base import FormKind

KINDS: dict[str, FormKind] = {}
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
