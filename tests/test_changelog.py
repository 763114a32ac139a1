"""CHANGELOG.md and GitHub release bodies from a hand-built history: exact text, hostile input, safe writes."""

from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from generator.export.changelog import (
    MARKER,
    changelog_from_repo,
    forge_option,
    forge_url,
    github_release_body,
    keep_a_changelog,
    portable_highlight,
    render_changelog,
    write_changelog,
)
from generator.model.errors import AlmanacError
from generator.model.knowledge import (
    Activity,
    Change,
    Commit,
    Knowledge,
    ModelChange,
    Person,
    Release,
    RepoState,
    Signature,
)
from generator.text.safetext import escape_markdown
from tests.gitrepo import Repo

FORGE = "https://github.com/lumen-ai/lumen"
HOSTILE = "<img src=x onerror=alert(1)> *bold* [link](javascript:alert(1)) @mention a@b.com"


def at(when: str, offset_minutes: int) -> int:
    """The Unix time of a wall-clock time in a given UTC offset."""
    zone = timezone(timedelta(minutes=offset_minutes))
    return int(datetime.strptime(when, "%Y-%m-%d %H:%M").replace(tzinfo=zone).timestamp())


def sha(char: str) -> str:
    return char * 40


def sample_knowledge() -> tuple[Knowledge, list[Change]]:
    """Five releases (a release candidate, a patch on a release branch), a bot, Chinese names, a revert,
    a breaking change, a backport and a hostile title; plus one unreleased change."""
    people = {
        "alice": Person(key="alice", name="Alice Example", slug="alice-example", login="alice-ex"),
        "wei": Person(key="wei", name="张伟", slug="张伟"),
        "lina": Person(key="lina", name="李娜", slug="李娜", login="lina"),
        "mallory": Person(key="mallory", name="Mallory <b>M</b>", slug="mallory-b-m-b"),
        "dependabot": Person(
            key="dependabot", name="dependabot[bot]", slug="dependabot-bot", login="dependabot[bot]", is_bot=True
        ),
    }

    def change(char: str, title: str, section: str, author: str, when: int, **extra: object) -> Change:
        return Change(sha=sha(char), title=title, kind="squash" if extra.get("pr") else "direct", author=author,
                      commits=[sha(char)], section=section, timestamp=when, **extra)  # type: ignore[arg-type]

    v010 = Release(
        tag="v0.1.0", sha=sha("1"), slug="v0.1.0", timestamp=at("2025-06-02 10:00", 480), utc_offset=480,
        prerelease=False, authors=["alice", "wei"], new_contributors=["alice", "wei"],
        changes=[
            change("2", "feat: add tokenizer", "Added", "alice", at("2025-06-02 09:00", 480), pr=3),
            change("1", "Add model card", "Added", "wei", at("2025-06-01 09:00", 480)),
        ],
    )
    rc1 = Release(
        tag="v1.0.0-rc1", sha=sha("3"), slug="v1.0.0-rc1", timestamp=at("2025-08-20 12:00", 0), utc_offset=0,
        prerelease=True, previous="v0.1.0", authors=["alice"],
        changes=[change("3", "Add long-context support", "Added", "alice", at("2025-08-20 11:00", 0), pr=10)],
        model_changes=[ModelChange("config.json", "max_position_embeddings 4096 → 8192")],
    )
    v100 = Release(
        tag="v1.0.0", sha=sha("5"), slug="v1.0.0", timestamp=at("2025-09-01 01:30", 540), utc_offset=540,
        prerelease=False, previous="v1.0.0-rc1", authors=["alice", "lina", "wei"], new_contributors=["lina"],
        changes=[
            change("5", "Drop Python 3.8 support", "Removed", "alice", at("2025-09-01 01:00", 540), pr=12,
                   co_authors=["wei"], breaking="drops support"),
            change("4", "Fix tokenizer crash on empty input", "Fixed", "lina", at("2025-08-30 10:00", 540), pr=14,
                   backported_to=["v0.1.1"]),
        ],
    )
    v011 = Release(
        tag="v0.1.1", sha=sha("6"), slug="v0.1.1", timestamp=at("2025-09-03 08:00", -300), utc_offset=-300,
        prerelease=False, previous="v0.1.0", authors=["lina"],
        changes=[change("6", "Fix tokenizer crash on empty input", "Fixed", "lina", at("2025-09-03 07:00", -300),
                        pr=14, backport_of="v1.0.0")],
    )
    v110 = Release(
        tag="v1.1.0", sha=sha("9"), slug="v1.1.0", timestamp=at("2025-09-16 18:00", 120), utc_offset=120,
        prerelease=False, previous="v1.0.0", authors=["mallory", "dependabot", "alice", "wei"],
        new_contributors=["mallory"],
        changes=[
            change("9", HOSTILE, "Added", "mallory", at("2025-09-16 17:00", 120), pr=22),
            change("8", 'Revert "Add long-context support (#10)"', "Changed", "alice", at("2025-09-15 17:00", 120),
                   pr=21, reverts=10),
            change("7", "Bump safetensors from 0.4.1 to 0.4.3", "Dependencies", "dependabot",
                   at("2025-09-14 17:00", 120), pr=20),
            change("a", "docs: fix typo in README", "Documentation", "wei", at("2025-09-13 17:00", 120)),
        ],
        model_changes=[ModelChange("LICENSE", "licence file changed")],
    )
    knowledge = Knowledge(
        name="Lumen-1.8B",
        state=RepoState(root="/x", head=sha("f"), branch="main", shallow=False, refs=()),
        commits={},
        people=people,
        releases=[v010, rc1, v100, v011, v110],
        unreleased=[sha("f")],
        activity=Activity(),
        licence_files=["LICENSE"],
        declared_licence=None,
        model_facts=[],
        description="A small bilingual language model.",
        as_of=at("2025-09-20 12:00", 0),
    )
    unreleased = [change("f", "Add Chinese README 中文说明", "Documentation", "wei", at("2025-09-20 12:00", 480),
                         pr=23)]
    return knowledge, unreleased


#: Golden files: the exact bytes expected for :func:`sample_knowledge`. After an intended change in the output,
#: rewrite them and review the diff like any other change.
GOLDEN = Path(__file__).parent / "golden" / "changelog"
EXPECTED_CHANGELOG = (GOLDEN / "CHANGELOG.md").read_text(encoding="utf-8")
EXPECTED_GITHUB_LATER = (GOLDEN / "github-v1.1.0.md").read_text(encoding="utf-8")
EXPECTED_GITHUB_FIRST = (GOLDEN / "github-v0.1.0.md").read_text(encoding="utf-8")


def rendered(markdown: str) -> str:
    """HTML as a CommonMark renderer with raw HTML enabled (like GitHub before sanitising) makes it."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


# --- Keep a Changelog -----------------------------------------------------------------------------------


def test_keep_a_changelog_golden() -> None:
    knowledge, unreleased = sample_knowledge()
    assert keep_a_changelog(knowledge, FORGE, unreleased) == EXPECTED_CHANGELOG


def test_changelog_starts_with_the_marker_and_is_deterministic() -> None:
    knowledge, unreleased = sample_knowledge()
    first = keep_a_changelog(knowledge, FORGE, unreleased)
    again = keep_a_changelog(sample_knowledge()[0], FORGE, sample_knowledge()[1])
    assert first.splitlines()[0] == MARKER
    assert first.encode() == again.encode()
    assert first.endswith("\n") and not first.endswith("\n\n")


def test_changelog_without_a_forge_has_no_links() -> None:
    knowledge, unreleased = sample_knowledge()
    text = keep_a_changelog(knowledge, None, unreleased)
    assert "https://github.com" not in text
    assert not any(line.startswith("[v") for line in text.splitlines())
    assert "## v1.1.0 - 2025-09-16" in text and "## Unreleased" in text and "## [" not in text


def test_release_dates_are_in_the_release_s_own_time_zone() -> None:
    knowledge, _ = sample_knowledge()
    # v1.0.0 was tagged 2025-09-01 01:30 at UTC+9, which is still 31 August in UTC.
    assert "## v1.0.0 - 2025-09-01" in keep_a_changelog(knowledge, None)


def test_pre_release_without_a_final_has_its_own_entry() -> None:
    knowledge, _ = sample_knowledge()
    rc = Release(tag="v2.0.0-rc1", sha=sha("b"), slug="v2.0.0-rc1", timestamp=at("2025-10-01 10:00", 0),
                 utc_offset=0, prerelease=True, previous="v1.1.0",
                 changes=[Change(sha=sha("b"), title="Add vision tower", kind="squash", pr=30, author="alice",
                                 section="Added")])
    knowledge.releases.append(rc)
    text = keep_a_changelog(knowledge, FORGE)
    assert "## [v2.0.0-rc1] - 2025-10-01\n\n### Added\n\n- Add vision tower (#30) by @alice-ex\n" in text
    assert "[v2.0.0-rc1]: https://github.com/lumen-ai/lumen/compare/v1.1.0...v2.0.0-rc1" in text
    assert "[Unreleased]: https://github.com/lumen-ai/lumen/compare/v2.0.0-rc1...HEAD" in text
    # The folded candidate of v1.0.0 still has no heading of its own.
    assert "## [v1.0.0-rc1]" not in text and "### From v1.0.0-rc1" in text


def test_unreleased_compares_with_the_release_on_head_s_line() -> None:
    """A patch release cut later on another branch is not what HEAD builds on."""
    knowledge, _ = sample_knowledge()
    v100 = knowledge.releases[2]
    v100.commits = [sha("5")]
    signature = Signature("A", "a@example.com", 0, 0)
    knowledge.commits = {
        sha("f"): Commit(sha("f"), (sha("5"),), signature, signature, "wip", (), ()),
        sha("5"): Commit(sha("5"), (), signature, signature, "x", (), ()),
    }
    text = keep_a_changelog(knowledge, FORGE)
    assert "[Unreleased]: https://github.com/lumen-ai/lumen/compare/v1.0.0...HEAD" in text


def test_gitlab_and_hub_links_follow_their_layouts() -> None:
    knowledge, _ = sample_knowledge()
    gitlab = keep_a_changelog(knowledge, "https://gitlab.com/lumen/models/lumen")
    assert "[v1.1.0]: https://gitlab.com/lumen/models/lumen/-/compare/v1.0.0...v1.1.0" in gitlab
    assert "[v0.1.0]: https://gitlab.com/lumen/models/lumen/-/tags/v0.1.0" in gitlab
    hub = keep_a_changelog(knowledge, "https://huggingface.co/lumen-ai/lumen-1.8b")
    assert "[v1.1.0]: https://huggingface.co/lumen-ai/lumen-1.8b/commits/v1.1.0" in hub
    assert "[v0.1.0]: https://huggingface.co/lumen-ai/lumen-1.8b/tree/v0.1.0" in hub
    body = github_release_body(knowledge, "v1.1.0", "https://huggingface.co/lumen-ai/lumen-1.8b")
    assert "in https://huggingface.co/lumen-ai/lumen-1.8b/discussions/22" in body


def test_unknown_sections_are_kept_after_the_configured_ones() -> None:
    knowledge, _ = sample_knowledge()
    knowledge.releases[0].changes[1].section = "Weights"
    text = keep_a_changelog(knowledge, None)
    entry = text[text.index("## v0.1.0") :]
    assert entry.index("### Added") < entry.index("### Weights")
    assert "- Add model card (1111111) by 张伟" in entry
    custom = keep_a_changelog(knowledge, None, sections=["Weights", "Added"])
    entry = custom[custom.index("## v0.1.0") :]
    assert entry.index("### Weights") < entry.index("### Added")


# --- hostile text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["keepachangelog", "github"])
def test_hostile_text_cannot_inject_markup(fmt: str) -> None:
    knowledge, unreleased = sample_knowledge()
    knowledge.people["mallory"].name = "Mal\nlory <script>alert(1)</script> m@evil.example"
    unreleased[0].title = "line one\n\n# heading\n<!-- comment -->\n[x]: javascript:alert(1)"
    knowledge.releases[-1].model_changes.append(ModelChange("<b>w</b>.bin", "size ![i](https://t.example/p.png)"))
    text = render_changelog(knowledge, unreleased, fmt=fmt, release="v1.1.0" if fmt == "github" else None,
                            forge=FORGE)
    for raw in ("<img", "<script", "<b>", "](javascript:", "![i](", "a@b.com", "m@evil.example", "<!-- comment"):
        assert raw not in text
    html = rendered(text)
    assert "<img" not in html and "<script" not in html and "<b>" not in html
    assert 'href="javascript' not in html and "heading</h1>" not in html and "<!-- comment" not in html
    # Still readable: the rendered text says exactly what the title said, minus the e-mail address.
    assert ("&lt;img src=x onerror=alert(1)&gt; *bold* [link](javascript:alert(1)) @mention (e-mail hidden)"
            in html)
    assert "Mal lory &lt;script&gt;alert(1)&lt;/script&gt; (e-mail hidden)" in html


def test_escape_markdown_is_readable_and_complete() -> None:
    assert escape_markdown("Fix KV cache") == "Fix KV cache"
    assert escape_markdown("张伟的修复：分词器") == "张伟的修复：分词器"
    assert escape_markdown("a & b < c > d") == "a & b &lt; c > d"
    assert escape_markdown("x &amp; y &#60;") == "x &amp;amp; y &amp;#60;"  # a reference would be decoded
    escaped = escape_markdown("\\`*_{}[]()#+-.!|~$")
    assert escaped == "\\\\\\`\\*\\_{}\\[\\]\\()#+-.!\\|\\~\\$"
    assert "&#" not in escape_markdown(HOSTILE)
    assert escape_markdown("two\nlines\r\nand\u2028more") == "two lines and more"
    # An address split by an invisible character is still found.
    assert "@" not in escape_markdown("write to a\u200b@b.com")


def test_logins_names_and_bots() -> None:
    knowledge, _ = sample_knowledge()
    text = keep_a_changelog(knowledge, None)
    assert "by @alice-ex" in text  # a login wins over the display name
    assert "by 张伟" in text  # no login: the name, as written
    assert "by @dependabot[bot]" in text
    assert "by Mallory &lt;b>M&lt;/b>" in text


# --- GitHub release body --------------------------------------------------------------------------------


def test_github_body_of_a_later_release() -> None:
    knowledge, _ = sample_knowledge()
    assert github_release_body(knowledge, "v1.1.0", FORGE) == EXPECTED_GITHUB_LATER


def test_github_body_of_the_first_release() -> None:
    knowledge, _ = sample_knowledge()
    assert github_release_body(knowledge, "v0.1.0", FORGE) == EXPECTED_GITHUB_FIRST


def test_github_body_of_a_final_includes_its_release_candidates() -> None:
    knowledge, _ = sample_knowledge()
    body = github_release_body(knowledge, "v1.0.0", FORGE)
    lines = body.splitlines()
    assert lines[2:4] == [
        "## What's Changed",
        "### ⚠ Breaking changes",
    ]
    assert lines[4] == ("* Drop Python 3.8 support by @alice-ex with 张伟 in "
                        "https://github.com/lumen-ai/lumen/pull/12 — drops support")
    assert "* Add long-context support by @alice-ex in https://github.com/lumen-ai/lumen/pull/10" in lines
    assert "* @lina made their first contribution in https://github.com/lumen-ai/lumen/pull/14" in lines
    assert lines[-1] == "**Full Changelog**: https://github.com/lumen-ai/lumen/compare/v0.1.0...v1.0.0"
    assert body.count("pull/12") == 1  # a breaking change is listed once


def test_github_body_without_a_forge_is_plain_text() -> None:
    knowledge, _ = sample_knowledge()
    body = github_release_body(knowledge, "v1.1.0", None)
    assert "http" not in body
    assert "* Bump safetensors from 0.4.1 to 0.4.3 by @dependabot[bot] in #20" in body
    assert "* docs: fix typo in README by 张伟 in aaaaaaa" in body
    assert body.endswith("**Full Changelog**: v1.0.0...v1.1.0\n")


def test_unknown_tag_names_the_nearest_known_tags() -> None:
    knowledge, _ = sample_knowledge()
    with pytest.raises(AlmanacError) as caught:
        github_release_body(knowledge, "v1.1", FORGE)
    message = str(caught.value)
    assert "\n" not in message
    assert "'v1.1'" in message and "v1.1.0" in message and "v1.0.0" in message


def test_render_changelog_picks_the_newest_release_for_github() -> None:
    knowledge, unreleased = sample_knowledge()
    assert render_changelog(knowledge, unreleased, fmt="github", forge=FORGE) == EXPECTED_GITHUB_LATER
    assert render_changelog(knowledge, unreleased, forge=FORGE) == EXPECTED_CHANGELOG
    with pytest.raises(AlmanacError, match="--format github"):
        render_changelog(knowledge, unreleased, release="v1.1.0")
    with pytest.raises(AlmanacError, match="keepachangelog, github"):
        render_changelog(knowledge, unreleased, fmt="rst")
    knowledge.releases.clear()
    with pytest.raises(AlmanacError, match="no release tags yet"):
        render_changelog(knowledge, unreleased, fmt="github")


# --- forges ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("git@github.com:org/repo.git", "https://github.com/org/repo"),
        ("https://github.com/org/repo", "https://github.com/org/repo"),
        ("https://github.com/org/repo.git", "https://github.com/org/repo"),
        ("https://github.com/org/repo/\n", "https://github.com/org/repo"),
        ("http://github.com/org/repo", "https://github.com/org/repo"),
        ("ssh://git@github.com/org/repo.git", "https://github.com/org/repo"),
        ("ssh://git@ssh.github.com:443/org/repo.git", "https://github.com/org/repo"),
        ("git://github.com/org/repo.git", "https://github.com/org/repo"),
        ("https://ghp_SECRET123@github.com/org/repo", "https://github.com/org/repo"),
        ("https://x-access-token:ghs_SECRET@github.com/org/repo.git", "https://github.com/org/repo"),
        ("git@gitlab.com:group/sub/repo.git", "https://gitlab.com/group/sub/repo"),
        ("https://oauth2:glpat-SECRET@gitlab.com/group/sub/repo.git", "https://gitlab.com/group/sub/repo"),
        ("https://huggingface.co/org/model", "https://huggingface.co/org/model"),
        ("https://user:hf_SECRET@huggingface.co/org/model", "https://huggingface.co/org/model"),
        ("git@hf.co:org/model", "https://huggingface.co/org/model"),
        ("https://huggingface.co/datasets/org/data", "https://huggingface.co/datasets/org/data"),
        ("https://huggingface.co/gpt2", "https://huggingface.co/gpt2"),
        ("/srv/git/repo.git", None),
        ("../repo", None),
        ("file:///srv/git/repo.git", None),
        ("C:\\src\\repo", None),
        ("C:/src/repo", None),
        ("https://example.com/org/repo", None),
        ("git@example.com:org/repo.git", None),
        ("https://github.com/org", None),
        ("https://github.com/org/repo/tree/main", None),
        ("https://github.com/org/../repo", None),
        ("https://github.com/org/re%20po", None),
        ("https://github.com/org/repo?x=1", None),
        ("", None),
    ],
)
def test_forge_url(remote: str, expected: str | None) -> None:
    result = forge_url(remote)
    assert result == expected
    if result is not None:
        assert result.startswith("https://") and "SECRET" not in result and "@" not in result


def test_forge_option_accepts_self_hosted_forges_and_never_echoes_a_token() -> None:
    assert forge_option("https://git.example.com/org/repo/") == "https://git.example.com/org/repo"
    assert forge_option("https://tok:SECRET@git.example.com:8443/org/repo.git") == "https://git.example.com:8443/org/repo"
    assert forge_option("git@github.com:org/repo.git") == "https://github.com/org/repo"
    for bad in ("http://SECRET@git.example.com/org/repo", "ftp://x/y", "https://x.example/a b", "org/repo"):
        with pytest.raises(AlmanacError) as caught:
            forge_option(bad)
        assert "SECRET" not in str(caught.value) and "--forge-url" in str(caught.value)


# --- writing --------------------------------------------------------------------------------------------


def test_write_refuses_a_hand_written_changelog(tmp_path: Path) -> None:
    target = tmp_path / "CHANGELOG.md"
    target.write_text("# Changelog\n\nWritten by hand.\n", encoding="utf-8")
    with pytest.raises(AlmanacError) as caught:
        write_changelog(EXPECTED_CHANGELOG, target, force=False)
    assert "--force" in str(caught.value) and "\n" not in str(caught.value)
    assert target.read_text(encoding="utf-8") == "# Changelog\n\nWritten by hand.\n"
    write_changelog(EXPECTED_CHANGELOG, target, force=True)
    assert target.read_text(encoding="utf-8") == EXPECTED_CHANGELOG
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CHANGELOG.md"]


def test_write_replaces_its_own_output_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "CHANGELOG.md"
    write_changelog(MARKER + "\nold\n", target, force=False)
    os.chmod(target, 0o640)
    write_changelog(EXPECTED_CHANGELOG, target, force=False)
    assert target.read_bytes() == EXPECTED_CHANGELOG.encode("utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    before = target.stat().st_mtime_ns
    os.utime(target, ns=(before - 10**9, before - 10**9))
    write_changelog(EXPECTED_CHANGELOG, target, force=False)  # unchanged: not rewritten
    assert target.stat().st_mtime_ns == before - 10**9
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CHANGELOG.md"]


def test_write_never_follows_a_symbolic_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(MARKER + "\nlooks like ours\n", encoding="utf-8")
    link = tmp_path / "CHANGELOG.md"
    link.symlink_to(outside)
    with pytest.raises(AlmanacError, match="--force"):
        write_changelog(EXPECTED_CHANGELOG, link, force=False)
    write_changelog(EXPECTED_CHANGELOG, link, force=True)
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == EXPECTED_CHANGELOG
    assert outside.read_text(encoding="utf-8") == MARKER + "\nlooks like ours\n"


def test_write_explains_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(AlmanacError, match="no such folder"):
        write_changelog("x", tmp_path / "missing" / "CHANGELOG.md", force=False)
    with pytest.raises(AlmanacError, match="is a folder"):
        write_changelog("x", tmp_path, force=True)


def test_emit_to_stdout_or_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli.output import emit_generated
    from generator.export.changelog import changelog_marker

    marker = changelog_marker("github")
    assert emit_generated(EXPECTED_GITHUB_FIRST, "-", marker=marker, force=False) == "standard output"
    assert capsys.readouterr().out == EXPECTED_GITHUB_FIRST
    target = tmp_path / "notes.md"
    emit_generated(EXPECTED_GITHUB_FIRST, str(target), marker=marker, force=False)
    emit_generated(EXPECTED_GITHUB_LATER, str(target), marker=marker, force=False)  # the body carries the marker too
    assert target.read_text(encoding="utf-8") == EXPECTED_GITHUB_LATER


# --- highlights -----------------------------------------------------------------------------------------

HIGHLIGHT = """!!! tip "Highlights"
    **8K context.** Prompts of up to 8 192 tokens.

    *Hand-written.*
"""


def test_highlights_open_the_release_entry_and_the_release_body() -> None:
    knowledge, unreleased = sample_knowledge()
    quoted = "> **Highlights**\n>\n> **8K context.** Prompts of up to 8 192 tokens.\n>\n> *Hand-written.*"
    text = keep_a_changelog(knowledge, FORGE, unreleased, {"v1.1.0": HIGHLIGHT})
    assert f"## [v1.1.0] - 2025-09-16\n\n{quoted}\n\n### Model, weights and licence changes" in text
    body = github_release_body(knowledge, "v1.1.0", FORGE, {"v1.1.0": HIGHLIGHT})
    assert body.startswith(f"{MARKER}\n\n{quoted}\n\n## What's Changed\n")
    assert keep_a_changelog(knowledge, FORGE, unreleased, {}) == EXPECTED_CHANGELOG


def test_portable_highlight_keeps_plain_markdown() -> None:
    assert portable_highlight("Plain **text**\r\n\n??? note\n    folded\nafter\n") == (
        "Plain **text**\n\n> **Note**\n>\n> folded\n\nafter"
    )
    assert portable_highlight('!!! warning ""\n    no title') == "> no title"
    assert portable_highlight("  \n") == ""


# --- from a real repository -----------------------------------------------------------------------------


def test_changelog_from_a_repository_with_a_token_in_its_remote(repo: Repo, tmp_path: Path) -> None:
    repo.commit("Add model card", {"README.md": "# Tiny\n"})
    repo.commit("feat: add tokenizer (#3)", {"tokenizer.json": "{}"}, author="Wei Zhang <wei@example.com>")
    repo.tag("v0.1.0")
    repo.commit("Fix typo (#4)", {"README.md": "# Tiny model\n"}, author="Bob <bob@example.com>")
    repo.git("remote", "add", "origin", "https://x-access-token:ghs_SECRET@github.com/tiny/model.git")
    highlights = tmp_path / "highlights"
    highlights.mkdir()
    (highlights / "v0.1.0.md").write_text("First *public* release.\n", encoding="utf-8")
    text = changelog_from_repo(repo.path, highlights_dir=highlights, use_cache=False)
    assert text.startswith(MARKER + "\n# Changelog\n")
    assert "## [Unreleased]\n\n### Fixed\n\n- Fix typo (#4) by Bob\n" in text
    assert "## [v0.1.0] - 2023-11-16\n\nFirst *public* release.\n\n### Added\n" in text
    assert "[Unreleased]: https://github.com/tiny/model/compare/v0.1.0...HEAD" in text
    assert "SECRET" not in text
    body = changelog_from_repo(repo.path, fmt="github", forge_url_option="https://git.example.com/t/m",
                               use_cache=False)
    assert body.endswith("**Full Changelog**: https://git.example.com/t/m/commits/v0.1.0\n")
    with pytest.raises(AlmanacError, match=r"nearest known tags: v0\.1\.0"):
        changelog_from_repo(repo.path, fmt="github", release="v0.1", use_cache=False)


# --- issue 20, item 8: no escapes where nothing needs one ------------------------------------------------


@pytest.mark.parametrize(
    ("title", "written"),
    [
        ("Fix `max_completion_length` default", "Fix `max_completion_length` default"),
        ("support LiquidAI's LFM2.5 (Liquid Foundation Models)",
         "support LiquidAI's LFM2.5 (Liquid Foundation Models)"),
        ("Thanks (e-mail hidden)", "Thanks (e-mail hidden)"),
        ("Use ``a`b`` here", "Use ``a`b`` here"),
    ],
)
def test_titles_keep_inline_code_and_plain_punctuation(title: str, written: str) -> None:
    assert escape_markdown(title) == written


def test_inline_code_cannot_carry_markup_out_of_its_span() -> None:
    """A code span is kept only when it closes on the line; what surrounds it is escaped as before."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    for title in ["`<img src=x onerror=alert(1)>` [a](javascript:x)", "``` unclosed <b>x</b>", "`a|b` *em*",
                  "# `x` ![i](u)", "`[x](y)`](javascript:z)"]:
        html = md.render(f"- {escape_markdown(title)} (#1)")
        assert "<a " not in html and "<img" not in html and "<em>" not in html and "<h1>" not in html, title
        assert "<b>" not in html, title
