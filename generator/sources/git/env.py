"""The environment for git processes that create repositories (the demo, tests, benchmarks).

Such repositories must come out byte-identical on every machine, so neither the user's git
configuration nor the ``GIT_*`` variables of a calling hook may reach git.
"""

from __future__ import annotations

import os


def isolated_git_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C", TZ="UTC")
    env.update(extra)
    return env
