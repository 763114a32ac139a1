"""What the readers of weights headers (safetensors in :mod:`generator.analysis.models.weights`, GGUF in
:mod:`generator.analysis.models.ggufheader`) share: the bound on a tensor's size and how a name read from a file is
shown.
A module of its own, so that neither reader imports the other (the GGUF one loads numpy)."""

from __future__ import annotations

#: A tensor cannot hold more values than its file has bits (the densest types pack a few per byte), so a
#: shape whose product is larger is refused before it is multiplied out.
VALUES_PER_BYTE = 8


def quoted(name: str) -> str:
    """A name read from a file, quoted with its control characters escaped, and short enough for one line."""
    return repr(name if len(name) <= 60 else name[:59] + "…")
