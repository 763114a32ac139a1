"""Which licence covers the code, the weights and the data, and where the repository contradicts itself.

The evidence comes from four places: the licence files (their names say what they cover, their
texts which licence they are), sentences in the README ("the code is released under Apache 2.0,
the model weights under the Llama 3.1 Community License"; "代码遵循 Apache-2.0 协议，模型权重遵循…"),
the model card's metadata (``license:``) and the GGUF header's ``general.license``. Each scope's
answer is written as an SPDX expression; every disagreement between two sources is a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.analysis.licences.fingerprints import plain
from generator.analysis.licences.match import known_as, spdx_ref
from generator.analysis.licences.names import licence_named
from generator.model.errors import Finding
from generator.model.licences import ALL, CODE, DATA, SCOPES, UNKNOWN, WEIGHTS, LicenceFile, LicenceScope, ThirdParty


@dataclass(frozen=True, slots=True)
class Statement:
    """One source's word on what licence covers one part of the repository."""

    scope: str
    #: Hub-style licence id (``apache-2.0``, ``llama3.1``).
    licence: str
    source: str


def spdx_of(licence: str) -> str:
    from generator.analysis.models.cardmeta import spdx_ids

    if licence == UNKNOWN:
        return "NOASSERTION"
    versions = known_as(licence)
    if len(versions) == 1:
        return versions[0].spdx
    if versions:  # a Hub id that several versions share (``gemma``): no version to name
        return spdx_ref(licence)
    return spdx_ids().get(licence.lower()) or spdx_ref(licence)


def same_licence(one: str, other: str) -> bool:
    """Whether two ids name one licence (``gpl-3.0`` is what the Hub writes for ``GPL-3.0-only``)."""
    if UNKNOWN in (one, other):
        return one == other

    def base(licence: str) -> str:
        return re.sub(r"-(only|or-later)$", "", licence.lower())
    return base(one) == base(other)


_SUBJECTS = (
    (re.compile(r"\b(?:source\s+)?code(?:base)?\b|\bsoftware\b|\bscripts?\b|\blibrary\b|代码|源码",
                re.IGNORECASE), CODE),
    (re.compile(r"\bmodel\s+weights?\b|\bweights?\b|\bcheckpoints?\b|\bmodels?\b|模型权重|权重|模型"
                # a model named by its size: "Qwen-72B, Qwen-14B, and Qwen-7B are licensed under…"
                r"|\b[A-Za-z][\w.]*-\d+(?:\.\d+)?[BM]\b|\b\d+(?:\.\d+)?[BM]\b", re.IGNORECASE), WEIGHTS),
    (re.compile(r"\bdata(?:sets?)?\b|数据集?", re.IGNORECASE), DATA),
)
#: "<subject> … (is|are) (licensed|released|…) under <licence>" and the Chinese "<subject>…遵循/采用 <licence> 协议".
#: "by" names a licence only after "governed": "the API service provided by Alibaba Cloud" is no statement.
_VERBS = r"licen[cs]ed|released|available|distributed|provided|made available|governed"
_ZH_VERBS = r"遵循|采用|使用|基于|依照|按照|遵守"
_STATEMENT = re.compile(
    rf"(?P<subject>[^.;:。；\n]{{0,60}}?)\b(?:is|are)?\s*(?:(?:{_VERBS})\s+under|governed\s+by)\s+(?:the\s+)?"
    r"(?P<licence>[^;。；\n()]{2,80})"
    rf"|(?P<zh_subject>[^。；\n]{{0,30}}?)(?:{_ZH_VERBS})(?P<zh_licence>[^。；\n]{{2,40}}?)"
    r"(?:开源)?(?:协议|许可证|许可协议|许可)",
    re.IGNORECASE,
)
#: The verbs every match of :data:`_STATEMENT` holds: a line without one is not read further.
_STATEMENT_VERB = re.compile(f"{_VERBS}|{_ZH_VERBS}", re.IGNORECASE)
#: Words a licence's name carries: a statement must name a licence, not a product ("…supports Qwen").
_LICENCE_WORD = re.compile(r"licen[cs]|agreement|terms|apache|\bmit\b|\bbsd|gpl|\bcc[ -]by|creative commons|"
                           r"openrail|mulan|木兰|协议|许可", re.IGNORECASE)


def readme_statements(readme: str, path: str) -> list[Statement]:
    """The licence statements of a README's prose, one per (scope, licence) it names."""
    found: list[Statement] = []
    for number, line in enumerate(plain(readme).splitlines(), start=1):
        if not _STATEMENT_VERB.search(line):
            continue  # most lines; the statement pattern tries every position of a line it reads
        for sentence in re.split(r"(?<=[.;])\s+|(?<=[。；，])|,\s+(?=(?:and|while|whereas|but)\b)", line):
            for match in _STATEMENT.finditer(sentence):
                subject = match.group("subject") or match.group("zh_subject") or ""
                named = match.group("licence") or ""
                licence = licence_named(named or match.group("zh_licence") or "")
                if named and not _LICENCE_WORD.search(named):
                    licence = None
                scope = next((scope for pattern, scope in _SUBJECTS if pattern.search(subject)), None)
                if licence and scope:
                    found.append(Statement(scope, licence, f"{path}:{number}"))
    return list(dict.fromkeys(found))


def _covers(file: LicenceFile, files: list[LicenceFile], ids: list[str], weights: str) -> list[str]:
    """The scopes a file speaks for: its own, or for a plain LICENSE the code no other file names,
    and the weights only where the repository has weights no other file names and either holds them
    itself (a weights file) or the LICENSE is a model licence that speaks of them (Llama, DeepSeek…).
    An Apache-2.0 LICENSE beside weights hosted elsewhere says nothing about them. A plain LICENSE
    says nothing about training data, which is rarely in the repository."""
    if file.scope in SCOPES:
        return [file.scope]
    if file.scope != ALL:
        return []
    scopes = [CODE] if not any(other.scope == CODE for other in files) else []
    if weights and not any(other.scope == WEIGHTS for other in files) and (
            weights.startswith(IN_REPOSITORY) or any(known_as(licence) for licence in ids)):
        scopes.append(WEIGHTS)
    return scopes


#: How :func:`weights_evidence` begins when the weights are files of the repository.
IN_REPOSITORY = "weights files: "
_WEIGHTS_NAMES = re.compile(r"(^|/)(pytorch_model[\w.-]*\.bin|consolidated[\w.-]*\.pth"
                            r"|[^/]+\.(safetensors|gguf|ckpt))$")
_DOWNLOAD_SCRIPT = re.compile(r"^download[\w-]*\.(sh|py)$", re.IGNORECASE)
_MODEL_LINK = re.compile(r"https?://(?:www\.)?(?P<site>huggingface\.co|hf\.co|modelscope\.cn/models)/"
                         r"(?P<org>[A-Za-z0-9][\w.-]*)/(?P<model>[A-Za-z0-9][\w.-]*)")
_NOT_A_MODEL = {"docs", "datasets", "spaces", "blog", "papers", "models", "organizations", "learn", "join",
                "settings", "collections", "tasks"}


def weights_evidence(paths: list[str], readmes: dict[str, str], metadata: bool = False) -> str:
    """Where the repository shows it has weights, or "".

    Weights files in the tree; a download script at the root; a Hub model card's metadata; or links to
    the project's own model pages in its README: one organisation whose two or more models make up at
    least half of the README's model links. A library's README linking other people's models (one
    each, many organisations) shows no weights of its own.
    """
    files = [path for path in paths if _WEIGHTS_NAMES.search(path)]
    if files:
        return IN_REPOSITORY + ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    scripts = [path for path in paths if "/" not in path and _DOWNLOAD_SCRIPT.match(path)]
    if scripts:
        return f"download script {scripts[0]}"
    if metadata:
        return "the README's model card metadata"
    for name, text in readmes.items():
        links: dict[tuple[str, str], int] = {}
        first: dict[str, int] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            for link in _MODEL_LINK.finditer(line):
                if link["org"].lower() in _NOT_A_MODEL:
                    continue
                org = link["org"].lower()
                links.setdefault((org, link["model"].lower()), number)
                first.setdefault(org, number)
        by_org: dict[str, int] = {}
        for org, _model in links:
            by_org[org] = by_org.get(org, 0) + 1
        if by_org:
            org, count = max(by_org.items(), key=lambda item: item[1])
            if count >= 2 and 2 * count >= len(links):
                return f"links to its model pages ({name}:{first[org]})"
    return ""


def licence_scope(files: list[LicenceFile], statements: list[Statement], declared: str | None,
                  gguf: str | None, readme_path: str, gguf_where: str, weights: str = ""
                  ) -> tuple[LicenceScope, list[Finding]]:
    """Each scope's licences from the files, completed by the README and metadata; and the contradictions.

    A named file (``LICENSE-MODEL``) decides its scope; a plain ``LICENSE`` covers the code no file
    names (and the weights, see :func:`_covers`; ``weights`` is :func:`weights_evidence`); licences
    bundled after a file's own text cover what they name. The README's statements and the card
    metadata fill scopes no file covers and must agree with the files where both speak (the
    metadata and GGUF speak of the weights).
    """
    covered: dict[str, list[str]] = {scope: [] for scope in SCOPES}
    sources: list[Statement] = []
    third_party: list[ThirdParty] = []
    for file in files:
        ids = [match.licence for match in file.own if match.licence] or [UNKNOWN]
        third_party += [ThirdParty(bundled.covers, " AND ".join(spdx_of(licence) for licence in bundled.licences)
                                   or "NOASSERTION", bundled.where) for bundled in file.bundled]
        if file.scope == ALL and ids == [UNKNOWN]:
            continue  # a plain LICENSE Almanac cannot read claims nothing; a named one keeps its scope unknown
        sources += [Statement(scope, licence, file.path)
                    for scope in _covers(file, files, ids, weights) for licence in ids]
    claimed = {statement.scope for statement in sources}
    said = list(statements)
    if declared and declared not in ("other", "unknown"):
        said.append(Statement(WEIGHTS, declared.lower(), f"{readme_path} metadata (license)"))
    if gguf:
        named = licence_named(gguf) or gguf.strip().lower()
        said.append(Statement(WEIGHTS, named, gguf_where))
    findings: list[Finding] = []
    for scope in SCOPES:
        files_say = [s for s in sources if s.scope == scope]
        others = [s for s in said if s.scope == scope]
        # Without a file, README sentences name the licence of different models ("Qwen-72B … under the
        # Tongyi Qianwen licence", "Qwen-1.8B … under the research licence"): they are held to none of
        # one another; the metadata and GGUF header are held to the first of them.
        readme_said = [s for s in others if s in statements]
        reference = files_say or readme_said[:1] or others[:1]
        for statement in others if files_say else [s for s in others if s not in statements]:
            if statement in reference or any(same_licence(s.licence, statement.licence) for s in reference):
                continue
            where = ", ".join(dict.fromkeys(s.source for s in reference))
            if all(s.licence == UNKNOWN for s in reference):
                findings.append(Finding(f"says the {scope} are under {spdx_of(statement.licence)}, but {where}, "
                                        "which covers them, is not that licence's text", statement.source,
                                        "info", "warning"))
                continue
            shown = " and ".join(dict.fromkeys(spdx_of(s.licence) for s in reference))
            verb = ("hold" if len({s.source for s in reference}) > 1 else "holds") if files_say else "says"
            findings.append(Finding(f"says the {scope} are under {spdx_of(statement.licence)}, but {where} {verb} "
                                    f"{shown}", statement.source, "info", "error"))
    decided_by: dict[str, list[str]] = {scope: [] for scope in SCOPES}
    for statement in sources + said:
        if statement.scope in claimed and statement not in sources:
            continue  # where files speak, the files decide
        if not any(same_licence(statement.licence, known) for known in covered[statement.scope]):
            covered[statement.scope].append(statement.licence)
        if statement.source not in decided_by[statement.scope]:
            decided_by[statement.scope].append(statement.source)
    return LicenceScope({scope: tuple(ids) for scope, ids in covered.items() if ids},
                        {scope: tuple(where) for scope, where in decided_by.items() if where},
                        tuple(dict.fromkeys(third_party)), weights,
                        {licence: spdx_of(licence) for ids in covered.values() for licence in ids}), findings
