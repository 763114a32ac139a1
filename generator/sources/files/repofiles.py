"""Files of the repository at a revision, read from git objects rather than the work tree.

Reading objects means a dirty work tree, an untracked file or a symlink pointing outside the
repository can never leak into the site: symlinks are listed with their mode and never followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from markupsafe import escape

from generator.model.errors import AlmanacError, Finding, yaml_error_place
from generator.model.knowledge import FileEntry
from generator.sources.files.filekinds import TEXT_READ_BYTES, is_licence_file, is_prose
from generator.sources.git.repo import GitRunner, open_repository
from generator.text.clean import decode_git_bytes
from generator.text.safetext import plain_line, redact_emails
from generator.text.untrusted import load_yaml

#: Blobs larger than this are not read whole (weights); their headers are read by dedicated readers.
MAX_BLOB_BYTES = 8 << 20
#: What one build reads of the repository's files in all, smallest first: far more than a model
#: repository's READMEs, configs and licences, far less than a hundred 8 MiB blobs.
MAX_READ_BYTES = 64 << 20


def list_tree(runner: GitRunner, revision: str) -> list[FileEntry]:
    """Every file at ``revision`` with its size, in one ``ls-tree`` call."""
    out = runner.run("ls-tree", "-r", "-l", "-z", "--full-tree", "--end-of-options", revision)
    entries: list[FileEntry] = []
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, _kind, object_id, size = meta.split()
        entries.append(
            FileEntry(
                path=decode_git_bytes(path),
                mode=mode.decode("ascii"),
                object_id=object_id.decode("ascii"),
                size=int(size) if size.isdigit() else None,
            )
        )
    return entries


def read_blobs(runner: GitRunner, entries: list[FileEntry], *, licence_links: bool = False,
               findings: list[Finding] | None = None) -> dict[str, bytes]:
    """Contents of regular files (not symlinks, not submodules, not huge) in one ``cat-file --batch``.

    What is read is bounded: a text larger than :data:`TEXT_READ_BYTES` is read that far (a finding
    says so), anything else larger than :data:`MAX_BLOB_BYTES` is not read, and all of it together
    stops at :data:`MAX_READ_BYTES`, smallest files first (a finding names the largest left out).
    The rest of a blob is skipped as git writes it, never held. With ``licence_links``, a licence file
    that is a symlink is read too: its content is the path it points to, which the licence reader follows.
    """
    candidates = [
        (entry, limit)
        for entry in entries
        if (not entry.is_symlink or (licence_links and is_licence_file(entry.path.rsplit("/", 1)[-1])))
        and not entry.is_submodule and (limit := read_limit(entry)) is not None
    ]
    left_out = _over_budget(candidates)
    skipped = set(left_out)
    wanted = [(entry, limit) for entry, limit in candidates if entry.path not in skipped]
    answers = cat_file_batch(runner, [entry.object_id for entry, _ in wanted], [limit for _, limit in wanted])
    blobs: dict[str, bytes] = {}
    for (entry, limit), answer in zip(wanted, answers, strict=True):
        if answer is None:
            continue
        content = answer[1]
        if entry.size is not None and len(content) < entry.size:
            content = whole_characters(content)
            if findings is not None:
                findings.append(Finding(f"larger than {_mib(limit)}; only its first {_mib(limit)} is read",
                                        entry.path, "info"))
        blobs[entry.path] = content
    if left_out and findings is not None:
        shown = ", ".join(left_out[:3]) + (", …" if len(left_out) > 3 else "")
        findings.append(Finding(f"the files worth reading add up to more than {_mib(MAX_READ_BYTES)}; the "
                                f"{len(left_out)} largest were not read ({shown})", "repository"))
    return blobs


def read_limit(entry: FileEntry) -> int | None:
    """How many bytes of a file are worth reading: the beginning of a long text, the whole of anything
    else up to :data:`MAX_BLOB_BYTES`; None when it is too large to read at all (its header, for a
    weights file, is read on its own)."""
    size = entry.size if entry.size is not None else MAX_BLOB_BYTES
    if is_prose(entry.path):
        return min(size, TEXT_READ_BYTES)
    return size if size <= MAX_BLOB_BYTES else None


def _mib(size: int) -> str:
    return f"{size / (1 << 20):g} MiB"


def _over_budget(candidates: list[tuple[FileEntry, int]]) -> list[str]:
    """The paths, largest first, that would take the bytes read past :data:`MAX_READ_BYTES` when the
    smallest files are read first."""
    total, left_out = 0, []
    for entry, limit in sorted(candidates, key=lambda pair: (pair[1], pair[0].path)):
        total += limit
        if total > MAX_READ_BYTES:
            left_out.append(entry.path)
    return left_out[::-1]


def whole_characters(data: bytes) -> bytes:
    """``data`` cut short without the partial UTF-8 character at its end, so that a text read in part
    still decodes as UTF-8 rather than falling back to Latin-1."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0xC0 != 0x80:  # the first byte of the last character
            length = 1 if byte < 0x80 else 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return data if length <= back else data[:-back]
    return data


def cat_file_batch(runner: GitRunner, queries: list[str], limits: Sequence[int | None] | None = None
                   ) -> list[tuple[bytes, bytes] | None]:
    """For each query (an object id, or ``revision:path``), its (type, content), or None when git has
    no such object; one ``cat-file --batch`` for all of them.

    ``limits`` caps the bytes kept of each object (None: all of it): the rest is read and dropped as
    git writes it, so a build holds what it keeps, not what the repository holds.
    """
    if not queries:
        return []
    stream = _BatchStream(runner.stream("cat-file", "--batch",
                                        stdin="".join(f"{query}\n" for query in queries).encode("utf-8")))
    answers: list[tuple[bytes, bytes] | None] = []
    for limit in limits if limits is not None else [None] * len(queries):
        header = stream.line().split()
        if len(header) != 3 or not header[2].isdigit():
            answers.append(None)  # "<query> missing" (or ambiguous): not in this clone
            continue
        size = int(header[2])
        kept = size if limit is None else min(size, limit)
        answers.append((header[1], stream.take(kept)))
        stream.skip(size - kept + 1)  # the rest, and the newline git writes after each object
    stream.finish()
    return answers


class _BatchStream:
    """``cat-file --batch`` output as it arrives: lines and counted bytes, with at most one chunk of
    git's output held beyond what the caller keeps."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.buffer = bytearray()
        self.start = 0

    def _more(self) -> None:
        chunk = next(self.chunks, None)
        if chunk is None:
            raise AlmanacError("git cat-file --batch stopped before answering every object")
        del self.buffer[: self.start]
        self.start = 0
        self.buffer += chunk

    def line(self) -> bytes:
        searched = self.start
        while (end := self.buffer.find(b"\n", searched)) < 0:
            searched = len(self.buffer) - self.start
            self._more()
        line = bytes(self.buffer[self.start : end])
        self.start = end + 1
        return line

    def take(self, count: int) -> bytes:
        while len(self.buffer) - self.start < count:
            self._more()
        data = bytes(self.buffer[self.start : self.start + count])
        self.start += count
        return data

    def skip(self, count: int) -> None:
        while len(self.buffer) - self.start < count:
            count -= len(self.buffer) - self.start
            self.start = len(self.buffer)
            self._more()
        self.start += count

    def finish(self) -> None:
        """Read to the end, so that git's exit status is checked."""
        for _ in self.chunks:
            pass


def folder_at_head(repo: Path, folder: str, findings: list[Finding] | None = None) -> dict[str, bytes]:
    """The files under ``folder``, every Markdown file of the repository (its READMEs in each language,
    ``eval/README.md``…, which the docs link to) and the licence files at its root (copied verbatim:
    a licence's text is not ours to edit), at HEAD, for a site that lives outside the repository it
    describes: read from git objects, so nothing uncommitted or symlinked leaks in. A file read only in
    part (the reading bounds of :func:`read_blobs`) is a finding in ``findings``."""
    runner, state = open_repository(repo)
    if state.head is None:
        return {}
    prefix = folder.strip("/") + "/"
    entries = [entry for entry in list_tree(runner, state.head)
               if entry.path.startswith(prefix) or entry.path.endswith((".md", ".markdown"))
               or ("/" not in entry.path and is_licence_file(entry.path))]  # READMEs link to their licences
    return dict(sorted(read_blobs(runner, entries, findings=findings).items()))


def write_package_sources(repo: Path, packages: list[tuple[str, str]], folder: Path) -> list[Path]:
    """Write the Python sources (``.py``, ``.pyi``) of ``packages`` (name, search path) at HEAD from git
    objects into ``folder``, and return the search folders to give griffe, one per search path.

    The API reference is the one reader that would otherwise read the work tree: there griffe follows a
    committed link (``pkg/settings.py -> ../../secrets.py``) and publishes a file outside the repository,
    reads uncommitted files, and finds compiled extensions and ``.pth`` files. A copy holds only the
    committed regular source files, so none of that is there to be found. (Packages whose ``__init__.py``
    does not parse are left out of the knowledge already: see :func:`generator.build.parseable_packages`.)"""
    runner, state = open_repository(repo)
    prefixes = tuple(f"{search}/{name}/" if search else f"{name}/" for name, search in packages)
    entries = [entry for entry in list_tree(runner, state.head) if entry.path.startswith(prefixes)
               and entry.path.endswith((".py", ".pyi")) and not {"", ".", ".."} & set(entry.path.split("/"))
               ] if state.head is not None and prefixes else []
    for path, content in read_blobs(runner, entries).items():  # regular files only: links are not read
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return [folder / search if search else folder for search in dict.fromkeys(search for _, search in packages)]


#: File types an imported folder may publish: they cannot run a script on the site's origin (HTML, SVG,
#: XHTML, XML, JavaScript and CSS can, and a static host serves them as active content). Markdown files
#: become pages; a licence without an extension is plain text.
PUBLISHED_SUFFIXES = frozenset({"", ".md", ".markdown", ".txt", ".rst", ".csv", ".tsv", ".json", ".yaml", ".yml",
                                ".toml", ".cff", ".bib", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif",
                                ".bmp", ".ico", ".pdf"})
#: Longest file or folder name (in UTF-8 bytes) an imported file may have: file systems stop at 255,
#: and a page ``name.md`` becomes a folder ``name/`` of the site.
MAX_NAME_BYTES = 200


def publishable(files: dict[str, bytes], findings: list[Finding]) -> dict[str, bytes]:
    """The imported files the site may publish: a finding for each file of a type that could run a
    script (it is not published) and each name too long for a file system (skipped, not a failed build)."""
    kept = {}
    for path, content in files.items():
        name = path.rsplit("/", 1)[-1]
        suffix = "." + name.rsplit(".", 1)[1].lower() if "." in name else ""  # .htaccess is a suffix too
        if any(len(part.encode("utf-8")) > MAX_NAME_BYTES for part in path.split("/")):
            findings.append(Finding(f"a name is longer than {MAX_NAME_BYTES} bytes; not published", path[:120] + "…"))
        elif suffix not in PUBLISHED_SUFFIXES:
            findings.append(Finding(f"not published: a {suffix} file could run scripts on the site (import_docs "
                                    "publishes images, PDF, text and data files)", path))
        elif suffix not in (".md", ".markdown") and _begins_like_markup(content):
            findings.append(Finding("not published: it begins like HTML, and a server that knows no type for it "
                                    "guesses one from its first bytes and would run it as a page", path))
        else:
            kept[path] = content
    return kept


def _begins_like_markup(content: bytes) -> bool:
    """Whether a file starts, after a byte-order mark and white space, with ``<``: what servers that guess
    a type from content (Go's ``http.DetectContentType``, a browser given no type) read as HTML or XML. No
    image, PDF, licence or data file Almanac publishes begins so."""
    return content.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\n\r\x0c").startswith(b"<")


#: Front matter as MkDocs reads it: YAML between ``---`` and ``---`` (or ``...``) at the very top.
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\r?\n(.*?\r?\n)(?:\.{3}|-{3})[ \t]*(?:\r?\n|\Z)", re.DOTALL)
#: Values ``hide:`` may take in mkdocs-material.
_HIDE = frozenset({"navigation", "toc", "footer", "path", "feedback", "tags"})
#: Front-matter keys MkDocs, mkdocs-material or its plugins act on that an imported page may not set:
#: dropping one is worth a finding. Other keys (a model card's ``license``, ``datasets``…) are data no
#: page prints: dropped without a word.
_ACTIVE_KEYS = frozenset({"template", "icon", "status", "subtitle", "search", "author", "authors", "date",
                          "categories", "draft", "pin", "slug", "links", "readtime", "comments", "redirect",
                          "location", "social", "render_macros", "ignore_macros"})


def imported_page_text(path: str, content: bytes, findings: list[Finding]) -> str | None:
    """An imported Markdown page with its e-mail addresses redacted (no address is published unless
    the maintainers write the page in the site itself), the syntax of file-reading or templating
    extensions made inert, and front matter the theme can print safely (see :func:`page_meta`);
    None for other files, copied as they are. The rendered page is sanitised too (see
    :func:`generator.text.safehtml.sanitise_page`)."""
    if not path.endswith((".md", ".markdown")):
        return None
    from generator.text.safehtml import defused_brackets, inert_markdown

    text = redact_emails(decode_git_bytes(content))
    match = _FRONT_MATTER.match(text)
    meta = page_meta(match.group(1), path, findings) if match else {}
    body = text[match.end():] if match else text
    # Always a front-matter block of our own, even empty: without one MkDocs reads ``key: value`` lines
    # at the top of the page as metadata (MultiMarkdown style), and the theme prints some unescaped.
    front_matter = yaml.safe_dump(meta, allow_unicode=True, sort_keys=True)
    return "---\n" + front_matter + "---\n" + defused_brackets(inert_markdown(body))


def page_meta(front_matter: str, path: str, findings: list[Finding]) -> dict[str, Any]:
    """The keys of an imported page's front matter that a page needs, each checked by type and
    HTML-escaped (mkdocs-material prints ``title``, ``description`` and ``tags`` unescaped). Other keys
    are dropped, with a finding for those the theme or its plugins act on (``status``, ``subtitle``…
    are printed unescaped, ``icon`` and ``template`` name files the build would fail to find) and for
    a needed key whose value has the wrong type."""
    meta: dict[str, Any] = {}
    for key, value in parse_front_matter(front_matter, path, findings).items():
        if key in ("title", "description") and isinstance(value, str):
            meta[key] = str(escape(plain_line(value)))
        elif key == "tags" and isinstance(value, list) and all(isinstance(tag, str) for tag in value):
            meta[key] = [str(escape(plain_line(tag))) for tag in value]
        elif key == "hide" and isinstance(value, list) and all(isinstance(item, str) and item in _HIDE
                                                               for item in value):
            meta[key] = value
        elif key in _ACTIVE_KEYS or key in ("title", "description", "tags", "hide"):
            findings.append(Finding(f"front matter key '{key}' is not one an imported page may set (title, "
                                    "description, tags, hide) or its value is of the wrong kind; dropped",
                                    f"{path}:2"))
    return meta


def is_readme(name: str) -> bool:
    """The README and its translations (``README_zh.md``, ``README.en.md``…), by file name."""
    return name.upper().startswith("README") and name.lower().endswith(".md")


def read_revision_paths(runner: GitRunner, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], bytes | None]:
    """The contents of ``path`` at ``revision`` for each pair, in one ``cat-file --batch``; None where
    the path does not exist at that revision (added later, or removed). Revisions like ``sha^`` work.
    These are texts compared version to version (licences): the first :data:`TEXT_READ_BYTES` of each."""
    pairs = [(revision, path) for revision, path in dict.fromkeys(wanted) if "\n" not in path]
    answers = cat_file_batch(runner, [f"{revision}:{path}" for revision, path in pairs], [TEXT_READ_BYTES] * len(pairs))
    return {pair: whole_characters(answer[1]) if answer is not None and answer[0] == b"blob" else None
            for pair, answer in zip(pairs, answers, strict=True)}


def parse_front_matter(block: str, path: str, findings: list[Finding]) -> dict[str, Any]:
    """The YAML of a front-matter block (the file's line 2 on) as a mapping, parsed with the limits of
    :mod:`generator.text.untrusted`; YAML that fails or is not a mapping is a finding and an empty mapping."""
    try:
        data = load_yaml(block)
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or "not valid YAML"
        findings.append(Finding(f"front matter is not valid YAML ({problem}); ignored",
                                yaml_error_place(error, path, first_line=2)))
        return {}
    if not isinstance(data, dict):
        findings.append(Finding("front matter is not a mapping of keys to values; ignored", f"{path}:2"))
        return {}
    return data
