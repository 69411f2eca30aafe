"""Form kinds: the registry the stages consult. Adding a kind is one folder and one line below."""

from __future__ import annotations

from .department import KIND as DEPARTMENT
from .department_result import KIND as DEPARTMENT_RESULT
from .project import KIND as PROJECT
from .project_result import KIND as PROJECT_RESULT
from .registry import KINDS, kind_named, kind_of, register, unregister

FORM_KEY = "form"  # the top-level key that names a file's kind
DEFAULT = DEPARTMENT.name  # a file without `form:` is a 部门整体 form: every file written before kinds existed

__all__ = ["DEFAULT", "FORM_KEY", "KINDS", "kind_named", "kind_of", "register", "unregister"]

register(DEPARTMENT)
register(PROJECT)
register(PROJECT_RESULT)
register(DEPARTMENT_RESULT)
