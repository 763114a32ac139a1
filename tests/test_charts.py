"""Pictures drawn at build time: release cadence, activity sparklines, avatars and badges."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build import BuildOptions, build_knowledge
from generator.render.avatars import hue, initials, initials_avatar, remote_avatar
from generator.render.badges import badge
from generator.render.charts import ReleasePoint, months_back, per_month, release_cadence, sparkline, svg_text
from generator.render.pages import render_pages
from tests.test_site import HOSTILE_NAME, model_repo

HOSTILE = HOSTILE_NAME + ' _under_ *star* [x](y) & "q"'


def _text_alternative(svg: str) -> tuple[str, str]:
    label = re.search(r'role="img" aria-label="([^"]*)"', svg)
    title = re.search(r"<title>([^<]*)</title>", svg)
    assert label and title, svg[:200]
    return label.group(1), title.group(1)


@pytest.mark.parametrize("draw", [
    lambda: badge("licence", HOSTILE),
    lambda: initials_avatar(HOSTILE, "key"),
    lambda: sparkline(f"Commits per month by {HOSTILE}", ["2024-01", "2024-02"], [1, 3]),
    lambda: release_cadence([ReleasePoint(HOSTILE, 0, "1970-01-01", 2)]),
])
def test_strangers_text_stays_text_in_every_picture(draw) -> None:  # type: ignore[no-untyped-def]
    svg = str(draw())
    inner = re.sub(r"<(/?)(svg|title|desc|rect|circle|line|text|g)\b[^<>]*>", "", svg)
    assert "<" not in inner and ">" not in inner  # no tag but the drawing's own
    for special in ('"q"', "_under_", "*star*", "[x]", "& "):
        assert special not in svg
    label, title = _text_alternative(svg)
    assert label and title


def test_svg_text_is_numeric_references_for_everything_but_letters_digits_spaces() -> None:
    assert svg_text("Wei Zhang") == "Wei Zhang"
    assert svg_text("a_b <c>\n") == "a&#95;b &#60;c&#62;"
    assert svg_text("李娜") == "&#26446;&#23068;"


def test_badge_bytes_are_fixed_and_follow_the_theme() -> None:
    first = badge("licence", "apache-2.0")
    assert first == badge("licence", "apache-2.0")
    assert 'aria-label="licence&#58; apache&#45;2&#46;0"' in first
    assert 'width="143"' in first  # 7 px a character, 6 px padding each side: the same on every machine
    assert "var(--md-primary-fg-color" in first and "var(--md-default-bg-color" in first
    assert "script" not in first.lower()


def test_release_cadence_draws_one_stem_per_release_sized_by_its_changes() -> None:
    points = [ReleasePoint("v0.1.0", 1_700_000_000, "2023-11-14", 10),
              ReleasePoint("v1.0.0-rc1", 1_710_000_000, "2024-03-09", 5, prerelease=True),
              ReleasePoint("v1.0.0", 1_720_000_000, "2024-07-03", 40)]
    svg = str(release_cadence(points))
    assert svg == str(release_cadence(points))
    stems = re.findall(r'<line x1="([\d]+\.\d)" y1="128" x2="[\d.]+" y2="([\d.]+)"', svg)
    assert len(stems) == 3
    heights = [128 - float(top) for _, top in stems]
    assert heights[2] == pytest.approx(4 * heights[0], abs=0.2)  # 40 changes stand four times as tall as 10
    assert [float(x) for x, _ in stems] == sorted(float(x) for x, _ in stems)
    assert "<title>v1&#46;0&#46;0&#45;rc1, 2024&#45;03&#45;09: 5 changes</title>" in svg
    assert 'fill="none"' in svg  # the pre-release is hollow
    assert "<desc>3 releases from 2023&#45;11&#45;14 to 2024&#45;07&#45;03&#59; the largest&#44; v1&#46;0&#46;0" in svg
    assert "currentColor" in svg and "#" not in re.sub(r"&#\d+;|, #[0-9a-f]{6}\)", "", svg)
    assert release_cadence([]) == ""


def test_months_back_and_per_month_count_calendar_months_in_utc() -> None:
    january_2024 = 1_704_067_200  # 2024-01-01T00:00:00Z
    months = months_back(january_2024, 3)
    assert months == ["2023-11", "2023-12", "2024-01"]
    assert per_month([january_2024, january_2024 - 1, january_2024 - 1, 0], months) == [0, 2, 1]
    assert len(months_back(january_2024, 24)) == 24


def test_sparkline_has_a_bar_per_active_month_and_says_the_numbers() -> None:
    svg = str(sparkline("Commits per month by Ann", ["2024-01", "2024-02", "2024-03"], [2, 0, 4]))
    assert svg.count("<rect") == 2 and "<title>2024-03: 4</title>" in svg
    assert "<desc>6 in the 3 months 2024&#45;01 to 2024&#45;03&#59; the most&#44; 4&#44; in 2024&#45;03" in svg
    assert sparkline("x", ["2024-01"], [0]) == ""


def test_initials_and_colours_are_fixed_per_person() -> None:
    assert initials("Wei Zhang") == "WZ" and initials("李娜") == "李" and initials("alice") == "A"
    assert initials("Fatima Al-Sayed") == "FS" and initials("***") == "?"
    assert hue("alice") == hue("alice") and len({hue(f"person{i}") for i in range(20)}) > 10
    assert initials_avatar("Wei Zhang", "k") == initials_avatar("Wei Zhang", "k")
    assert remote_avatar("Ann", "https://avatars.githubusercontent.com/u/1?v=4").startswith('<img src="https')


def test_pages_carry_the_pictures_and_remote_avatars_only_when_allowed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1701000000")  # 2023-11-26: the commits fall in the last 24 months
    repo = model_repo(tmp_path / "repo")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    pages = render_pages(knowledge)
    assert '<p class="almanac-badges"><svg' in pages["index.md"]
    assert 'aria-label="licence&#58; apache&#45;2&#46;0"' in pages["index.md"]
    assert "Release cadence" in pages["releases/index.md"]
    assert 'class="almanac-sparkline"' in pages["contributors/weizhang.md"]
    wall = pages["contributors/index.md"]
    assert wall.count('class="almanac-avatar"') == 4 and "avatars.githubusercontent.com" not in wall
    assert "(weizhang.md \"Wei Zhang\")" in wall
    remote = render_pages(knowledge, remote_avatars=True)["contributors/index.md"]
    assert '[<img src="https://avatars.githubusercontent.com/u/1234?v=4&amp;s=96" alt="Wei Zhang"' in remote
