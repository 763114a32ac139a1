"""One person per human: ``.mailmap``, GitHub noreply addresses and names tie identities together.

Git applies ``.mailmap`` to authors but not to ``Co-authored-by`` trailers; Almanac applies it to both.
Addresses are used here to link identities and then dropped: :class:`~generator.model.Person` has none.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from generator.addresses import is_only_addresses
from generator.model import Person
from generator.safetext import redact_name

_NOREPLY = re.compile(r"^(?:(\d{1,12})\+)?([^@+]+)@users\.noreply\.github\.com$", re.IGNORECASE)
#: GitHub's login rules; anything else in a noreply address is a forgery and links to no account.
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$")
#: Names are stripped in Python: ``\s*([^<#]*?)\s*<`` let three repetitions share a run of spaces (cubic).
_MAILMAP_LINE = re.compile(r"([^<#]*)<([^>]*)>(?:([^<#]*)<([^>]*)>)?")
#: Names shared by unrelated people (machine defaults); never used to merge identities.
_GENERIC_NAMES = frozenset({"root", "ubuntu", "user", "unknown", "admin", "runner", "github", "your name"})
_KNOWN_BOT_EMAILS = frozenset({"noreply@github.com", "action@github.com", "bot@renovateapp.com"})


class Identity(NamedTuple):
    """A name and address as recorded. A tuple rather than a dataclass: it is hashed once per commit."""

    name: str
    email: str


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
    login, _ = github_account(email)
    return (
        name.endswith("[bot]")
        or (login or "").endswith("[bot]")
        or email.casefold() in _KNOWN_BOT_EMAILS
        or name.casefold().endswith("-bot")
    )


def parse_trailer_person(value: str) -> Identity:
    """``Name <addr>`` as written in a trailer, and the malformed forms people type by hand: ``Name
    <login>`` and ``@login`` (read as that GitHub account), a bare address, a bare name."""
    value = value.strip()
    match = _name_and_address(value)
    name, address = (match[0], match[1].strip()) if match else ("", value)
    login = address[1:] if address.startswith("@") else address
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
    the name is a machine default. Bots link only to bots."""
    kind_prefix = "bot-" if is_bot(identity.name, identity.email) else ""
    login, _ = github_account(identity.email)
    links = []
    if identity.email:
        links.append((f"{kind_prefix}email", identity.email.casefold()))
    if login:
        links.append((f"{kind_prefix}login", login.casefold()))
    name = " ".join(unicodedata.normalize("NFKC", identity.name).casefold().split())
    if name and name not in _GENERIC_NAMES:  # "José" typed precomposed or decomposed is one name
        links.append((f"{kind_prefix}name", name))
    return links


def resolve_people(
    identities: Iterable[Identity], mailmap: Mailmap, groups: Sequence[Sequence[Identity]] = ()
) -> tuple[dict[Identity, str], dict[str, Person]]:
    """Group identities (as recorded, with counts implied by repetition) into people.

    Returns the map from each recorded identity to a person key, and the people by key. Links: the
    same address, the same GitHub account (from noreply addresses), and the same name unless the name
    is a machine default. Bots are never merged with humans. ``groups`` are identities a project says
    belong to one person (``contributors.yml``); they join the people without counting as uses.
    """
    uses: Counter[Identity] = Counter()
    mapped: dict[Identity, Identity] = {}
    for identity in identities:
        uses[identity] += 1
        if identity not in mapped:
            mapped[identity] = mailmap.apply(identity.name, identity.email)
    for group in groups:
        for identity in group:
            mapped.setdefault(identity, mailmap.apply(identity.name, identity.email))
    union = _UnionFind()
    first_by_link: dict[tuple[str, str], Identity] = {}
    for recorded in sorted(mapped, key=lambda i: (i.email, i.name)):
        identity = mapped[recorded]
        union.find(identity)
        for link in links_of(identity):
            if link in first_by_link:
                union.union(first_by_link[link], identity)
            else:
                first_by_link[link] = identity

    for group in groups:
        for identity in group[1:]:
            union.union(mapped[group[0]], mapped[identity])

    members: dict[Identity, list[Identity]] = defaultdict(list)
    for identity in set(mapped.values()):
        members[union.find(identity)].append(identity)
    recorded_count: Counter[Identity] = Counter()
    for recorded, count in uses.items():
        recorded_count[mapped[recorded]] += count

    # A noreply address that .mailmap maps to another one still tells the person's GitHub account.
    recorded_by_root: dict[Identity, list[Identity]] = defaultdict(list)
    for recorded, identity in mapped.items():
        recorded_by_root[union.find(identity)].append(recorded)
    people: dict[str, Person] = {}
    key_of_root: dict[Identity, str] = {}
    for root, group in members.items():
        person = _person_from(group, recorded_count, recorded_by_root[root])
        key_of_root[root] = person.key
        people[person.key] = person
    identity_to_key = {recorded: key_of_root[union.find(mapped[recorded])] for recorded in mapped}
    return identity_to_key, dict(sorted(people.items()))


def _person_from(group: list[Identity], uses: Counter[Identity], recorded: list[Identity]) -> Person:
    names: Counter[str] = Counter()
    login: str | None = None
    github_id: int | None = None
    for identity in group:
        names[identity.name] += uses[identity]
    for identity in sorted({*group, *recorded}, key=lambda i: (i.email, i.name)):
        account, number = github_account(identity.email)
        if account and (login is None or number is not None):
            login, github_id = account, number if number is not None else github_id
    emails = sorted(identity.email.casefold() for identity in group if identity.email)
    if github_id is not None:
        key = f"github:{github_id}"
    elif login:
        key = f"github:{login.casefold()}"
    else:
        # Hashed so that a key printed by a careless template can never publish an address.
        basis = emails[0] if emails else min(names, default="").casefold()
        key = "id:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]
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

    Addresses in names are hidden here, ``root@ci-runner-17`` included, so no page, feed or export can
    show one; a person known only by an address is shown by their login or as the placeholder.
    """
    names = person.name_uses
    display = min(names, key=lambda n: (is_only_addresses(n), -names[n], n.isascii(), n)) if names else ""
    display = unicodedata.normalize("NFC", person.preferred_name or display)
    if not display.strip() or (is_only_addresses(display) and person.login):
        display = person.login or "(unnamed)"
    person.name = redact_name(display)
    shown = {redact_name(unicodedata.normalize("NFC", name)) for name in names if not is_only_addresses(name)}
    person.aliases = {name for name in shown if name != person.name and name.strip()}


def person_finder(key_of: dict[Identity, str], mailmap: Mailmap) -> Callable[[Identity], str | None]:
    """Who an identity seen outside the history (a PR branch's author) is, among the known people.

    The same recorded identity, else the same (mailmapped) address, else the same GitHub account;
    names alone are too weak here. A stranger who never landed a commit is nobody yet: ``None``.
    """
    by_link: dict[tuple[str, str], str] = {}
    for known, key in sorted(key_of.items()):
        for link in links_of(mailmap.apply(known.name, known.email)):
            if not link[0].endswith("name"):
                by_link.setdefault(link, key)

    def find(identity: Identity) -> str | None:
        if identity in key_of:
            return key_of[identity]
        mapped = mailmap.apply(identity.name, identity.email)
        return next((by_link[link] for link in links_of(mapped) if link in by_link), None)

    return find
