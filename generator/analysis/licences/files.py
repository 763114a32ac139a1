"""Every licence-like file of a repository: what it holds and what it covers.

A model repository often carries a licence for its code, another for its weights, a use policy
and a NOTICE; the file names say which covers what (``LICENSE-CODE``, ``MODEL_LICENSE``), and a
plain ``LICENSE`` covers whatever no other file claims. Files that cannot be read as a licence
(empty, binary, a symlink to nowhere) are reported, never guessed at.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import asdict
from functools import cache

import orjson

from generator.analysis.licences.match import identify
from generator.analysis.licences.names import licence_named
from generator.model.errors import Finding
from generator.model.knowledge import FileEntry
from generator.model.licences import (
    ALL,
    CODE,
    DATA,
    NOTICE,
    REUSE_TEXT,
    USE_POLICY,
    WEIGHTS,
    Bundled,
    LicenceFile,
    LicenceMatch,
)
from generator.sources.files.filekinds import is_licence_file
from generator.sources.files.repofiles import MAX_BLOB_BYTES
from generator.text.clean import decode_git_bytes
from generator.text.safetext import plain_line

_SCOPE_WORDS = (
    (re.compile(r"\b(code|source|software)\b"), CODE),
    (re.compile(r"\b(model|weights?|checkpoints?|params)\b"), WEIGHTS),
    (re.compile(r"\b(data|dataset|datasets|corpus)\b"), DATA),
    (re.compile(r"\b(use|usage|acceptable)[ _-]?polic"), USE_POLICY),
)
#: Larger than any licence text; a bigger "licence file" (a bundle of third-party notices) is
#: matched on this much.
MAX_LICENCE_BYTES = 256 * 1024


def scope_of(path: str) -> str:
    """What a licence file covers, judged from its name alone."""
    folder, _, name = path.rpartition("/")
    if folder.split("/")[-1] == "LICENSES":
        return REUSE_TEXT
    stem = re.sub(r"\.(md|txt|rst)$", "", name, flags=re.IGNORECASE).lower().replace("licence", "license")
    if stem.startswith("notice"):
        return NOTICE
    words = re.sub(r"[-_.]+", " ", stem)
    for pattern, scope in _SCOPE_WORDS:
        if pattern.search(words):
            return scope
    return ALL


#: Licence matches already worked out, by :func:`match_key` of the text's blob: the text of a blob
#: never changes, so neither does what it matches (for one version of the matchers and their data).
MatchMemo = dict[str, tuple[LicenceMatch, ...]]


@cache
def _matcher_version() -> str:
    from importlib import metadata, resources

    data = resources.files("generator").joinpath("data/licences.yml").read_bytes()
    return hashlib.sha256(data + metadata.version("licenseclassifier").encode()).hexdigest()[:12]


def match_key(object_id: str) -> str:
    return f"licence:{_matcher_version()}:{object_id}"


def encode_matches(memo: MatchMemo) -> dict[str, bytes]:
    return {key: orjson.dumps([asdict(match) for match in matches]) for key, matches in memo.items()}


def decode_matches(stored: dict[str, bytes]) -> MatchMemo:
    memo: MatchMemo = {}
    current = match_key("")  # rows of earlier matcher versions can never be asked for: not decoded
    for key, data in stored.items():
        if key.startswith(current):
            try:
                memo[key] = tuple(LicenceMatch(**{**item, "differs": tuple(item["differs"])})
                                  for item in orjson.loads(data))
            except (orjson.JSONDecodeError, TypeError, KeyError):
                continue  # a damaged row is worked out again
    return memo


def read_licence_files(entries: list[FileEntry], blobs: dict[str, bytes], findings: list[Finding],
                       memo: MatchMemo | None = None) -> list[LicenceFile]:
    """Identify every licence-like file read at HEAD; problems go to ``findings``. ``memo`` holds
    matches worked out before (from the cache) and receives the new ones."""
    by_path = {entry.path: entry for entry in entries}
    files = []
    for entry in entries:
        name = entry.path.rsplit("/", 1)[-1]
        if not (is_licence_file(entry.path) or is_licence_file(name)) or entry.path.endswith(".license"):
            continue  # REUSE's ``.license`` sidecars describe another file; coverage reads them
        files.append(_read_one(entry, by_path, blobs, findings, {} if memo is None else memo))
    return files


def _read_one(entry: FileEntry, by_path: dict[str, FileEntry], blobs: dict[str, bytes],
              findings: list[Finding], memo: MatchMemo) -> LicenceFile:
    path, scope, note = entry.path, scope_of(entry.path), ""
    text_id = entry.object_id
    if entry.is_symlink:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), decode_git_bytes(blobs.get(path, b""))))
        if target not in by_path or target not in blobs or by_path[target].is_symlink:
            findings.append(_problem(f"is a symlink to {target}, which is not a file in the repository", path))
            return LicenceFile(path, scope, (), f"symlink to {target}, not in the repository")
        note, data, text_id = f"symlink to {target}", blobs[target], by_path[target].object_id
    elif path not in blobs:
        findings.append(Finding(f"larger than {MAX_BLOB_BYTES >> 20} MiB; not read as a licence", path, "info"))
        return LicenceFile(path, scope, (), "too large to be a licence text")
    else:
        data = blobs[path]
    if not data.strip():
        findings.append(_problem("is empty", path))
        return LicenceFile(path, scope, (), "empty")
    if b"\0" in data[:8192] or data.startswith(b"%PDF"):
        findings.append(_problem("is not a text file (a PDF or other binary); its licence cannot be read", path))
        return LicenceFile(path, scope, (), "not text")
    text = decode_git_bytes(data[:MAX_LICENCE_BYTES])
    key = match_key(text_id)
    if key not in memo:
        memo[key] = tuple(identify(text))
    matches = memo[key]
    title = licence_title(text)
    head: tuple[str, ...] = ()
    bundled: tuple[Bundled, ...] = ()
    if scope != USE_POLICY:
        head, bundled = _bundled(text, path, key, memo, own_text=scope != NOTICE)
    if scope not in (NOTICE, USE_POLICY):  # notices and policies are not licence texts
        findings += _match_findings(path, scope, matches, title, bundled, head)
    return LicenceFile(path, scope, matches, note, copyright_lines(text), text if scope == NOTICE else "",
                       bundled, head, title)


#: A heading that starts one bundled third-party licence: "------ LICENSE FOR NVIDIA code ------"
#: (decorated, so a wrapped line of a licence's prose is never one) or a Debian-style "Files: a/* b.py".
_BUNDLED_HEADING = re.compile(
    r"^[ \t]*(?:[-=#*]{2,}[ \t]*licen[cs]es?\s+(?:for|of)\s+(?P<covers>[^\n]{2,100}?)\s*[-=#*]*"
    r"|licen[cs]es?\s+(?:for|of)\s+(?P<covers2>[^\n.]{2,100}?)\s*(?:[-=#*]{2,}|:))\s*$"
    r"|^[ \t]*Files?:[ \t]*(?P<files>\S[^\n]{0,200}?)\s*$",
    re.IGNORECASE | re.MULTILINE)
#: The sentence that introduces bundled code: "This repository also contains code from Hugging Face…".
_BUNDLED_INTRO = re.compile(
    r"\b(?:this|the)\s+(?:repository|repo|project|software|product|package|library|code(?:base)?|work)\s+"
    r"(?:also\s+)?(?:contains|includes|incorporates|bundles|redistributes)\s+(?:\w+\s+)?"
    r"(?:code|software|files|portions|components|parts)\b", re.IGNORECASE)


def _bundled(text: str, path: str, key: str, memo: MatchMemo, *, own_text: bool
             ) -> tuple[tuple[str, ...], tuple[Bundled, ...]]:
    """The licences of the file's own text and its bundled third-party sections, each with what it
    names. A licence file is split only when its own text (before the first section) is a licence
    Almanac identifies; a NOTICE has no text of its own to speak of."""
    starts = [match.start() for match in _BUNDLED_HEADING.finditer(text)]
    intro = _BUNDLED_INTRO.search(text)
    first = min([*starts[:1], *([intro.start()] if intro else [])], default=None)
    if first is None:
        return (), ()
    first = text.rfind("\n", 0, first) + 1
    head: tuple[str, ...] = ()
    if own_text:
        head_key = f"{key}:head"
        if head_key not in memo:
            memo[head_key] = tuple(identify(text[:first])) if text[:first].strip() else ()
        head = tuple(dict.fromkeys(match.licence for match in memo[head_key] if match.licence))
        if not head:
            return (), ()
    sections = [start for start in starts if start >= first] or [first]
    found = []
    for index, start in enumerate(sections):
        end = sections[index + 1] if index + 1 < len(sections) else len(text)
        body = text[start:end]
        heading = _BUNDLED_HEADING.match(text, start)
        covers = next((group for group in (heading.group("covers"), heading.group("covers2"), heading.group("files"))
                       if group), "") if heading else _intro_sentence(body)
        section_key = f"{key}:{start}"
        if section_key not in memo:
            memo[section_key] = tuple(identify(body))
        line = text.count("\n", 0, start) + 1
        licences = tuple(dict.fromkeys(match.licence for match in memo[section_key] if match.licence))
        if not heading and not licences:
            continue  # "This product includes software developed at …" with no licence text: an attribution
        found.append(Bundled(plain_line(covers.strip(" -=#*:")), licences, f"{path}:{line}", copyright_lines(body)))
    return head, tuple(found)


def _intro_sentence(body: str) -> str:
    sentence = " ".join(re.split(r"(?<=\.)\s", " ".join(body.split()), maxsplit=1)[0].split())
    return sentence if len(sentence) <= 200 else sentence[:199] + "…"


_TITLE = re.compile(r"licen[cs]e|agreement|terms of use|许可|协议", re.IGNORECASE)


def licence_title(text: str) -> str:
    """The name a licence text gives itself on its first line ("The ChatGLM2-6B License"), or ""."""
    first = next((line.strip(" #*_=\t") for line in text.splitlines() if line.strip(" #*_=-\t")), "")
    titled = len(first) <= 80 and _TITLE.search(first) and not re.search(r"[.:;。：；]", first)
    known = licence_named(first) is not None or _WELL_KNOWN.search(first)
    return plain_line(first) if titled and not known else ""


#: Names of licences whose text is published elsewhere: a file titled so whose text Almanac does not
#: match is a damaged or altered copy, not a licence of the project's own.
_WELL_KNOWN = re.compile(r"\b(apache|mit|bsd|gnu|[al]?gpl|mozilla|mpl|creative\s+commons|cc[- ]by|eclipse|isc|"
                         r"unlicense|boost|zlib|artistic|openrail|llama|gemma|qwen|deepseek|mulan)\b", re.IGNORECASE)


_COPYRIGHT = re.compile(r"^\W{0,3}(Copyright\b.*|\(c\)\s.*|©.*)$", re.IGNORECASE | re.MULTILINE)
#: A notice rather than a sentence about copyright: a year, or "(c)"/"©" then a name
#: ("Copyright (c) Facebook, Inc. and its affiliates." has no year and is one).
_NOTICE_BODY = re.compile(r"\d{4}|^(?:Copyright\s*)?(?:\(c\)|©)\s*\w", re.IGNORECASE)
#: Starts where a run of spaces starts and stops at the first "@": linear on any line.
_ADDRESS_IN_BRACKETS = re.compile(r"(?<!\s)\s*<[^<>\s@]+@[^<>\s]+>")
_PLACEHOLDER = re.compile(r"[\[<{]\s*(yyyy|year|name|owner|copyright holder|fullname)", re.IGNORECASE)


def copyright_lines(text: str) -> tuple[str, ...]:
    """The copyright notices a licence file carries, addresses removed, templates' placeholders skipped."""
    found = []
    for match in _COPYRIGHT.finditer(text):
        line = plain_line(_ADDRESS_IN_BRACKETS.sub("", match.group(1))).rstrip("\"”'")  # quoted in the licence
        if _NOTICE_BODY.search(line) and not _PLACEHOLDER.search(line) and len(line) <= 200:
            found.append(line)
    return tuple(dict.fromkeys(found))


def _problem(message: str, path: str) -> Finding:
    """A licence file a reader cannot rely on: a note on the site, a warning for ``almanac check``."""
    return Finding(message, path, "info", "warning")


def _match_findings(path: str, scope: str, matches: tuple[LicenceMatch, ...], title: str = "",
                    bundled: tuple[Bundled, ...] = (), head: tuple[str, ...] = ()) -> list[Finding]:
    found = []
    identified = [match for match in matches if match.identified]
    unknown_languages: list[str] = []
    for match in matches:
        if match.nearest:
            differs = "; ".join(f"“{clause}”" if not clause.startswith(("only ", "has ")) else clause
                                for clause in match.differs)
            found.append(_problem(f"nearly {match.nearest} ({match.confidence:.0%} of its text) but not the same "
                                  f"text: {differs} — reported as unknown", path))
        elif not match.identified:
            if scope == REUSE_TEXT and path.rsplit("/", 1)[-1].startswith("LicenseRef-"):
                continue  # a licence of the project's own, as REUSE names them
            unknown_languages += match.language.split("+")
    if unknown_languages:  # one finding for the file: the Chinese and English texts of one licence are one text
        languages = " and ".join(_LANGUAGES.get(language, language) for language in dict.fromkeys(unknown_languages))
        if title and not identified:
            found.append(_problem(f"“{title}”, a licence of its own ({languages} text) that Almanac does not know: "
                                  "read it yourself", path))
        else:
            language = "" if languages == "English" else f"{languages} "
            found.append(_problem(f"{language}text that is no licence Almanac knows: unknown, read it yourself"
                                  + (" (beside the identified licence)" if identified else ""), path))
    if bundled:
        own = ", ".join(dict.fromkeys(match.name for match in identified if match.licence in head))
        spdx = {match.licence: match.spdx for match in identified}

        def shown(section: Bundled) -> str:
            ids = ", ".join(spdx.get(licence, licence) for licence in section.licences) or "unknown"
            return f"{section.covers} ({ids}, line {section.where.rsplit(':', 1)[1]})"
        sections = "; ".join(shown(section) for section in bundled)
        found.append(Finding(f"holds its own licence{f' ({own})' if own else ''} and bundled third-party licences "
                             f"that cover only what they name: {sections}", path, "info"))
    elif len({match.licence for match in identified}) > 1:
        names = ", ".join(dict.fromkeys(match.name for match in identified))
        found.append(Finding(f"holds several licences in one file: {names}", path, "info"))
    if scope == REUSE_TEXT:
        named = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if identified and named.lower() not in {match.spdx.lower() for match in identified}:
            found.append(Finding(f"is named {named} but holds {identified[0].spdx}", path, "info", "error"))
    return found


_LANGUAGES = {"zh": "Chinese", "en": "English"}
