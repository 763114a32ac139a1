"""The licence page: declared licence, licence files, and the timeline of each file."""

from __future__ import annotations

from pathlib import Path

import gguf
import numpy as np

from generator.analysis.licences.timeline import licence_timeline, obligations
from generator.build import BuildOptions, build_knowledge
from generator.render.pages import render_pages
from tests.gitrepo import Repo

APACHE = "Apache License\nVersion 2.0, January 2004\n"


def test_timeline_of_added_changed_and_removed_licence_files(repo: Repo) -> None:
    apache = APACHE + "Copyright 2024 Lumen\n"
    added = repo.commit("Add licence", {"LICENSE": apache, "README.md": "---\nlicense: apache-2.0\n---\n# M\n"})
    repo.tag("v1.0.0")
    weights = repo.commit("Weights licence", {"MODEL_LICENSE": "Lumen Model Licence\n\n1. Use it kindly.\n"})
    bumped = repo.commit("Bump the year", {"LICENSE": apache.replace("2024", "2025")})
    clause = repo.commit("Add a clause", {"MODEL_LICENSE": "Lumen Model Licence\n\n1. Use it kindly.\n2. Cite us.\n"})
    repo.tag("v1.1.0")
    relicensed = repo.commit("Relicense the weights", {"MODEL_LICENSE": "MIT License\n\nPermission is hereby granted,"
                                                                       " free of charge, to any person.\n"})
    repo.git("rm", "-q", "MODEL_LICENSE")
    removed = repo.commit("Drop the separate weights licence")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    events = [(e.path, e.change, e.sha, e.release) for e in licence_timeline(knowledge)]
    assert events == [
        ("MODEL_LICENSE", "removed", removed, None),
        ("MODEL_LICENSE", "replaced by another text", relicensed, None),
        ("MODEL_LICENSE", "clauses added", clause, "v1.1.0"),
        ("LICENSE", "copyright years changed", bumped, "v1.1.0"),
        ("MODEL_LICENSE", "added", weights, "v1.1.0"),
        ("LICENSE", "added", added, "v1.0.0"),
    ]
    page = render_pages(knowledge)["licence.md"]
    assert "**apache-2.0**" in page and "| MODEL&#95;LICENSE | removed |" in page and "unreleased |" in page
    assert "`MODEL" not in page  # escaped values never sit inside a code span


def test_change_kinds() -> None:
    from generator.analysis.licences.timeline import change_kind

    text = b"Licence\n\nCopyright 2023 A\n\n1. Do this.\n2. Do that.\n"
    assert change_kind(text, text.replace(b"\n\n", b"\n")) == "reformatted"
    assert change_kind(text, text.replace(b"2023", b"2023-2025")) == "copyright years changed"
    assert change_kind(text, text.replace(b"Copyright 2023 A", b"Copyright 2023 B Corp")) == "copyright line changed"
    assert change_kind(text, text.replace(b"2. Do that.\n", b"")) == "clauses removed"
    assert change_kind(text, text.replace(b"Do that", b"Do something else entirely")) == "clauses changed"


KINDS = {"attribution", "notice", "naming", "use-policy", "threshold", "restriction", "redistribution",
         "non-commercial", "share-alike", "changes", "patent", "trademark"}


def test_every_obligation_checklist_is_well_formed() -> None:
    from generator.analysis.licences.timeline import _obligations_data

    for licence in _obligations_data():
        found = obligations(licence)
        assert found is not None and found.duties and {duty.kind for duty in found.duties} <= KINDS, licence


def test_obligations_of_the_declared_licence() -> None:
    llama = obligations("llama3.1")
    assert llama is not None and llama.name == "Llama 3.1 Community License"
    kinds = [duty.kind for duty in llama.duties]
    assert "naming" in kinds and "threshold" in kinds and "attribution" in kinds
    assert obligations("Apache-2.0") == obligations("apache-2.0")  # ids compare without case
    creativeml, openrail = obligations("creativeml-openrail-m"), obligations("openrail-m")
    assert creativeml is not None and openrail is not None and creativeml.duties == openrail.duties
    assert obligations("some-unknown-licence") is None and obligations(None) is None


def test_licence_page_lists_the_duties_or_says_why_not(repo: Repo) -> None:
    repo.commit("Card", {"README.md": "---\nlicense: cc-by-nc-4.0\n---\n# M\n"})
    page = render_pages(build_knowledge(BuildOptions(repo=repo.path, use_cache=False)))["licence.md"]
    assert "- [ ] **non-commercial:** Only non-commercial use is permitted." in page
    repo.commit("Relicence", {"README.md": "---\nlicense: other\n---\n# M\n"})
    page = render_pages(build_knowledge(BuildOptions(repo=repo.path, use_cache=False)))["licence.md"]
    assert "No licence identified, so there is no checklist" in page


def test_licence_statements_that_disagree_or_leave_gaps(repo: Repo, tmp_path: Path) -> None:
    writer = gguf.GGUFWriter(str(tmp_path / "m.gguf"), "llama")
    writer.add_license("mit")
    writer.add_tensor("w", np.zeros((4,), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    repo.commit("Model", {"README.md": "---\nlicense: apache-2.0\n---\n# M\n",
                          "m.gguf": (tmp_path / "m.gguf").read_bytes()})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    gates = {(f.where, f.gate): f.message for f in knowledge.findings if f.gate}
    assert gates[("m.gguf", "error")] == ("says the weights are under MIT, but README.md metadata (license) says "
                                          "Apache-2.0")
    assert "no licence file to read" in gates[("README.md", "warning")]
    repo.commit("Licence, undeclared", {"README.md": "---\ntags: [text-generation]\n---\n# M\n", "LICENSE": APACHE})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert any(f.gate == "warning" and "declares no `license:`" in f.message for f in knowledge.findings)
    # A GitHub README has no metadata: GitHub reads LICENSE, so nothing is missing (a false alarm on every
    # GitHub repository before).
    repo.commit("GitHub README", {"README.md": "# M\n"})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert not any("declares no `license:`" in f.message for f in knowledge.findings)
