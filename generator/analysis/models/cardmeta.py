"""Checks of a model card's metadata (the README front matter the Hugging Face Hub reads), offline.

The Hub rejects or silently ignores metadata it does not understand: a licence id it does not know,
a language that is not a language code, a ``model-index`` whose results are not shaped as it
expects (then no evaluation results show on the model page). Each problem is reported with the file,
the line of its key and, where there is an obvious fix, the fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from functools import cache
from typing import Any

import yaml

from generator.model.errors import Finding
from generator.text.untrusted import compose_yaml

#: Licence ids the Hub accepts beside SPDX identifiers (which it writes in lower case).
HUB_LICENCES = frozenset({
    "openrail", "openrail++", "bigscience-openrail-m", "creativeml-openrail-m", "bigscience-bloom-rail-1.0",
    "bigcode-openrail-m", "llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4", "gemma",
    "deepfloyd-if-license", "apple-ascl", "apple-amlr", "intel-research", "lgpl-lr", "h-research", "cc",
    "c-uda", "other",
})
#: Language values the Hub accepts that are not language codes.
HUB_LANGUAGES = frozenset({"multilingual", "code"})
BASE_MODEL_RELATIONS = frozenset({"adapter", "merge", "quantized", "finetune"})


@cache
def spdx_licensing() -> Any:
    """license-expression's SPDX licensing, built once per process (building it reads the whole bundled
    SPDX list: 25 ms)."""
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


@cache
def spdx_ids() -> dict[str, str]:
    """Lower-cased SPDX id → its canonical spelling, from license-expression's bundled SPDX list."""
    return {symbol.key.lower(): symbol.key for symbol in spdx_licensing().known_symbols.values()
            if not symbol.is_exception and not symbol.key.startswith("LicenseRef-")}


def key_lines(front_matter_text: str, first_line: int = 2) -> dict[str, int]:
    """Top-level key → its line in the file (front matter starts on line 2, below its ``---``)."""
    try:
        node = compose_yaml(front_matter_text)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + first_line
            for key, _ in node.value if isinstance(key, yaml.ScalarNode)}


def check_card_metadata(data: Mapping[str, Any], lines: Mapping[str, int], path: str) -> list[Finding]:
    """Every problem the Hub would have with this metadata, one finding each."""
    findings: list[Finding] = []

    def report(key: str, message: str) -> None:
        findings.append(Finding(message, f"{path}:{lines[key]}" if key in lines else path))

    if "license" in data:
        _check_licence(data, report)
    if "language" in data:
        languages = data["language"] if isinstance(data["language"], list) else [data["language"]]
        import langcodes

        for value in languages:
            if not isinstance(value, str) or (value not in HUB_LANGUAGES and not langcodes.tag_is_valid(value)):
                hint = _language_hint(value)
                report("language", f"language {value!r} is not an ISO 639 code{hint}")
    for key in ("datasets", "tags"):
        if key in data and not (isinstance(data[key], list) and all(isinstance(v, str) for v in data[key])):
            report(key, f"`{key}` must be a list of strings")
    if "base_model_relation" in data and data["base_model_relation"] not in BASE_MODEL_RELATIONS:
        report("base_model_relation", f"base_model_relation {data['base_model_relation']!r} is not one of "
               f"{', '.join(sorted(BASE_MODEL_RELATIONS))}")
    if "model-index" in data:
        for message in model_index_problems(data["model-index"]):
            report("model-index", message)
    return findings


def _check_licence(data: Mapping[str, Any], report: Any) -> None:
    licence = data["license"]
    if not isinstance(licence, str):
        report("license", "`license` must be one licence id, such as apache-2.0")
        return
    known = licence in HUB_LICENCES or licence.lower() in spdx_ids()
    if not known:
        choices = sorted(HUB_LICENCES | set(spdx_ids()))
        close = difflib.get_close_matches(licence.lower(), choices, n=1, cutoff=0.75)
        report("license", f"license {licence!r} is not a licence id the Hub knows"
               + (f"; did you mean {close[0]!r}?" if close else "; use `other` with license_name and license_link"))
    elif licence.lower() in spdx_ids() and licence != licence.lower():
        report("license", f"the Hub writes licence ids in lower case: {licence.lower()!r}, not {licence!r}")
    if licence == "other":
        missing = [key for key in ("license_name", "license_link") if not data.get(key)]
        if missing:
            report("license", f"`license: other` needs {' and '.join(missing)}")


def _language_hint(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    import langcodes

    try:
        code = langcodes.find(value).language
    except LookupError:
        return ""
    return f"; did you mean {code!r}?" if code else ""


def model_index_problems(index: Any) -> list[str]:
    """What keeps the Hub from showing these evaluation results, with the path of each problem."""
    if not isinstance(index, list):
        return ["model-index must be a list of models"]
    problems: list[str] = []
    for m, model in enumerate(index):
        where = f"model-index[{m}]"
        if not isinstance(model, dict) or not isinstance(model.get("results"), list):
            problems.append(f"{where}: needs `name` and a `results` list")
            continue
        if not model.get("name"):
            problems.append(f"{where}: missing `name`")
        for r, result in enumerate(model["results"]):
            at = f"{where}.results[{r}]"
            if not isinstance(result, dict):
                problems.append(f"{at}: must be a mapping with task, dataset and metrics")
                continue
            for part, required in (("task", ("type",)), ("dataset", ("type", "name"))):
                section = result.get(part)
                missing = [key for key in required if not isinstance(section, dict) or not section.get(key)]
                if missing:
                    problems.append(f"{at}.{part}: missing {', '.join(f'`{key}`' for key in missing)}")
            metrics = result.get("metrics")
            if not isinstance(metrics, list) or not metrics:
                problems.append(f"{at}.metrics: must be a non-empty list")
                continue
            for k, metric in enumerate(metrics):
                if not isinstance(metric, dict) or not metric.get("type") or "value" not in metric:
                    problems.append(f"{at}.metrics[{k}]: needs `type` and `value`")
    return problems
