"""A build with a forge cache: PR outcomes, review statistics, labels and the discussion digest."""

from __future__ import annotations

from pathlib import Path

from generator.analysis.history.changes import annotate_releases
from generator.analysis.history.classify import load_rules
from generator.analysis.history.reviews import percentile, review_statistics
from generator.build import BuildOptions, build_knowledge
from generator.model.forge import Answer, DiscussionRecord, ForgeData, PullRequestRecord, Review
from generator.render.pages import render_pages
from generator.sources.forges.cache import write_cache
from generator.text.safehtml import render_untrusted
from tests.gitrepo import Repo

HOUR = 3600
T0 = 1_750_000_000
LINA = "Li Na <1+lina@users.noreply.github.com>"
WEI = "Wei Zhang <2+wei@users.noreply.github.com>"


def pr(number: int, author: str | None, state: str, *, reviews: tuple[Review, ...] = (), merged_after: int = 0,
       labels: tuple[str, ...] = (), title: str = "", merge_commit: str | None = None) -> PullRequestRecord:
    return PullRequestRecord(
        number=number, title=title or f"PR {number}", state=state, author=author, created_at=T0,
        updated_at=T0 + 100 * HOUR, merged_at=T0 + merged_after * HOUR if state == "merged" else None,
        closed_at=T0 + 50 * HOUR if state in ("merged", "closed") else None, merge_commit=merge_commit,
        labels=labels, reviews=reviews, url=f"https://github.com/o/r/pull/{number}")


def test_review_statistics_against_constructed_data() -> None:
    pulls = [
        pr(1, "lina", "merged", merged_after=10, reviews=(Review("wei", "APPROVED", T0 + 2 * HOUR),
                                                           Review("lina", "COMMENTED", T0 + 1 * HOUR))),
        pr(2, "lina", "merged", merged_after=30, reviews=(Review("wei", "CHANGES_REQUESTED", T0 + 6 * HOUR),
                                                           Review("wei", "APPROVED", T0 + 20 * HOUR))),
        pr(3, "lina", "closed", reviews=(Review("alex", "COMMENTED", T0 + 4 * HOUR),)),
        pr(4, "wei", "open"),
        pr(5, None, "closed"),  # a deleted account
    ]
    project, people = review_statistics(pulls, lambda login: login or "")
    assert (project.opened, project.merged, project.closed_unmerged, project.open) == (5, 2, 2, 1)
    assert project.acceptance == 0.5 and project.reviews_given == 4  # lina's own comment is not a review given
    assert (project.first_review_median, project.first_review_p90) == (4.0, 6.0)  # waits 2, 6, 4 hours
    assert (project.merge_median, project.merge_p90) == (10.0, 30.0)
    lina, wei = people["lina"], people["wei"]
    assert (lina.opened, lina.merged, lina.closed_unmerged, lina.acceptance) == (3, 2, 1, 2 / 3)
    assert (wei.opened, wei.open, wei.reviews_given, wei.acceptance) == (1, 1, 3, None)
    assert people["alex"].reviews_given == 1 and people["alex"].opened == 0
    assert percentile([], 0.5) is None and percentile([7.0], 0.9) == 7.0


def forge_repo(repo: Repo) -> dict[str, str]:
    """A history with a squash-merged PR, an unmerged PR head, and a cache that knows more."""
    shas = {"init": repo.commit("Initial commit", {"README.md": "# M\n"}, author=WEI)}
    shas["fix"] = repo.commit("Tokenizer: trim spaces (#5)\n\nImplements discussion #9.",
                              {"src/tokenizer.py": "x = 1\n"}, author=LINA)
    repo.git("update-ref", "refs/pull/5/head", shas["fix"])
    repo.git("checkout", "-q", "-b", "idea")
    shas["idea"] = repo.commit("Try a bigger vocabulary", {"src/vocab.py": "v = 2\n"}, author=LINA)
    repo.git("update-ref", "refs/pull/7/head", shas["idea"])
    repo.git("checkout", "-q", "main")
    repo.git("branch", "-D", "idea")
    repo.tag("v1.0.0")
    cache = ForgeData("github:o/r", synced_at=T0 + 200 * HOUR, pulls=[
        pr(5, "lina", "merged", merged_after=8, labels=("bug",), title="Tokenizer: trim spaces",
           merge_commit=shas["fix"], reviews=(Review("wei", "APPROVED", T0 + HOUR),)),
        pr(7, "lina", "open", title="Try a bigger vocabulary"),
        pr(8, "stranger-dev", "closed", title="Add telemetry"),
    ], discussions=[
        DiscussionRecord(9, "Trim spaces in the tokenizer?", "Spaces leak into tokens.", "zhaolei", "Ideas",
                         T0 - 100 * HOUR, T0, upvotes=7, reactions=2, url="https://github.com/o/r/discussions/9"),
        DiscussionRecord(10, "Bigger context?", "<script>alert(1)</script>**8K** please "
                         "[click](javascript:alert(1)) ![t](https://track.example/p.gif) mail me: a@b.example",
                         None, "Ideas", T0 - 50 * HOUR, T0, upvotes=12),
        DiscussionRecord(11, "How do I load the model?", "In transformers?", "newbie", "Q&A", T0 - 10 * HOUR, T0,
                         answerable=True, answer=Answer("wei", "Use `AutoModel.from_pretrained`.",
                                                        "https://github.com/o/r/discussions/11#c1")),
        DiscussionRecord(12, "Does it run on a Pi?", "Asking for a friend.", "maker", "Q&A", T0, T0,
                         answerable=True, reactions=4),
    ])
    write_cache(repo.path / ".almanac" / "forge", cache)
    return shas


def test_forge_state_refines_git_outcomes_and_labels_decide_sections(repo: Repo) -> None:
    forge_repo(repo)
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    notes = annotate_releases(knowledge)
    outcomes = {o.number: (o.author.split(":")[0] if o.author.startswith("login:") else "person", o.outcome, o.how,
                           o.title) for o in notes.pull_requests}
    assert outcomes == {
        5: ("person", "merged", "squash", "Tokenizer: trim spaces"),
        7: ("person", "open", "forge: open", "Try a bigger vocabulary"),  # git alone said "not landed (open or closed)"
        8: ("login", "closed unmerged", "forge: closed", "Add telemetry"),  # never fetched, known from the forge
    }
    (change,) = [c for c in knowledge.releases[0].changes if c.pr == 5]
    assert (change.section, change.rule) == ("Fixed", "label “bug”")
    rules = repo.path.parent / "rules.yml"
    rules.write_text("labels:\n  bug: Changed\n", encoding="utf-8")  # a project's own mapping wins
    annotate_releases(knowledge, load_rules(rules))
    (change,) = [c for c in knowledge.releases[0].changes if c.pr == 5]
    assert (change.section, change.rule) == ("Changed", "label “bug”")


def test_digest_and_review_pages_from_the_cache(repo: Repo) -> None:
    forge_repo(repo)
    repo.commit("RFC", {"rfcs/0003-streaming.md": "---\ntitle: Streaming generation\nstatus: accepted\n"
                                                  "authors: [lina]\ndate: 2025-01-05\nvotes: 4\n---\n# Streaming\n\n"
                                                  "Stream tokens as they come.\n"}, author=LINA)
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    pages = render_pages(knowledge)
    digest = pages["discussions.md"]
    assert digest.index("Bigger context?") < digest.index("Trim spaces in the tokenizer?")  # 12 votes before 9
    # the squash body says "discussion #9"; the pull request links to the forge of the record
    assert "Pull requests: [#5](https://github.com/o/r/pull/5) Tokenizer&#58; trim spaces (merged)" in digest
    assert "### [Trim spaces in the tokenizer?](https://github.com/o/r/discussions/9)" in digest
    assert "<script" not in digest and "track.example" not in digest and "&#91;click&#93;(javascript" in digest
    assert "a@b.example" not in digest and "<strong>8K</strong>" in digest
    assert "Use <code>AutoModel.from_pretrained</code>." in digest and "answered" not in digest.split("## Open")[1]
    assert "Does it run on a Pi?" in digest.split("## Open questions")[1]
    assert "| Streaming generation (rfcs/0003-streaming.md) | Proposal &#40;accepted&#41; | lina | 2025-01-05 | 4 |" \
        in digest
    health = pages["contributors/health.md"]
    assert "3 pull requests, 1 merged, 1 closed unmerged, 1 open: **50%** of the decided ones merged" in health
    assert "| Time to the first review | 1 h | 1 h |" in health and "1 review was given" in health
    assert "| src | Wei Zhang (1) |" in health
    wei = next(p for p in knowledge.people.values() if p.login == "wei")
    assert "1 review given on other people's pull requests." in pages[f"contributors/{wei.slug}.md"]


def test_untrusted_markdown_is_rendered_safely() -> None:
    html = render_untrusted('<iframe src="https://evil.example"></iframe>\n\n[ok](https://a.example) '
                            '<img src=x onerror=alert(1)> [bad](javascript:alert(1)) [data](data:text/html,x)')
    assert "<iframe" not in html and "<img" not in html  # raw HTML stays visible text, never markup
    assert 'href="https://a.example"' in html and 'rel="nofollow noopener noreferrer"' in html
    assert 'href="javascript' not in html and 'href="data' not in html


def test_a_site_without_a_cache_has_no_digest(repo: Repo, tmp_path: Path) -> None:
    repo.commit("Init", {"README.md": "# M\n"})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    pages = render_pages(knowledge)
    assert "discussions.md" not in pages and "## Review" not in pages["contributors/health.md"]
