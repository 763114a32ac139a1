"""Almanac's own data files read by libyaml's parser mean exactly what PyYAML's own parser reads."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from generator.sources.packagedata import packaged_yaml

DATA_FILES = sorted(entry.name for entry in resources.files("generator").joinpath("data").iterdir()
                    if entry.name.endswith(".yml"))


@pytest.mark.parametrize("name", DATA_FILES)
def test_both_parsers_agree(name: str) -> None:
    text = resources.files("generator").joinpath(f"data/{name}").read_text(encoding="utf-8")
    assert packaged_yaml(name) == yaml.safe_load(text)


def test_every_data_file_is_checked() -> None:
    assert {"changes.yml", "licences.yml", "obligations.yml", "tools.yml"} <= set(DATA_FILES)
