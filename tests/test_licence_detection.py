"""Licence detection on real licence texts, as repositories mangle them, down to the exact version."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analysis.licences.match import identify
from generator.analysis.licences.scope import readme_statements
from generator.build import BuildOptions, build_knowledge
from tests.gitrepo import Repo

TEXTS = Path(__file__).parent / "data" / "licences"

#: LicenseDB key of each real text → the id Almanac must report (Hub-style, lower case).
EXPECTED = {
    "apache-2.0": "apache-2.0",
    "mit": "mit",
    "cc-by-nc-4.0": "cc-by-nc-4.0",
    "mulanpsl-2.0": "mulanpsl-2.0",
    "llama-2-license-2023": "llama2",
    "llama-3.1-license-2024": "llama3.1",
    "llama-3.2-license-2024": "llama3.2",
    "llama-3.3-license-2024": "llama3.3",
    "gemma-tou-2024-04-01": "gemma",
    "gemma-tou-2025-03-24": "gemma",
    "qwen-2024": "qwen",
    "tongyi-qianwen-2023": "tongyi-qianwen",
    "deepseek-la-1.0": "deepseek",
    "stable-diffusion-2022-08-22": "creativeml-openrail-m",
    "bigscience-open-rail-m": "bigscience-openrail-m",
    "bigscience-open-rail-m2": "openrail++",
    "bigcode-open-rail-m-v1": "bigcode-openrail-m",
    "falcon-2-11b-1.0": "falcon-2-11b",
    "openatom-model-1.0": "openatom-model-1.0",
}


def text(key: str) -> str:
    return (TEXTS / f"{key}.txt").read_text(encoding="utf-8")


def rewrapped(licence: str, width: int = 64) -> str:
    return "\n\n".join(textwrap.fill(" ".join(p.split()), width) for p in re.split(r"\n\s*\n", licence))


def as_markdown(licence: str) -> str:
    """What a README-minded maintainer does to a licence: a heading, bold terms, linked URLs, escapes."""
    out = []
    for index, paragraph in enumerate(re.split(r"\n\s*\n", licence)):
        paragraph = " ".join(paragraph.split())
        if index == 0:
            out.append(f"# {paragraph}")
            continue
        paragraph = re.sub(r"“([^”]+)”", r"“**\1**”", paragraph)
        paragraph = re.sub(r"(https?://[^\s),]+)", r"[\1](\1)", paragraph)
        out.append(re.sub(r"^(\d+)\. ", r"\1\\. ", paragraph))
    return "\n\n".join(out)


def with_copyright(licence: str) -> str:
    return "Copyright (c) 2025 Example Labs, Inc. 示例实验室. All rights reserved.\n\n" + rewrapped(licence, 72)


def only(licence: str) -> str | None:
    matches = identify(licence)
    assert len(matches) == 1, matches
    return matches[0].licence


@pytest.mark.parametrize("key", sorted(EXPECTED))
@pytest.mark.parametrize("mangle", [lambda t: t, rewrapped, as_markdown, with_copyright],
                         ids=["as published", "re-wrapped", "markdown", "copyright filled in"])
def test_real_texts_match_their_exact_id(key: str, mangle: object) -> None:
    assert callable(mangle)
    matches = identify(mangle(text(key)))
    assert [match.licence for match in matches] == [EXPECTED[key]]
    assert matches[0].confidence >= 0.95


def test_near_identical_versions_are_told_apart_by_their_clauses() -> None:
    # The Llama 3.x agreements share 96–99% of their words; only the version and its date differ.
    versions = {key: identify(text(key))[0] for key in
                ("llama-3.1-license-2024", "llama-3.2-license-2024", "llama-3.3-license-2024")}
    assert [match.licence for match in versions.values()] == ["llama3.1", "llama3.2", "llama3.3"]
    assert {match.spdx for match in versions.values()} == {
        "LicenseRef-llama3.1", "LicenseRef-llama3.2", "LicenseRef-llama3.3"}
    gemma = [identify(text(key))[0].name for key in ("gemma-tou-2024-04-01", "gemma-tou-2025-03-24")]
    assert gemma == ["Gemma Terms of Use (April 1, 2024)", "Gemma Terms of Use (March 24, 2025)"]


def test_a_version_without_its_distinguishing_clause_is_a_near_match_not_a_guess() -> None:
    undated = text("llama-3.2-license-2024").replace("Llama 3.2 Version Release Date: September 25, 2024", "")
    (match,) = identify(undated)
    assert match.licence is None and match.spdx == "NOASSERTION"
    assert match.nearest == "Llama 3.2 Community License Agreement" and match.confidence > 0.95
    assert match.differs == ("Llama 3.2 Version Release Date: September 25, 2024",)


def test_clauses_of_two_versions_in_one_text_are_not_resolved_by_closeness() -> None:
    stitched = text("llama-3.2-license-2024") + "\nLlama 3.1 Version Release Date: July 23, 2024\n"
    (match,) = identify(stitched)
    assert match.licence is None and match.differs and "distinguishing clauses of" in match.differs[0]


def test_half_a_licence_and_prose_are_unknown() -> None:
    llama = text("llama-3.1-license-2024")
    assert only(llama[: len(llama) // 3]) is None
    assert only("This model is licensed under the Apache License 2.0. See LICENSE.") is None
    assert only("Lizenz: Alle Rechte vorbehalten. Nutzung nur mit schriftlicher Genehmigung. " * 40) is None
    assert only("") is None


def test_each_language_of_a_bilingual_licence_is_matched_on_its_own() -> None:
    lines = text("mulanpsl-2.0").splitlines()
    english_from = next(n for n, line in enumerate(lines) if line.startswith("Mulan Permissive Software License"))
    chinese, english = "\n".join(lines[:english_from]), "\n".join(lines[english_from:])
    assert [(m.licence, m.language) for m in identify(chinese)] == [("mulanpsl-2.0", "zh")]
    assert [(m.licence, m.language) for m in identify(english)] == [("mulanpsl-2.0", "en")]
    assert [(m.licence, m.language) for m in identify(text("openatom-model-1.0"))] == [("openatom-model-1.0", "zh+en")]
    # A Chinese text Almanac has no fingerprint for, beside a known English licence, is reported apart.
    sentence = "本条款的中文译文仅供参考，以英文版本为准，译者对其准确性不作任何保证。"
    translated = "\n".join(f"第{n}条 {sentence}" for n in range(60))
    matches = identify(translated + "\n\n" + text("apache-2.0"))
    assert [(m.licence, m.language) for m in matches] == [("apache-2.0", "en"), (None, "zh")]


def test_two_licences_in_one_file_are_both_reported_in_order() -> None:
    matches = identify(text("apache-2.0") + "\n\n---\n\n" + text("llama-3.1-license-2024"))
    assert [match.licence for match in matches] == ["apache-2.0", "llama3.1"]


@settings(max_examples=25, deadline=None)
@given(key=st.sampled_from(sorted(EXPECTED)), width=st.integers(min_value=24, max_value=140),
       indent=st.sampled_from(["", "  ", "> "]))
def test_layout_never_changes_the_answer(key: str, width: int, indent: str) -> None:
    wrapped = textwrap.indent(rewrapped(text(key), width), indent)
    assert [match.licence for match in identify(wrapped)] == [EXPECTED[key]]


def test_readme_statements_name_the_scope_and_the_licence() -> None:
    readme = (
        "# Model\n\nThe code in this repository is released under the Apache 2.0 license, and the model weights "
        "are licensed under the Llama 3.1 Community License.\nOur dataset is available under CC BY-NC 4.0.\n"
        "本项目代码遵循 Apache-2.0 协议，模型权重遵循《通义千问许可协议》。\n"
        "Licensed under the Apache License, Version 2.0 (the \"License\").\n"
    )
    found = [(s.scope, s.licence, s.source) for s in readme_statements(readme, "README.md")]
    assert found == [
        ("code", "apache-2.0", "README.md:3"), ("weights", "llama3.1", "README.md:3"),
        ("data", "cc-by-nc-4.0", "README.md:4"),
        ("code", "apache-2.0", "README.md:5"), ("weights", "tongyi-qianwen", "README.md:5"),
    ]


def test_mixed_licence_repository_has_the_right_scope(repo: Repo) -> None:
    repo.commit("Model", {
        "LICENSE-CODE": text("apache-2.0"),
        "MODEL_LICENSE": as_markdown(text("llama-3.1-license-2024")),
        "README.md": "---\nlicense: llama3.1\n---\n# M\n\nThe evaluation dataset is released under CC BY-NC 4.0.\n",
    })
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    files = {file.path: (file.scope, [m.licence for m in file.matches]) for file in knowledge.licences}
    assert files == {"LICENSE-CODE": ("code", ["apache-2.0"]), "MODEL_LICENSE": ("weights", ["llama3.1"])}
    scope = knowledge.licence_scope
    assert scope is not None
    assert [scope.expression(part) for part in ("code", "weights", "data")] == [
        "Apache-2.0", "LicenseRef-llama3.1", "CC-BY-NC-4.0"]
    assert scope.whole == "Apache-2.0 AND LicenseRef-llama3.1 AND CC-BY-NC-4.0"
    assert not [f for f in knowledge.findings if f.gate == "error"]

    repo.commit("Say it differently", {"README.md": "---\nlicense: apache-2.0\n---\n# M\n\n"
                                                    "代码遵循 MIT 协议。\n"})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    errors = sorted((f.where, f.message) for f in knowledge.findings if f.gate == "error")
    assert errors == [
        ("README.md metadata (license)", "says the weights are under Apache-2.0, but MODEL_LICENSE holds "
                                         "LicenseRef-llama3.1"),
        ("README.md:6", "says the code are under MIT, but LICENSE-CODE holds Apache-2.0"),
    ]


def test_licence_files_that_cannot_be_read_are_findings_not_guesses(repo: Repo) -> None:
    repo.write("LICENSES/Apache-2.0.txt", text("apache-2.0"))
    (repo.path / "LICENSE").symlink_to("LICENSES/Apache-2.0.txt")
    (repo.path / "COPYING").symlink_to("../outside/COPYING")
    repo.commit("Licences", {
        "NOTICE": "",
        "LICENSE-MODEL.pdf": b"%PDF-1.7\n\x00\x01binary",
        "LICENSES/MIT.txt": text("apache-2.0"),
        "LICENSE-DATA": "Our data licence: be nice.\n" * 3,
        "README.md": "---\nlicense: apache-2.0\n---\n# M\n",
    })
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    files = {file.path: (file.scope, [m.licence for m in file.matches], file.note) for file in knowledge.licences}
    assert files["LICENSE"] == ("everything else", ["apache-2.0"], "symlink to LICENSES/Apache-2.0.txt")
    assert files["COPYING"][2] == "symlink to ../outside/COPYING, not in the repository"
    assert files["LICENSE-MODEL.pdf"] == ("weights", [], "not text")
    assert files["NOTICE"] == ("notice", [], "empty")
    assert files["LICENSE-DATA"] == ("data", [None], "")
    found = {(f.where, f.gate): f.message for f in knowledge.findings if f.where in files}
    assert found[("LICENSES/MIT.txt", "error")] == "is named MIT but holds Apache-2.0"
    assert found[("LICENSE-DATA", "warning")].startswith("text that is no licence Almanac knows")
    assert found[("LICENSE-MODEL.pdf", "warning")].startswith("is not a text file")
    assert found[("COPYING", "warning")].startswith("is a symlink to ../outside/COPYING")
    assert found[("NOTICE", "warning")] == "is empty"
    assert all(f.level == "info" for f in knowledge.findings if f.where in files)  # a site build does not fail


def test_notice_file_collects_what_the_licences_ask(repo: Repo, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli.commands import main

    repo.commit("Model", {
        "LICENSE-CODE": "Copyright 2025 Example Labs <ops@example.com>\n\n" + text("apache-2.0"),
        "MODEL_LICENSE": text("llama-3.1-license-2024"),
        "NOTICE": "Example Model\nThis product includes software developed at Example Labs.\n",
        "README.md": "---\nlicense: llama3.1\n---\n# Example Model\n",
    })
    assert main(["notice", "--repo", str(repo.path)]) == 0
    assert capsys.readouterr().out == (
        "Example Model\n"
        "Generated by Almanac from the repository's licence files; edit those, not this file.\n"
        "\n"
        "Example Model is distributed under these licences:\n"
        "  code: Apache-2.0 (LICENSE-CODE)\n"
        "  weights: LicenseRef-llama3.1 (MODEL_LICENSE)\n"
        "\n"
        "Copyright notices of the licence files:\n"
        "  Copyright 2025 Example Labs\n"
        "\n"
        "Notices the licences require in a \"Notice\" text file:\n"
        "  Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright © Meta Platforms, Inc. "
        "All Rights Reserved.\n"
        "\n"
        "Attribution and naming the licences ask of products built with the model:\n"
        "  Apache License 2.0: Keep all copyright, patent, trademark and attribution notices of the source.\n"
        "  Llama 3.1 Community License: Display \"Built with Llama\" prominently on a related website, interface, "
        "blog post or documentation.\n"
        "  Llama 3.1 Community License: An AI model created or improved with it that you distribute must have a "
        "name beginning with \"Llama\".\n"
        "\n"
        "Attribution notices of NOTICE, which derivative works must carry (Apache-2.0, 4(d)):\n"
        "  Example Model\n"
        "  This product includes software developed at Example Labs.\n"
    )
    # The hand-written NOTICE is never overwritten; a generated one is rewritten in place.
    assert main(["notice", "--repo", str(repo.path), "-o", str(repo.path / "NOTICE")]) == 2
    assert (repo.path / "NOTICE").read_text(encoding="utf-8").startswith("Example Model\nThis product")
    generated = tmp_path / "NOTICE"
    assert main(["notice", "--repo", str(repo.path), "-o", str(generated)]) == 0
    assert main(["notice", "--repo", str(repo.path), "-o", str(generated)]) == 0
    assert "Built with Llama" in generated.read_text(encoding="utf-8")


def test_timeline_names_the_licences_of_a_relicensing(repo: Repo) -> None:
    from generator.analysis.licences.timeline import licence_timeline

    repo.commit("Weights under Llama 3.1", {"MODEL_LICENSE": text("llama-3.1-license-2024")})
    moved = repo.commit("Move to Llama 3.2", {"MODEL_LICENSE": rewrapped(text("llama-3.2-license-2024"))})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    changes = {event.sha: event.change for event in licence_timeline(knowledge)}
    assert changes[moved] == "relicensed from LicenseRef-llama3.1 to LicenseRef-llama3.2"


def _cache_card(repo_id: str, card: str) -> Path:
    """A model card where huggingface_hub's download cache keeps it (refs/main → snapshots/<rev>/)."""
    root = Path(os.environ["HF_HUB_CACHE"]) / f"models--{repo_id.replace('/', '--')}"
    (root / "refs").mkdir(parents=True, exist_ok=True)
    (root / "refs" / "main").write_text("0123456789abcdef0123456789abcdef01234567", encoding="utf-8")
    path = root / "snapshots" / "0123456789abcdef0123456789abcdef01234567" / "README.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(card, encoding="utf-8")
    return path


def test_a_derivative_keeps_its_base_models_licence_and_naming_rule(repo: Repo) -> None:
    from huggingface_hub import try_to_load_from_cache

    cached = _cache_card("meta-llama/Llama-3.1-8B", "---\nlicense: llama3.1\n---\n# Llama 3.1 8B\n")
    assert try_to_load_from_cache("meta-llama/Llama-3.1-8B", "README.md", cache_dir=os.environ["HF_HUB_CACHE"]) \
        == str(cached)  # the layout huggingface_hub itself reads
    repo.commit("Fine-tune", {"README.md": "---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\n---\n"
                                           "# Lumen-8B\n"})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    found = sorted((f.gate, f.message) for f in knowledge.findings
                   if f.where == "README.md" and ("base model" in f.message or "derived from" in f.message))
    assert found == [
        ("error", f"declares Apache-2.0, but its base model meta-llama/Llama-3.1-8B is under LicenseRef-llama3.1 "
                  f"({cached}), whose terms bind derivatives"),
        ("warning", "the model is derived from meta-llama/Llama-3.1-8B (LicenseRef-llama3.1), which asks that a "
                    "derived model's name begin with “Llama”; it is called “Lumen-8B”"),
    ]
    repo.commit("Comply", {"README.md": "---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n"
                                        "# Llama-3.1-Lumen-8B\n"})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert not [f for f in knowledge.findings if "base model" in f.message or "derived from" in f.message]


def test_a_base_model_in_a_folder_of_the_repository(repo: Repo) -> None:
    repo.commit("Two models", {
        "base/config.json": '{"model_type": "llama"}',
        "base/README.md": "---\nlicense: gemma\n---\n# Base\n",
        "README.md": "---\nlicense: mit\nbase_model: ./base\n---\n# Tuned\n",
    })
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert [(f.gate, f.message) for f in knowledge.findings if "base model" in f.message] == [
        ("error", "declares MIT, but its base model ./base is under LicenseRef-gemma (base/README.md), "
                  "whose terms bind derivatives")]


def test_licence_file_names_and_not_code_named_like_them() -> None:
    from generator.sources.files.filekinds import LICENCE, file_kind

    for path in ("LICENSE", "LICENCE.md", "COPYING", "MODEL_LICENSE", "LICENSE-CODE", "USE_POLICY.md", "NOTICE",
                 "LICENSES/Apache-2.0.txt", "draft/LICENSE", "vendor/lib/LICENSES/MIT.txt", "licenses/MIT.txt"):
        assert file_kind(path) == LICENCE, path
    for path in ("src/license.py", "license_check.py", "licenses.json", "notice.ts", "LICENSES"):
        assert file_kind(path) != LICENCE, path


def test_a_licence_text_is_matched_once_then_read_from_the_cache(repo: Repo, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.analysis.licences.files as licencefiles

    repo.commit("Licence", {"LICENSE": text("llama-3.2-license-2024"), "README.md": "# M\n"})
    options = BuildOptions(repo=repo.path, cache_dir=tmp_path / "cache")
    first = build_knowledge(options)
    monkeypatch.setattr(licencefiles, "identify", lambda text: pytest.fail("matched again"))
    again = build_knowledge(options)
    assert [f.matches for f in again.licences] == [f.matches for f in first.licences]
    assert again.licences[0].matches[0].licence == "llama3.2"


def _bundled_licence() -> str:
    """A training library's LICENSE as gpt-neox writes it: its own licence, then third-party ones."""
    bsd = ("Redistribution and use in source and binary forms, with or without modification, are permitted "
           "provided that the following conditions are met:\n"
           "  * Redistributions of source code must retain the above copyright notice, this list of conditions "
           "and the following disclaimer.\n"
           "  * Redistributions in binary form must reproduce the above copyright notice, this list of conditions "
           "and the following disclaimer in the documentation and/or other materials provided with the "
           "distribution.\n"
           "  * Neither the name of NVIDIA CORPORATION nor the names of its contributors may be used to endorse "
           "or promote products derived from this software without specific prior written permission.\n\n"
           "THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS ``AS IS'' AND ANY EXPRESS OR IMPLIED WARRANTIES, "
           "INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR "
           "PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT OWNER OR CONTRIBUTORS BE LIABLE FOR ANY "
           "DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT "
           "LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS "
           "INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, "
           "OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN "
           "IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.\n")
    mit = "MIT License\n\nCopyright (c) Facebook, Inc. and its affiliates.\n\n" + text("mit")
    return (text("apache-2.0") + "\n--\n\nThis repository also contains code from Hugging Face Inc. and Facebook. "
            "Files from these organizations have notices at the top of each file.\n\n"
            "------------- LICENSE FOR NVIDIA code  --------------\n\n"
            "# Copyright (c) 2025, NVIDIA CORPORATION. All rights reserved.\n\n" + bsd +
            "\n------------- LICENSE FOR Facebook Fairseq code --------------\n\n" + mit)


def test_bundled_third_party_licences_cover_what_they_name_not_the_repository(
        repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli.commands import main
    from generator.render.pages import render_pages

    licence = _bundled_licence()
    repo.commit("Library", {"LICENSE": licence, "README.md": "# Trainer\n\nA training library.\n"})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    scope = knowledge.licence_scope
    assert scope is not None
    # The code is under the repository's own licence; there are no weights, so no weights row.
    assert scope.covered == {"code": ("apache-2.0",)}
    nvidia = licence[:licence.index("------------- LICENSE FOR NVIDIA")].count("\n") + 1
    fairseq = licence[:licence.index("------------- LICENSE FOR Facebook")].count("\n") + 1
    assert [(t.covers, t.expression, t.where) for t in scope.third_party] == [
        ("NVIDIA code", "BSD-3-Clause", f"LICENSE:{nvidia}"), ("Facebook Fairseq code", "MIT", f"LICENSE:{fairseq}")]
    assert scope.whole == "Apache-2.0 AND BSD-3-Clause AND MIT"
    assert [f.message for f in knowledge.findings if f.where == "LICENSE"] == [
        f"holds its own licence (Apache-2.0) and bundled third-party licences that cover only what they "
        f"name: NVIDIA code (BSD-3-Clause, line {nvidia}); Facebook Fairseq code (MIT, line {fairseq})"]
    assert main(["notice", "--repo", str(repo.path)]) == 0
    notice = capsys.readouterr().out
    assert "  code: Apache-2.0 (LICENSE)\n" in notice and "weights" not in notice
    assert "  third-party, NVIDIA code: BSD-3-Clause (LICENSE:" in notice
    assert ("Copyright notices of the licence files:\n"
            "  Copyright (c) 2025, NVIDIA CORPORATION. All rights reserved.\n"
            "  Copyright (c) Facebook, Inc. and its affiliates.\n\n") in notice
    page = render_pages(knowledge)["licence.md"]
    assert page.count("| LICENSE | everything else |") == 1  # one row for the file, its licences in it
    assert "| Weights |" not in page and "| Code | Apache-2.0 | LICENSE |" in page


def test_a_plain_licence_covers_weights_only_where_the_repository_has_them(repo: Repo) -> None:
    from generator.analysis.licences.scope import weights_evidence

    library = ("# Tuner\n\nWorks with [a](https://huggingface.co/meta-llama/Llama-2-7b-hf), "
               "[b](https://huggingface.co/openai/whisper-large-v2) and [c](https://huggingface.co/docs/hub).\n")
    assert weights_evidence(["src/tuner.py", "LICENSE"], {"README.md": library}) == ""
    model = ("# Chat\n\n| 7B | [x](https://huggingface.co/acme/chat-7b) |\n| 13B | [y](https://huggingface.co/acme/"
             "chat-13b) |\nBuilt on [z](https://huggingface.co/meta-llama/Llama-2-7b-hf).\n")
    assert weights_evidence(["LICENSE"], {"README.md": model}) == "links to its model pages (README.md:3)"
    assert weights_evidence(["download.sh", "LICENSE"], {}) == "download script download.sh"
    assert weights_evidence(["model-00001-of-00002.safetensors"], {}).startswith("weights files: ")

    # An Apache-2.0 LICENSE beside weights hosted elsewhere covers the code; the README names the weights'.
    repo.commit("Model repo", {
        "LICENSE": text("apache-2.0"),
        "README.md": model + "\nThe source code is licensed under the Apache 2.0 License.\n\n"
                     "- Chat-13B and Chat-7B are licensed under the Tongyi Qianwen LICENSE AGREEMENT.\n"
                     "- Chat-1.8B is licensed under the Tongyi Qianwen RESEARCH LICENSE AGREEMENT.\n\n"
                     "DashScope is the large language model API service provided by Alibaba Cloud, which now "
                     "supports Qwen.\n",
    })
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    scope = knowledge.licence_scope
    assert scope is not None
    assert scope.covered == {"code": ("apache-2.0",), "weights": ("tongyi-qianwen", "tongyi-qianwen-research")}
    assert scope.decided_by["weights"] == ("README.md:9", "README.md:10")
    assert not [f for f in knowledge.findings if f.gate == "error"]

    # Without a README statement the weights are "not stated", never the code's licence.
    repo.commit("No statement", {"README.md": model})
    scope = build_knowledge(BuildOptions(repo=repo.path, use_cache=False)).licence_scope
    assert scope is not None and scope.covered == {"code": ("apache-2.0",)} and scope.weights_not_stated


def test_a_licence_of_its_own_in_two_languages_is_reported_once_by_its_title(repo: Repo) -> None:
    from generator.render.pages import render_pages

    chinese = "“许可方”是指分发其软件的 Example-6B 模型团队。本许可的条款适用于模型参数。\n"
    custom = ("The Example-6B License\n\n1. 定义\n\n" + chinese * 12
              + "\n2. License Grant\n\n" + "Subject to the terms of this License, the Licensor grants you a "
              "non-exclusive, revocable, royalty-free copyright license to use the Software for research.\n" * 12)
    repo.commit("Model", {"MODEL_LICENSE": custom, "README.md": "# Example-6B\n"})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert [f.message for f in knowledge.findings if f.where == "MODEL_LICENSE"] == [
        "“The Example-6B License”, a licence of its own (Chinese and English text) that Almanac does not know: "
        "read it yourself"]
    page = render_pages(knowledge)["licence.md"]
    assert "| Weights | NOASSERTION: “The Example-6B License”, a licence of its own | MODEL&#95;LICENSE |" in page
    assert page.count("| MODEL&#95;LICENSE | weights |") == 1
