"""Load stage: bytes → safe YAML nodes → typed model, every value with its file:line:col."""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import functools
import hashlib
import re
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from . import forms
from .formats import FORMATS, MAX_TEXT_CHARS, Bad
from .forms.base import FormKind
from .model import Document, Path_, Pos, Source, Text
from .problems import Problem, code

MAX_BYTES = 1024 * 1024  # a real declaration is ~20 KB; a larger file is a mistake or an attack
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge", "value")
}
_NULLS = ("", "~", "null", "Null", "NULL")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
# In a value (double-quoted escapes such as "\x02" or "\r" reach past the file scan): CR too, since
# Markdown reads a lone CR as a line break, and STX/ETX are its own placeholders for raw HTML.
_VALUE_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_INVALID: Any = object()  # a value that failed to convert; its problem is already reported
# Line breaks to libyaml but not to an editor (or, for \r\n, one break either way but worth the
# slow path): NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR and CR. They arrive by copy-paste.
_YAML_ONLY_BREAKS = re.compile("[\r\x85\u2028\u2029]")


# libyaml composes ~14× faster than PyYAML's Python composer; both build nodes only, never objects.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_FLOW_DEPTH = 64  # libyaml's composer recurses in C: bound nesting before it can overflow the stack
MAX_INDENT = 120
_INDENT = re.compile(rf"^[ ]{{{MAX_INDENT + 1},}}\S|^[ ]*(?:[-?][ ]+){{{MAX_FLOW_DEPTH},}}", re.MULTILINE)


def _too_deep(text: str) -> Pos | None:
    """Where nesting exceeds the bounds (flow brackets counted loosely, quotes ignored), if it does."""
    depth = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth += 1 if match[0] in "[{" else -1
        if depth > MAX_FLOW_DEPTH:
            return _line_col(text, match.start())
    deep = _INDENT.search(text)
    return _line_col(text, deep.start()) if deep else None


class Lines:
    """Maps libyaml's marks to the line:col an editor shows.

    libyaml also breaks lines at U+0085, U+2028 and U+2029 (and a lone CR); an editor breaks only
    at LF. A mark's index counts characters, so where the two differ the position is recomputed
    from the index; otherwise libyaml's own line and column are already the editor's.
    """

    def __init__(self, text: str):
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))] if _YAML_ONLY_BREAKS.search(text) else None

    def pos(self, mark: Any) -> Pos:
        if self.starts is None:
            return mark.line + 1, mark.column + 1
        line = bisect.bisect_right(self.starts, mark.index)
        return line, mark.index - self.starts[line - 1] + 1

    def of(self, node: yaml.Node) -> Pos:
        return self.pos(node.start_mark)


def _refused(path: Path, root: yaml.Node, lines: Lines) -> Problem | None:
    """The first alias (a node reached twice), explicit non-standard tag or merge key, if any."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return code("YAML_ALIAS").at(path, *lines.of(node))
        seen.add(id(node))
        if node.tag not in _STANDARD_TAGS or (_is_null(node) and node.value not in _NULLS):
            return code("YAML_TAG").at(path, *lines.of(node), tag=node.tag)
        if isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in reversed(node.value) for n in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return None


_SYNTAX_ZH = {  # libyaml's messages a clerk is most likely to meet
    "did not find expected ',' or ']'": "方括号 [ ] 未闭合，或列表项之间缺少逗号",
    "did not find expected ',' or '}'": "花括号 { } 未闭合，或键值对之间缺少逗号",
    "did not find expected key": "缩进不一致，或缺少“键:”",
    "did not find expected '-' indicator": "列表项缩进不一致",
    "mapping values are not allowed in this context":
        "此处不能出现“键: 值”（缩进有误，或文字中的冒号后跟了空格，需加引号）",
    "could not find expected ':'": "缺少冒号“:”",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合？）",
    "found character that cannot start any token": "出现不能作为内容开头的字符（如 @ 或 `，需加引号）",
    "found unknown escape character": "双引号内有未知的转义字符（\\ 应写作 \\\\）",
    "did not find expected node content": "缺少内容",
    "found a tab character that violates indentation": "缩进中有制表符",
    "expected <block end>, but found '-'": "列表项缩进不一致",
}


def _zh_syntax(problem: str) -> str:
    for english, chinese in _SYNTAX_ZH.items():
        if problem.startswith(english):
            return f"{chinese}（{problem}）"
    return problem


def _line_col(text: str, offset: int) -> Pos:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The file's text if it is sane UTF-8 YAML input; else the problems with it."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [code("FILE_TOO_LARGE").at(path, 1, 1, size=size, limit=MAX_BYTES)]
        raw = path.read_bytes()
    except OSError as err:
        return None, [code("FILE_UNREADABLE").at(path, 1, 1, detail=err.strerror)]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [code("FILE_BOM").at(path, 1, 1)]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw.count(b"\x00") * 10 > len(raw):
        return None, [code("FILE_ENCODING").at(path, 1, 1, detail="疑似 UTF-16")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start].decode("utf-8")  # valid so far; count characters, not bytes
        line, col = _line_col(before, len(before))
        return None, [code("FILE_ENCODING").at(path, line, col, detail="疑似 GBK 等编码")]
    if not text.strip():
        return None, [code("FILE_EMPTY").at(path, 1, 1)]
    problems = [code("YAML_TAB").at(path, *_line_col(text, m.start())) for m in re.finditer("\t", text)]
    problems += [
        code("FILE_CONTROL_CHAR").at(path, *_line_col(text, m.start()), char=f"U+{ord(m[0]):04X}")
        for m in _CONTROL.finditer(text)
    ]
    return (None if problems else text), problems[:20]


def compose(path: Path, text: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The YAML node tree, refusing anything beyond plain safe YAML."""
    deep = _too_deep(text)
    if deep:
        return None, [code("YAML_TOO_DEEP").at(path, *deep)]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = Lines(text).pos(mark) if mark else (1, 1)
        if "alias" in str(err.problem):  # an alias to no anchor: still an alias
            return None, [code("YAML_ALIAS").at(path, line, col)]
        return None, [code("YAML_SYNTAX").at(path, line, col, detail=_zh_syntax(str(err.problem or err.context)))]
    except yaml.YAMLError as err:
        return None, [code("YAML_SYNTAX").at(path, 1, 1, detail=str(err))]
    except RecursionError:
        return None, [code("YAML_TOO_DEEP").at(path, 1, 1)]
    if node is None:
        return None, [code("FILE_EMPTY").at(path, 1, 1)]
    # Anchors need "&", aliases "*" and tags "!": a file without them needs no walk over its nodes.
    refused = _refused(path, node, Lines(text)) if any(c in text for c in "&*!") else None
    return (None, [refused]) if refused else (node, [])


class _Converter:
    """Converts a node tree into model dataclasses, collecting every problem instead of stopping.

    A value that fails to convert is reported, its place recorded in `invalid` and None put in
    its stead, so that the rest of the document is still built and the rules can run on it.
    """

    def __init__(self, path: Path, lines: Lines | None = None, *, form_key: bool = False):
        self.path = path
        self.form_key = form_key  # the root mapping may hold `form:` (read by form_kind, not a model field)
        self.lines = lines or Lines("")
        self.problems: list[Problem] = []
        self.positions: dict[Path_, Pos] = {}
        self.invalid: set[Path_] = set()

    def report(self, node: yaml.Node, name: str, **params: object) -> Any:
        self.problems.append(code(name).at(self.path, *self.lines.of(node), **params))
        return _INVALID

    def kept(self, value: Any, where: Path_) -> Any:
        """The value, or None (its place recorded as invalid) if it failed to convert."""
        if value is _INVALID:
            self.invalid.add(where)
            return None
        return value

    def convert(self, node: yaml.Node, tp: Any, where: Path_, title: str) -> Any:
        self.positions[where] = self.lines.of(node)
        kind, arg = _plan(tp)
        if kind == "optional":
            return None if _is_null(node) else self.convert(node, arg, where, title)
        if kind == "sequence":
            return self.sequence(node, arg, where, title)
        if kind == "record":
            return self.record(node, tp, where, title)
        if not isinstance(node, yaml.ScalarNode) or _is_null(node):
            return self.report(node, "WRONG_TYPE", title=title, expected=_kind(tp), actual=_kind_of(node))
        if kind == "literal":
            args = arg
            if node.value not in args:
                allowed = "、".join(map(str, args))
                return self.report(node, "BAD_ENUM", title=title, allowed=allowed, actual=node.value)
            return node.value
        return self.scalar(node, tp, title)

    def scalar(self, node: yaml.ScalarNode, tp: Any, title: str) -> Any:
        hidden = _VALUE_CONTROL.search(node.value) if tp is Text else None
        if hidden:
            return self.report(node, "FILE_CONTROL_CHAR", char=f"U+{ord(hidden[0]):04X}")
        if tp is Text and len(node.value) > MAX_TEXT_CHARS:
            return self.report(node, "TEXT_TOO_LONG", title=title, length=len(node.value), limit=MAX_TEXT_CHARS)
        parsed = _SCALARS[tp](node.value.strip() if tp is not Text else node.value)
        if isinstance(parsed, Bad):
            return self.report(node, parsed.code, title=title, actual=node.value, **parsed.params)
        return parsed

    def sequence(self, node: yaml.Node, item: Any, where: Path_, title: str) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            return self.report(node, "WRONG_TYPE", title=title, expected="列表", actual=_kind_of(node))
        return tuple(self.kept(self.convert(n, item, (*where, i), title), (*where, i))
                     for i, n in enumerate(node.value))

    def record(self, node: yaml.Node, cls: Any, where: Path_, title: str) -> Any:
        fields, hints = _shape(cls)
        if not isinstance(node, yaml.MappingNode):
            if not where:
                return self.report(node, "ROOT_NOT_MAPPING", actual=_kind_of(node))
            return self.report(node, "WRONG_TYPE", title=title, expected="键值映射", actual=_kind_of(node))
        values: dict[str, Any] = {}
        for key, value in self.pairs(node, fields, root=not where):
            meta = fields[key].metadata
            values[key] = self.kept(self.convert(value, hints[key], (*where, key), meta["title"]), (*where, key))
        for name, fld in fields.items():
            if name not in values and fld.default is dataclasses.MISSING:
                self.report(node, "MISSING_KEY", key=name, title=fld.metadata["title"])
                values[name] = self.kept(_INVALID, (*where, name))
        return cls(**values)

    def needed(self, node: yaml.Node, decl: Any, edition: Any) -> None:
        """The fields the model leaves optional that the form's print requires (Edition.needs): one left out
        is MISSING_KEY at the root, as the model's own required fields are, and the form incomplete."""
        titles = {f.name: f.metadata["title"] for f in dataclasses.fields(decl)}
        for name in edition.needs if edition else ():
            if getattr(decl, name) is None and (name,) not in self.invalid:
                self.report(node, "MISSING_KEY", key=name, title=titles[name])
                self.invalid.add((name,))

    def pairs(self, node: yaml.MappingNode, fields: dict[str, Any], root: bool = False
              ) -> Iterator[tuple[str, yaml.Node]]:
        """The mapping's known keys and their value nodes; duplicates and strangers are reported."""
        seen: dict[str, int] = {}
        for key_node, value in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.report(key_node, "YAML_MERGE")
            elif not isinstance(key, str):
                self.report(key_node, "WRONG_TYPE", title="键", expected="文字", actual=_kind_of(key_node))
            elif key in seen:
                self.report(key_node, "DUPLICATE_KEY", key=key, first=seen[key])
            elif root and self.form_key and key == forms.FORM_KEY:
                seen[key] = self.lines.of(key_node)[0]
            elif key not in fields:
                close = difflib.get_close_matches(key, list(fields), n=1)
                self.report(key_node, "UNKNOWN_KEY", key=key, hint=f"，是否应为 {close[0]}？" if close else "")
            else:
                seen[key] = self.lines.of(key_node)[0]
                yield key, value


@functools.cache
def _plan(tp: Any) -> tuple[str, Any]:
    """How a model type is read (decided once per type: typing's introspection is slow)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return "optional", next(a for a in args if a is not type(None))
    if origin is tuple:
        return "sequence", args[0]
    if dataclasses.is_dataclass(tp) and tp not in _SCALARS:
        return "record", None
    return ("literal", args) if origin is typing.Literal else ("scalar", None)


@functools.cache
def _shape(cls: Any) -> tuple[dict[str, dataclasses.Field[Any]], dict[str, Any]]:
    """A model class's fields and resolved type hints (resolving them is slow: once per class)."""
    return {f.name: f for f in dataclasses.fields(cls)}, typing.get_type_hints(cls)


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _kind(tp: Any) -> str:
    return FORMATS[tp].noun if tp in FORMATS else "文字"


def _kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "键值映射"
    if isinstance(node, yaml.SequenceNode):
        return "列表"
    return "空值" if _is_null(node) else f"“{node.value}”"


_SCALARS: dict[Any, Callable[[str], Any]] = {tp: fmt.parse for tp, fmt in FORMATS.items()}


def form_kind(path: Path, node: yaml.Node, lines: Lines) -> FormKind | Problem:
    """The kind a file declares with its top-level `form:` key; a file without one is of the default kind."""
    form = next((value for key, value in (node.value if isinstance(node, yaml.MappingNode) else [])
                 if isinstance(key, yaml.ScalarNode) and key.value == forms.FORM_KEY), None)
    if form is None:
        return forms.KINDS[forms.DEFAULT]
    kind = forms.kind_named(form.value) if isinstance(form, yaml.ScalarNode) and not _is_null(form) else None
    if kind is None:
        return code("FORM_UNKNOWN").at(path, *lines.of(form), actual=_kind_of(form), allowed="、".join(forms.KINDS))
    return kind


def convert(path: Path, node: yaml.Node, lines: Lines | None = None) -> tuple[Any, _Converter]:
    """The form a node tree converts to (as the root dataclass of its kind), and the converter that holds
    its problems, positions and invalid places; the form is _INVALID where none could be built."""
    lines = lines or Lines("")
    converter = _Converter(path, lines, form_key=True)
    kind = form_kind(path, node, lines)
    if isinstance(kind, Problem):
        converter.problems.append(kind)
        return _INVALID, converter
    decl = converter.convert(node, kind.model, (), kind.title)
    if decl is not _INVALID:
        converter.needed(node, decl, kind.edition(decl))
    return decl, converter


def load_partial(path: Path) -> tuple[Document | None, list[Problem]]:
    """Load one declaration file as far as it goes, and every problem found.

    The document is None only when no declaration could be built (unreadable file, YAML syntax,
    a root that is not a mapping). Otherwise values that failed to convert are None and named in
    `doc.invalid`: such a document may be checked, but never published.
    """
    text, problems = read_text(path)
    if text is None:
        return None, problems
    node, problems = compose(path, text)
    if node is None:
        return None, problems
    decl, converter = convert(path, node, Lines(text))
    if decl is _INVALID:
        return None, converter.problems
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    source = Source(path, digest, converter.positions)
    return Document(decl, source, frozenset(converter.invalid)), converter.problems


def load(path: Path) -> tuple[Document | None, list[Problem]]:
    """Load one declaration file: the document when every value is well-formed, and every problem found."""
    doc, problems = load_partial(path)
    return (doc if doc and doc.complete else None), problems
