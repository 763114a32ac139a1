"""The cast of the demo repository and the clock rules that give each of them a local time.

Identity handling is the part of a real repository that breaks naive tooling, so the cast is built
to exercise it: people who commit under two addresses or two spellings, some reconciled by
``.mailmap`` and some only by their GitHub login, plus bots and GitHub's web-flow committer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone


@dataclass(frozen=True)
class Identity:
    """A name and e-mail exactly as they appear in a commit header."""

    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True)
class Person:
    """A contributor; ``local`` is their git config, ``web`` what GitHub writes for them."""

    key: str
    login: str
    local: Identity
    web: Identity
    zone: str
    weight: int
    style: str
    active: tuple[date, date]
    maintainer: bool
    signs_off: bool
    chinese: bool
    bot: bool

    def is_active(self, day: date) -> bool:
        return self.active[0] <= day <= self.active[1]


GITHUB = Identity("GitHub", "noreply@github.com")


def _noreply(user_id: int, login: str) -> str:
    return f"{user_id}+{login}@users.noreply.github.com"


_ALWAYS = (date(2024, 1, 1), date(2026, 1, 1))


def _person(
    key: str,
    login: str,
    name: str,
    email: str,
    zone: str,
    weight: int,
    style: str,
    *,
    web: Identity | None = None,
    active: tuple[date, date] = _ALWAYS,
    maintainer: bool = False,
    signs_off: bool = False,
    chinese: bool = False,
    bot: bool = False,
) -> Person:
    """Most people commit under one identity everywhere, so ``web`` defaults to the local one."""
    local = Identity(name, email)
    return Person(key, login, local, web or local, zone, weight, style, active, maintainer, signs_off, chinese, bot)


# fmt: off
PEOPLE: tuple[Person, ...] = (
    # Maintainers. Wei commits as "Wei Zhang" locally but GitHub knows him as 张伟.
    _person("wei", "zhangwei-ai", "Wei Zhang", "wei.zhang@lumen-ai.org", "CN", 9, "plain",
            web=Identity("张伟", _noreply(18231455, "zhangwei-ai")), maintainer=True, chinese=True),
    _person("lina", "lina-nlp", "Li Na", "li.na@lumen-ai.org", "CN", 8, "conv",
            web=Identity("李娜", _noreply(2291034, "lina-nlp")), maintainer=True, chinese=True),
    _person("alex", "alexchen-sf", "Alex Chen", "alex.chen@lumen-ai.org", "US-W", 7, "go",
            web=Identity("Alex Chen", _noreply(5098123, "alexchen-sf")), maintainer=True),
    _person("chenjing", "chenjing-ml", "陈静", "chenjing@lumen-ai.org", "CN", 6, "bracket",
            maintainer=True, chinese=True),
    # Regular contributors; several joined or left part-way through the history.
    _person("wangfang", "wangfang-docs", "王芳", "wangfang@example.com", "CN", 4, "zh", chinese=True),
    _person("liuyang", "liuyang-nlp", "Liu Yang", "liu.yang@example.edu", "CN", 4, "plain",
            web=Identity("刘洋", _noreply(48120339, "liuyang-nlp")), chinese=True,
            active=(date(2024, 3, 1), date(2026, 1, 1))),
    _person("zhaolei", "zhaolei0", "赵磊", "zhaolei@example.com", "CN", 2, "zh", chinese=True,
            active=(date(2024, 6, 1), date(2026, 1, 1))),
    _person("zhouting", "zhouting-ai", "周婷", "zhouting@example.org", "CN", 2, "zh", chinese=True,
            active=(date(2025, 2, 1), date(2026, 1, 1))),
    _person("jose", "jgarcia-dev", "José García", "jose.garcia@example.com", "EU", 4, "conv",
            web=Identity("José García", _noreply(3302117, "jgarcia-dev"))),
    _person("zoe", "zoemueller", "Zoe Mueller", "zoe.mueller@example.org", "EU", 4, "bracket",
            web=Identity("Zoë Müller", _noreply(81234567, "zoemueller"))),
    _person("bjorn", "bjorn-a", "Björn Ångström", "bjorn.angstrom@example.net", "EU", 3, "numpy"),
    _person("lukasz", "lnowak", "Łukasz Nowak", "lukasz.nowak@example.net", "EU", 3, "plain",
            signs_off=True, active=(date(2024, 4, 1), date(2026, 1, 1))),
    _person("ngozi", "ngozi-o", "Ngozi Okafor", "ngozi.okafor@example.com", "NG", 3, "conv"),
    _person("priya", "priyaraman", "Priya Raman", "priya.raman@example.com", "IN", 3, "plain"),
    _person("sarah", "sjohnson-ml", "Sarah Johnson", "sarah.johnson@example.com", "US-E", 3, "plain"),
    _person("kenji", "ktanaka", "Kenji Tanaka", "kenji.tanaka@example.jp", "JP", 2, "plain"),
    _person("minh", "minhnq", "Minh Nguyen", "minh.nguyen@example.com", "VN", 2, "gitmoji",
            active=(date(2024, 5, 1), date(2026, 1, 1))),
    # Emily's old clone still uses GitHub's legacy noreply form; only her login links the two.
    _person("emily", "edavis", "Emily Davis", "edavis@users.noreply.github.com", "US-W", 2, "plain",
            web=Identity("Emily Davis", _noreply(7714410, "edavis"))),
    _person("olivia", "oliviab", "Olivia Brown", "olivia.brown@example.co.uk", "UK", 2, "plain"),
    _person("mateo", "mateo-rossi", "Mateo Rossi", "mateo.rossi@example.it", "EU", 2, "conv",
            active=(date(2024, 2, 1), date(2025, 3, 1))),
    _person("hannah", "hschmidt", "Hannah Schmidt", "hannah.schmidt@example.de", "EU", 2, "numpy",
            active=(date(2024, 9, 1), date(2026, 1, 1))),
    _person("ivan", "ipetrov", "Ivan Petrov", "ivan.petrov@example.net", "RU", 2, "plain"),
    _person("camille", "cdubois", "Camille Dubois", "camille.dubois@example.fr", "EU", 2, "conv",
            active=(date(2024, 7, 1), date(2026, 1, 1))),
    _person("rahul", "rverma", "Rahul Verma", "rahul.verma@example.in", "IN", 1, "plain"),
    _person("lucas", "lucas-silva", "Lucas Silva", "lucas.silva@example.com.br", "BR", 1, "plain",
            active=(date(2024, 10, 1), date(2026, 1, 1))),
    _person("fatima", "fatima-as", "Fatima Al-Sayed", "fatima.alsayed@example.ae", "AE", 1, "plain",
            active=(date(2025, 1, 1), date(2026, 1, 1))),
    _person("david", "dkim-dev", "David Kim", "david.kim@example.com", "US-E", 1, "conv",
            active=(date(2025, 4, 1), date(2026, 1, 1))),
    # Bots commit under their GitHub App identities.
    _person("dependabot", "dependabot[bot]", "dependabot[bot]", _noreply(49699333, "dependabot[bot]"),
            "UTC", 0, "plain", bot=True),
    _person("actions", "github-actions[bot]", "github-actions[bot]",
            _noreply(41898282, "github-actions[bot]"), "UTC", 0, "plain", bot=True),
    _person("precommit", "pre-commit-ci[bot]", "pre-commit-ci[bot]",
            _noreply(66853113, "pre-commit-ci[bot]"), "UTC", 0, "plain", bot=True),
)
# fmt: on

BY_KEY: dict[str, Person] = {person.key: person for person in PEOPLE}

# Only some of the multi-address people are reconciled here, so tools must also use logins.
# The four entry forms below are the four that git(1) documents for gitmailmap(5).
MAILMAP = """\
# Map contributors who committed under several names or addresses to one identity.
# See https://git-scm.com/docs/gitmailmap
Wei Zhang <wei.zhang@lumen-ai.org> 张伟 <18231455+zhangwei-ai@users.noreply.github.com>
李娜 <li.na@lumen-ai.org>
李娜 <li.na@lumen-ai.org> <2291034+lina-nlp@users.noreply.github.com>
Zoë Müller <zoe.mueller@example.org>
<zoe.mueller@example.org> <81234567+zoemueller@users.noreply.github.com>
"""

_FIXED_OFFSETS: dict[str, int] = {
    "CN": 8 * 60,
    "JP": 9 * 60,
    "IN": 5 * 60 + 30,
    "VN": 7 * 60,
    "AE": 4 * 60,
    "RU": 3 * 60,
    "NG": 60,
    "BR": -3 * 60,
    "UTC": 0,
}
# (standard offset, uses EU rules) for zones with daylight saving time.
_DST_ZONES: dict[str, tuple[int, bool]] = {
    "EU": (60, True),
    "UK": (0, True),
    "US-W": (-8 * 60, False),
    "US-E": (-5 * 60, False),
}


def _nth_sunday(year: int, month: int, n: int) -> date:
    """The n-th Sunday of a month; n=-1 is the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def _summer_time(day: date, eu_rules: bool) -> bool:
    if eu_rules:
        return _nth_sunday(day.year, 3, -1) <= day < _nth_sunday(day.year, 10, -1)
    return _nth_sunday(day.year, 3, 2) <= day < _nth_sunday(day.year, 11, 1)


def utc_offset_minutes(zone: str, epoch: int) -> int:
    """Day-granular DST is enough: commit headers only need plausible, stable offsets."""
    if zone in _FIXED_OFFSETS:
        return _FIXED_OFFSETS[zone]
    standard, eu_rules = _DST_ZONES[zone]
    day = datetime.fromtimestamp(epoch, timezone.utc).date()
    return standard + (60 if _summer_time(day, eu_rules) else 0)


def format_offset(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{mins:02d}"
