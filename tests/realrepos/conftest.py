"""One working clone per corpus bundle for the whole session: the real-repository tests only read them."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

#: ../shared/corpus beside the project; ALMANAC_CORPUS names another place (a git worktree elsewhere).
CORPUS = Path(os.environ.get("ALMANAC_CORPUS") or Path(__file__).resolve().parents[2].parent / "shared" / "corpus")
#: Why the tests of this folder skip on a clone of the project alone.
ABSENT = f"{CORPUS} is absent: the real-repository tests need ../shared/corpus"


@pytest.fixture(scope="session")
def corpus_clone(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``corpus_clone(NAME)``: the path of a clone of bundle NAME, made by ``../shared/corpus/clone`` once."""
    if not (CORPUS / "clone").is_file():
        pytest.skip(ABSENT)
    clones: dict[str, Path] = {}

    def clone(name: str) -> Path:
        if name not in clones:
            target = tmp_path_factory.mktemp(name.replace("+", "-")) / "repo"
            subprocess.run([str(CORPUS / "clone"), name, str(target)], check=True, capture_output=True)
            clones[name] = target
        return clones[name]

    return clone
