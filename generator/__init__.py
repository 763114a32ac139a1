"""Almanac's library: a model repository in, a knowledge model and Markdown pages out.

Nothing here imports MkDocs, so the same pages can feed any static-site generator
(``almanac write``); the MkDocs adapter lives in :mod:`site_plugins`.
"""

from generator.errors import AlmanacError, Finding
from generator.knowledge import BuildOptions, build_knowledge
from generator.model import Commit, Knowledge, Person, Release
from generator.pages import render_pages

__all__ = [
    "AlmanacError",
    "BuildOptions",
    "Commit",
    "Finding",
    "Knowledge",
    "Person",
    "Release",
    "build_knowledge",
    "render_pages",
]
