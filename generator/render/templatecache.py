"""Compiled page templates kept across builds.

Jinja compiles every template it loads, on every build: a site with 40 contributor pages spent about
0.1 s of its 2 s build (measured side by side) compiling templates that had not changed. Jinja's file
bytecode cache keeps the compiled code in the user's cache folder; each entry
carries the checksum of its template's source, so an edited or overriding template is compiled again,
and Jinja's own version and Python's are part of every entry.
"""

from __future__ import annotations

import hashlib
import os
import stat

import jinja2
from jinja2.bccache import Bucket

from generator.sources.locations import user_cache_root


class _TemplateCodeCache(jinja2.FileSystemBytecodeCache):
    """A damaged entry is compiled again, never an error: it is only a cache."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a truncated or foreign file: pickle and marshal raise many kinds
            bucket.reset()


def template_code_cache(env: jinja2.Environment) -> jinja2.BytecodeCache | None:
    """The cache for ``env``'s templates, or None where the cache folder cannot be written.

    Compiled code also depends on the environment's compile-time settings (escaping, block trimming,
    the i18n extension's style), which Jinja leaves out of its keys: they name the folder instead.
    """
    settings = repr((jinja2.__version__, sorted(env.extensions), env.autoescape, env.trim_blocks, env.lstrip_blocks,
                     env.keep_trailing_newline, getattr(env, "newstyle_gettext", None), env.finalize is not None,
                     env.block_start_string, env.variable_start_string, env.comment_start_string))
    folder = user_cache_root() / "templates" / hashlib.sha256(settings.encode()).hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        status = folder.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (status.st_uid != os.getuid() or status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
        return None  # compiled code is run: never from a folder somebody else owns or may write
    return _TemplateCodeCache(str(folder))
