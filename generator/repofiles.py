"""Files of the repository at a revision, read from git objects rather than the work tree.

Reading objects means a dirty work tree, an untracked file or a symlink pointing outside the
repository can never leak into the site: symlinks are listed with their mode and never followed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from markupsafe import escape

from generator.errors import AlmanacError, Finding, yaml_error_place
from generator.filekinds import is_licence_file
from generator.gitrepo import GitRunner, open_repository
from generator.model import FileEntry
from generator.safetext import plain_line, redact_emails
from generator.text import decode_git_bytes

#: Blobs larger than this are not read whole (weights); their headers are read by dedicated readers.
MAX_BLOB_BYTES = 8 << 20


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


def read_blobs(runner: GitRunner, entries: list[FileEntry], *, licence_links: bool = False) -> dict[str, bytes]:
    """Contents of regular files (not symlinks, not submodules, not huge) in one ``cat-file --batch``.

    With ``licence_links``, a licence file that is a symlink is read too: its content is the path it
    points to, which the licence reader follows.
    """
    wanted = [
        entry
        for entry in entries
        if (not entry.is_symlink or (licence_links and is_licence_file(entry.path.rsplit("/", 1)[-1])))
        and not entry.is_submodule and (entry.size or 0) <= MAX_BLOB_BYTES
    ]
    answers = cat_file_batch(runner, [entry.object_id for entry in wanted])
    return {entry.path: answer[1] for entry, answer in zip(wanted, answers, strict=True) if answer is not None}


def cat_file_batch(runner: GitRunner, queries: list[str]) -> list[tuple[bytes, bytes] | None]:
    """For each query (an object id, or ``revision:path``), its (type, content), or None when git has
    no such object; one ``cat-file --batch`` for all of them."""
    if not queries:
        return []
    out = runner.run_with_input(("cat-file", "--batch"), "".join(f"{query}\n" for query in queries).encode("utf-8"))
    answers: list[tuple[bytes, bytes] | None] = []
    position = 0
    for _ in queries:
        header_end = out.find(b"\n", position)
        if header_end < 0:
            raise AlmanacError("git cat-file --batch stopped before answering every object")
        header = out[position:header_end].split()
        position = header_end + 1
        if len(header) != 3 or not header[2].isdigit():
            answers.append(None)  # "<query> missing" (or ambiguous): not in this clone
            continue
        size = int(header[2])
        answers.append((header[1], out[position : position + size]))
        position += size + 1
    return answers


def folder_at_head(repo: Path, folder: str) -> dict[str, bytes]:
    """The files under ``folder``, every Markdown file of the repository (its READMEs in each language,
    ``eval/README.md``…, which the docs link to) and the licence files at its root (copied verbatim:
    a licence's text is not ours to edit), at HEAD, for a site that lives outside the repository it
    describes: read from git objects, so nothing uncommitted or symlinked leaks in."""
    runner, state = open_repository(repo)
    if state.head is None:
        return {}
    prefix = folder.strip("/") + "/"
    entries = [entry for entry in list_tree(runner, state.head)
               if entry.path.startswith(prefix) or entry.path.endswith((".md", ".markdown"))
               or ("/" not in entry.path and is_licence_file(entry.path))]  # READMEs link to their licences
    return dict(sorted(read_blobs(runner, entries).items()))


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
        else:
            kept[path] = content
    return kept


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
    :func:`generator.safehtml.sanitise_page`)."""
    if not path.endswith((".md", ".markdown")):
        return None
    from generator.safehtml import inert_markdown

    text = redact_emails(decode_git_bytes(content))
    match = _FRONT_MATTER.match(text)
    meta = page_meta(match.group(1), path, findings) if match else {}
    body = text[match.end():] if match else text
    # Always a front-matter block of our own, even empty: without one MkDocs reads ``key: value`` lines
    # at the top of the page as metadata (MultiMarkdown style), and the theme prints some unescaped.
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n" + inert_markdown(body)


def page_meta(front_matter: str, path: str, findings: list[Finding]) -> dict[str, Any]:
    """The keys of an imported page's front matter that a page needs, each checked by type and
    HTML-escaped (mkdocs-material prints ``title``, ``description`` and ``tags`` unescaped). Other keys
    are dropped, with a finding for those the theme or its plugins act on (``status``, ``subtitle``…
    are printed unescaped, ``icon`` and ``template`` name files the build would fail to find) and for
    a needed key whose value has the wrong type."""
    try:
        data = yaml.safe_load(front_matter)
    except yaml.YAMLError as error:
        findings.append(Finding("front matter is not valid YAML; ignored", yaml_error_place(error, path, 2)))
        return {}
    if not isinstance(data, dict):
        findings.append(Finding("front matter is not a mapping of keys to values; ignored", f"{path}:2"))
        return {}
    meta: dict[str, Any] = {}
    for key, value in data.items():
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
    the path does not exist at that revision (added later, or removed). Revisions like ``sha^`` work."""
    pairs = [(revision, path) for revision, path in dict.fromkeys(wanted) if "\n" not in path]
    answers = cat_file_batch(runner, [f"{revision}:{path}" for revision, path in pairs])
    return {pair: answer[1] if answer is not None and answer[0] == b"blob" else None
            for pair, answer in zip(pairs, answers, strict=True)}
