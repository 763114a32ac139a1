"""Bots, AI coding agents and machine identities are never people; agents' work is counted apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.analysis.history.automation import AGENT, BOT, HUMAN, MACHINE, identity_kind, person_kind, project_rules
from generator.build import BuildOptions, build_knowledge
from generator.cli.commands import main
from generator.model.errors import Finding
from tests.gitrepo import Repo

COPILOT = "Copilot <198982749+Copilot@users.noreply.github.com>"
SWE_AGENT = "copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>"


@pytest.mark.parametrize(("identity", "login", "kind"), [
    ("Copilot|198982749+Copilot@users.noreply.github.com", "Copilot", AGENT),
    ("copilot-swe-agent[bot]|198982749+Copilot@users.noreply.github.com", "Copilot", AGENT),
    ("Cursor Agent|cursoragent@cursor.com", None, AGENT),
    ("Claude|noreply@anthropic.com", None, AGENT),
    ("Claude Opus 4.6 (1M context)|noreply@anthropic.com", None, AGENT),
    ("Claude Sonnet 4|", None, AGENT),  # a marked name without an address
    ("GitHub Copilot|", None, AGENT),
    ("gemini-code-assist[bot]|176961590+gemini-code-assist[bot]@users.noreply.github.com",
     "gemini-code-assist[bot]", AGENT),
    ("github-actions|github-actions@github.com", None, BOT),
    ("github-actions[bot]|41898282+github-actions[bot]@users.noreply.github.com", "github-actions[bot]", BOT),
    ("dependabot[bot]|49699333+dependabot[bot]@users.noreply.github.com", "dependabot[bot]", BOT),
    ("Facebook Community Bot|facebook-github-bot@users.noreply.github.com", "facebook-github-bot", BOT),
    ("remyx-ai[bot]|289541483+remyx-ai[bot]@users.noreply.github.com", "remyx-ai[bot]", BOT),
    ("root|root@ai", None, MACHINE),
    ("Ubuntu|ubuntu@ip-10-90-50-180.eu-north-1.compute.internal", None, MACHINE),
    ("root@ci-runner-17|root@ci-runner-17", None, MACHINE),
    ("|user@localhost", None, MACHINE),
    # Humans, however close: precision first.
    ("Claude Martin|claude@martin.example", None, HUMAN),
    ("Claude|claude.martin@example.org", None, HUMAN),  # a bare first name is no marker
    ("Devin Smith|devin@smith.example", None, HUMAN),
    ("Claude Opus 4|12+janedoe@users.noreply.github.com", "janedoe", HUMAN),  # her account, whatever the name
    ("Mike Lambert|mike.lambert@anthropic.com", None, HUMAN),  # a person who works at an agent's maker
    ("Kenny|root@68xg.com", None, HUMAN),  # a real name over a machine's mailbox
    ("frozenleaves|frozen@Mac.local", None, HUMAN),
    ("shibingli@yeah.net|shibingli@yeah.net", None, HUMAN),  # known only by a personal address
    ("PEFT Jambot|peft-jambot@users.noreply.github.com", "peft-jambot", HUMAN),  # not ours to guess
])
def test_each_identity_gets_its_kind(identity: str, login: str | None, kind: str) -> None:
    name, email = identity.split("|")
    assert identity_kind(name, email, login) == kind


def test_a_machine_name_beside_a_real_one_is_that_person_and_agents_outweigh_nothing_human() -> None:
    assert person_kind([("Ubuntu", "ruanslv@gmail.com", None, 8), ("ruanslv", "ruanslv@gmail.com", None, 7)]) == HUMAN
    assert person_kind([("root", "x@163.com", None, 4)]) == MACHINE
    assert person_kind([("Copilot", "c", "copilot", 5), ("copilot-swe-agent[bot]", "c", "copilot", 1)]) == AGENT
    assert person_kind([("Jane", "j@x.example", None, 1), ("Claude Code", "", None, 1)]) == HUMAN  # a tie


def test_the_project_corrects_the_rules_in_its_contributors_file() -> None:
    findings: list[Finding] = []
    rules = project_rules("people: []\nautomation:\n  bots: [github:peft-jambot]\n  humans: ['Claude Code']\n"
                          "  agents: ['Acme Coder <coder@acme.example>']\n  robots: [x]\n", findings)
    assert identity_kind("PEFT Jambot", "peft-jambot@users.noreply.github.com", "peft-jambot", rules) == BOT
    assert identity_kind("Claude Code", "", None, rules) == HUMAN
    assert identity_kind("Acme", "CODER@acme.example", None, rules) == AGENT
    assert [f.message for f in findings] == ["unknown key `robots` (expected humans, bots, agents, machines); ignored"]
    assert rules.digest != project_rules(None, []).digest  # a saved analysis under other rules is not reused


def agents_history(path: Path) -> Repo:
    repo = Repo(path)
    guide = "# Contributing\n\n    git clone git@github.com:org/model.git\n"
    repo.commit("Start", {"README.md": "# Model\n", "CONTRIBUTING.md": guide}, author="Ann Lee <ann@lee.example>")
    repo.git("tag", "v1.0")
    repo.commit("Add tokenizer (#1)\n\nCo-authored-by: Claude Opus 4.6 (1M context) <noreply@anthropic.com>",
                {"tok.py": "1\n"}, author="Ann Lee <ann@lee.example>")
    repo.commit("Fix loader (#2)\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>\n"
                "Co-authored-by: Claude Martin <claude@martin.example>", {"load.py": "1\n"},
                author="Bo Chen <bo@chen.example>")
    repo.commit("Agent fix (#3)", {"fix.py": "1\n"}, author=COPILOT)
    repo.commit("Plan\n\nCo-authored-by: " + SWE_AGENT, {"plan.py": "1\n"}, author="Bo Chen <bo@chen.example>")
    repo.commit("Bump deps (#4)", {"req.txt": "1\n"}, author="github-actions <github-actions@github.com>")
    repo.commit("Tweak", {"t.py": "1\n"}, author="root <root@ai>")
    repo.commit("Docs (#5)\n\nCo-authored-by: first.last@company.co\n"
                "Co-authored-by: Edward Mascarenhas edward.mascarenhas@intel.com", {"d.md": "1\n"},
                author="Ann Lee <ann@lee.example>")
    repo.git("tag", "v2.0")
    return repo


def test_bots_agents_and_machines_are_listed_apart_and_agent_work_is_counted(tmp_path: Path) -> None:
    repo = agents_history(tmp_path / "repo")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    kinds = {person.name: person.kind for person in knowledge.people.values()}
    assert kinds == {"Ann Lee": HUMAN, "Bo Chen": HUMAN, "Claude Martin": HUMAN, "(unnamed)": HUMAN,
                     "Edward Mascarenhas": HUMAN, "Claude Opus 4.6 (1M context)": AGENT, "Cursor Agent": AGENT,
                     "Copilot": AGENT, "github-actions": BOT, "root": MACHINE}
    v2 = knowledge.releases[-1]
    newcomers = {knowledge.people[key].name for key in v2.new_contributors}
    assert newcomers == {"Bo Chen", "Claude Martin", "(unnamed)", "Edward Mascarenhas"}
    assert knowledge.activity.contributors == 5

    out = tmp_path / "pages"
    assert main(["write", str(out), "--repo", str(repo.path), "--no-cache"]) == 0
    release = (out / "releases" / "v2.0.md").read_text(encoding="utf-8")
    people = release.split("## People\n\n", 1)[1].split("\n", 1)[0]
    assert "Copilot" not in people and "github-actions" not in people and "root" not in people
    assert "Claude Martin" in people
    assert "**AI coding agents:** 4 of 7 commits written with an agent (1 authored, 3 co-authored), in 3 of 5 pull " \
           "requests:" in release
    assert "by 5 people" in release
    index = (out / "contributors" / "index.md").read_text(encoding="utf-8")
    assert "5 people have contributed" in index
    assert "Listed apart and never counted as people: 1 bot, 3 AI coding agents, 1 unattributed machine identity." \
        in index
    assert "## Unattributed machine identities" in index and "## AI coding agents" in index
    assert re.search(r"\| \d{4} Q\d \| 4 \| 1 \| 3 \| \d+ \| 3 of 5 \|", index)
    everyone = index.split("## All time", 1)[1].split("##", 1)[0]
    assert "Copilot" not in everyone and "github-actions" not in everyone and "root" not in everyone


def test_no_address_in_any_text_path_or_anchor_and_clone_urls_kept(tmp_path: Path) -> None:
    repo = agents_history(tmp_path / "repo")
    out = tmp_path / "pages"
    assert main(["write", str(out), "--repo", str(repo.path), "--no-cache"]) == 0
    unnamed = [path for path in (out / "contributors").iterdir() if re.fullmatch(r"person-[0-9a-f]{8}\.md", path.name)]
    assert len(unnamed) == 1
    for path in out.rglob("*"):
        relative = path.relative_to(out).as_posix()
        assert not re.search(r"company|intel|first\.last|@", relative), relative
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "(e-mail hidden)" not in text and "e-mail hidden" not in text, relative
            assert not re.search(r"company\.co|intel\.com|first\.last|anthropic\.com|cursor\.com", text), relative
            anchors = re.findall(r'(?:id|name)="([^"]*)"|\]\([^)#]*#([^)]*)\)', text)
            assert not [a for pair in anchors for a in pair if "@" in a or "company" in a], relative
    onboarding = (out / "onboarding.md").read_text(encoding="utf-8")
    assert "git@github.com:org/model.git" in onboarding


#: Every address of :func:`agents_history` and the forms a slug would give it (``@`` and dots as dashes).
ADDRESSES = ("first.last@company.co", "edward.mascarenhas@intel.com", "ann@lee.example", "bo@chen.example",
             "claude@martin.example", "noreply@anthropic.com", "cursoragent@cursor.com", "root@ai")


def address_forms(address: str) -> set[str]:
    local, _, domain = address.partition("@")
    return {address, f"{local}-{domain}", f"{local}-{domain}".replace(".", "-"), f"{local}{domain}"}


def test_a_built_site_holds_no_address_in_paths_anchors_search_or_feeds(tmp_path: Path) -> None:
    """The whole site as MkDocs builds it: page paths and file names, ``id``s and link fragments, the
    search index (locations and text) and the feeds."""
    repo = agents_history(tmp_path / "repo")
    docs = tmp_path / "src" / "docs"
    docs.mkdir(parents=True)
    config = tmp_path / "src" / "mkdocs.yml"
    config.write_text(f"site_name: Agents\nsite_url: https://example.org/\ndocs_dir: docs\n"
                      f"theme:\n  name: material\nplugins:\n  - search\n  - almanac:\n      repo: {repo.path}\n"
                      "markdown_extensions:\n  - toc:\n      permalink: true\n", encoding="utf-8")
    site = tmp_path / "site"
    assert main(["build", "-f", str(config), "--site-dir", str(site)]) == 0
    files = [path for path in site.rglob("*") if path.is_file()]
    feeds = [path for path in files if path.suffix in (".xml", ".json") and "feed" in path.name]
    assert feeds and (site / "search" / "search_index.json").is_file()
    forms = {form for address in ADDRESSES for form in address_forms(address)}
    for path in files:
        relative = path.relative_to(site).as_posix().casefold()
        assert not [form for form in forms if form in relative], relative
        if path.suffix not in (".html", ".json", ".xml"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace").casefold()
        assert "e-mail hidden" not in text, relative
        assert not [address for address in ADDRESSES if address in text], relative
        anchors = re.findall(r'\bid="([^"]*)"|href="[^"#]*#([^"]*)"|"location":\s*"([^"]*)"', text)
        assert not [a for found in anchors for a in found for form in forms if form in a], relative
