from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.gitrepo import Repo


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test may depend on the developer's git identity, time zone or caches."""
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("CI", raising=False)
    if "ALMANAC_CACHE_DIR" not in os.environ:
        monkeypatch.setenv("ALMANAC_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "almanac-cache"))


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")
