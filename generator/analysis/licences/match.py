"""Which licence a licence file holds: an exact id, a confidence, or "unknown" with the reason.

Two matchers run on every text. SPDX licences are matched by ``licenseclassifier`` (the SPDX
list's templates, word by word, so a filled-in copyright line or a re-wrap does not matter).
Model licences that the SPDX list lacks are matched by fingerprint (``generator/data/licences.yml``):
enough of the licence's sampled phrases must be present to name its family, and the version is
the one whose distinguishing clauses are all there. When the phrases say "this family" but no
version's clauses are all present, the answer is a *near match*: the id stays unknown, the nearest
version and the clauses that differ are reported. A wrong confident answer is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from generator.analysis.licences.fingerprints import contains, decode, fingerprint, phrase, split_languages, words
from generator.model.licences import LicenceMatch
from generator.sources.packagedata import packaged_yaml

#: Share of a reference licence's sampled phrases a file must contain for its family to be named.
FAMILY_RECALL = 0.80
#: Share below which no near match is reported either (the text shares phrases, not the licence).
NEAR_RECALL = 0.50
#: Text beside an identified licence is reported as an unknown licence when it is this long and
#: this large a share of the file (Creative Commons texts carry a preamble the template leaves out).
_MIN_UNKNOWN_WORDS = 150
_UNKNOWN_SHARE = 0.3
#: SPDX regions shorter than this many words are a header or a mention, not a licence text.
_MIN_REGION_WORDS = 40


@dataclass(frozen=True, slots=True)
class KnownLicence:
    key: str
    name: str
    hub: str
    spdx: str
    family: str
    #: As the licence writes them; searched for in :func:`phrase` form.
    clauses: tuple[str, ...]
    fingerprints: dict[str, frozenset[int]] = field(hash=False, compare=False)


@cache
def known_licences() -> tuple[KnownLicence, ...]:
    data: dict[str, Any] = packaged_yaml("licences.yml")
    return tuple(
        KnownLicence(
            key=key,
            name=str(entry["name"]),
            hub=str(entry.get("hub", key)),
            spdx=str(entry.get("spdx") or spdx_ref(key)),
            family=str(entry["family"]),
            clauses=tuple(str(clause) for clause in entry.get("clauses", ())),
            fingerprints={language: decode(stored) for language, stored in entry["fingerprint"].items()},
        )
        for key, entry in data.items()
    )


def known_as(licence: str) -> list[KnownLicence]:
    """The packaged licences an id names: the one whose key it is, else every version sharing that
    Hub id (``gemma`` names both Gemma terms)."""
    return [known for known in known_licences() if known.key == licence] or \
        [known for known in known_licences() if known.hub == licence]


def spdx_ref(key: str) -> str:
    """A licence-ref id SPDX expressions accept for a licence the SPDX list lacks."""
    return "LicenseRef-" + re.sub(r"[^A-Za-z0-9.-]+", "-", key.replace("++", "-plus-plus")).strip("-")


def identify(text: str) -> list[LicenceMatch]:
    """Every licence in the text (SPDX licences in the order they appear, then model licences), and
    an ``unknown`` entry for a real amount of text left over.

    Each language of a bilingual text is matched on its own when the whole does not match.
    """
    found, rest = _spdx_regions(text)
    leftover = " ".join(rest)
    unknown: list[tuple[int, LicenceMatch]] = []
    if len(words(leftover)) >= _MIN_REGION_WORDS:
        for part in split_languages(leftover):
            for match in _by_fingerprint(part.text, part.language):
                if match.identified or match.nearest:
                    found.append(match)
                else:
                    unknown.append((len(words(part.text)), match))
    # Beside an identified licence, a preamble or a few lines of the project's own are not a licence.
    floor = max(_MIN_UNKNOWN_WORDS, _UNKNOWN_SHARE * len(words(text))) if found else 0
    found += [match for size, match in unknown if size >= floor]
    if not found:
        return [_unknown(language_of_text(text))]
    return _merge_languages(found)


def language_of_text(text: str) -> str:
    """``en``, ``zh``, or ``zh+en`` for a bilingual text."""
    return "+".join(part.language for part in split_languages(text)) if text.strip() else "en"


def _spdx_regions(text: str) -> tuple[list[LicenceMatch], list[str]]:
    """SPDX licences by their templates, and the text outside the matched regions."""
    from licenseclassifier import identify_license

    from generator.analysis.models.cardmeta import spdx_ids

    found: list[LicenceMatch] = []
    rest: list[str] = []
    position = 0
    for region in identify_license(text, coverage_threshold=1.0):
        body = text[region.start:region.end]
        if len(words(body)) < _MIN_REGION_WORDS:
            continue
        rest.append(text[position:region.start])
        position = region.end
        canonical = spdx_ids().get(region.id.lower(), region.id)
        found.append(LicenceMatch(canonical.lower(), canonical, canonical, 1.0, language_of_text(body),
                                  "SPDX template"))
    rest.append(text[position:])
    return found, rest


def _by_fingerprint(text: str, language: str) -> list[LicenceMatch]:
    """The packaged licence this text is, a near match, or an ``unknown`` match for the text."""
    text_words = words(text)
    if len(text_words) < _MIN_REGION_WORDS:
        return []
    sample = fingerprint(text_words)
    scored = sorted(((len(sample & reference) / len(reference), licence)
                     for licence in known_licences()
                     if (reference := licence.fingerprints.get(language))),
                    key=lambda pair: (-pair[0], pair[1].key))
    if not scored or scored[0][0] < NEAR_RECALL:
        return [_unknown(language)]
    best_recall, best = scored[0]
    family = [(recall, licence) for recall, licence in scored
              if licence.family == best.family and recall >= NEAR_RECALL]
    confirmed = [(recall, licence) for recall, licence in family
                 if recall >= FAMILY_RECALL and all(contains(text_words, phrase(clause)) for clause in licence.clauses)]
    if len(confirmed) == 1 or (confirmed and not any(licence.clauses for _, licence in confirmed)):
        recall, licence = confirmed[0]
        return [LicenceMatch(licence.hub, licence.name, licence.spdx, round(recall, 3), language, "fingerprint")]
    if len(confirmed) > 1:  # the clauses of two versions: a text stitched from both, or two texts
        names = " and ".join(licence.name for _, licence in confirmed)
        return [LicenceMatch(None, "unknown", "NOASSERTION", round(best_recall, 3), language, "fingerprint",
                             nearest=best.name, differs=(f"has the distinguishing clauses of {names}",))]
    missing = tuple(clause for clause in best.clauses if not contains(text_words, phrase(clause)))
    if best_recall < FAMILY_RECALL:
        missing += (f"only {best_recall:.0%} of its text",)
    return [LicenceMatch(None, "unknown", "NOASSERTION", round(best_recall, 3), language, "fingerprint",
                         nearest=best.name, differs=missing)]


def _unknown(language: str) -> LicenceMatch:
    return LicenceMatch(None, "unknown", "NOASSERTION", 0.0, language, "none")


def _merge_languages(found: list[LicenceMatch]) -> list[LicenceMatch]:
    """One entry per licence: the Chinese and English texts of one licence are one licence."""
    merged: dict[tuple[str | None, str | None, tuple[str, ...]], LicenceMatch] = {}
    for match in found:
        key = (match.licence, match.nearest, match.differs)
        if match.licence is None and match.nearest is None:
            key = (None, None, (match.language,))
        earlier = merged.get(key)
        if earlier is None:
            merged[key] = match
        elif earlier.language != match.language and match.licence is not None:
            merged[key] = LicenceMatch(match.licence, match.name, match.spdx,
                                       min(earlier.confidence, match.confidence), "zh+en", match.method)
    # Identified licences first; a language part nothing matched (a translation Almanac does not
    # know) after them.
    return sorted(merged.values(), key=lambda match: not match.identified)
