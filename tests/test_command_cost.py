"""Each command pays only for what it prints (issue 21): a changelog reads no README, licence text or
notebook, and is the same byte for byte as one made from a full build."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.changelog import changelog_from_repo, render_changelog, resolve_forge
from generator.changes import annotate_releases
from generator.knowledge import BuildOptions, build_knowledge
from generator.locations import DEMO, resolve_repo


def test_a_changelog_describes_no_model_and_equals_the_full_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    full = build_knowledge(BuildOptions(repo=resolve_repo(DEMO, Path.cwd()), use_cache=False))
    forge = resolve_forge(Path(full.state.root), None)
    expected = render_changelog(full, annotate_releases(full).unreleased, forge=forge)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a changelog described the model")

    monkeypatch.setattr("generator.modeldescription.describe_model", refuse)
    monkeypatch.setattr("generator.resources.discovered_resources", refuse)
    assert changelog_from_repo(DEMO, use_cache=False) == expected
