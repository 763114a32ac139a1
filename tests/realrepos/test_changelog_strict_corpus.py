"""Issue 20, item 8: the strict CHANGELOG.md of a real repository passes kacl-cli (python-kacl).

mistral-inference has seven ``v``-semver release tags (``git tag``: v1.0.4 … v1.6.0) and an origin on GitHub.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_changelog_strict import kacl_errors


def test_mistral_inference_strict_changelog_validates(corpus_clone: Callable[[str], Path], tmp_path: Path) -> None:
    from generator.export.changelog import changelog_from_repo

    repo = corpus_clone("mistralai+mistral-inference")
    text = changelog_from_repo(repo, strict=True, forge_url_option="https://github.com/mistralai/mistral-inference",
                               use_cache=False)
    assert kacl_errors(text, tmp_path) == []
    versions = [line.split("]")[0][4:] for line in text.splitlines() if line.startswith("## [")]
    assert versions == ["Unreleased", "1.6.0", "1.5.0", "1.4.0", "1.3.0", "1.2.0", "1.1.0", "1.0.4"]
    assert "[1.0.4]: https://github.com/mistralai/mistral-inference/releases/tag/v1.0.4" in text
