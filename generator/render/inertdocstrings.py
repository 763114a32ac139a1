"""A Griffe extension that makes a repository's docstrings inert before mkdocstrings renders them.

mkdocstrings renders docstrings as Markdown with the site's own extensions, snippets included, so a
docstring holding ``--8<-- ".git/config"`` would publish the CI token. The API reference pages
(``templates/reference.md.j2``) load this extension for the packages they document; their HTML is then
cleaned like an imported page's (see :func:`generator.text.safehtml.sanitise_page`).
Imported only by Griffe (``mkdocstrings-python``), so the rest of Almanac does not need it.
"""

from __future__ import annotations

from typing import Any

import griffe

from generator.text.safehtml import defused_brackets, inert_markdown


class InertDocstrings(griffe.Extension):
    """Every docstring's snippet and template syntax broken, and its brackets bounded, as in imported pages."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = defused_brackets(inert_markdown(obj.docstring.value))
