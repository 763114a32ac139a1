"""One model of a repository described from its folder: README, metadata, configs, weights, card.

A repository usually holds one model at its root; some hold several (sizes, a draft model, variants
in sub-folders, each with its own ``config.json``). Each folder is described the same way, from the
blobs read at HEAD, so the root's overview and every sub-model's card come from one function.
"""

from __future__ import annotations

from typing import Any

from generator.analysis.community.citations import CITATION_FILE
from generator.analysis.licences.files import MatchMemo, read_licence_files
from generator.analysis.licences.scope import licence_scope, readme_statements, weights_evidence
from generator.analysis.models.card import build_card, is_card_file, readme_headings
from generator.analysis.models.cardmeta import check_card_metadata, key_lines
from generator.analysis.models.cardsentences import stated_limitations, stated_training_data, stated_uses
from generator.analysis.models.evaltables import eval_results, metadata_disagreements, results_of
from generator.analysis.models.facts import (
    architecture_facts,
    billions,
    config_facts,
    config_sizes,
    front_matter,
    front_matter_block,
    parse_config,
    plain_text,
    title_and_description,
)
from generator.analysis.models.files import (
    GENERATION_CONFIG,
    TOKENIZER_CONFIG,
    citation_facts,
    generation_facts,
    tokenizer_facts,
)
from generator.analysis.models.repokind import architecture_configs, repo_kind, worth_reading
from generator.analysis.models.statedsize import StatedSize, stated_sizes
from generator.analysis.models.weights import is_weights_file, weight_facts
from generator.model.errors import Finding
from generator.model.knowledge import FileEntry
from generator.model.models import MODEL, ConfigSize, ModelDescription, RepoKind
from generator.model.provenance import Fact
from generator.sources.files.filekinds import is_licence_file
from generator.sources.files.repofiles import is_readme
from generator.text.clean import decode_git_bytes


def model_folders(entries: list[FileEntry], blobs: dict[str, bytes]) -> list[str]:
    """Sub-folders (two levels at most) whose ``config.json`` names a model architecture."""
    folders = []
    for entry in entries:
        folder, _, name = entry.path.rpartition("/")
        if name != "config.json" or not folder or folder.count("/") > 1 or entry.path not in blobs:
            continue
        config = parse_config(decode_git_bytes(blobs[entry.path]), entry.path, [])
        if config is not None and ("architectures" in config or "model_type" in config):
            folders.append(folder)
    return sorted(folders)


def licence_consistency(declared: Any, licence_files: list[str], readme_path: str, *, hub_card: bool = True
                        ) -> list[Finding]:
    """Where the repository's statements about its licence disagree or leave a gap (gate levels:
    a contradiction is an error, a gap a warning; a site build only mentions them).

    A missing ``license:`` matters only to a Hub model card (``hub_card``: the README has metadata):
    GitHub reads the licence file, so a GitHub README without front matter lacks nothing.
    """
    found: list[Finding] = []
    if declared and not licence_files:
        found.append(Finding(f"`license: {declared}` is declared but the repository has no licence file to read",
                             readme_path, "info", "warning"))
    if not declared and licence_files and hub_card:
        found.append(Finding(f"licence files ({', '.join(licence_files)}) but the README's metadata declares no "
                             "`license:`", readme_path, "info", "warning"))
    return found


def describe_model(folder: str, entries: list[FileEntry], blobs: dict[str, bytes], findings: list[Finding],
                   licence_memo: MatchMemo | None = None) -> ModelDescription:
    """Everything the model in ``folder`` states about itself; problems go to ``findings`` as well.

    ``licence_memo`` carries licence matches from earlier builds and receives new ones.
    """
    prefix = f"{folder}/" if folder else ""

    def own(entry: FileEntry) -> bool:  # directly in the folder, not deeper
        return entry.path.startswith(prefix) and "/" not in entry.path[len(prefix):]

    here = [entry for entry in entries if own(entry)]
    texts = {entry.path[len(prefix):]: decode_git_bytes(blobs[entry.path]) for entry in here
             if entry.path in blobs and not is_weights_file(entry.path)}
    readme_path = f"{prefix}README.md"
    readme = texts.get("README.md", "")
    metadata = front_matter(readme, readme_path, findings)
    checks = [Finding(f.message, f.where, "info", "error")
              for f in check_card_metadata(metadata, key_lines(front_matter_block(readme)), readme_path)]
    title, description = title_and_description(readme)
    facts: list[Fact] = []
    deployment: list[Fact] = []
    estimated: int | None = None
    weights, exact = weight_facts([e for e in here if is_weights_file(e.path)], blobs, findings)
    config = parse_config(texts["config.json"], f"{prefix}config.json", findings) if "config.json" in texts else None
    if config is not None:
        facts += config_facts(config, f"{prefix}config.json")
        estimate, deployment, estimated = architecture_facts(config, f"{prefix}config.json", exact, findings)
        facts += estimate
    facts += weights
    if GENERATION_CONFIG in texts:
        facts += generation_facts(texts[GENERATION_CONFIG], findings)
    if TOKENIZER_CONFIG in texts:
        facts += tokenizer_facts(texts[TOKENIZER_CONFIG], findings)
    facts += citation_facts(texts.get(CITATION_FILE), readme, findings)
    readmes = sorted((name for name in texts if is_readme(name)), key=lambda name: (name != "README.md", name))
    own_results = results_of(eval_results(readme, readme_path), title)
    if own_results:
        shown = " · ".join(f"{r.benchmark} {r.value:g}" + (f" {r.metric}" if r.metric else "")
                           + (f" ({r.shots}-shot)" if r.shots is not None else "") for r in own_results)
        facts.append(Fact("Results (README table)", shown, f"{own_results[0].where}, column {own_results[0].model}"))
    for disagreement in metadata_disagreements(metadata.get("model-index"), own_results):
        checks.append(Finding(f"the README and its metadata disagree: {disagreement}", readme_path, "info", "error"))
    kind, sizes = _kind_and_sizes(folder, entries, blobs, metadata)
    card_files = sorted(name for name in texts if is_card_file(name))  # MODEL_CARD.md beside the README
    # A library's README names other people's models ("T0_3B (3B params)"): only a model's own README or
    # card states its size.
    stated = next((found for name in [*readmes, *card_files] if (found := stated_sizes(texts[name], prefix + name))),
                  []) if kind.is_model_repo else []
    facts += _stated_size_facts(stated)
    if len(stated) == 1 and estimated and abs(stated[0].parameters - estimated) > 0.15 * estimated:
        checks.append(Finding(f"the README states {stated[0].parameters:,} parameters (“{stated[0].phrase}”), the "
                              f"config describes {estimated:,}", stated[0].where, "info", "error"))
    findings += checks
    # The root's licences include a LICENSES/ folder; a sub-model's are the files beside it.
    licences = read_licence_files(sorted((entry for entry in (here if folder else entries)
                                          if is_licence_file(entry.path[len(prefix):])), key=lambda e: e.path),
                                  blobs, findings, licence_memo)
    licence_files = [file.path for file in licences]
    declared = metadata.get("license")
    findings += licence_consistency(declared, licence_files, readme_path, hub_card=bool(metadata))
    gguf = next((fact for fact in facts if fact.label == "GGUF general.license"), None)
    scope, contradictions = licence_scope(
        licences, [found for name in readmes for found in readme_statements(texts[name], prefix + name)],
        declared if isinstance(declared, str) else None, gguf.value if gguf else None, readme_path,
        gguf.source.split(" → ")[0] if gguf else "",
        weights_evidence([entry.path[len(prefix):] for entry in (here if folder else entries)],
                         {prefix + name: texts[name] for name in readmes}, bool(metadata)))
    findings += contradictions
    # The card lists each config's size as a fact with its file; the overview shows them as a table.
    evidence = [*facts, *deployment, *(_stated_in_prose(texts, [*readmes, *card_files], prefix) if kind.is_model_repo
                                       else []), *(Fact(f"Parameters (estimated from {size.path})", _size_shown(size),
                                           f"{size.path}: {size.keys}")
                                      for size in sizes),
                *([Fact("Licence files", ", ".join(licence_files), "the repository's tree")] if licence_files else [])]
    headings = [heading for name in [*card_files, *readmes] for heading in readme_headings(texts[name], prefix + name)]
    return ModelDescription(folder, title, description, metadata, facts, deployment, checks,
                            build_card(metadata, evidence, headings, library=kind.is_library), licence_files,
                            licences, scope, estimated, kind, sizes)


def _kind_and_sizes(folder: str, entries: list[FileEntry], blobs: dict[str, bytes], metadata: dict[str, Any]
                    ) -> tuple[RepoKind, list[ConfigSize]]:
    """The repository's kind, and the sizes its configs outside model folders describe (a model's own
    only: a library's configs are fixtures for other people's models). A sub-folder holds a model."""
    if folder:
        return RepoKind(MODEL, [("a model config in the folder", f"{folder}/config.json")]), []
    folders = model_folders(entries, blobs)
    read = {entry.path: decode_git_bytes(blobs[entry.path]) for entry in entries if entry.path in blobs
            and not is_weights_file(entry.path)
            and ("/" not in entry.path or worth_reading(entry.path))}
    kind = repo_kind((entry.path for entry in entries), read, metadata, folders)
    homes = {"config.json", *(f"{name}/config.json" for name in folders)}  # described on their own pages
    configs = [(path, config) for path, config in architecture_configs(read) if path not in homes]
    return kind, config_sizes(configs) if kind.is_model_repo else []


def _stated_in_prose(texts: dict[str, str], names: list[str], prefix: str) -> list[Fact]:
    """The uses, training data and limitations a model's README or card states in a sentence (the first
    file that does, for each)."""
    found: list[Fact] = []
    for reader in (stated_uses, stated_training_data, stated_limitations):
        found += next((facts for name in names if (facts := reader(texts[name], prefix + name, _document(name)))),
                      [])
    return found


def _document(name: str) -> str:
    """How a fact's label names the file it was read from."""
    return "the README" if is_readme(name) else "the model card"


def _size_shown(size: ConfigSize) -> str:
    return size.total_shown if not size.experts else f"{size.total_shown} total, {size.active_shown} active per token"


def _stated_size_facts(stated: list[StatedSize]) -> list[Fact]:
    """One size (with its active count for a mixture of experts), or the list of sizes one sentence names."""
    if not stated:
        return []
    where = _document(stated[0].where.rsplit("/", 1)[-1].split(":")[0])
    if len(stated) > 1:
        return [Fact(f"Sizes (stated in {where})", ", ".join(billions(size.parameters) for size in stated),
                     f"{stated[0].where}: “{plain_text(stated[0].phrase)}”")]
    size = stated[0]
    value = f"{size.parameters:,}" if size.active is None else \
        f"{size.parameters:,} total, {size.active:,} active per token"
    return [Fact(f"Parameters (stated in {where})", value, f"{size.where}: “{plain_text(size.phrase)}”")]
