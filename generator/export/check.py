"""``almanac check``: the problems a maintainer should fix, as a CI gate.

Each finding has a level. An *error* is something wrong or contradictory in what the repository
publishes: metadata the Hugging Face Hub rejects, a README that contradicts its own metadata or
config, weights that do not match the config. A *warning* is something a reader will miss: a card
section not stated anywhere, a shallow clone. Everything else is *info*. The command exits 1 when
any finding reaches ``fail_on``, so a CI job fails on errors by default.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from generator.build import Built
from generator.text.clean import json_log_safe, log_safe

LEVELS = ("info", "warning", "error")


@dataclass(frozen=True, slots=True)
class Check:
    level: str
    where: str
    message: str

    def line(self) -> str:
        return f"{self.where}: {self.level}: {self.message}" if self.where else f"{self.level}: {self.message}"


def run_checks(built: Built) -> list[Check]:
    """Every finding of the build (the onboarding guide's too: what the contributing guide says that the
    history contradicts) at its gate level, and the card sections nobody stated as warnings."""
    knowledge = built.knowledge
    checks = [Check(_level(finding.gate or finding.level), finding.where, finding.message)
              for finding in dict.fromkeys([*knowledge.findings, *built.guide_findings])]
    if knowledge.card is not None:
        checks += [Check("warning", "model card", f"{title}: not stated in the repository")
                   for title in knowledge.card.missing]
    for model in knowledge.models:
        checks += [Check("warning", f"model card of {model.folder}/", f"{title}: not stated in the repository")
                   for title in model.card.missing]
    return sorted(checks, key=lambda check: (-LEVELS.index(check.level), check.where, check.message))


def _level(level: str) -> str:
    return level if level in LEVELS else "warning"


def failed(checks: list[Check], fail_on: str = "error") -> bool:
    return any(LEVELS.index(check.level) >= LEVELS.index(fail_on) for check in checks)


def report(checks: list[Check], fmt: str = "text") -> str:
    """The checks as CI logs show them: both forms quote names and paths from strangers, made inert."""
    if fmt == "json":
        return json_log_safe(json.dumps([{"level": c.level, "where": c.where, "message": c.message} for c in checks],
                                        ensure_ascii=False, indent=2)) + "\n"
    counts = {level: sum(1 for check in checks if check.level == level) for level in reversed(LEVELS)}
    summary = ", ".join(f"{count} {level}{'s' if count != 1 else ''}" for level, count in counts.items())
    return "".join(log_safe(check.line(), one_line=True) + "\n" for check in checks) + f"almanac check: {summary}\n"
