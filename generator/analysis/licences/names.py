"""Licences as prose names them ("the Apache License, Version 2.0", "通义千问许可协议"), to their ids.

README sentences and the first line of a licence file name a licence in words; both the scope of the
licences (:mod:`generator.analysis.licences.scope`) and the reading of a licence file's own title
(:mod:`generator.analysis.licences.files`) need the same names, so they live below both.
"""

from __future__ import annotations

import re
from functools import cache

from generator.analysis.licences.fingerprints import phrase
from generator.analysis.licences.match import known_licences


@cache
def _names() -> list[tuple[str, str]]:
    """(phrase of a licence's name, its id), longest first, so "llama 3.1" wins over "llama 3"."""
    from generator.analysis.models.cardmeta import spdx_ids

    names: dict[str, str] = {}
    for known in known_licences():
        names[phrase(known.name)] = known.hub
        names[phrase(known.hub)] = known.hub
        names[phrase(re.sub(r" (License|Licence)? ?Agreement.*| Terms of Use.*", "", known.name))] = known.hub
    for lower, canonical in spdx_ids().items():
        names[phrase(canonical)] = lower
    names.update({phrase(alias): licence for alias, licence in _ALIASES.items()})
    return sorted(((name, licence) for name, licence in names.items() if name), key=lambda pair: -len(pair[0]))


#: How READMEs name common licences in prose (phrases, matched on whole words).
_ALIASES = {
    "Apache 2.0": "apache-2.0", "Apache License 2.0": "apache-2.0", "Apache License, Version 2.0": "apache-2.0",
    "Apache License Version 2.0": "apache-2.0", "Apache2": "apache-2.0", "MIT License": "mit",
    "BSD 3-Clause": "bsd-3-clause", "GPLv3": "gpl-3.0", "GPL v3": "gpl-3.0", "CC BY 4.0": "cc-by-4.0",
    "CC BY-NC 4.0": "cc-by-nc-4.0", "CC BY-SA 4.0": "cc-by-sa-4.0", "CC BY-NC-SA 4.0": "cc-by-nc-sa-4.0",
    "Creative Commons Attribution 4.0": "cc-by-4.0", "Creative Commons Attribution-NonCommercial 4.0": "cc-by-nc-4.0",
    "Llama 2 Community License": "llama2", "Llama 3 Community License": "llama3",
    "Meta Llama 3 Community License": "llama3", "Gemma Terms of Use": "gemma", "Gemma license": "gemma",
    "Qwen License": "qwen", "Tongyi Qianwen License": "tongyi-qianwen",
    "Tongyi Qianwen Research License": "tongyi-qianwen-research", "DeepSeek License": "deepseek",
    "DeepSeek Model License": "deepseek", "OpenRAIL-M": "openrail", "木兰宽松许可证": "mulanpsl-2.0",
    "Mulan PSL v2": "mulanpsl-2.0", "通义千问许可协议": "tongyi-qianwen", "通义千问": "tongyi-qianwen",
    "Qwen许可协议": "qwen", "Llama 2 社区许可": "llama2", "BigScience OpenRAIL-M": "bigscience-openrail-m",
    "CreativeML OpenRAIL-M": "creativeml-openrail-m", "BigCode OpenRAIL-M": "bigcode-openrail-m",
}


def licence_named(text: str) -> str | None:
    """The licence id a phrase of prose names ("the Apache License, Version 2.0"), or None."""
    words = f" {phrase(text)} "
    for name, licence in _names():
        if f" {name} " in words:
            return licence
    return None
