"""The base model's licence, where it binds this one: a fine-tune of a Llama model stays under Llama's terms.

A model card's ``base_model`` names the model this one was derived from. Model licences (Llama,
Gemma, Qwen, the OpenRAIL family…) bind derivatives: their terms, use restrictions and naming rules
travel with the weights. When the base model's card can be read offline — a folder of this
repository, a local path, or the Hugging Face cache a ``huggingface_hub`` download left behind — its
licence is compared with the one this card declares.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from generator.analysis.licences.match import known_as
from generator.analysis.licences.scope import same_licence, spdx_of
from generator.analysis.licences.timeline import obligations
from generator.analysis.models.facts import front_matter
from generator.model.errors import Finding

#: Licences outside the packaged model licences whose terms also bind derivatives.
_BINDING = re.compile(r"^(cc-by-nc|cc-by-sa|cc-by-nc-sa|gpl|agpl|lgpl|openrail|llama|gemma)", re.IGNORECASE)


def hub_cache() -> Path:
    """Where ``huggingface_hub`` keeps downloads (``HF_HUB_CACHE``, ``HF_HOME``/hub, or ~/.cache)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    home = os.environ.get("HF_HOME") or os.path.join(os.environ.get("XDG_CACHE_HOME") or "~/.cache", "huggingface")
    return Path(home).expanduser() / "hub"


def base_card(base_model: str) -> tuple[str, str] | None:
    """(README text, where it was read) of a base model on disk (a path) or in the Hub cache."""
    candidates = []
    if base_model.startswith((".", "/", "~")):
        candidates.append(Path(base_model).expanduser() / "README.md")
    if re.fullmatch(r"[\w.-]+/[\w.-]+", base_model):
        snapshot = hub_cache() / f"models--{base_model.replace('/', '--')}"
        revision = snapshot / "refs" / "main"
        if revision.is_file():
            candidates.append(snapshot / "snapshots" / revision.read_text(encoding="utf-8").strip() / "README.md")
    for path in candidates:
        try:
            return path.read_text(encoding="utf-8", errors="replace"), str(path)
        except OSError:
            continue
    return None


def declared_licence(metadata: dict[str, Any]) -> str | None:
    """A card's ``license:`` as a lower-case licence id, when it is one."""
    licence = metadata.get("license")
    return licence.lower() if isinstance(licence, str) else None


def base_licence(card_text: str, where: str) -> str | None:
    return declared_licence(front_matter(card_text, where, []))


def derivative_findings(name: str, declared: str | None, base_model: str, base: str, where: str,
                        readme_path: str) -> list[Finding]:
    """What the base model's licence asks of this card: the same licence, and the name its rules require."""
    findings = []
    is_model_licence = bool(known_as(base))
    binding = is_model_licence or bool(_BINDING.match(base))
    if binding and declared and declared not in ("other", "unknown") and not same_licence(declared, base):
        findings.append(Finding(
            f"declares {spdx_of(declared)}, but its base model {base_model} is under {spdx_of(base)} "
            f"({where}), whose terms bind derivatives", readme_path, "info",
            "error" if is_model_licence else "warning"))
    prefix = duties.name_prefix if (duties := obligations(base)) else ""
    if prefix and name and not name.startswith(prefix):
        findings.append(Finding(
            f"the model is derived from {base_model} ({spdx_of(base)}), which asks that a derived model's name "
            f"begin with “{prefix}”; it is called “{name}”", readme_path, "info", "warning"))
    return findings


def check_base_model(metadata: dict[str, Any], name: str, folder_licences: dict[str, str | None],
                     readme_path: str) -> list[Finding]:
    """Findings about each ``base_model`` whose card is available offline; none for the others.

    ``folder_licences`` are the licences the repository's own model folders declare: a draft model
    or a fine-tune kept beside its base.
    """
    bases = metadata.get("base_model")
    declared = declared_licence(metadata)
    findings: list[Finding] = []
    for base_model in bases if isinstance(bases, list) else [bases] if bases else []:
        folder = str(base_model).strip("./")
        if folder in folder_licences:
            licence, where = folder_licences[folder], f"{folder}/README.md"
        elif (found := base_card(str(base_model))) is not None:
            licence, where = base_licence(*found), found[1]
        else:
            continue
        if licence:
            findings += derivative_findings(name, declared, str(base_model), licence, where, readme_path)
    return findings
