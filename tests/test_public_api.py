"""The library stays independent of MkDocs, and its public API is what the README promises."""

from __future__ import annotations

import subprocess
import sys

import generator


def test_generator_never_imports_mkdocs() -> None:
    code = (
        "import sys, pkgutil, importlib, generator\n"
        "for module in pkgutil.walk_packages(generator.__path__, 'generator.'):\n"
        "    importlib.import_module(module.name)\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('mkdocs', 'material')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_public_api_is_complete() -> None:
    assert set(generator.__all__) == {
        "AlmanacError", "BuildOptions", "Commit", "Finding", "Knowledge", "Person", "Release",
        "build_knowledge", "render_pages",
    }
    for name in generator.__all__:
        assert getattr(generator, name).__doc__, name
