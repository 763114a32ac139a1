"""Acceptance that means what it says: a PR belongs to whoever wrote it, and git alone never calls a
PR that did not land rejected (it may be open); only the forge's record gives a rate."""

from __future__ import annotations

from generator.analysis.history.acceptance import (
    CLOSED,
    MERGED,
    NOT_LANDED,
    OPEN,
    acceptance_by_person,
    fetched_heads,
    project_acceptance,
)
from generator.analysis.history.changes import annotate_releases
from generator.build import BuildOptions, build_knowledge
from generator.model.forge import ForgeData, PullRequestRecord
from generator.render.pages import render_pages
from generator.sources.forges.cache import write_cache
from tests.gitrepo import Repo

MAINTAINER = "Mai Tainer <10+maint@users.noreply.github.com>"
CAROL = "Carol Contrib <20+carol@users.noreply.github.com>"
T0 = 1_750_000_000


def contributed(repo: Repo) -> None:
    """PR 4: Carol's two commits, the maintainer's fix on top (the head), merged by a merge commit.
    PR 5: the same shape, never landed. PR 6: Carol's own, squash-merged."""
    repo.commit("Initial import", {"model.py": "v = 0\n"}, author=MAINTAINER)
    repo.git("checkout", "-q", "-b", "carol/sampler")
    repo.commit("Add a sampler", {"s.py": "1\n"}, author=CAROL)
    repo.commit("Test the sampler", {"t.py": "1\n"}, author=CAROL)
    repo.git("update-ref", "refs/pull/4/head", repo.commit("Fix lint", {"s.py": "2\n"}, author=MAINTAINER))
    repo.git("checkout", "-q", "main")
    repo.merge("carol/sampler", "Merge pull request #4 from carol/sampler\n\nA sampler", author=MAINTAINER)
    repo.git("checkout", "-q", "-b", "carol/idea")
    repo.commit("Try a bigger vocabulary", {"v.py": "1\n"}, author=CAROL)
    repo.git("update-ref", "refs/pull/5/head", repo.commit("Rebase fix", {"v.py": "2\n"}, author=MAINTAINER))
    repo.git("checkout", "-q", "main")
    repo.git("branch", "-q", "-D", "carol/idea")
    repo.commit("Docs (#6)", {"docs.md": "x\n"}, author=CAROL)
    repo.tag("v1.0.0")


def test_a_pr_belongs_to_its_first_commits_author_not_to_who_pushed_its_head(repo: Repo) -> None:
    contributed(repo)
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    notes = annotate_releases(knowledge)
    name = {key: person.name for key, person in knowledge.people.items()}
    outcomes = {o.number: (name.get(o.author), o.outcome) for o in notes.pull_requests}
    assert outcomes == {4: ("Carol Contrib", MERGED), 5: ("Carol Contrib", NOT_LANDED), 6: ("Carol Contrib", MERGED)}
    by_person = acceptance_by_person(notes.pull_requests, forge=False)
    carol = next(key for key, value in name.items() if value == "Carol Contrib")
    assert (by_person[carol].merged, by_person[carol].not_landed, by_person[carol].rate) == (2, 1, None)
    assert set(by_person) == {carol}  # the maintainer opened no PR
    heads = fetched_heads(knowledge, notes.pull_requests)
    assert (heads.fetched, heads.landed) == (2, 1)
    pages = render_pages(knowledge)
    index = pages["contributors/index.md"]
    assert ("**Pull requests:** 2 merged, 1 not landed (open or closed). 1 of the 2 pull request heads fetched "
            "(`refs/pull/*/head`) landed; the other is open or closed, which git alone cannot tell. The acceptance "
            "rate needs the forge's record: run `almanac sync`.") in index
    health = pages["contributors/health.md"]
    assert "The acceptance rate needs the forge's record: run `almanac sync`." in health
    assert "accepted" not in health and "%" not in health.split("## Change request acceptance")[1].split("##")[0]
    maintainer = knowledge.people[next(key for key, value in name.items() if value == "Mai Tainer")]
    assert "## Pull requests" not in pages[f"contributors/{maintainer.slug}.md"]


def test_with_the_forge_record_the_rate_is_merged_among_merged_and_closed(repo: Repo) -> None:
    contributed(repo)
    repo.git("checkout", "-q", "-b", "carol/later")
    repo.git("update-ref", "refs/pull/9/head", repo.commit("Later idea", {"l.py": "1\n"}, author=CAROL))
    repo.git("checkout", "-q", "main")  # PR 9: synced before it was opened, so the forge's record lacks it
    pulls = [
        PullRequestRecord(4, "A sampler", "merged", "carol", T0, T0),
        PullRequestRecord(5, "A bigger vocabulary", "closed", "carol", T0, T0),
        PullRequestRecord(6, "Docs", "merged", "carol", T0, T0),
        PullRequestRecord(7, "Telemetry", "closed", "drive-by", T0, T0),  # never fetched: the forge alone knows it
        PullRequestRecord(8, "Try again", "open", "carol", T0, T0),
        PullRequestRecord(10, "A fix by the maintainer", "draft", "maint", T0, T0),
    ]
    write_cache(repo.path / ".almanac" / "forge", ForgeData("github:o/r", synced_at=T0, pulls=pulls))
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    notes = annotate_releases(knowledge)
    name = {key: person.name for key, person in knowledge.people.items()}
    outcomes = {o.number: (name.get(o.author, o.author), o.outcome) for o in notes.pull_requests}
    assert outcomes == {
        4: ("Carol Contrib", MERGED), 5: ("Carol Contrib", CLOSED), 6: ("Carol Contrib", MERGED),
        7: ("login:drive-by", CLOSED), 8: ("Carol Contrib", OPEN), 9: ("Carol Contrib", NOT_LANDED),
        10: ("Mai Tainer", OPEN),
    }
    project = project_acceptance(notes.pull_requests, forge=True)
    assert (project.merged, project.closed, project.open, project.not_landed, project.rate) == (2, 2, 2, 1, 0.5)
    pages = render_pages(knowledge)
    assert ("**Pull requests:** 2 merged, 2 closed unmerged, 2 open, 1 not landed (open or closed): **50% accepted** "
            "(merged ÷ merged and closed unmerged).") in pages["contributors/index.md"]
    carol = knowledge.people[next(k for k, v in name.items() if v == "Carol Contrib")]
    assert ("2 merged, 1 closed unmerged, 1 open, 1 not landed (open or closed): **67% accepted**"
            in pages[f"contributors/{carol.slug}.md"])


def test_a_base_several_pr_branches_share_is_nobodys_first_commit(repo: Repo) -> None:
    """A history the project rewrote stays under old PR heads: its first commit is the maintainer's,
    but each PR is the work of whoever wrote the commits only its own branch holds."""
    repo.commit("Initial import", {"model.py": "v = 0\n"}, author=MAINTAINER)
    repo.git("checkout", "-q", "--orphan", "old-history")
    repo.commit("Old start", {"old.py": "1\n"}, author=MAINTAINER)
    repo.commit("Old work", {"old.py": "2\n"}, author=MAINTAINER)
    repo.git("update-ref", "refs/pull/2/head", repo.commit("Carol's idea", {"c.py": "1\n"}, author=CAROL))
    repo.git("reset", "-q", "--hard", "HEAD~1")
    dave = "Dave <dave@example.com>"
    repo.git("update-ref", "refs/pull/3/head", repo.commit("Dave's idea", {"d.py": "1\n"}, author=dave))
    repo.git("checkout", "-q", "main")
    repo.git("branch", "-q", "-D", "old-history")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    notes = annotate_releases(knowledge)
    name = {key: person.name for key, person in knowledge.people.items()}
    authors = {o.number: name.get(o.author, o.author) for o in notes.pull_requests}
    # Neither has a commit here: two strangers (two addresses), never the maintainer who wrote the base
    assert authors[2].startswith("stranger:") and authors[3].startswith("stranger:") and authors[2] != authors[3]
