"""People from identities: .mailmap exactly as git applies it, noreply accounts, co-authors, bots."""

from __future__ import annotations

import re
from pathlib import Path

from generator.analysis.history.identities import (
    Identity,
    Mailmap,
    Use,
    choose_account,
    count_uses,
    github_account,
    resolve_people,
)
from generator.build import BuildOptions, build_knowledge
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
    from generator.render.pages import render_pages

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


def noreply(number: int, login: str) -> str:
    return f"{number}+{login}@users.noreply.github.com"


def test_a_renamed_account_is_one_person_named_by_the_login_used_last(repo: Repo) -> None:
    """Real histories hold renamed accounts (huggingface/peft: ``47625089+Zeju1997`` then ``47625089+zqiu24``).
    The account number joins the two addresses even under other names, and the newest login is shown
    whatever order the addresses sort in."""
    repo.commit("Old 1", {"a": "1"}, author=f"Zeju1997 <{noreply(7, 'zed')}>")
    repo.commit("Old 2", {"a": "2"}, author=f"Zeju1997 <{noreply(7, 'zed')}>")
    repo.commit("Same name, old 1", {"b": "1"}, author=f"J.L <{noreply(8, 'zz-old')}>")
    repo.commit("Same name, old 2", {"b": "2"}, author=f"J.L <{noreply(8, 'zz-old')}>")
    repo.commit("New", {"a": "3"}, author=f"Zeju Qiu <{noreply(7, 'amy')}>")
    repo.commit("Same name, new", {"b": "3"}, author=f"J.L <{noreply(8, 'aa-new')}>")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    by_id = {person.github_id: person for person in knowledge.people.values() if person.github_id}
    assert sorted(by_id) == [7, 8] and len(knowledge.people) == 2
    zeju, jl = by_id[7], by_id[8]
    assert (zeju.key, zeju.login, len(zeju.commits)) == ("github:7", "amy", 3)
    assert zeju.name_uses == {"Zeju1997": 2, "Zeju Qiu": 1}  # both names: one person, not two sharing a key
    assert (jl.login, len(jl.commits)) == ("aa-new", 3)  # newest, though "8+aa-new@" sorts first


def test_a_login_is_chosen_by_a_stated_rule_never_by_order() -> None:
    """Most recent use, then most uses, then the address in code-point order; numbered before legacy."""
    cases = [
        ([("a", 7, 2, 100), ("b", 7, 9, 50)], "a"),  # the most recent wins over the most used
        ([("a", 7, 2, 100), ("b", 7, 3, 100)], "b"),  # same time: the most used
        ([("b", 7, 3, 100), ("B", 7, 3, 100)], "B"),  # same time and uses: code-point order ("B" < "b")
        ([("a", 7, 1, 10), ("legacy", None, 5, 999)], "a"),  # a number names the account for sure
        ([("a", 7, 1, None), ("b", 7, 1, 5)], "b"),  # a dated use beats one never recorded (a contributors file)
    ]
    for addresses, login in cases:
        for order in (addresses, addresses[::-1]):
            uses = {Identity("Same Person", f"{number}+{name}@users.noreply.github.com" if number else
                             f"{name}@users.noreply.github.com"): Use(times, last)
                    for name, number, times, last in order}
            assert choose_account(uses, uses, Mailmap())[0] == login, addresses
            _, people = resolve_people(uses, Mailmap())
            assert [person.login for person in people.values()] == [login]


def test_a_co_author_trailer_is_a_use_of_its_address(repo: Repo) -> None:
    repo.commit("Before the rename", {"a": "1"}, author=f"Bo <{noreply(9, 'bo-zz')}>")
    repo.commit("Pair\n\nCo-authored-by: Bo <9+bo-aa@users.noreply.github.com>", {"a": "2"},
                author="Alice Example <alice@example.com>")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert next(p for p in knowledge.people.values() if p.github_id == 9).login == "bo-aa"


def test_aliases_that_differ_only_in_case_are_listed_in_one_order(repo: Repo) -> None:
    """QwenLM/Qwen has "Yang Fan" and "yang fan" for one person: a case-blind sort kept the set's order,
    which changes with the hash seed, so two builds of one history differed."""
    from generator.render.pages import render_pages

    for number, name in enumerate(("苏阳", "苏阳", "Yang Fan", "yang fan")):
        repo.commit(f"By {name}", {"a": str(number)}, author=f"{name} <yang@example.com>")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    (person,) = (p for p in knowledge.people.values() if p.name == "苏阳")
    assert person.aliases == {"Yang Fan", "yang fan"}
    shown = []
    for order in (["Yang Fan", "yang fan"], ["yang fan", "Yang Fan"]):
        person.aliases = dict.fromkeys(order)  # type: ignore[assignment]  # an ordered stand-in for the set
        page = render_pages(knowledge)[f"contributors/{person.slug}.md"]
        shown.append(next(line for line in page.splitlines() if "Also known as" in line))
    assert shown == ["- **Also known as:** Yang Fan, yang fan"] * 2


def test_one_account_is_one_person_when_a_trailer_calls_it_a_bot(repo: Repo) -> None:
    """hiyouga/LLaMA-Factory: Copilot authors as ``Copilot <198982749+Copilot@…>`` and is co-author as
    ``copilot-swe-agent[bot]`` with the same address; two people under one key made the entries read
    "by @Copilot" or "by @copilot-swe-agent[bot]" depending on the order identities were met."""
    address = noreply(198982749, "Copilot")
    for number in range(2):
        repo.commit(f"Fix {number} (#{number + 1})\n\nCo-authored-by: copilot-swe-agent[bot] <{address}>\n"
                    "Co-authored-by: Alice Example <alice@example.com>", {"a": str(number)},
                    author=f"Copilot <{address}>")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    (copilot,) = (p for p in knowledge.people.values() if p.github_id == 198982749)
    assert copilot.name_uses == {"Copilot": 2, "copilot-swe-agent[bot]": 2} and copilot.is_bot
    assert (len(copilot.commits), copilot.co_authored) == (2, [])  # never their own co-author
