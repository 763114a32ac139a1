"""Windows anchored at the build: "last 90 days" counts back from SOURCE_DATE_EPOCH (else the clock),
not from the last commit, and says the date it counts to; counts are singular when there is one."""

from __future__ import annotations

import pytest

from generator.analysis.history import dates
from generator.build import BuildOptions, build_knowledge
from generator.render.pages import render_pages
from tests.gitrepo import BASE_TIME, Repo

DAY = 86_400
TWO_YEARS_LATER = BASE_TIME + 730 * DAY  # 2025-11-13


def old_history(repo: Repo) -> None:
    repo.commit("Start", {"model.py": "1\n"}, author="Ada <ada@example.com>")
    repo.commit("Bump", {"requirements.txt": "x\n"}, author="dependabot[bot] <support@dependabot.com>")
    repo.commit("Tune", {"model.py": "2\n"}, author="Ada <ada@example.com>")
    repo.tag("v1.0.0")


def test_a_quiet_repository_says_so_with_the_date_the_window_ends(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    old_history(repo)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(TWO_YEARS_LATER))
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert (knowledge.now, knowledge.activity.commits_last_90_days) == (TWO_YEARS_LATER, 0)
    pages = render_pages(knowledge)
    assert "- **Last 90 days** (to 2025-11-13): no commits; the latest is from 2023-11-17\n" in pages["index.md"]
    index = pages["contributors/index.md"]
    assert "Nobody contributed in the twelve months to 2025-11-13; the latest commit is from 2023-11-17." in index
    health = pages["contributors/health.md"]
    assert "- **Last 12 months** (to 2025-11-13): no commits" in health
    assert "1 person has not contributed in the year to 2025-11-13:" in health


def test_without_source_date_epoch_the_window_ends_at_the_clock(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    old_history(repo)
    monkeypatch.setattr(dates.time, "time", lambda: float(BASE_TIME + 10 * DAY))  # 2023-11-24
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert knowledge.now == BASE_TIME + 10 * DAY and knowledge.as_of == BASE_TIME + 3 * DAY  # HEAD: the data's date
    assert "- **Last 90 days** (to 2023-11-24): 3 commits by 1 person\n" in render_pages(knowledge)["index.md"]


def test_one_of_a_thing_is_singular_in_english_and_counted_in_chinese(repo: Repo,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    old_history(repo)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(BASE_TIME + 4 * DAY))
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    english = render_pages(knowledge)
    overview = english["index.md"]
    assert "- **3 commits** from 2023-11-15 to 2023-11-17\n" in overview
    assert "- **[1 contributor](contributors/index.md)** (bots not counted)\n" in overview
    assert "- **[1 release](releases/index.md)**\n" in overview
    assert "(to 2023-11-18): 3 commits by 1 person\n" in overview  # the bot is no person
    index = english["contributors/index.md"]
    assert "1 person has contributed." in index and "never counted as people: 1 bot." in index
    assert "1 commit\n" in index.split("## Bots")[1]
    assert "1 of 1 person (" in english["contributors/health.md"]
    chinese = render_pages(knowledge, language="zh")
    assert "- **[1 个版本](releases/index.md)**\n" in chinese["index.md"]
    assert "- **[1 位贡献者](contributors/index.md)**" in chinese["index.md"]
    assert "1 人 has contributed." in chinese["contributors/index.md"]
    assert "1 bots" not in "".join(english.values()) and "1 releases" not in "".join(english.values())
