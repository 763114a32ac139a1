"""Facts from the files around the weights: generation defaults, the tokenizer's chat template and
special tokens, and how to cite the model (``CITATION.cff``, BibTeX in the README).

Each reader takes a file's text and returns facts with the file and key they came from; a file that
does not parse is one finding naming it, and the other files still count.
"""

from __future__ import annotations

from typing import Any

import yaml

from generator.analysis.community.citations import CITATION_FILE, readme_bibtex
from generator.analysis.models.facts import read_json_object
from generator.model.errors import Finding, yaml_error_place
from generator.model.provenance import Fact
from generator.text.untrusted import load_yaml

GENERATION_CONFIG = "generation_config.json"
TOKENIZER_CONFIG = "tokenizer_config.json"
FILES = (GENERATION_CONFIG, TOKENIZER_CONFIG, CITATION_FILE)

_GENERATION_KEYS = ("temperature", "top_p", "top_k", "repetition_penalty", "max_new_tokens", "do_sample")
_SPECIAL_TOKENS = ("bos_token", "eos_token", "pad_token", "unk_token")


def generation_facts(text: str, findings: list[Finding]) -> list[Fact]:
    config = read_json_object(text, GENERATION_CONFIG, findings)
    if config is None:
        return []
    settings = [f"{key} {config[key]}" for key in _GENERATION_KEYS
                if isinstance(config.get(key), (int, float, bool)) and not isinstance(config.get(key), dict)]
    return [Fact("Generation defaults", ", ".join(settings), GENERATION_CONFIG)] if settings else []


def _token(value: Any) -> str | None:
    """A special token is written as a string, or as an ``AddedToken`` mapping with its ``content``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("content"), str):
        return str(value["content"])
    return None


def tokenizer_facts(text: str, findings: list[Finding]) -> list[Fact]:
    config = read_json_object(text, TOKENIZER_CONFIG, findings)
    if config is None:
        return []
    facts: list[Fact] = []
    template = config.get("chat_template")
    if isinstance(template, str) and template.strip():
        facts.append(Fact("Chat template", "yes", f"{TOKENIZER_CONFIG} → chat_template"))
    elif isinstance(template, list):
        names = [str(item.get("name")) for item in template if isinstance(item, dict) and item.get("name")]
        facts.append(Fact("Chat template", f"yes: {', '.join(names)}" if names else "yes",
                          f"{TOKENIZER_CONFIG} → chat_template"))
    else:
        facts.append(Fact("Chat template", "not stated in the repository", TOKENIZER_CONFIG))
    tokens = [f"{key.removesuffix('_token')} {token}" for key in _SPECIAL_TOKENS
              if (token := _token(config.get(key))) is not None]
    extra = [token for item in config.get("additional_special_tokens") or [] if (token := _token(item))]
    if extra:
        tokens.append(f"{len(extra)} more ({', '.join(extra[:4])}{', …' if len(extra) > 4 else ''})")
    if tokens:
        facts.append(Fact("Special tokens", "; ".join(tokens), TOKENIZER_CONFIG))
    if isinstance(config.get("model_max_length"), int) and config["model_max_length"] < 10**9:
        facts.append(Fact("Tokenizer max length", str(config["model_max_length"]),
                          f"{TOKENIZER_CONFIG} → model_max_length"))
    return facts


def citation_facts(cff: str | None, readme: str, findings: list[Finding]) -> list[Fact]:
    """How to cite: CITATION.cff's preferred citation (or the file itself), and BibTeX in the README."""
    facts: list[Fact] = []
    if cff is not None:
        try:
            data = load_yaml(cff)
        except yaml.YAMLError as error:
            findings.append(Finding("not valid YAML; ignored", yaml_error_place(error, CITATION_FILE)))
            data = None
        if isinstance(data, dict):
            preferred = data.get("preferred-citation")
            cited: dict[str, Any] = preferred if isinstance(preferred, dict) else data
            if cited.get("title"):
                facts.append(Fact("Citation", _citation_line(cited), CITATION_FILE
                                  + (" → preferred-citation" if cited is not data else "")))
        elif data is not None:
            findings.append(Finding("not a mapping of CFF keys; ignored", CITATION_FILE))

    # Every BibTeX block of the README, fenced as ```bibtex or bare ``` (ChatGLM2-6B, DeepSeek-V2, Qwen
    # and FastChat write theirs without a language): the project's own citation, with its title and line.
    # A block that does not parse is reported once, by the learning pages' reading of the same README.
    for entry in readme_bibtex(readme, "README.md", []):
        facts.append(Fact("Citation (BibTeX)", f"{entry.key}: {entry.title}" if entry.title else entry.key,
                          entry.where))
    return facts


def _citation_line(cited: dict[str, Any]) -> str:
    authors = [" ".join(str(part) for part in (person.get("given-names"), person.get("family-names")) if part)
               or str(person.get("name", "")) for person in cited.get("authors") or [] if isinstance(person, dict)]
    shown = ", ".join(authors[:3]) + (" et al." if len(authors) > 3 else "")
    year = cited.get("year") or str(cited.get("date-released", ""))[:4]
    where = cited.get("journal") or cited.get("doi") or cited.get("url") or ""
    parts = [str(cited["title"]), shown, str(year) if year else "", str(where)]
    return " · ".join(part for part in parts if part)
