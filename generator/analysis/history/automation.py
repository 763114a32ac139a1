"""Who is not a person: bots, AI coding agents and the generic identities of machines, told apart.

Real histories credit ``github-actions``, ``dependabot[bot]``, "Claude Opus 4.6 <noreply@anthropic.com>"
in a ``Co-authored-by`` trailer, "Cursor Agent", or "root" and "Ubuntu" (a machine's default git
name). Counted as people they fill the contributors pages, a release's "People" and its "New
contributors". Each identity is one of four kinds:

* ``human``: a person (the default: nothing below said otherwise);
* ``bot``: a service that commits (``[bot]`` apps, GitHub Actions, Renovate…);
* ``agent``: an AI coding agent (Copilot's agent, Claude Code, Cursor, Codex, Devin, Jules, Aider…);
* ``machine``: a name a machine gives when nobody set one (``root``, ``ubuntu``…): a human's work,
  but nobody can say whose, so it is listed apart as unattributed and its commits still count.

The rules are data, ``generator/data/automation.yml``; a project corrects them in its
``contributors.yml``::

    automation:
      bots: [github:peft-jambot]       # a GitHub login, an address, or a whole name
      agents: ["Acme Coder <coder@acme.example>"]
      machines: [buildbox]
      humans: ["Claude Code"]           # never automation, whatever the rules say

Precision first: hiding a human is worse than counting a bot, so an agent is known by its address or
GitHub login, and by a name only when the name carries a marker ("Claude Opus 4", "Cursor Agent");
"Claude Martin <claude@…>" stays a person. A GitHub account that no rule names is a person's account,
whatever name a commit gives it.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

import yaml

from generator.model.errors import Finding
from generator.sources.packagedata import packaged_yaml
from generator.text.addresses import address_spans, without_addresses
from generator.text.untrusted import load_yaml

if TYPE_CHECKING:
    from generator.model.knowledge import AgentShare, Change, CommitRow, Person

HUMAN, BOT, AGENT, MACHINE = "human", "bot", "agent", "machine"
#: The project's word decides in this order when it names one person twice: a human is never hidden.
KINDS = (HUMAN, AGENT, BOT, MACHINE)
#: The keys of ``automation:`` in ``contributors.yml`` and the kind each one declares.
OVERRIDE_KEYS = {"humans": HUMAN, "bots": BOT, "agents": AGENT, "machines": MACHINE}


@dataclass(frozen=True, slots=True)
class _Table:
    """How one kind is recognised: by GitHub login, whole address, address host, whole name, or pattern."""

    logins: frozenset[str] = frozenset()
    addresses: frozenset[str] = frozenset()
    domains: tuple[str, ...] = ()
    names: frozenset[str] = frozenset()
    patterns: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> _Table:
        return cls(
            logins=frozenset(str(login).casefold() for login in data.get("logins") or ()),
            addresses=frozenset(str(address).casefold() for address in data.get("addresses") or ()),
            domains=tuple(str(domain).casefold().lstrip(".") for domain in data.get("domains") or ()),
            names=frozenset(_folded(str(name)) for name in data.get("names") or ()),
            patterns=tuple(re.compile(str(pattern), re.IGNORECASE) for pattern in data.get("name_patterns") or ()),
        )

    def has_address(self, address: str) -> bool:
        host = address.rpartition("@")[2]
        return address in self.addresses or any(host == d or host.endswith("." + d) for d in self.domains)

    def has_name(self, name: str) -> bool:
        return name in self.names or any(pattern.search(name) for pattern in self.patterns)


@dataclass(frozen=True, slots=True)
class Override:
    """One line of a project's ``automation:``: an identity (``login``, ``address`` or ``name``) and its kind."""

    kind: str
    form: str
    value: str


@dataclass(frozen=True, slots=True)
class AutomationRules:
    """Almanac's rules (``data/automation.yml``) and the project's corrections, which are checked first."""

    bots: _Table
    agents: _Table
    machine_names: frozenset[str]
    overrides: tuple[Override, ...] = ()
    #: A digest of the packaged data, so a saved analysis made under other rules is not reused.
    source: str = ""

    @property
    def digest(self) -> str:
        project = [[o.kind, o.form, o.value] for o in self.overrides]
        return hashlib.sha256(json.dumps([self.source, project]).encode("utf-8")).hexdigest()


@cache
def default_rules() -> AutomationRules:
    data = packaged_yaml("automation.yml")
    return AutomationRules(
        bots=_Table.of(data.get("bots") or {}),
        agents=_Table.of(data.get("agents") or {}),
        machine_names=frozenset(_folded(str(name)) for name in (data.get("machines") or {}).get("names") or ()),
        source=hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest(),
    )


def _folded(name: str) -> str:
    """A name as rules compare it: NFKC, case-folded, whitespace runs as one space."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _override_of(alias: str, kind: str) -> Override:
    """``github:login`` or ``@login`` → that login; ``Name <address>`` or an address → the address; else a name."""
    alias = alias.strip()
    for prefix in ("github:", "@"):
        if alias.startswith(prefix) and len(alias) > len(prefix):
            return Override(kind, "login", alias[len(prefix):].casefold())
    if alias.endswith(">") and "<" in alias:
        alias = alias[alias.rindex("<") + 1:-1].strip()
    if "@" in alias:
        return Override(kind, "address", alias.casefold())
    return Override(kind, "name", _folded(alias))


def project_rules(text: str | None, findings: list[Finding], path: str = "contributors.yml") -> AutomationRules:
    """The packaged rules with the ``automation:`` mapping of a ``contributors.yml`` (given as text) over
    them; a broken one is reported with its place and ignored, never fatal (the ``people:`` list is read
    by :mod:`generator.analysis.history.contributors`, which reports that file's syntax errors)."""
    rules = default_rules()
    if not text:
        return rules
    try:
        data = load_yaml(text)
    except yaml.YAMLError:
        return rules
    section = data.get("automation") if isinstance(data, dict) else None
    if section is None:
        return rules
    where = f"{path}: automation"
    if not isinstance(section, dict):
        findings.append(Finding(f"expected a mapping of {', '.join(OVERRIDE_KEYS)} to lists; ignored", where))
        return rules
    overrides: list[Override] = []
    for key, value in section.items():
        kind = OVERRIDE_KEYS.get(str(key))
        if kind is None:
            findings.append(Finding(f"unknown key `{key}` (expected {', '.join(OVERRIDE_KEYS)}); ignored", where))
            continue
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, (str, int)) for item in items):
            findings.append(Finding(f"`{key}` must be a list of logins, addresses or names; ignored", where))
            continue
        overrides += [_override_of(str(item), kind) for item in items if str(item).strip()]
    return replace(rules, overrides=tuple(dict.fromkeys(overrides)))


def _override(name: str, address: str, login: str, rules: AutomationRules) -> str | None:
    """The project's word on one identity, if it said anything."""
    found = [o.kind for o in rules.overrides if (o.form == "login" and o.value == login)
             or (o.form == "address" and o.value == address) or (o.form == "name" and o.value == name)]
    return min(found, key=KINDS.index) if found else None


def identity_kind(name: str, email: str, login: str | None, rules: AutomationRules | None = None) -> str:
    """The kind of one identity (as ``.mailmap`` maps it), ``login`` being the GitHub account of its
    noreply address, if any.

    In order: the project's word; a login the rules name (agents first, since Copilot's agent is a
    ``[bot]``); an address or host they name; any other ``[bot]`` login, a bot; then, only for an
    identity with no GitHub account, a name they name; then a machine's default name, or no name but an
    address whose mailbox is one (``root@ci-runner-17``). Anything else is a human.
    """
    if rules is None or rules is default_rules():
        return _default_kind(name, email, login or "")
    return _kind(name, email, login or "", rules)


@lru_cache(maxsize=65_536)
def _default_kind(name: str, email: str, login: str) -> str:
    """:func:`identity_kind` under the packaged rules, remembered: identity linking asks for every identity."""
    return _kind(name, email, login, default_rules())


def _kind(name: str, email: str, login: str, rules: AutomationRules) -> str:
    folded, address, login = _folded(name), email.strip().casefold(), login.casefold()
    said = _override(folded, address, login, rules) if rules.overrides else None
    if said is not None:
        return said
    for kind, table in ((AGENT, rules.agents), (BOT, rules.bots)):
        if login and login in table.logins:
            return kind
    for kind, table in ((AGENT, rules.agents), (BOT, rules.bots)):
        if address and table.has_address(address):
            return kind
    if login:  # an account no rule names is a person's account, whatever the name; a login can look like a bot
        return BOT if login.endswith("[bot]") or any(p.search(login) for p in rules.bots.patterns) else HUMAN
    for kind, table in ((AGENT, rules.agents), (BOT, rules.bots)):
        if folded and table.has_name(folded):
            return kind
    if folded in rules.machine_names:
        return MACHINE
    shown = " ".join(without_addresses(name).split())
    if not any(char.isalnum() for char in shown):  # no name, or only an address: its mailbox may be generic
        spans = list(address_spans(name, in_name=True))
        mailbox = name[spans[0][0]:spans[0][1]] if spans else email
        if _folded(mailbox.partition("@")[0]) in rules.machine_names:
            return MACHINE
    return HUMAN


def person_kind(identities: Iterable[tuple[str, str, str | None, int]], rules: AutomationRules | None = None) -> str:
    """The kind of a person from their identities, as ``(name, address, login, uses)``.

    The project's word on any identity decides (a human first, if it said two things). Otherwise the
    kind with the most uses; a machine's name counts only when nothing else is known (Ubuntu <jane@…>
    beside Jane Doe <jane@…> is Jane); a tie goes to a human, then an agent.
    """
    rules = rules or default_rules()
    weights: Counter[str] = Counter()
    said: set[str] = set()
    for name, email, login, uses in identities:
        if rules.overrides and (word := _override(_folded(name), email.strip().casefold(), (login or "").casefold(),
                                                  rules)) is not None:
            said.add(word)
        weights[identity_kind(name, email, login, rules)] += max(uses, 0)
    if said:
        return min(said, key=KINDS.index)
    if len(weights) > 1:
        weights.pop(MACHINE, None)
    if not weights:
        return HUMAN
    return min(weights, key=lambda kind: (-weights[kind], KINDS.index(kind)))


# --- how much AI coding agents wrote ---


def agent_share(
    shas: Iterable[str],
    changes: Sequence[Change],
    rows: Mapping[str, CommitRow],
    people: Mapping[str, Person],
    period: str = "",
) -> AgentShare:
    """How many of these commits (merges left out) an agent authored or co-authored, and how many of these
    changes that are pull requests brought such a commit or name an agent as author or co-author."""
    from generator.model.knowledge import AgentShare

    def is_agent(key: str) -> bool:
        person = people.get(key)
        return person is not None and person.kind == AGENT

    share = AgentShare(period=period)
    counts: Counter[str] = Counter()
    involved: set[str] = set()
    for sha in shas:
        row = rows.get(sha)
        if row is None or row.is_merge:
            continue
        share.commits += 1
        author, co_authors = row.author, row.co_authors
        agents = [key for key in (author, *co_authors) if is_agent(key)]
        if not agents:
            continue
        involved.add(sha)
        counts.update(agents)
        if is_agent(author):
            share.authored += 1
        else:
            share.co_authored += 1
    pull_requests: set[int] = set()
    with_agent: set[int] = set()
    for change in changes:  # a backported pull request is one pull request
        if change.pr is None:
            continue
        pull_requests.add(change.pr)
        if any(sha in involved or _agent_in(rows.get(sha), is_agent) for sha in change.commits) or \
                any(is_agent(key) for key in (change.author, *change.co_authors)):
            with_agent.add(change.pr)
    share.pull_requests, share.agent_pull_requests = len(pull_requests), len(with_agent)
    share.agents = sorted(counts, key=lambda key: (-counts[key], people[key].name.casefold(), key))
    share.by_agent = dict(counts)
    return share


def _agent_in(row: CommitRow | None, is_agent: Callable[[str], bool]) -> bool:
    return row is not None and not row.is_merge and any(is_agent(key) for key in (row.author, *row.co_authors))


def agent_share_by_quarter(
    rows: Mapping[str, CommitRow], changes: Sequence[Change], people: Mapping[str, Person]
) -> list[AgentShare]:
    """The share for each calendar quarter (UTC, by author time; pull requests by the time they landed),
    from the first quarter an agent appears in to the latest one of the history; empty when none does."""
    from datetime import datetime, timezone

    def quarter(timestamp: int) -> str:
        moment = datetime.fromtimestamp(timestamp, timezone.utc)
        return f"{moment.year} Q{(moment.month - 1) // 3 + 1}"

    agents = {key for key, person in people.items() if person.kind == AGENT}
    if not agents:
        return []
    by_quarter: dict[str, list[str]] = {}
    for sha, row in rows.items():
        by_quarter.setdefault(quarter(row.author_time), []).append(sha)
    changes_by: dict[str, list[Change]] = {}
    for change in changes:
        changes_by.setdefault(quarter(change.timestamp), []).append(change)
    shares = [agent_share(by_quarter.get(q, ()), changes_by.get(q, ()), rows, people, q)
              for q in sorted(set(by_quarter) | set(changes_by))]
    first = next((index for index, share in enumerate(shares) if share.agent_commits or share.agent_pull_requests),
                 None)
    return [] if first is None else shares[first:]


@dataclass(slots=True)
class Automation:
    """A list of people split by kind, for a page: who is a person and what is listed apart."""

    humans: list[Person] = field(default_factory=list)
    bots: list[Person] = field(default_factory=list)
    agents: list[Person] = field(default_factory=list)
    machines: list[Person] = field(default_factory=list)

    @property
    def apart(self) -> list[Person]:
        """Everyone who is not a person, bots first, then agents, then machines."""
        return [*self.bots, *self.agents, *self.machines]


def split_by_kind(people: Iterable[Person]) -> Automation:
    """``people`` by kind, each list in the order given."""
    split = Automation()
    lists = {HUMAN: split.humans, BOT: split.bots, AGENT: split.agents, MACHINE: split.machines}
    for person in people:
        lists.get(person.kind, split.humans).append(person)
    return split
