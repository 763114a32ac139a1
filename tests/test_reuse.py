"""Per-file licence coverage in the REUSE way, from one git grep over a real repository."""

from __future__ import annotations

from generator.analysis.licences.reuse import glob_pattern
from generator.build import BuildOptions, build_knowledge
from tests.gitrepo import Repo

HEADER = "# SPDX-FileCopyrightText: 2025 Jane Doe <jane@example.com>\n# SPDX-License-Identifier: Apache-2.0\n"


def test_headers_sidecars_and_reuse_toml_are_counted_per_folder(repo: Repo) -> None:
    repo.commit("Labelled files", {
        "src/a.py": HEADER + "print('a')\n",
        "src/b.py": "/* SPDX-License-Identifier: MIT */\nint b;\n",
        "src/broken.py": "# SPDX-License-Identifier: MIT OR (\n",
        "model.safetensors": b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ",
        "model.safetensors.license": "SPDX-FileCopyrightText: 2025 Example Labs\nSPDX-License-Identifier: MIT\n",
        "data/train/x.csv": "a,b\n1,2\n",
        "docs/readme.md": "# Docs\n",
        "README.md": "# M\n",
        "LICENSES/Apache-2.0.txt": "Apache License\n",
        "LICENSES/MIT.txt": "MIT License\n",
        "REUSE.toml": 'version = 1\n\n[[annotations]]\npath = "data/**"\n'
                      'SPDX-FileCopyrightText = "2025 Data people"\nSPDX-License-Identifier = "CC-BY-4.0"\n',
    })
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    reuse = knowledge.reuse
    assert reuse is not None and reuse.uses_reuse_toml
    assert (reuse.files, reuse.licensed, reuse.complete) == (7, 5, 3)
    rows = {row.folder: (row.files, row.licensed, row.complete) for row in reuse.by_folder}
    assert rows == {"(root)": (2, 1, 1), "data": (1, 1, 1), "docs": (1, 0, 0), "src": (3, 3, 1)}
    assert dict(reuse.expressions) == {"MIT": 2, "Apache-2.0": 1, "CC-BY-4.0": 1, "MIT OR (": 1}
    found = {(f.where, f.gate): f.message for f in knowledge.findings}
    assert found[("REUSE.toml", "warning")] == ("names CC-BY-4.0, but LICENSES/ has no CC-BY-4.0 text "
                                                "(REUSE asks for one)")
    assert found[("src/broken.py", "warning")] == "`SPDX-License-Identifier: MIT OR (` is not a valid SPDX expression"


def test_a_broken_reuse_toml_is_a_finding_not_a_crash(repo: Repo) -> None:
    repo.commit("Broken", {"REUSE.toml": "version = 1\n[[annotations]\npath = 'x'\n", "a.py": HEADER})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert knowledge.reuse is not None and (knowledge.reuse.files, knowledge.reuse.complete) == (1, 1)
    assert any(f.where == "REUSE.toml" and f.message.startswith("not valid TOML") for f in knowledge.findings)


def test_reuse_globs() -> None:
    assert glob_pattern("*.py").match("a.py") and not glob_pattern("*.py").match("src/a.py")
    assert glob_pattern("src/**").match("src/x/y/z.bin") and not glob_pattern("src/**").match("srcx/a")
    assert glob_pattern("weights/*.safetensors").match("weights/model-00001-of-00002.safetensors")
    assert glob_pattern("a\\*b").match("a*b") and not glob_pattern("a\\*b").match("axb")
