"""The licence page: declared licence, licence files, and the timeline of each file."""

from __future__ import annotations

from generator.knowledge import BuildOptions, build_knowledge
from generator.licences import licence_timeline
from generator.pages import render_pages
from tests.gitrepo import Repo

APACHE = "Apache License\nVersion 2.0, January 2004\n"


def test_timeline_of_added_changed_and_removed_licence_files(repo: Repo) -> None:
    added = repo.commit("Add licence", {"LICENSE": APACHE, "README.md": "---\nlicense: apache-2.0\n---\n# M\n"})
    repo.tag("v1.0.0")
    repo.commit("Weights licence", {"MODEL_LICENSE": "Model licence v1\n"})
    bumped = repo.commit("Bump the year", {"LICENSE": APACHE + "Copyright 2025\n"})
    repo.tag("v1.1.0")
    repo.git("rm", "-q", "MODEL_LICENSE")
    removed = repo.commit("Drop the separate weights licence")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    events = [(e.path, e.change, e.sha, e.release) for e in licence_timeline(knowledge)]
    assert events == [
        ("MODEL_LICENSE", "removed", removed, None),
        ("LICENSE", "changed", bumped, "v1.1.0"),
        ("MODEL_LICENSE", "added", events[2][2], "v1.1.0"),
        ("LICENSE", "added", added, "v1.0.0"),
    ]
    page = render_pages(knowledge)["licence.md"]
    assert "**apache-2.0**" in page and "| MODEL&#95;LICENSE | removed |" in page and "unreleased |" in page
    assert "`MODEL" not in page  # escaped values never sit inside a code span
