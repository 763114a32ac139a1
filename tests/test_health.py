"""Community health figures on a history whose answers the test constructs month by month."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from generator.analysis.history.changes import annotate_releases
from generator.analysis.history.health import community_health
from generator.build import BuildOptions, build_knowledge
from generator.render.charts import bar_chart
from generator.render.pages import render_pages
from tests.gitrepo import Repo
from tests.test_site import build

DAY = 86_400
JAN_2023 = 1_672_531_200  # 2023-01-01 00:00 UTC


def commit_on(repo: Repo, day: int, message: str, files: dict[str, str], author: str) -> None:
    repo.clock = JAN_2023 + day * DAY - DAY  # Repo.commit adds one day
    repo.commit(message, files, author=author)


def test_health_of_a_constructed_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(JAN_2023 + 430 * DAY))  # built the day of the last commit
    repo = Repo(tmp_path / "repo")
    ada, bea, cy = "Ada <ada@example.com>", "Bea <bea@example.com>", "Cy <cy@example.com>"
    commit_on(repo, 0, "Start", {"src/a.py": "1\n"}, ada)  # 2023-01
    commit_on(repo, 5, "More", {"src/b.py": "1\n"}, bea)  # 2023-01, Bea's only month
    commit_on(repo, 40, "Again (#2)", {"src/a.py": "2\n"}, ada)  # 2023-02
    repo.tag("v1.0.0")
    commit_on(repo, 70, "Pair\n\nCo-authored-by: Cy <cy@example.com>", {"src/a.py": "3\n"}, ada)  # 2023-03
    commit_on(repo, 71, "Bump", {"requirements.txt": "x\n"}, "dependabot[bot] <support@dependabot.com>")
    repo.tag("v1.1.0")
    commit_on(repo, 420, "Docs", {"docs/x.md": "1\n"}, cy)  # 2024-02
    commit_on(repo, 430, "Docs (#3)", {"docs/y.md": "1\n"}, cy)
    repo.tag("v2.0.0")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    notes = annotate_releases(knowledge)
    health = community_health(knowledge, notes.pull_requests)
    name = {key: person.name for key, person in knowledge.people.items()}
    by_month = {month.label: (month.contributors, month.newcomers) for month in health.months}
    assert by_month["2023-01"] == (2, 2) and by_month["2023-02"] == (1, 0) and by_month["2023-03"] == (2, 1)
    assert by_month["2023-06"] == (0, 0) and by_month["2024-02"] == (1, 0)  # Cy was new in 2023-03
    assert len(health.months) == 15  # 2023-01 to 2024-03 (day 430), quiet months included
    assert [person.name for person in health.inactive] == ["Bea"]  # Ada's last commit is 360 days before the build
    assert [name[key] for key in health.absence.people] == ["Ada"]  # 3 of 6 human commits: half
    assert [name[key] for key in health.absence_last_year.people] == ["Cy"]
    areas = {factor.scope: [name[key] for key in factor.people] for factor in health.absence_by_area}
    assert areas == {"src": ["Ada"], "docs": ["Cy"]}  # the bot's requirements.txt is not a person's area
    assert health.releases_per_year == [("2023", 2), ("2024", 1)]
    assert health.median_days_between_releases == (31 + 359) / 2  # days 40 → 71 → 430
    assert (health.acceptance.merged, health.acceptance.rate) == (2, None)  # no forge record: no rate
    page = render_pages(knowledge)["contributors/health.md"]
    assert "<svg " in page and "2024-02: 1 contributors" in page and "[Bea](bea.md) (2023-01-06)" in page


def test_bar_chart_is_well_formed_and_escaped() -> None:
    svg = bar_chart("A <b> & c", ["2024-01", "2024-02"], [("people", [3, 0]), ("new", [1, 0])])
    root = ElementTree.fromstring(str(svg))
    assert root.tag.endswith("svg") and "<b>" not in svg and "A &lt;b&gt; &amp; c" in svg
    heights = [float(rect.get("height", 0)) for rect in root.iter("{http://www.w3.org/2000/svg}rect")
               if rect.find("{http://www.w3.org/2000/svg}title") is not None]
    assert heights == [126.0, 0.0, 42.0, 0.0]  # scaled to the peak
    assert bar_chart("empty", [], []) == ""


def test_contributor_index_has_a_recent_view_and_sortable_tables(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(JAN_2023 + 501 * DAY))
    repo = Repo(tmp_path / "repo")
    commit_on(repo, 0, "Old work", {"a.py": "1\n"}, "Old Timer <old@example.com>")
    commit_on(repo, 1, "More old work", {"a.py": "2\n"}, "Old Timer <old@example.com>")
    pair = "New work\n\nCo-authored-by: Pal <pal@example.com>"
    commit_on(repo, 500, pair, {"b.py": "1\n"}, "Newer <new@example.com>")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    index = render_pages(knowledge)["contributors/index.md"]
    recent, all_time = index.split("## Last 12 months")[1].split("## All time")
    assert "Newer" in recent and "Pal" in recent and "Old Timer" not in recent
    assert all_time.index("Old Timer") < all_time.index("Newer")  # two commits before one
    assert index.count('<span class="almanac-sortable"></span>') == 2
    site = tmp_path / "site"
    assert build(repo.path, site) == 0
    page = (site / "contributors" / "index.html").read_text(encoding="utf-8")
    assert 'src="../assets/almanac/tablesort.js"' in page and (site / "assets/almanac/tablesort.js").is_file()
