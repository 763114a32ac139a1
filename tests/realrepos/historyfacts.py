"""What a real history says about its pull requests, read with plain git commands (never with Almanac).

Used by the release-notes tests on the corpus bundles and by ``measure_release_notes.py`` on larger
repositories fetched by hand. Each function is one command of the truth files, so a reader can run it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

_SQUASH = re.compile(r"\(#(\d+)\)\s*$")
_MERGE = re.compile(r"^Merge pull request #(\d+) ")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def squashed(repo: Path) -> list[int]:
    """``git log HEAD --tags --no-merges --format=%s | grep -oE '\\(#[0-9]+\\)\\s*$' | tr -dc '0-9\\n' | sort -un``"""
    subjects = git(repo, "log", "HEAD", "--tags", "--no-merges", "--format=%s").splitlines()
    return sorted({int(match.group(1)) for subject in subjects if (match := _SQUASH.search(subject))})


def merged(repo: Path) -> list[int]:
    """``git log HEAD --tags --merges --format=%s | sed -nE 's/^Merge pull request #([0-9]+) .*/\\1/p' | sort -un``"""
    subjects = git(repo, "log", "HEAD", "--tags", "--merges", "--format=%s").splitlines()
    return sorted({int(match.group(1)) for subject in subjects if (match := _MERGE.match(subject))})


def commits(repo: Path) -> set[str]:
    """``git rev-list HEAD --tags``: every commit a release or the unreleased notes must account for."""
    return set(git(repo, "rev-list", "HEAD", "--tags").split())


def carried(repo: Path) -> dict[str, list[int]]:
    """First-parent merges that name no PR → the PRs their branch brought (``git log M^1..M^2``)."""
    found: dict[str, list[int]] = {}
    for line in git(repo, "log", "--first-parent", "--merges", "--format=%h %s", "HEAD").splitlines():
        sha, _, subject = line.partition(" ")
        if _MERGE.match(subject) or _SQUASH.search(subject):
            continue
        subjects = git(repo, "log", "--format=%s", f"{sha}^1..{sha}^2").splitlines()
        found[sha] = sorted({int(m.group(1)) for s in subjects if (m := _MERGE.match(s) or _SQUASH.search(s))})
    return found


def side(repo: Path, merge: str) -> set[str]:
    """``git rev-list M^1..M``: what a merge brought, itself included."""
    return set(git(repo, "rev-list", f"{merge}^1..{merge}").split())


@dataclass(frozen=True)
class Notes:
    """Almanac's JSON release notes, flattened."""

    changes: list[dict[str, object]]

    @classmethod
    def read(cls, path: Path) -> Notes:
        document = json.loads(path.read_text(encoding="utf-8"))
        changes = list(document["unreleased"]["changes"])
        for release in document["releases"]:
            changes += release["changes"]
        return cls(changes)

    def named(self) -> set[int]:
        return {int(str(change["pr"])) for change in self.changes if change["pr"] is not None}

    def owners(self) -> Counter[str]:
        return Counter(str(sha) for change in self.changes for sha in change["commits"])  # type: ignore[attr-defined]


def report(repo: Path, notes_json: Path, changelog_md: str | None = None) -> dict[str, object]:
    """The closing-note figures: PRs landed (git) vs named (Almanac), commits in exactly one change."""
    notes = Notes.read(notes_json)
    landed = set(squashed(repo)) | set(merged(repo))
    named = notes.named()
    owners = notes.owners()
    history = commits(repo)
    in_markdown = {int(n) for n in re.findall(r"#(\d+)\b", changelog_md)} if changelog_md is not None else None
    return {
        "landed": len(landed),
        "named": len(landed & named),
        "missing": sorted(landed - named),
        "named_without_subject": sorted(named - landed),
        "in_changelog_md": len(landed & in_markdown) if in_markdown is not None else None,
        "commits": len(history),
        "in_exactly_one_change": sum(1 for sha in history if owners.get(sha) == 1),
        "in_two_or_more": sum(1 for count in owners.values() if count > 1),
        "not_in_history": len(set(owners) - history),
    }


if __name__ == "__main__":  # python -m tests.realrepos.historyfacts REPO NOTES.json [CHANGELOG.md]
    markdown = Path(sys.argv[3]).read_text(encoding="utf-8") if len(sys.argv) > 3 else None
    print(json.dumps(report(Path(sys.argv[1]), Path(sys.argv[2]), markdown), indent=1))
