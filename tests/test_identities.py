"""People from identities: .mailmap exactly as git applies it, noreply accounts, co-authors, bots."""

from __future__ import annotations

import re
from pathlib import Path

from generator.identities import Identity, Mailmap, count_uses, github_account, resolve_people
from generator.knowledge import BuildOptions, build_knowledge
from tests.gitrepo import Repo

MAILMAP = """\
# comment line
Wei Zhang <wei@lumen.ai> <zhangwei@old.example>
<jose@lumen.ai> <jgarcia@example.com>
Zoë Müller <zoe@lumen.ai> Zoe <ZOE@Example.com>
Proper Bob <bob@lumen.ai> bob <bob@personal.example>   # trailing comment
"""

AUTHORS = [
    "张伟 <zhangwei@old.example>",
    "wei <zhangwei@old.example>",
    "José García <jgarcia@example.com>",
    "Zoe <zoe@example.com>",
    "Zoe Other <zoe@example.com>",
    "bob <bob@personal.example>",
    "Bob <bob@personal.example>",
    "Ngozi <ngozi@example.com>",
]


def test_mailmap_matches_git_for_every_rule_form(repo: Repo) -> None:
    repo.commit("mailmap", {".mailmap": MAILMAP})
    for number, author in enumerate(AUTHORS):
        repo.commit(f"c{number}", {"f": str(number)}, author=author)
    expected = repo.git("log", "--use-mailmap", "--format=%aN|%aE").splitlines()
    recorded = repo.git("log", "--format=%an|%ae").splitlines()
    mailmap = Mailmap(MAILMAP)
    ours = []
    for line in recorded:
        name, email = line.split("|")
        mapped = mailmap.apply(name, email)
        ours.append(f"{mapped.name}|{mapped.email}")
    assert ours == expected


def test_github_noreply_addresses() -> None:
    assert github_account("583231+octocat@users.noreply.github.com") == ("octocat", 583231)
    assert github_account("octocat@users.noreply.github.com") == ("octocat", None)
    assert github_account("49699333+dependabot[bot]@users.noreply.github.com") == ("dependabot[bot]", 49699333)
    assert github_account("1+bad)login@users.noreply.github.com") == (None, None)
    assert github_account("octocat@example.com") == (None, None)


def test_one_person_per_human() -> None:
    identities = [
        Identity("Li Na", "lina@work.example"),
        Identity("Li Na", "1234+lina@users.noreply.github.com"),
        Identity("lina", "lina@users.noreply.github.com"),
        Identity("李娜", "1234+lina@users.noreply.github.com"),
        Identity("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
        Identity("root", "root@host-a"),
        Identity("root", "root@host-b"),
        Identity("Only Name", ""),
    ]
    key_of, people = resolve_people(count_uses((i, None) for i in identities), Mailmap())
    lina = people[key_of[identities[0]]]
    assert {key_of[i] for i in identities[:4]} == {lina.key}
    assert (lina.login, lina.github_id) == ("lina", 1234)
    assert lina.key == "github:1234"
    assert people[key_of[identities[4]]].is_bot
    assert key_of[identities[5]] != key_of[identities[6]]  # generic names never merge strangers
    assert len(people) == 5
    assert all("@" not in key for key in people)


def test_a_mailmapped_noreply_address_still_names_the_github_account() -> None:
    web = Identity("张伟", "18231455+zhangwei-ai@users.noreply.github.com")
    local = Identity("Wei Zhang", "wei.zhang@lumen-ai.org")
    mailmap = Mailmap("Wei Zhang <wei.zhang@lumen-ai.org> <18231455+zhangwei-ai@users.noreply.github.com>\n")
    key_of, people = resolve_people(count_uses([(web, None), (local, None)]), mailmap)
    (wei,) = people.values()
    assert key_of[web] == key_of[local] == wei.key == "github:18231455"
    assert (wei.login, wei.github_id, wei.name) == ("zhangwei-ai", 18231455, "Wei Zhang")


def test_co_authors_are_mapped_and_counted(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    repo.commit("mailmap", {".mailmap": "Wei Zhang <wei@lumen.ai> <zhangwei@old.example>\n"})
    repo.commit(
        "Pair work\n\nCo-Authored-By: 张伟 <zhangwei@old.example>\nco-authored-by: Lone Name\n",
        {"a": "1"},
        author="Ana <ana@example.com>",
    )
    repo.commit("Solo", {"b": "1"}, author="Wei Zhang <wei@lumen.ai>")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    by_name = {person.name: person for person in knowledge.people.values()}
    assert set(by_name) == {"Alice Example", "Ana", "Wei Zhang", "Lone Name"}
    assert len(by_name["Wei Zhang"].commits) == 1 and len(by_name["Wei Zhang"].co_authored) == 1
    assert by_name["Wei Zhang"].aliases == set()  # .mailmap renamed the trailer's 张伟 too
    assert len(by_name["Lone Name"].co_authored) == 1


def test_hand_typed_co_author_trailers_are_accepted_and_marked_unverified(repo: Repo) -> None:
    repo.commit("Start", {"a": "1\n"}, author="Octo Cat <9+octocat@users.noreply.github.com>")
    repo.commit(
        "Pair work\n\n"
        "co-authored-by: Octo <octocat>\n"  # a login where the address goes, odd key case
        "Co-Authored-By: @hubot\n"  # a bare login
        "Co-authored-by: someone@example.org\n"  # a bare address
        "Co-authored-by: Only A Name\n"
        "Co-authored-by: Real Person <real@example.org>\n",
        {"b": "1\n"},
        author="Main Author <main@example.org>",
    )
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    people = {person.name: person for person in knowledge.people.values()}
    octo = next(p for p in knowledge.people.values() if p.login == "octocat")
    assert len(octo.commits) == 1 and len(octo.co_authored) == 1 and octo.verified  # linked by login
    assert people["hubot"].login == "hubot" and not people["hubot"].verified
    assert not people["Only A Name"].verified and people["Real Person"].verified
    assert len(people["Main Author"].commits) == 1
    unnamed = next(p for p in knowledge.people.values() if p.name == "(unnamed)")
    assert not unnamed.verified and len(unnamed.co_authored) == 1  # the bare address, never shown
    assert all("@" not in p.name for p in knowledge.people.values())


HOSTILE_NAMES = [
    "<b onmouseover=alert(1)>Bold</b>",
    "../../etc/passwd",
    "",
    "Jos\u00e9 Ruiz",  # precomposed é
    "Jose\u0301 Ruiz",  # e + combining accent: the same name
    "BOB SMITH",
    "bob smith",
    "L" + "o" * 298 + "ng",
    "😀🚀",
    "con",
]


def test_hostile_names_get_safe_unique_stable_slugs(tmp_path: Path) -> None:
    from generator.pages import render_pages

    repo = Repo(tmp_path / "repo")
    for number, name in enumerate(HOSTILE_NAMES):
        if name:
            repo.commit(f"Change {number}", {f"f{number}": "x\n"}, author=f"{name} <p{number}@example.com>")
    # git refuses an empty name, but imported histories carry them: write the object by hand.
    tree, parent = repo.git("rev-parse", "HEAD^{tree}"), repo.head()
    raw = (f"tree {tree}\nparent {parent}\nauthor  <nameless@example.com> 1700900000 +0000\n"
           f"committer  <nameless@example.com> 1700900000 +0000\n\nNameless change\n")
    sha = repo.git("hash-object", "-t", "commit", "-w", "--literally", "--stdin", input=raw.encode())
    repo.git("update-ref", "refs/heads/main", sha)
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    by_name = {person.name: person for person in knowledge.people.values()}
    assert len(by_name["Jos\u00e9 Ruiz"].commits) == 2 and len(by_name["BOB SMITH"].commits) == 2  # merged
    slugs = [person.slug for person in knowledge.people.values()]
    assert len({slug.casefold() for slug in slugs}) == len(slugs) == 8
    assert all(re.fullmatch(r"[^/\\.][^/\\]{0,69}", slug) for slug in slugs)
    again = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert [p.slug for p in again.people.values()] == slugs  # stable
    pages = render_pages(knowledge)
    text = "".join(pages.values())
    assert "<b onmouseover" not in text and "@example.com" not in text
    assert all(path.count("/") == 1 for path in pages if path.startswith("contributors/"))
