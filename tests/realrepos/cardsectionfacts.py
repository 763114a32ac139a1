"""The card sections Almanac finds in a repository's README files and MODEL_CARD.md at HEAD."""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.analysis.models.card import build_card, is_card_file, readme_headings
from generator.model.models import ModelCard
from generator.sources.files.repofiles import is_readme


def card_of(repo: Path, library: bool = False) -> ModelCard:
    """The card's sections as :func:`generator.analysis.models.description.describe_model` builds them at the
    root (card files first, then ``README.md``, then its translations), without facts or metadata."""
    names = subprocess.run(["git", "-C", str(repo), "ls-tree", "--name-only", "HEAD"], capture_output=True,
                           text=True, check=True).stdout.splitlines()
    readmes = sorted((name for name in names if is_readme(name)), key=lambda name: (name != "README.md", name))
    files = [*sorted(name for name in names if is_card_file(name)), *readmes]
    headings = [heading for name in files for heading in readme_headings(
        subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{name}"], capture_output=True, check=True)
        .stdout.decode("utf-8", "replace"), name)]
    return build_card({}, [], headings, library=library)


def located(card: ModelCard) -> dict[str, list[str]]:
    return {section.title: [heading.where for heading in section.headings] for section in card.sections}
