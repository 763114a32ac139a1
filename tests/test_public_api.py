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
    """The library's names, documented; and every name a site adapter needs resolves (the boundary test
    checks that ``site_plugins`` imports nothing else)."""
    library = {"AlmanacError", "BuildOptions", "Built", "Commit", "Finding", "Knowledge", "Person", "Release",
               "build_knowledge", "build_repository", "render_pages"}
    assert library <= set(generator.__all__)
    for name in library:
        assert getattr(generator, name).__doc__, name
    for name in generator.__all__:
        assert getattr(generator, name) is not None, name
