"""What kind of file a path is (config, weights, licence…), from its name alone.

Kept apart from the readers of those files because the history walk asks it for every path every
commit touched, and a per-page-authorship build should not load the model readers to do so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fnmatch import fnmatchcase
from functools import lru_cache

LICENCE_NAMES = re.compile(
    r"^(?!.*\.(py|pyi|js|ts|go|rs|java|c|h|cc|cpp|json|ya?ml|toml|html?|css|sh|ipynb|lock)$)"  # code, not a text
    r"(LICEN[CS]E|COPYING|NOTICE|MODEL_LICEN[CS]E|USE_POLICY)([-_.][\w.-]*)?$|^LICENSES/", re.IGNORECASE
)

# What a watched file is, which decides how it is read and compared.
CONFIG = "config"
INDEX = "index"
TOKENIZER = "tokenizer"
WEIGHTS = "weights"
LICENCE = "licence"
README = "readme"
MIGRATION = "migration"

_CONFIG_NAMES = frozenset(
    {"config.json", "params.json", "generation_config.json", "tokenizer_config.json", "special_tokens_map.json"}
)
_INDEX_PATTERNS = ("*.safetensors.index.json", "*.bin.index.json")
_TOKENIZER_PATTERNS = ("tokenizer.json", "tokenizer.model", "*.tiktoken")
_WEIGHT_PATTERNS = ("*.safetensors", "pytorch_model*.bin", "*.gguf", "*.onnx")


def is_licence_file(path: str) -> bool:
    return bool(LICENCE_NAMES.search(path))


#: Text read for its words (READMEs, licences, Markdown pages, plain text, citation files): a larger
#: one is read this far and the rest skipped. No real one comes near it; a hostile one costs no more.
TEXT_READ_BYTES = 1 << 20
_PROSE_SUFFIXES = (".md", ".markdown", ".txt", ".rst", ".cff")


def is_prose(path: str) -> bool:
    """Whether the file is read for its words, so that its beginning is worth having without its end
    (a JSON file or a weights header cut short is worth nothing)."""
    name = path.rsplit("/", 1)[-1]
    return name.lower().endswith(_PROSE_SUFFIXES) or name.upper().startswith("README") or is_licence_file(name)


@lru_cache(maxsize=1 << 16)
def file_kind(path: str) -> str | None:
    """How a path is compared, from its base name (a repository may hold several models in sub-folders).

    Cached: the history walk asks it about every path of every commit, and paths repeat.
    """
    name = path.rsplit("/", 1)[-1]
    if any(fnmatchcase(name, pattern) for pattern in _INDEX_PATTERNS):
        return INDEX
    if name in _CONFIG_NAMES:
        return CONFIG
    if any(fnmatchcase(name, pattern) for pattern in _TOKENIZER_PATTERNS):
        return TOKENIZER
    if any(fnmatchcase(name, pattern) for pattern in _WEIGHT_PATTERNS):
        return WEIGHTS
    if name.casefold() == "readme.md":
        return README
    if _is_licence_path(path):
        return LICENCE
    if name.upper().startswith("MIGRATION"):
        return MIGRATION
    return None


_LICENSES_FOLDER = re.compile(r"(^|/)LICENSES/", re.IGNORECASE)


def _is_licence_path(path: str) -> bool:
    """A licence file at any depth (``small/LICENSE``) or anything in a ``LICENSES/`` folder, whatever
    its case (as :data:`LICENCE_NAMES` reads it)."""
    return is_licence_file(path.rsplit("/", 1)[-1]) or _LICENSES_FOLDER.search(path) is not None


def tracked_paths(paths: Iterable[str]) -> list[str]:
    """The paths worth watching among every path the history touched, sorted, without duplicates.

    Paths holding a newline are dropped: ``cat-file`` reads one name per line and could not be asked
    about them (nor could a stranger use one to slip a second query in).
    """
    return sorted({path for path in paths if path and "\n" not in path and file_kind(path) is not None})
