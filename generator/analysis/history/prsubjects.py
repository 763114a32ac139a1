"""The pull request a commit's own message names: the strongest evidence of which change brought it.

Shared by the attribution of commits to changes and by the look-alike search, which skips the commits
a message already places (their patch-ids could not move them).
"""

from __future__ import annotations

import re

from generator.model.knowledge import Commit

#: Starts only where a run of spaces starts (``\s*\(`` tried every space of a long run: quadratic); PR
#: numbers have at most 9 digits: a subject ending in "(#" and 5 000 digits names no PR (and int() refuses it).
PR_SUFFIX = re.compile(r"(?<!\s)\s*\(#(\d{1,9})\)\s*$")
MERGE_PR = re.compile(r"^Merge pull request #(\d{1,9}) from (\S+)")
#: GitLab's merge commits name the merge request in the body.
MERGE_REQUEST = re.compile(r"^See merge request \S+!(\d{1,9})\s*$", re.MULTILINE)


def subject_pr(commit: Commit) -> int | None:
    """The PR a commit's own message names: GitHub's merge subject or squash suffix, GitLab's merge body."""
    subject = commit.subject
    if commit.is_merge:
        if merge := MERGE_PR.match(subject):
            return int(merge.group(1))
        if request := MERGE_REQUEST.search(commit.body):
            return int(request.group(1))
    if suffix := PR_SUFFIX.search(subject):
        return int(suffix.group(1))
    return None
