"""Identity resolution by weighed evidence, on the patterns that split or merged people in real histories.

FastChat: one commit "Lianmin Zheng <Ying Sheng's address>" merged Ying Sheng (120 commits) into Lianmin
Zheng. peft, FastChat, llama: "younesbelkada <personal address>" beside "Younes Belkada <…+younesbelkada@
noreply>" made two pages (``younesbelkada`` and ``younesbelkada-2``).
"""

from __future__ import annotations

import random
from pathlib import Path

from generator.analysis.history.identities import Identity, Mailmap, Use, kept_apart_findings, resolve_people
from generator.build import BuildOptions, build_knowledge
from tests.gitrepo import Repo


def noreply(number: int, login: str) -> str:
    return f"{number}+{login}@users.noreply.github.com"


def people_of(uses: dict[Identity, Use]) -> list[set[str]]:
    key_of, _ = resolve_people(uses, Mailmap())
    groups: dict[str, set[str]] = {}
    for identity, key in key_of.items():
        groups.setdefault(key, set()).add(f"{identity.name} <{identity.email}>")
    return sorted(groups.values(), key=sorted)


def test_one_stray_commit_under_anothers_address_erases_nobody(repo: Repo) -> None:
    repo.commit("init", {"a": "1"}, author="Lianmin Zheng <lianmin@example.com>")
    for number in range(21):
        repo.commit(f"Ying's work {number}", {"y": str(number)}, author="Ying Sheng <ying@example.com>")
    repo.commit("Borrowed laptop", {"b": "1"}, author="Lianmin Zheng <ying@example.com>")
    for number in range(5):
        repo.commit(f"Lianmin's work {number}", {"l": str(number)}, author="Lianmin Zheng <lianmin@example.com>")

    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    by_name = {person.name: person for person in knowledge.people.values()}
    assert sorted(by_name) == ["Lianmin Zheng", "Ying Sheng"]
    assert len(by_name["Ying Sheng"].commits) == 22  # the stray commit stays with the address it carries
    assert "Lianmin Zheng" in by_name["Ying Sheng"].aliases
    (finding,) = [f for f in knowledge.findings if "kept as two people" in f.message]
    assert "“Lianmin Zheng” is recorded 1 time(s) under the address of “Ying Sheng”" in finding.message
    assert "@" not in str(finding).replace("%ae", "")  # the fix points at git log, it prints no address


def test_a_name_used_often_under_an_address_still_joins(repo: Repo) -> None:
    """A person who changed machines: the same name under two addresses, with weight on both sides."""
    for number in range(6):
        repo.commit(f"work {number}", {"w": str(number)}, author="Jane Doe <jane@corp.example>")
    for number in range(2):
        repo.commit(f"home {number}", {"h": str(number)}, author="Jane Doe <jane@home.example>")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert [len(person.commits) for person in knowledge.people.values()] == [8]


def test_a_name_that_is_a_known_login_is_that_account(repo: Repo) -> None:
    repo.commit("init", {"a": "1"}, author=f"Younes Belkada <{noreply(49240599, 'younesbelkada')}>")
    repo.commit("from my laptop", {"b": "1"}, author="younesbelkada <younes@personal.example>")
    repo.commit("a handle with an underscore", {"c": "1"}, author="younes_belkada <younes@work.example>")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    (person,) = knowledge.people.values()
    assert (person.login, person.name, len(person.commits)) == ("younesbelkada", "Younes Belkada", 3)


def test_two_github_accounts_sharing_a_name_are_two_people() -> None:
    uses = {Identity("Wei Li", noreply(11, "weili")): Use(5, 10), Identity("Wei Li", noreply(12, "li-wei")): Use(4, 9)}
    assert len(people_of(uses)) == 2
    # a legacy login@ address may be either numbered account: the name still joins it
    legacy = {Identity("Wei Li", noreply(11, "weili")): Use(5, 10),
              Identity("Wei Li", "weili@users.noreply.github.com"): Use(1, 1)}
    assert len(people_of(legacy)) == 1


def test_the_same_identities_give_the_same_people_in_any_order() -> None:
    identities = [
        (Identity("Lianmin Zheng", "lianmin@example.com"), 30), (Identity("Ying Sheng", "ying@example.com"), 21),
        (Identity("Lianmin Zheng", "ying@example.com"), 1), (Identity("Zhanghao", "lianmin@example.com"), 3),
        (Identity("Younes Belkada", noreply(7, "younesbelkada")), 9), (Identity("younesbelkada", "y@p.example"), 2),
        (Identity("Jane Doe", "jane@corp.example"), 6), (Identity("Jane Doe", "jane@home.example"), 2),
        (Identity("Wei Li", noreply(11, "weili")), 5), (Identity("Wei Li", noreply(12, "li-wei")), 4),
    ]
    expected = people_of({identity: Use(times, times) for identity, times in identities})
    findings = kept_apart_findings({identity: Use(times, times) for identity, times in identities}, Mailmap())
    shuffler = random.Random(17)
    for _ in range(20):
        shuffler.shuffle(identities)
        uses = {identity: Use(times, times) for identity, times in identities}
        assert people_of(uses) == expected
        assert kept_apart_findings(uses, Mailmap()) == findings
    assert len(expected) == 6 and len(findings) == 1


def test_an_update_that_moves_a_name_past_the_stray_line_regroups_as_a_full_build(repo: Repo, tmp_path: Path) -> None:
    """Cached at one stray commit, then five more: the name now carries weight on both sides and joins."""
    cache = tmp_path / "cache"
    repo.commit("init", {"a": "1"}, author="Lianmin Zheng <lianmin@example.com>")
    for number in range(21):
        repo.commit(f"Ying's work {number}", {"y": str(number)}, author="Ying Sheng <ying@example.com>")
    repo.commit("Borrowed laptop", {"b": "0"}, author="Lianmin Zheng <ying@example.com>")
    assert len(build_knowledge(BuildOptions(repo=repo.path, cache_dir=cache)).people) == 2
    for number in range(1, 6):
        repo.commit(f"Borrowed again {number}", {"b": str(number)}, author="Lianmin Zheng <ying@example.com>")
    updated = build_knowledge(BuildOptions(repo=repo.path, cache_dir=cache))
    full = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert len(full.people) == 1
    assert {k: len(p.commits) for k, p in updated.people.items()} == {k: len(p.commits) for k, p in full.people.items()}
