"""JSON and YAML from strangers (a repository's files, forge caches), parsed with limits.

Valid JSON or YAML can still be absurd to a program: an array nested 100 000 deep (a
``RecursionError`` in the parser), an integer of 5 000 digits (Python refuses to convert it: a
``ValueError``), a YAML alias tree that expands to a billion nodes when walked. :func:`load_json` and
:func:`load_yaml` turn each into the error their callers already handle, ``json.JSONDecodeError`` or a
``yaml.YAMLError`` with a line, so a hostile file is one finding naming the file and line, never a
traceback.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import yaml

#: Deeper than any model card, config or notebook nests (Hugging Face's model-index goes 6 deep), and
#: shallow enough that every recursive walk over the data (YAML and JSON writers, orjson's 255) works.
MAX_DEPTH = 64
#: Python's own limit on converting a decimal string to an integer (``sys.get_int_max_str_digits``).
MAX_DIGITS = 4300
#: The same bound on an integer written in hexadecimal or binary, which Python converts without a limit.
MAX_BITS = 14_000
#: Values in one document once its YAML aliases are expanded: a big notebook holds about 100 000.
MAX_NODES = 1_000_000

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|-?\d+')


class _TooLarge(ValueError):
    """A value the limits refuse, raised inside the parsers and turned into their own errors."""


def load_json(text: str | bytes) -> Any:
    """``json.loads`` that raises ``json.JSONDecodeError`` (with a line) for every way ``text`` can fail."""
    try:
        data = json.loads(text)
        _check_size(data, max_nodes=None)  # JSON has no aliases: its size is its text's
    except json.JSONDecodeError:
        raise
    except UnicodeDecodeError as error:  # bytes that are not UTF-8
        raise json.JSONDecodeError("not UTF-8 text", "", 0) from error
    except (RecursionError, ValueError) as error:  # too deep; an integer past Python's int-string limit
        raise _json_error(_text(text)) from error
    return data


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` that raises a ``yaml.YAMLError`` (with a line where one is known) for every way
    ``text`` can fail: too deep, too large, a number too long to read."""
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except RecursionError as error:  # a recursion below compose_node's count: still the nesting
        raise yaml.MarkedYAMLError(None, None, f"nested deeper than {MAX_DEPTH} levels") from error
    finally:
        loader.dispose()
    try:
        _check_size(data)
    except _TooLarge as error:
        raise yaml.MarkedYAMLError(None, None, str(error)) from error
    return data


def compose_yaml(text: str) -> Any:
    """``yaml.compose`` (the node tree, with lines) under the same nesting limit as :func:`load_yaml`."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except RecursionError as error:
        raise yaml.MarkedYAMLError(None, None, f"nested deeper than {MAX_DEPTH} levels") from error
    finally:
        loader.dispose()


def small_number(text: str, digits: int = 9) -> int | None:
    """``text`` as a number when it is 1 to ``digits`` decimal digits, else None: a PR number, a rowspan or a
    shot count written with 5 000 digits (past what ``int()`` converts) or as ``²`` (a digit to
    ``str.isdigit``, not to ``int``) is not one."""
    text = text.strip()
    return int(text) if 0 < len(text) <= digits and text.isascii() and text.isdigit() else None


def _text(data: str | bytes) -> str:
    return data if isinstance(data, str) else data.decode("utf-8", "replace")


def _check_size(data: Any, max_nodes: int | None = MAX_NODES) -> None:
    """Walk the data without recursion and refuse it when it nests deeper than :data:`MAX_DEPTH` or holds
    more than ``max_nodes`` values (YAML aliases count each time they are reached)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    seen = 0
    while stack:
        value, depth = stack.pop()
        seen += 1
        if max_nodes is not None and seen > max_nodes:
            raise _TooLarge(f"more than {max_nodes:,} values once its aliases are expanded")
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > MAX_DEPTH:
            raise _TooLarge(f"nested deeper than {MAX_DEPTH} levels")
        stack.extend((child, depth + 1) for child in children)


def _json_error(text: str) -> json.JSONDecodeError:
    """The error ``json`` itself would raise at the first place a limit is passed: the nesting, or a number's
    digits (any limit Python was started with: :data:`MAX_DIGITS` is its default)."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        kind = token.group()[0]
        depth += 1 if kind in "[{" else -1 if kind in "]}" else 0
        if depth > MAX_DEPTH:
            return json.JSONDecodeError(f"nested deeper than {MAX_DEPTH} levels", text, token.start())
        digits = len(token.group().lstrip("-"))
        if kind not in '"[]{}' and digits > min(MAX_DIGITS, sys.get_int_max_str_digits() or MAX_DIGITS):
            return json.JSONDecodeError(f"a number of {digits} digits", text, token.start())
    return json.JSONDecodeError("a value past Almanac's limits", text, 0)


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader with a nesting limit (counted as nodes are composed, so the error has a line)
    and a limit on the length of integers."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]  # unannotated in types-PyYAML
                raise yaml.composer.ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node: Any) -> Any:
        digits = len(str(node.value).replace("_", "").lstrip("+-"))
        value = super().construct_yaml_int(node) if digits <= MAX_DIGITS else None
        if value is None or value.bit_length() > MAX_BITS:
            raise yaml.constructor.ConstructorError(None, None, f"a number of {digits} digits", node.start_mark)
        return value


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
