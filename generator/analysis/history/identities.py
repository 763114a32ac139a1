"""One person per human: ``.mailmap``, GitHub noreply addresses and names tie identities together.

Git applies ``.mailmap`` to authors but not to ``Co-authored-by`` trailers; Almanac applies it to both.
Addresses are used here to link identities and then dropped: :class:`~generator.model.knowledge.Person` has none.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

from generator.analysis.history.automation import AGENT, BOT, HUMAN, AutomationRules, identity_kind, person_kind
from generator.model.errors import Finding
from generator.model.knowledge import Knowledge, Person
from generator.text.addresses import UNNAMED, is_only_addresses, without_addresses

_NOREPLY = re.compile(r"^(?:(\d{1,12})\+)?([^@+]+)@users\.noreply\.github\.com$", re.IGNORECASE)
#: GitHub's login rules; anything else in a noreply address is a forgery and links to no account.
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$")
#: A name written like a login (``younesbelkada``, ``younes_belkada``): one word, at least three characters.
_HANDLE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{2,38}$")
#: Names are stripped in Python: ``\s*([^<#]*?)\s*<`` let three repetitions share a run of spaces (cubic).
_MAILMAP_LINE = re.compile(r"([^<#]*)<([^>]*)>(?:([^<#]*)<([^>]*)>)?")
#: Names shared by unrelated people (machine defaults); never used to merge identities.
_GENERIC_NAMES = frozenset({"root", "ubuntu", "user", "unknown", "admin", "runner", "github", "your name"})


class Identity(NamedTuple):
    """A name and address as recorded. A tuple rather than a dataclass: it is hashed once per commit."""

    name: str
    email: str


class Use(NamedTuple):
    """How often an identity was recorded (as a commit's author or in a ``Co-authored-by`` trailer) and the
    latest author time of those commits: what decides between two logins of one renamed account."""

    times: int
    last: int | None


def count_uses(recorded: Iterable[tuple[Identity, int | None]]) -> dict[Identity, Use]:
    """Each identity's uses from ``(identity, author time)`` pairs, one per time it was recorded."""
    uses: dict[Identity, Use] = {}
    for identity, time in recorded:
        uses[identity] = add_use(uses.get(identity), time)
    return uses


def add_use(use: Use | None, time: int | None, times: int = 1) -> Use:
    """``use`` plus ``times`` more uses, the latest of them at ``time``."""
    if use is None:
        return Use(times, time)
    last = use.last if time is None or (use.last is not None and use.last >= time) else time
    return Use(use.times + times, last)


class Mailmap:
    """git's ``.mailmap`` rules (gitmailmap(5)): e-mails and names compare case-insensitively."""

    def __init__(self, text: str = "") -> None:
        self._by_email_and_name: dict[tuple[str, str], tuple[str, str]] = {}
        self._by_email: dict[str, tuple[str, str]] = {}
        for line in text.splitlines():
            self._add(line)

    def _add(self, line: str) -> None:
        match = _MAILMAP_LINE.match(line)
        if not match:
            return
        proper_name, first_email, commit_name, commit_email = match.groups()
        proper_name, commit_name = proper_name.strip(), commit_name and commit_name.strip()
        if commit_email is None:  # "Proper Name <commit@email>" or "<proper> <commit>" with one address
            key_email, proper_email = first_email, ""
        else:
            key_email, proper_email = commit_email, first_email
        target = (proper_name or "", proper_email)
        if commit_name:
            self._by_email_and_name[(key_email.casefold(), commit_name.casefold())] = target
        else:
            self._by_email[key_email.casefold()] = target

    def apply(self, name: str, email: str) -> Identity:
        target = self._by_email_and_name.get((email.casefold(), name.casefold())) or self._by_email.get(
            email.casefold()
        )
        if target is None:
            return Identity(name, email)
        return Identity(target[0] or name, target[1] or email)


def github_account(email: str) -> tuple[str | None, int | None]:
    """``12345+octocat@users.noreply.github.com`` → ``("octocat", 12345)``; legacy form has no id."""
    match = _NOREPLY.match(email)
    if not match or not _LOGIN.match(match.group(2)):
        return None, None
    return match.group(2), int(match.group(1)) if match.group(1) else None


def is_bot(name: str, email: str) -> bool:
    """A bot or an AI coding agent by Almanac's own rules (:mod:`generator.analysis.history.automation`, which also
    reads the project's word once people are resolved): such an identity links by name and address only to its
    kind, so "Claude <noreply@anthropic.com>" never joins a human called Claude."""
    return identity_kind(name, email, github_account(email)[0]) in (BOT, AGENT)


def parse_trailer_person(value: str) -> Identity:
    """``Name <addr>`` as written in a trailer, and the malformed forms people type by hand: ``Name
    <login>`` and ``@login`` (read as that GitHub account), a bare address, a bare name."""
    value = value.strip()
    match = _name_and_address(value)
    name, address = (match[0], match[1].strip()) if match else ("", value)
    login = address.removeprefix("@")
    if "@" not in login and _LOGIN.match(login) and (match or address.startswith("@")):
        return Identity(name or login, f"{login}@users.noreply.github.com")
    if "@" in address and " " not in address:
        return Identity(name, address)
    return Identity(value, "")


def is_well_formed_trailer(value: str) -> bool:
    """``Name <user@host>``: the form git documents. Anything else is accepted but marked unverified."""
    match = _name_and_address(value)
    return bool(match and match[0] and "@" in match[1] and not match[1].startswith("@"))


def _name_and_address(value: str) -> tuple[str, str] | None:
    """``Name <address>`` → ``("Name", "address")``: the last ``<…>`` ends the value, the name is one line.

    String searches rather than ``^\\s*(.*?)\\s*<([^>]*)>\\s*$``, whose repetitions shared runs of spaces:
    a trailer of 4 000 tabs took a minute.
    """
    text = value.strip()
    start = text.find("<", text.rfind(">", 0, len(text) - 1) + 1)
    if not text.endswith(">") or start < 0 or "\n" in text[:start].strip():
        return None
    return text[:start].strip(), text[start + 1:-1]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Identity, Identity] = {}

    def find(self, item: Identity) -> Identity:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: Identity, b: Identity) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            # The smaller identity becomes the root so the result never depends on input order.
            low, high = sorted((root_a, root_b), key=lambda i: (i.email.casefold(), i.name))
            self.parent[high] = low


def links_of(identity: Identity) -> list[tuple[str, str]]:
    """What ties this (mailmapped) identity to others: its address, its GitHub account, its name unless
    the name is a machine default. Bots link only to bots, except through a GitHub account number: one
    account is one person, whatever name a commit gives it."""
    kind_prefix = "bot-" if is_bot(identity.name, identity.email) else ""
    login, number = github_account(identity.email)
    links = []
    if identity.email:
        links.append((f"{kind_prefix}email", identity.email.casefold()))
    if login:
        links.append((f"{kind_prefix}login", login.casefold()))
    if number is not None:  # a renamed account keeps its number: 12+old@… and 12+new@… are one account,
        links.append(("account", str(number)))  # bot or not (Copilot's commits and its "[bot]" trailers)
    name = _name_key(identity.name)
    if name and name not in _GENERIC_NAMES:  # "José" typed precomposed or decomposed is one name
        links.append((f"{kind_prefix}name", name))
    return links


def _name_key(name: str) -> str:
    """Names compare after NFKC, case folding and spacing: "José" typed precomposed or decomposed is one."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def identity_links(recorded: Identity, mailmap: Mailmap) -> list[tuple[str, str]]:
    """The links of a recorded identity: those of its mailmapped form (:func:`links_of`), and the GitHub
    account number of the address as recorded, which a ``.mailmap`` pointing elsewhere does not erase."""
    mapped = mailmap.apply(recorded.name, recorded.email)
    links = links_of(mapped)
    _, number = github_account(recorded.email)
    if number is not None and mapped.email != recorded.email:
        links.append(("account", str(number)))
    return links


class KeptApart(NamedTuple):
    """Two groups one name would have joined, kept apart: in one of them the name is a stray (a commit or
    two against many under another name), too little to say that its owner is the other group's person."""

    name: str
    stray_uses: int
    #: The group where the name is a stray: its uses under other names, and its most used name.
    other_uses: int
    other_name: str


#: A name carrying under a tenth of a group's uses is a stray there: it never joins that group to another.
STRAY_SHARE = 10


def group_identities(
    uses: Mapping[Identity, Use], mailmap: Mailmap, groups: Sequence[Sequence[Identity]] = ()
) -> tuple[dict[Identity, Identity], dict[Identity, Identity], list[KeptApart]]:
    """Which (mailmapped) identities are one person, by weighed evidence, strongest first.

    1. ``.mailmap`` (applied first), the same address, the same GitHub account (login or account number
       of a noreply address) and ``contributors.yml``'s groups;
    2. the same name (unless a machine default), between two such groups unless the name is a stray in
       one of them, or each group has its own, different, GitHub account;
    3. a name that is the login of exactly one known account, for a group that has no account.

    Returns recorded → mapped identity, mapped identity → the root of its person, and the links kept
    apart at step 2. Nothing depends on the order of ``uses``: every choice has a stated rule.
    """
    mapped: dict[Identity, Identity] = {identity: mailmap.apply(identity.name, identity.email) for identity in uses}
    for group in groups:
        for identity in group:
            mapped.setdefault(identity, mailmap.apply(identity.name, identity.email))
    union = _UnionFind()
    first_by_link: dict[tuple[str, str], Identity] = {}
    names: dict[Identity, list[tuple[str, str]]] = defaultdict(list)
    for recorded in sorted(mapped, key=lambda i: (i.email, i.name)):
        identity = mapped[recorded]
        union.find(identity)
        for link in identity_links(recorded, mailmap):
            if link[0].endswith("name"):
                names[identity].append(link)
            elif link in first_by_link:
                union.union(first_by_link[link], identity)
            else:
                first_by_link[link] = identity
    for group in groups:
        for identity in group[1:]:
            union.union(mapped[group[0]], mapped[identity])

    weight: Counter[Identity] = Counter()
    for recorded, use in uses.items():
        weight[mapped[recorded]] += use.times
    identities = sorted(set(mapped.values()), key=lambda i: (i.email.casefold(), i.name))
    accounts: dict[Identity, set[str]] = defaultdict(set)  # account numbers, else legacy ``login@`` logins
    by_name: dict[tuple[str, str], Counter[Identity]] = defaultdict(Counter)
    totals: Counter[Identity] = Counter()
    shown: dict[Identity, Counter[str]] = defaultdict(Counter)
    for identity in identities:
        root = union.find(identity)
        login, number = github_account(identity.email)
        if number is not None:
            accounts[root].add(str(number))
        elif login:
            accounts[root].add(f"login:{login.casefold()}")
        totals[root] += weight[identity]
        shown[root][identity.name] += weight[identity]
        for link in dict.fromkeys(names[identity]):
            by_name[link][root] += weight[identity]

    refused: list[tuple[Identity, Identity, KeptApart]] = []  # (stray group, group it would have joined, why)

    def stray(root: Identity, link: tuple[str, str]) -> bool:
        own = by_name[link][root]
        return own * STRAY_SHARE < totals[root] - own

    def join(a: Identity, b: Identity) -> None:
        root_a, root_b = union.find(a), union.find(b)
        if root_a == root_b or _two_accounts(accounts[root_a], accounts[root_b]):
            return  # two GitHub accounts sharing a name are two people
        union.union(root_a, root_b)
        merged, gone = (root_a, root_b) if union.find(root_a) == root_a else (root_b, root_a)
        accounts[merged] |= accounts.pop(gone, set())
        totals[merged] += totals.pop(gone, 0)
        shown[merged].update(shown.pop(gone, Counter()))
        for counter in by_name.values():
            if gone in counter:
                counter[merged] += counter.pop(gone)

    for link in sorted(by_name):
        roots = sorted(by_name[link], key=lambda i: (i.email.casefold(), i.name))
        if len(roots) < 2:
            continue
        joined = [root for root in roots if not stray(root, link)]
        for root in roots:
            if root not in joined and joined:
                other = max(shown[root].items(), key=lambda item: (item[1], item[0]))[0]
                written = min(name for name in shown[root] if _name_key(name) == link[1])
                why = KeptApart(written, by_name[link][root], totals[root] - by_name[link][root], other)
                refused.append((root, joined[0], why))
        for root in joined[1:]:
            join(joined[0], root)

    by_login: dict[str, set[Identity]] = defaultdict(set)
    for identity in identities:
        login, _ = github_account(identity.email)
        if login:
            by_login[_login_key(login)].add(union.find(identity))
    for identity in identities:
        root = union.find(identity)
        if accounts[root] or not _HANDLE.match(identity.name):
            continue
        owners = by_login.get(_login_key(identity.name), set())
        link = ("name", _name_key(identity.name))
        if len(owners) == 1 and not stray(root, link):
            join(next(iter(owners)), root)
    kept = [why for stray_group, other, why in refused if union.find(stray_group) != union.find(other)]
    return mapped, {identity: union.find(identity) for identity in identities}, kept


def _two_accounts(one: set[str], other: set[str]) -> bool:
    """Whether two groups hold different GitHub accounts: account numbers decide when both have one (a
    legacy ``login@`` address may be either numbered account); legacy logins only against each other."""
    numbers = [{item for item in side if not item.startswith("login:")} for side in (one, other)]
    if numbers[0] and numbers[1]:
        return numbers[0] != numbers[1]
    if numbers[0] or numbers[1]:
        return False
    return bool(one and other and one != other)


def kept_apart_findings(
    uses: Mapping[Identity, Use], mailmap: Mailmap, groups: Sequence[Sequence[Identity]] = ()
) -> list[Finding]:
    """What ``almanac check`` says about the links :func:`group_identities` refused: the name, both
    sides' weight and how to settle it. Names are public (the pages show them); addresses are not, so
    the fix points at ``git log`` instead of printing them."""
    _, _, kept = group_identities(uses, mailmap, groups)
    return [
        Finding(f"“{apart.name}” is recorded {apart.stray_uses} time(s) under the address of “{apart.other_name}”, "
                f"who has {apart.other_uses} use(s) of their own: kept as two people. If they are one, or the address "
                f"was borrowed, settle it in .mailmap (git log --all --format='%an <%ae>' --author='{apart.name}')",
                where=".mailmap", level="info")
        for apart in sorted(set(kept))
    ]


def _login_key(login: str) -> str:
    """GitHub logins compare case-insensitively; people write theirs with ``_`` or ``-`` at will."""
    return login.casefold().replace("-", "").replace("_", "")


def resolve_people(
    uses: Mapping[Identity, Use], mailmap: Mailmap, groups: Sequence[Sequence[Identity]] = ()
) -> tuple[dict[Identity, str], dict[str, Person]]:
    """Group identities (as recorded, with their uses: see :func:`count_uses`) into people.

    Returns the map from each recorded identity to a person key, and the people by key. The groups come
    from :func:`group_identities`; ``groups`` are identities a project says belong to one person
    (``contributors.yml``): they join the people without counting as uses.
    """
    mapped, root_of, _ = group_identities(uses, mailmap, groups)
    members: dict[Identity, list[Identity]] = defaultdict(list)
    for identity, root in root_of.items():
        members[root].append(identity)
    recorded_count: Counter[Identity] = Counter()
    for recorded, use in uses.items():
        recorded_count[mapped[recorded]] += use.times

    # A noreply address that .mailmap maps to another one still tells the person's GitHub account.
    recorded_by_root: dict[Identity, list[Identity]] = defaultdict(list)
    for recorded, identity in mapped.items():
        recorded_by_root[root_of[identity]].append(recorded)
    people: dict[str, Person] = {}
    key_of_root: dict[Identity, str] = {}
    for root in sorted(members, key=lambda i: (i.email.casefold(), i.name)):
        person = _person_from(members[root], recorded_count, choose_account(recorded_by_root[root], uses, mailmap))
        if person.key in people:  # two accounts the links could not join claim one key: the later is hashed
            person.key = _hashed_key(sorted(identity.email.casefold() for identity in members[root]), person.name_uses)
        key_of_root[root] = person.key
        people[person.key] = person
    identity_to_key = {recorded: key_of_root[root_of[mapped[recorded]]] for recorded in mapped}
    return identity_to_key, dict(sorted(people.items()))


def choose_account(
    recorded: Iterable[Identity], uses: Mapping[Identity, Use], mailmap: Mailmap
) -> tuple[str | None, int | None]:
    """The GitHub login and account number of one person, from the noreply addresses they used.

    A renamed account leaves two addresses with one number (``12+old@…``, ``12+new@…``); the login is
    what GitHub shows now, so one address decides, by a rule that ignores the order identities were met:
    an address with an account number before a legacy ``login@…`` one, then the most recently used (the
    latest author time of a commit recording it as author or co-author), then the most used, then the
    address in code-point order. An address ``.mailmap`` replaces still counts, with the uses of the
    identities recorded with it.
    """
    by_address: dict[str, Use] = {}
    for identity in recorded:
        use = uses.get(identity, Use(0, None))
        for address in {identity.email, mailmap.apply(identity.name, identity.email).email}:
            if github_account(address)[0] is not None:
                by_address[address] = add_use(by_address.get(address), use.last, use.times)
    if not by_address:
        return None, None

    def rank(address: str) -> tuple[bool, bool, int, int, str]:
        use = by_address[address]
        return github_account(address)[1] is None, use.last is None, -(use.last or 0), -use.times, address

    return github_account(min(by_address, key=rank))


def _hashed_key(emails: Sequence[str], names: Mapping[str, int]) -> str:
    """Hashed so that a key printed by a careless template can never publish an address."""
    basis = emails[0] if emails else min(names, default="").casefold()
    return "id:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def _person_from(group: list[Identity], uses: Counter[Identity], account: tuple[str | None, int | None]) -> Person:
    names: Counter[str] = Counter()
    for identity in group:
        names[identity.name] += uses[identity]
    login, github_id = account
    if github_id is not None:
        key = f"github:{github_id}"
    elif login:
        key = f"github:{login.casefold()}"
    else:
        key = _hashed_key(sorted(identity.email.casefold() for identity in group if identity.email), names)
    person = Person(
        key=key,
        name="",
        name_uses=dict(names),
        login=login,
        github_id=github_id,
        is_bot=any(is_bot(identity.name, identity.email) for identity in group),
    )
    choose_display_name(person)
    return person


def choose_display_name(person: Person) -> None:
    """The name the project chose (``contributors.yml``), else the most used one that is more than an
    address; ties go to the name with non-ASCII letters (people's own spelling), then order.

    Addresses in names are dropped here, ``root@ci-runner-17`` included, so no page, feed or export can
    show one (nor a "(e-mail hidden)" that says there was one); a person known only by an address is
    shown by their login, else as :data:`~generator.text.addresses.UNNAMED`, with a neutral ``person-…`` page.
    """
    names = person.name_uses
    display = min(names, key=lambda n: (is_only_addresses(n), -names[n], n.isascii(), n)) if names else ""
    display = unicodedata.normalize("NFC", person.preferred_name or display)
    if not display.strip() or is_only_addresses(display):
        display = person.login or UNNAMED
    person.name = _without_addresses(display)
    shown = {_without_addresses(unicodedata.normalize("NFC", name)) for name in names if not is_only_addresses(name)}
    person.aliases = {name for name in shown if name != person.name and name.strip()}


def _without_addresses(name: str) -> str:
    """``Ann Lee ann@corp.example`` → ``Ann Lee``: the address goes, and no placeholder marks where it was."""
    return " ".join(without_addresses(name).split())


def person_finder(key_of: dict[Identity, str], mailmap: Mailmap) -> Callable[[Identity], str | None]:
    """Who an identity seen outside the history (a PR branch's author) is, among the known people.

    The same recorded identity, else the same (mailmapped) address, else the same GitHub account;
    names alone are too weak here. A stranger who never landed a commit is nobody yet: ``None``.
    """
    by_link: dict[tuple[str, str], str] = {}
    for known, key in sorted(key_of.items()):
        for link in identity_links(known, mailmap):
            if not link[0].endswith("name"):
                by_link.setdefault(link, key)

    def find(identity: Identity) -> str | None:
        if identity in key_of:
            return key_of[identity]
        return next((by_link[link] for link in identity_links(identity, mailmap) if link in by_link), None)

    return find


def person_of_login(knowledge: Knowledge) -> Callable[[str | None], str]:
    """A forge login → the person key that has it, else ``login:<name>`` (logins are public names)."""
    keys = {person.login.casefold(): person.key for person in knowledge.people.values() if person.login}

    def find(login: str | None) -> str:
        if not login:
            return ""
        return keys.get(login.casefold(), f"login:{login}")
    return find


def stranger_key(email: str) -> str:
    """The key of someone the history does not know (the author of a PR that never landed): a hash of
    the address, so that the same stranger is one person across pages and no address reaches a page."""
    return "stranger:" + hashlib.sha256(email.casefold().encode()).hexdigest()[:16]


def classify_people(
    people: Mapping[str, Person],
    key_of: Mapping[Identity, str],
    uses: Mapping[Identity, Use],
    mailmap: Mailmap,
    rules: AutomationRules | None = None,
    keys: Iterable[str] | None = None,
) -> None:
    """Set each person's :attr:`~generator.model.knowledge.Person.kind` (of ``keys`` only, when given) from the
    identities that resolved to them, as ``.mailmap`` maps them, weighed by their uses."""
    wanted = set(people if keys is None else keys)
    identities: dict[str, list[tuple[str, str, str | None, int]]] = {key: [] for key in wanted}
    for recorded, key in key_of.items():
        if key in identities:
            mapped = mailmap.apply(recorded.name, recorded.email)
            login = github_account(mapped.email)[0] or github_account(recorded.email)[0]
            use = uses.get(recorded)
            identities[key].append((mapped.name, mapped.email, login, use.times if use else 0))
    for key, found in identities.items():
        person = people[key]
        person.kind = person_kind(found, rules)  # counts: the order does not matter
        person.is_bot = person.kind != HUMAN
