"""The hostile site, built once for the audit and the browser test."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli.commands import main
from tests.security.corpus import hostile_repo, site_config


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    repo = hostile_repo(folder / "repo")
    config = site_config(repo, folder / "site-src")
    site = folder / "site"
    assert main(["build", "-f", str(config), "--site-dir", str(site)]) == 0
    return site
