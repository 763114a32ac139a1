"""What each GitHub Actions workflow does, from its own ``on:`` and jobs: never assumed.

A workflow file is named ``ci.yml`` or ``stale.yml`` by habit only; what it does is what its ``on:``
says (push, pull_request, schedule, release, workflow_dispatch…) and what its jobs' steps ``run`` or
``uses``. The tools page describes each from those facts, with the file, so a scheduled stale-issue bot
is not "the checks on every push".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from generator.sources.packagedata import packaged_yaml

_WORKFLOW = re.compile(r"^\.github/workflows/[^/]+\.ya?ml$")
_MAX_STEPS = 5
_FILTERS = ("branches-ignore", "tags", "tags-ignore", "paths", "paths-ignore", "types")
#: Lines of a ``run:`` script that say nothing of what it does.
_NOISE = re.compile(r"^(?:#|cd\b|echo\b|set\s+-|source\s+activate\b|conda\s+activate\b|export\b|df\b|ls\b"
                    r"|(?:python3?\s+-m\s+)?pip3?\s+install\s+(?:--upgrade|-U)\s+pip\s*$"
                    r"|(?:if|then|else|elif|fi|for|do|done)\b|\w+=\S*$)")


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    #: What its steps do, in order: a step's own ``name``, else what the action it uses does, else the
    #: first telling line it runs.
    steps: tuple[str, ...]
    #: Steps left out of ``steps`` (beyond the first few).
    more: int = 0


@dataclass(frozen=True, slots=True)
class Workflow:
    path: str
    name: str
    #: When it runs, one phrase per event of ``on:`` ("pushes to main", "a schedule (cron 0 15 * * *, UTC)").
    triggers: tuple[str, ...] = ()
    jobs: tuple[Job, ...] = ()
    #: Why the file could not be read (``not valid YAML at line 12: …``); nothing else is said of it then.
    problem: str = ""
    line: int = 0


def is_workflow(path: str) -> bool:
    return bool(_WORKFLOW.match(path))


def describe_workflows(texts: dict[str, str]) -> list[Workflow]:
    """Every workflow among ``texts``, in path order, each described from its own file."""
    return [describe_workflow(path, text) for path, text in sorted(texts.items()) if is_workflow(path)]


def describe_workflow(path: str, text: str) -> Workflow:
    name = path.rsplit("/", 1)[-1]
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        return Workflow(path, name, problem=f"not valid YAML: {problem}", line=line)
    if not isinstance(data, dict):
        return Workflow(path, name, problem="not a workflow (no mapping at the top)", line=1)
    # PyYAML reads YAML 1.1, where a bare `on` key is the boolean true.
    events = data.get("on", data.get(True))
    return Workflow(path, str(data.get("name") or name), tuple(triggers(events)),
                    tuple(_jobs(data.get("jobs"))))


def triggers(events: Any) -> list[str]:
    """One phrase per event of ``on:``, in string, list or mapping form."""
    if isinstance(events, str):
        events = {events: None}
    elif isinstance(events, list):
        events = {str(event): None for event in events}
    if not isinstance(events, dict):
        return []
    return [_trigger(str(event), config) for event, config in events.items()]


def _trigger(event: str, config: Any) -> str:
    if event == "schedule":
        return _schedule(config if isinstance(config, list) else [])
    config = config if isinstance(config, dict) else {}
    if event in ("push", "pull_request", "pull_request_target"):
        return _push_or_pr(event, config)
    if event == "workflow_run":
        names = ", ".join(str(name) for name in _list(config.get("workflows")))
        if not names:
            return "a finished run of another workflow"
        return f"a finished run of the workflow {names}" + _types(config)
    phrases = {"workflow_dispatch": "a manual start (workflow_dispatch)",
               "workflow_call": "a call from another workflow (workflow_call)",
               "release": "releases", "issues": "issues", "issue_comment": "issue comments",
               "pull_request_review": "pull request reviews", "discussion": "discussions",
               "merge_group": "the merge queue", "create": "a new branch or tag", "delete": "a deleted branch or tag",
               "page_build": "GitHub Pages builds", "repository_dispatch": "an API call (repository_dispatch)"}
    return phrases.get(event, f"the {event} event") + _types(config)


def _schedule(entries: list[Any]) -> str:
    crons = []
    for entry in entries:
        if isinstance(entry, dict) and entry.get("cron"):
            crons.append(f"{entry['cron']}, {entry.get('timezone') or 'UTC'}")
    return f"a schedule (cron {'; '.join(crons)})" if crons else "a schedule"


def _push_or_pr(event: str, config: dict[str, Any]) -> str:
    noun = {"push": "pushes", "pull_request": "pull requests",
            "pull_request_target": "pull requests (pull_request_target)"}[event]
    branches = [branch for branch in _list(config.get("branches")) if branch != "**"]
    if event == "push" and not branches and not any(config.get(key) for key in _FILTERS):
        return "every push"
    phrase = noun
    tags = _list(config.get("tags"))
    if branches and branches != ["*"]:
        phrase += f" {'to' if event == 'push' else 'into'} {', '.join(branches)}"
    if _list(config.get("branches-ignore")):
        phrase += f" except to {', '.join(_list(config.get('branches-ignore')))}"
    if tags:
        phrase += f"{' and' if branches else ''} of tags {', '.join(tags)}"
    phrase += _types(config)
    if _list(config.get("paths")):
        phrase += f" that touch {', '.join(_list(config.get('paths')))}"
    if _list(config.get("paths-ignore")):
        phrase += f" that touch more than {', '.join(_list(config.get('paths-ignore')))}"
    return phrase


def _types(config: Any) -> str:
    types = _list(config.get("types")) if isinstance(config, dict) else []
    return f" ({', '.join(types)})" if types else ""


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def _jobs(jobs: Any) -> list[Job]:
    if not isinstance(jobs, dict):
        return []
    found = []
    for ident, job in jobs.items():
        if not isinstance(job, dict):
            continue
        name = str(job.get("name") or ident)
        if job.get("uses"):
            found.append(Job(name, (_action(str(job["uses"])) or f"calls the workflow {job['uses']}",)))
            continue
        steps = [said for step in job.get("steps") or [] if isinstance(step, dict)
                 for said in [_step(step)] if said]
        found.append(Job(name, tuple(steps[:_MAX_STEPS]), max(0, len(steps) - _MAX_STEPS)))
    return found


def _step(step: dict[str, Any]) -> str:
    """What one step does: its own name, what its action does, or the first telling line it runs; empty
    for an unnamed step that only prepares the runner."""
    uses = str(step.get("uses") or "")
    named = str(step.get("name") or "").strip()
    if uses:
        known = _known(uses)
        if known is not None and known.get("setup"):
            return ""
        what = str(known["what"]) if known is not None else f"uses {uses.split('@', 1)[0]}"
        return f"{named}: {what}" if named and named.casefold() != what.casefold() else what
    lines = [line.strip() for line in str(step.get("run") or "").splitlines() if line.strip()]
    telling = next((line for line in lines if not _NOISE.match(line)), None)
    if telling is None:
        return named
    command = f"{telling[:80]}{'…' if len(telling) > 80 or len(lines) > 1 else ''}"
    return f"{named}: runs {command}" if named else f"runs {command}"


def _action(uses: str) -> str:
    known = _known(uses)
    return str(known["what"]) if known is not None and known.get("what") else ""


def _known(uses: str) -> dict[str, Any] | None:
    """The data file's entry for an action (``actions/stale@v9`` → ``actions/stale``), longest prefix first."""
    path = uses.split("@", 1)[0]
    return next((rule for rule in _actions() if path == rule["uses"] or path.startswith(rule["uses"] + "/")), None)


@cache
def _actions() -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = packaged_yaml("actions.yml")
    return sorted(rules, key=lambda rule: -len(rule["uses"]))
