"""Patch-like edits that turn one tree into the next.

Edits are anchored on content rather than on whole-file snapshots, so the same change can be applied
to a pull request's old base and to the newer main tip, exactly like a three-way merge of a patch
would. That is what keeps squash commits, merge commits and cherry-picks consistent with their
branches without a real merge algorithm.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol

Tree = dict[str, bytes]


class EditError(ValueError):
    """An edit's precondition does not hold on the tree it was applied to."""


class Edit(Protocol):
    @property
    def path(self) -> str: ...

    def apply(self, tree: Tree) -> None: ...


def _text(tree: Tree, path: str) -> str:
    if path not in tree:
        raise EditError(f"{path} does not exist")
    return tree[path].decode("utf-8")


def _put(tree: Tree, path: str, text: str) -> None:
    tree[path] = text.encode("utf-8")


def dump_json(path: str, value: object) -> str:
    """Mirror the writers used upstream (transformers, nbformat): sorted keys, fixed indent."""
    indent = 1 if path.endswith(".ipynb") else 2
    return json.dumps(value, indent=indent, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Create:
    """Refuses to clobber, so a mistake in the story fails loudly instead of rewriting a file."""

    path: str
    content: bytes

    def apply(self, tree: Tree) -> None:
        if self.path in tree:
            raise EditError(f"{self.path} already exists")
        tree[self.path] = self.content


@dataclass(frozen=True)
class Overwrite:
    """Only for binary files, where a textual patch has no meaning."""

    path: str
    content: bytes

    def apply(self, tree: Tree) -> None:
        if self.path not in tree or tree[self.path] == self.content:
            raise EditError(f"{self.path} missing or unchanged")
        tree[self.path] = self.content


@dataclass(frozen=True)
class Rename:
    """Content is kept, so git's rename detection pairs the paths exactly as for ``git mv``."""

    path: str
    new_path: str

    def apply(self, tree: Tree) -> None:
        if self.path not in tree or self.new_path in tree:
            raise EditError(f"cannot rename {self.path} to {self.new_path}")
        tree[self.new_path] = tree.pop(self.path)


@dataclass(frozen=True)
class Append:
    path: str
    text: str

    def apply(self, tree: Tree) -> None:
        _put(tree, self.path, _text(tree, self.path) + self.text)

    def inverse(self) -> Replace:
        return Replace(self.path, self.text, "")


@dataclass(frozen=True)
class InsertAfter:
    """Only the anchor has to survive intervening commits, like the context lines of a patch."""

    path: str
    anchor: str
    text: str

    def apply(self, tree: Tree) -> None:
        content = _text(tree, self.path)
        at = content.find(self.anchor)
        if at < 0:
            raise EditError(f"anchor {self.anchor!r} not in {self.path}")
        at += len(self.anchor)
        _put(tree, self.path, content[:at] + self.text + content[at:])

    def inverse(self) -> Replace:
        return Replace(self.path, self.anchor + self.text, self.anchor)


@dataclass(frozen=True)
class Replace:
    """The old text must be unique; an ambiguous patch is a bug in the story, not a choice."""

    path: str
    old: str
    new: str

    def apply(self, tree: Tree) -> None:
        content = _text(tree, self.path)
        if content.count(self.old) != 1:
            raise EditError(f"{self.old!r} is not unique in {self.path}")
        _put(tree, self.path, content.replace(self.old, self.new))

    def inverse(self) -> Replace:
        return Replace(self.path, self.new, self.old)


@dataclass(frozen=True)
class ReplaceAll:
    """Dependabot bumps every occurrence of a pinned version, not just the first."""

    path: str
    old: str
    new: str

    def apply(self, tree: Tree) -> None:
        content = _text(tree, self.path)
        if self.old not in content:
            raise EditError(f"{self.old!r} not in {self.path}")
        _put(tree, self.path, content.replace(self.old, self.new))


@dataclass(frozen=True)
class JsonSet:
    """Re-serialising keeps JSON files valid and formatted the way Hugging Face tools write them."""

    path: str
    key: str
    value: object

    def apply(self, tree: Tree) -> None:
        data = json.loads(_text(tree, self.path))
        if data.get(self.key) == self.value:
            raise EditError(f"{self.key} already set in {self.path}")
        data[self.key] = self.value
        _put(tree, self.path, dump_json(self.path, data))


@dataclass(frozen=True)
class NotebookCell:
    """Notebooks are JSON documents, so cells are added structurally rather than as text."""

    path: str
    cell: dict[str, object]

    def apply(self, tree: Tree) -> None:
        notebook = json.loads(_text(tree, self.path))
        notebook["cells"].append(self.cell)
        _put(tree, self.path, dump_json(self.path, notebook))


@dataclass(frozen=True)
class ChangelogEntry:
    """Keeps a blank line before the next heading whether or not the section was empty."""

    text: str
    path: str = "CHANGELOG.md"

    def apply(self, tree: Tree) -> None:
        content = _text(tree, self.path)
        anchor = "## [Unreleased]\n\n"
        at = content.find(anchor)
        if at < 0:
            raise EditError("no Unreleased section")
        at += len(anchor)
        gap = "\n" if content.startswith("## ", at) else ""
        _put(tree, self.path, content[:at] + f"- {self.text}\n{gap}" + content[at:])


def apply_all(tree: Tree, edits: tuple[Edit, ...]) -> Tree:
    """Return a changed copy, refusing no-op edits so every commit really changes something."""
    result = dict(tree)
    for edit in edits:
        before = result.get(edit.path)
        edit.apply(result)
        if result.get(edit.path) == before:
            raise EditError(f"edit of {edit.path} changed nothing")
    return result


def applies(tree: Tree, edits: tuple[Edit, ...]) -> bool:
    try:
        apply_all(tree, edits)
    except EditError:
        return False
    return True


def split(edit: Edit) -> tuple[Edit, Edit] | None:
    """Cut an additive edit at a paragraph break, giving a PR a realistic follow-up commit."""
    text = edit.text if isinstance(edit, (Append, InsertAfter)) else None
    if isinstance(edit, Create) and edit.path.endswith((".py", ".md", ".yaml", ".yml")):
        text = edit.content.decode("utf-8")
    if text is None:
        return None
    cut = text.find("\n\n", len(text) // 3)
    if cut < 0 or cut + 2 >= len(text):
        return None
    head, tail = text[: cut + 2], text[cut + 2 :]
    if isinstance(edit, Create):
        return Create(edit.path, head.encode("utf-8")), Append(edit.path, tail)
    if isinstance(edit, InsertAfter):
        return InsertAfter(edit.path, edit.anchor, head), InsertAfter(edit.path, edit.anchor + head, tail)
    return Append(edit.path, head), Append(edit.path, tail)
