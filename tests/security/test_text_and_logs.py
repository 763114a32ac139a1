"""Text from strangers: addresses found in linear time, never in a page name, and inert in CI logs.

* Redaction is one scan: every ``@`` is found once and the address grown around it. Its output is
  compared with a plain regular-expression reference on random text, and the characters it reads are
  counted on the inputs that made the old regex quadratic (no timing: counts do not depend on the
  machine). A 1 MB hostile subject runs under an alarm that only guards against a hang.
* A person known only by an address gets a neutral page name and is shown without it.
* Names, file names, commit subjects and tags holding workflow commands and escape sequences reach
  ``almanac check`` and ``almanac build`` output inert.
"""

from __future__ import annotations

import re
import signal
import sys
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import BuildOptions, build_knowledge
from generator.cli.commands import main
from generator.model.errors import AlmanacError, Finding
from generator.text.addresses import AT_SIGNS, EMAIL_PLACEHOLDER, FILE_EXTENSIONS, UNNAMED, address_spans, fold, redact
from generator.text.clean import json_log_safe, log_safe
from generator.text.safetext import plain_line, redact_emails, redact_name
from generator.text.slugs import slugify
from tests.gitrepo import Repo

# --- redaction: the rule, and one pass ---


def _reference_pattern(in_name: bool) -> re.Pattern[str]:
    """The rule as one regular expression, quadratic on hostile text but plain to read."""
    if in_name:
        return re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*")
    extension = "|".join("".join(f"[{c.lower()}{c.upper()}]" for c in ext) for ext in sorted(FILE_EXTENSIONS))
    top_level = rf"(?!(?:{extension})(?![\w-]))[^\W\d_]{{2}}[\w-]*(?![\w-])"
    return re.compile(rf"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.{top_level}")


def reference_redact(text: str, *, in_name: bool) -> str:
    """Match the folded text with the regex, then replace the same characters of the original."""
    kept = [(index, fold(char)) for index, char in enumerate(text) if fold(char)]
    view, origin = "".join(char for _, char in kept), [index for index, _ in kept]
    parts, last = [], 0
    for match in _reference_pattern(in_name).finditer(view):
        start, end = origin[match.start()], origin[match.end() - 1] + 1
        parts += [text[last:start], EMAIL_PLACEHOLDER]
        last = end
    return "".join([*parts, text[last:]])


#: Characters and fragments that exercise every branch: lookalikes, invisibles, marks, extensions, TLDs.
ALPHABET = [*"abzZ019.-_+@ :\n", "＠", "﹫", "．", "。", "\u200b", "\u202e", "\u0301", "é", "中", "ｇ", "\x1b",
            "png", "PNG", "json", "com", "xn--p1ai"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join), st.booleans())
def test_one_pass_redaction_equals_the_regex_reference(text: str, in_name: bool) -> None:
    assert redact(text, in_name=in_name) == reference_redact(text, in_name=in_name)


@pytest.mark.parametrize(("text", "in_prose", "in_a_name"), [
    ("mail jane.doe@bigcorp.example today", "mail (e-mail hidden) today", "mail (e-mail hidden) today"),
    ("root@ci-runner-17", "root@ci-runner-17", "(e-mail hidden)"),  # no dot: an address only in a name
    ("jane＠bigcorp．example", "(e-mail hidden)", "(e-mail hidden)"),  # fullwidth, folded by NFKC
    ("jane﹫bigcorp.example", "(e-mail hidden)", "(e-mail hidden)"),  # U+FE6B small commercial at
    ("ja\u200bne@big\u200bcorp.example", "(e-mail hidden)", "(e-mail hidden)"),  # zero-width spaces inside
    ("user@例子。中国", "(e-mail hidden)", "(e-mail hidden)"),  # an internationalised domain
    ("wang@163.com", "(e-mail hidden)", "(e-mail hidden)"),
    ("thanks @mention", "thanks @mention", "thanks @mention"),  # a handle, not an address
    ("![logo](assets/logo@2x.png)", "![logo](assets/logo@2x.png)", "![logo](assets/(e-mail hidden))"),
    ("pip install lodash@4.17.21", "pip install lodash@4.17.21", "pip install (e-mail hidden)"),
    ("y = x@W.T", "y = x@W.T", "y = (e-mail hidden)"),  # a matrix product
    ("jane@bigcorp.example.", "(e-mail hidden).", "(e-mail hidden)."),
])
def test_what_counts_as_an_address(text: str, in_prose: str, in_a_name: str) -> None:
    assert (redact_emails(text), redact_name(text)) == (in_prose, in_a_name)


def test_every_character_nfkc_folds_to_at_is_an_at_sign() -> None:
    folded = {chr(code) for code in range(sys.maxunicode + 1) if unicodedata.normalize("NFKC", chr(code)) == "@"}
    assert folded == set(AT_SIGNS)


class CountingText(str):
    """A string that counts the characters read from it one at a time."""

    reads = 0

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        if isinstance(key, int):
            CountingText.reads += 1
        return super().__getitem__(key)


HOSTILE_SHAPES: dict[str, Callable[[int], str]] = {
    "a" * 3: lambda n: "a" * n,
    "a." * 3: lambda n: "a." * (n // 2),
    "a@" * 3: lambda n: "a@" * (n // 2),
    "@a" * 3: lambda n: "@a" * (n // 2),
    "a@a." * 3: lambda n: "a@a." * (n // 4),
    "a…a@": lambda n: "a" * (n - 1) + "@",
    "a@a…a": lambda n: "a@" + "a" * (n - 2),
    "a@a.a.a…": lambda n: "a@" + "a." * (n // 2 - 1),
    "a.a.a…@a.co": lambda n: "a." * (n // 2 - 3) + "@a.co",
    "a@" + "zz." * 3: lambda n: ("a@" + "zz." * 50) * (n // 152),
    "＠a" * 3: lambda n: "＠a" * (n // 2),
    "a\u200b" * 3: lambda n: "a\u200b" * (n // 2 - 1) + "@a.co",
}


@pytest.mark.parametrize("in_name", [False, True])
@pytest.mark.parametrize("shape", HOSTILE_SHAPES)
def test_redaction_reads_each_character_a_bounded_number_of_times(shape: str, in_name: bool) -> None:
    """The work done on 100 KB is about ten times the work on 10 KB, and never more than three reads a
    character: linear, whatever the shape."""
    reads = []
    for size in (10_000, 100_000):
        text = CountingText(HOSTILE_SHAPES[shape](size))
        CountingText.reads = 0
        for _ in address_spans(text, in_name=in_name):
            pass
        assert CountingText.reads <= 3 * len(text)
        reads.append(CountingText.reads)
    assert reads[1] <= 11 * max(reads[0], 1)


@contextmanager
def hang_guard(seconds: int = 20) -> Iterator[None]:
    """Fails a test that hangs; not a measure of speed (the bound is far above the expected time)."""

    def give_up(signum: int, frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_one_megabyte_hostile_subject_is_processed() -> None:
    local, domain = "a" * 500_000, "a." * 250_000  # single-letter labels: no top-level domain
    with hang_guard():
        assert redact_emails("a." * 500_000) == "a." * 500_000  # no "@": the old regex took hours on it
        assert redact_emails(local + "@" + domain) == local + "@" + domain
        assert redact_name(local + "@" + domain) == EMAIL_PLACEHOLDER + "."
        assert plain_line("a@" * 500_000 + " jane@bigcorp.example").endswith(" " + EMAIL_PLACEHOLDER)


def test_hostile_readmes_are_read_in_linear_time() -> None:
    """Tables and code blocks of a README: regexes whose repetitions overlapped took minutes on these."""
    from generator.analysis.community.citations import readme_bibtex
    from generator.analysis.models.evaltables import eval_results, number

    cell = "1" + " " * 100_000 + "x"
    with hang_guard():
        assert number(cell) is None
        assert number("46.3 %") == 46.3 and number("**46.3**†") == 46.3
        assert eval_results(f"| Benchmark | Model |\n|---|---|\n| {'0' * 100_000} | {cell} |\n") == []
        assert readme_bibtex("```\n" + "\n" * 100_000 + "x", "README.md", []) == []


# --- the other regexes that read strangers' text: same answers, linear time ---

#: The regexes as they were, each quadratic or worse on some input; the rewrites must answer the same.
OLD_TRAILER = re.compile(r"^\s*(.*?)\s*<([^>]*)>\s*$")
OLD_MAILMAP = re.compile(r"^\s*([^<#]*?)\s*<([^>]*)>\s*(?:([^<#]*?)\s*<([^>]*)>)?")
OLD_PR_SUFFIX = re.compile(r"\s*\(#(\d+)\)\s*$")
OLD_SPDX = re.compile(r"SPDX-(License-Identifier|FileCopyrightText)\s*:\s*(.*?)\s*(?:\*/|-->|#}|\"\"\"|$)")
OLD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
OLD_ENGLISH_SIZE = re.compile(
    r"(?P<number>\d+(?:\.\d+)?)\s*-?\s*(?P<scale>billion|million|trillion|[BMT])\b\s*-?\s*param(?:eter)?s?",
    re.IGNORECASE)
OLD_CHINESE_SIZE = re.compile(r"(?P<number>\d+(?:\.\d+)?)\s*(?P<scale>万亿|千亿|亿|万)\s*(?:个)?\s*参数")

PIECES = [*" \t<>#@a1.-(:)*/\"", "#}", "-->", "*/", '"""', "(#12)", "SPDX-License-Identifier:", "B", "billion",
          "params", "亿", "个", "参数", "Jane", "\n"]
pieces = st.lists(st.sampled_from(PIECES), max_size=16).map("".join)


@settings(max_examples=300, deadline=None)
@given(pieces)
def test_rewritten_regexes_answer_as_before(text: str) -> None:
    from generator.analysis.history.identities import _MAILMAP_LINE, _name_and_address
    from generator.analysis.history.prsubjects import PR_SUFFIX as _PR_SUFFIX
    from generator.analysis.licences.reuse import _tags
    from generator.analysis.models.card import _HEADING
    from generator.analysis.models.statedsize import _CHINESE, _ENGLISH
    from generator.text.clean import heading_text

    old = OLD_TRAILER.match(text.strip())
    assert _name_and_address(text) == (old.groups() if old else None)
    line = text.replace("\n", " ")
    old, new = OLD_MAILMAP.match(line), _MAILMAP_LINE.match(line)
    assert (old.groups() if old else None) == (
        (new[1].strip(), new[2], new[3] and new[3].strip(), new[4]) if new else None)
    old, new = OLD_PR_SUFFIX.search(text), _PR_SUFFIX.search(text)
    assert (old and (old.span(), old[1])) == (new and (new.span(), new[1]))
    assert OLD_SPDX.findall(line) == _tags(line)
    old, new = OLD_HEADING.match(line), _HEADING.match(line)
    assert (old and (old[1], old[2].strip())) == (new and (new[1], heading_text(new[2])))
    for before, after in ((OLD_ENGLISH_SIZE, _ENGLISH), (OLD_CHINESE_SIZE, _CHINESE)):
        old, new = before.search(line), after.search(line)
        assert (old and old.groupdict() | {"all": old[0]}) == (new and new.groupdict() | {"all": new[0]})


def test_long_lines_of_strangers_text_are_read_in_linear_time() -> None:
    """Inputs on which each old regex overran the guard (from 20 s to hours; a minute at 4 KB for .mailmap)."""
    from generator.analysis.community.resources import _LOCAL_LINK
    from generator.analysis.history.identities import Mailmap, parse_trailer_person
    from generator.analysis.history.prsubjects import PR_SUFFIX as _PR_SUFFIX
    from generator.analysis.licences.files import copyright_lines
    from generator.analysis.licences.fingerprints import words
    from generator.analysis.licences.reuse import _tags
    from generator.analysis.models.card import _HEADING
    from generator.analysis.models.statedsize import stated_parameters

    spaces = " " * 100_000
    with hang_guard():
        assert parse_trailer_person("a" + "\t" * 200_000 + "x").email == ""
        assert Mailmap(spaces + "x\n").apply("a", "b@c.d") == ("a", "b@c.d")
        assert _PR_SUFFIX.search("fix" + spaces + "x") is None
        assert _tags("SPDX-License-Identifier: MIT" + spaces + "x") == [("License-Identifier", "MIT" + spaces + "x")]
        assert _HEADING.match("# a" + spaces + "x#") is not None
        assert stated_parameters("1" * 100_000 + spaces) is None
        assert stated_parameters("18" + spaces + "亿" + spaces) is None
        assert words("<a" * 200_000 + "[a](" * 100_000 + "![" * 200_000 + "<http://" * 50_000) != []
        assert words("ABC " + "\n" * 100_000) == ["abc"]
        assert copyright_lines("Copyright 2024" + spaces * 2 + "x <a" + "@b" * 100_000) == ()  # too long to keep
        assert _LOCAL_LINK.findall("[" * 100_000) == []


# --- a person known only by an address ---

ADDRESS_NAMES = ("jane.doe@bigcorp.example", "root@ci-runner-17", "ｍａｘ＠ｂｉｇｃｏｒｐ．ｅｘａｍｐｌｅ")


def address_named_history(path: Path) -> Repo:
    repo = Repo(path)
    repo.commit("Start", {"README.md": "# Model\n"}, author="Ann Example <ann@example.com>")
    for number, name in enumerate(ADDRESS_NAMES):
        repo.commit(f"Change {number}", {f"f{number}.txt": name}, author=f"{name} <person{number}@mail.example>")
    # One person whose commits carry both their name and their address as the name: the name wins.
    repo.commit("Fix", {"g.txt": "1"}, author="Lee Smith <lee@corp.example>")
    repo.commit("Fix again", {"g.txt": "2"}, author="lee@corp.example <lee@corp.example>")
    repo.commit("Fix once more", {"g.txt": "3"}, author="lee@corp.example <lee@corp.example>")
    repo.git("tag", "v1.0")
    return repo


def test_a_person_known_only_by_an_address_gets_a_neutral_page(tmp_path: Path) -> None:
    repo = address_named_history(tmp_path / "repo")
    people = build_knowledge(BuildOptions(repo=repo.path, use_cache=False)).people.values()
    hidden = [person for person in people if person.name == UNNAMED]  # a neutral name, not "(e-mail hidden)"
    assert len(hidden) == 3
    assert all(re.fullmatch(r"person-[0-9a-f]{8}", person.slug) for person in hidden)
    assert len({person.slug for person in hidden}) == 3  # unique
    lee = next(person for person in people if "lee" in person.slug)
    assert (lee.name, lee.slug, lee.aliases) == ("Lee Smith", "lee-smith", set())
    again = build_knowledge(BuildOptions(repo=repo.path, use_cache=False)).people.values()
    assert sorted(p.slug for p in again) == sorted(p.slug for p in people)  # stable

    out = tmp_path / "pages"
    assert main(["write", str(out), "--repo", str(repo.path), "--no-cache"]) == 0
    written = [path for path in out.rglob("*") if path.is_file()]
    assert {path.name for path in (out / "contributors").iterdir()} >= {f"{p.slug}.md" for p in hidden}
    for path in written:
        text = unicodedata.normalize("NFKC", path.as_posix() + path.read_text(encoding="utf-8"))
        assert not re.search(r"bigcorp|ci-runner|corp\.example|person\d@", text), path
        assert EMAIL_PLACEHOLDER not in text, path  # says there was an address: a name that was one is unnamed


def test_slugs_never_spell_an_address() -> None:
    assert slugify("jane.doe@bigcorp.example", fallback_prefix="person").startswith("person-")
    assert slugify("Jane Doe <jane.doe@bigcorp.example>") == "jane-doe"
    assert slugify(EMAIL_PLACEHOLDER, fallback_prefix="person", fallback_basis="id:1") != slugify(
        EMAIL_PLACEHOLDER, fallback_prefix="person", fallback_basis="id:2")


# --- workflow commands and escape sequences in what Almanac prints ---

HOSTILE = "x\n::error::pwned \x1b[31mred\x1b[0m cr\roverwritten \x07 ##[add-mask]y \u202eevil"


def assert_inert(output: str) -> None:
    for line in output.split("\n"):
        assert not line.lstrip().startswith("::"), line
        assert not re.search(r"##\w*\[", line), line
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", output)


def test_log_safe_neutralises_commands_and_controls() -> None:
    assert_inert(log_safe(HOSTILE))
    assert log_safe(HOSTILE) == log_safe(log_safe(HOSTILE))
    assert log_safe("  ::add-mask::secret") == "  : :add-mask::secret"
    assert log_safe("a\x1b[31mb\rc") == "a\\x1b[31mb\\rc"
    assert log_safe("a\n::error::x") == "a\n: :error::x"
    assert str(Finding("bad\n::error::x", "LICENSES/\x1b[2J.txt")) == "LICENSES/\\x1b[2J.txt: bad\\n::error::x"
    assert str(AlmanacError("::warning::x")) == ": :warning::x"
    document = '[\n  "##[error]\\u001b \u202e"\n]'
    assert json_log_safe(document) == '[\n  "##\\u005berror]\\u001b \\u202e"\n]'


def hostile_history(path: Path) -> Repo:
    repo = Repo(path)
    contributors = ("people:\n"
                    f"  - name: {HOSTILE!r}\n".replace("'", '"') +
                    '    aliases: ["ann@example.com"]\n'
                    f"    contributions: [{HOSTILE!r}]\n".replace("'", '"') +
                    f"  - {HOSTILE!r}\n".replace("'", '"'))
    repo.commit(f"Start {HOSTILE}", {"README.md": "# Model\n", "contributors.yml": contributors,
                                     "LICENSE": "", f"LICENSES/{HOSTILE}.txt": "", "LICENSES/MIT.txt": "\x1b[2J"},
                author="Ann Example <ann@example.com>")
    repo.commit("::error::subject\n\n::add-mask::body\x1b[31m", {"a.txt": "1"},
                author="\x1b[31m::error::name <bob@example.com>")
    repo.tag("v1.0\u202e", f"::error::tag {HOSTILE}")  # git refuses controls and ':' in ref names
    return repo


def test_check_and_build_print_nothing_a_terminal_or_runner_would_act_on(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    repo = hostile_history(tmp_path / "repo")
    findings = build_knowledge(BuildOptions(repo=repo.path, use_cache=False)).findings
    assert any("pwned" in finding.where + finding.message for finding in findings)  # the payload is quoted
    main(["check", "--repo", str(repo.path), "--no-cache"])
    main(["check", "--repo", str(repo.path), "--no-cache", "--format", "json"])
    assert main(["build", "--repo", str(repo.path), "--site-dir", str(tmp_path / "site")]) == 0
    printed = capfd.readouterr()
    assert "pwned" in printed.out and "pwned" in printed.err
    assert_inert(printed.out)
    assert_inert(printed.err)
