"""Each GitHub Actions workflow described from its own ``on:`` and jobs, on the tools page."""

from __future__ import annotations

from generator.analysis.community.tools import detect_tools
from generator.analysis.community.workflows import describe_workflow, triggers
from generator.build import BuildOptions, build_knowledge
from generator.render.pages import render_pages
from tests.gitrepo import Repo

STALE = """\
name: Close stale issues
on:
  schedule:
  - cron: "0 8 * * *"
jobs:
  close-issues:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/stale@v9
        with:
          days-before-stale: 30
"""


def test_on_in_string_list_and_mapping_form() -> None:
    assert triggers("push") == ["every push"]
    assert triggers(["push", "pull_request"]) == ["every push", "pull requests"]
    assert triggers({"push": {"branches": ["main"], "paths-ignore": ["docs/**"]},
                     "pull_request": {"branches": ["main"], "paths": ["src/**"]},
                     "push_tags": None, "release": {"types": ["published"]}, "workflow_dispatch": None,
                     "workflow_call": None, "schedule": [{"cron": "17 2 * * *", "timezone": "Asia/Shanghai"}],
                     "issues": {"types": ["opened"]}}) == [
        "pushes to main that touch more than docs/**", "pull requests into main that touch src/**",
        "the push_tags event", "releases (published)", "a manual start (workflow_dispatch)",
        "a call from another workflow (workflow_call)", "a schedule (cron 17 2 * * *, Asia/Shanghai)",
        "issues (opened)"]
    assert triggers({"push": {"branches": ["**"]}}) == ["every push"]


def test_a_scheduled_stale_bot_is_described_as_one() -> None:
    workflow = describe_workflow(".github/workflows/stale.yml", STALE)  # `on` is YAML 1.1's True
    assert workflow.name == "Close stale issues"
    assert workflow.triggers == ("a schedule (cron 0 8 * * *, UTC)",)
    assert [(job.name, job.steps) for job in workflow.jobs] == [
        ("close-issues", ("marks issues and pull requests without recent activity as stale and closes them",))]
    tests = describe_workflow("ci.yml", "on: [push]\njobs:\n  t:\n    steps:\n      - name: Test\n        run: |\n"
                                        "          source activate env\n          make test\n")
    assert tests.jobs[0].steps == ("Test: runs make test…",)


def test_malformed_yaml_is_one_finding_with_its_line(repo: Repo) -> None:
    broken = "on: push\njobs:\n  t:\n    steps: [\n"
    workflow = describe_workflow(".github/workflows/bad.yml", broken)
    assert workflow.problem.startswith("not valid YAML") and workflow.line == 5 and workflow.jobs == ()
    tools = detect_tools([".github/workflows/bad.yml", ".github/workflows/stale.yml"],
                         {".github/workflows/bad.yml": broken, ".github/workflows/stale.yml": STALE})
    assert [len(tool.workflows) for tool in tools] == [2]
    repo.commit("Initial commit", {"README.md": "# Tiny\n", ".github/workflows/stale.yml": STALE,
                                   ".github/workflows/bad.yml": broken})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    page = render_pages(knowledge)["tools.md"]
    assert "every push and pull request" not in page
    assert "    - .github/workflows/bad.yml:5: not valid YAML&#58; expected the node content" in page
    assert ("    - **Close stale issues** (.github/workflows/stale.yml): runs on a schedule &#40;cron 0 8 &#42; &#42; "
            "&#42;, UTC&#41;. Job close-issues: marks issues and pull requests without recent activity as stale and "
            "closes them.\n") in page
