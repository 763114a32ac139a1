"""Learning resources, papers and citations, the onboarding guide and the tools page, on a constructed repo."""

from __future__ import annotations

import json
from pathlib import Path

from generator.analysis.community.citations import read_cff
from generator.analysis.community.onboarding import contributing_disagreements, setup_and_test_commands
from generator.analysis.community.papers import find_papers
from generator.analysis.community.resources import curated_resources
from generator.analysis.community.tools import detect_tools
from generator.build import BuildOptions, build_knowledge
from generator.model.errors import Finding
from generator.render.pages import render_pages
from tests.gitrepo import Repo

README = """\
# Tiny

Built on [Llama 2: Open Foundation and Fine-Tuned Chat Models](https://arxiv.org/abs/2307.09288v3) and
attention ([arXiv](https://arxiv.org/pdf/1706.03762.pdf)); see also doi:10.1145/3442188.3445922.
The [guide](docs/guide.md) and a [missing page](docs/nope.md) and [a folder](docs/).

```python
# not a citation: arXiv:9999.99999
```

```bibtex
@article{vaswani2017attention,
  title={Attention Is All You Need},
  author={Vaswani, Ashish and others},
  journal={arXiv preprint arXiv:1706.03762},
  year={2017}
}
```

```bibtex
@misc{broken, title={unterminated
```
"""

CFF = """\
cff-version: 1.2.0
title: Tiny
authors:
  - given-names: Wei
    family-names: Zhang
  - affiliation: nobody
date-released: 2025-01-02
"""


def notebook(cells: list[dict[str, object]]) -> str:
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def learning_repo(repo: Repo) -> None:
    repo.commit("Docs and examples", {
        "README.md": README,
        "CITATION.cff": CFF,
        "docs/guide.md": "---\ntitle: x\n---\n# Getting started\n\nRead [the FAQ](faq.md#top).\n",
        "docs/faq.md": "## Questions\n",
        "notebooks/intro.ipynb": notebook([{"cell_type": "code", "source": ["print(1)"]},
                                           {"cell_type": "markdown", "source": ["# Intro to Tiny\n", "text"]}]),
        "notebooks/broken.ipynb": "{not json",
        "examples/run.py": '"""Run the model on one prompt.\n\nMore text."""\nprint("hi")\n',
    })


def test_discovery_papers_citation_and_their_problems(repo: Repo) -> None:
    learning_repo(repo)
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert knowledge.resources is not None
    items = {(item.kind, item.title, item.link, item.description) for item in knowledge.resources.items}
    assert items == {("doc", "Getting started", "docs/guide.md", ""), ("doc", "Questions", "docs/faq.md", ""),
                     ("notebook", "Intro to Tiny", "notebooks/intro.ipynb", ""),
                     ("example", "run.py", "examples/run.py", "Run the model on one prompt.")}
    papers = {paper.key: (paper.title, paper.cited_in) for paper in knowledge.resources.papers}
    assert papers == {
        "arxiv:2307.09288": ("Llama 2: Open Foundation and Fine-Tuned Chat Models", ["README.md:3"]),
        "arxiv:1706.03762": ("", ["README.md:4"]),  # the link says "arXiv": no title; code blocks do not count
        "doi:10.1145/3442188.3445922": ("", ["README.md:4"]),
    }
    found = {(f.where, f.message) for f in knowledge.findings}
    assert ("README.md:5", "links to docs/nope.md, which is not in the repository") in found
    assert not any("guide.md" in message or "docs/ " in message for _, message in found)
    assert not any(message.startswith("links to docs/,") for _, message in found)  # a folder that exists
    assert ("notebooks/broken.ipynb", "not a valid notebook (JSON with `cells`); left out of the resources") in found
    assert ("README.md:21", "a BibTeX entry does not parse; it is left out") in found
    assert ("CITATION.cff", "fails the Citation File Format schema: `message` is required") in found
    assert ("CITATION.cff:3", "fails the Citation File Format schema: author 2 has no name") in found
    assert knowledge.citation is not None and knowledge.citation.authors == [("Zhang", "Wei")]
    pages = render_pages(knowledge)
    learn = pages["learn/index.md"]
    assert "Zhang, W. &#40;2025&#41;. *Tiny*." in learn and "@software{tiny," in learn
    assert "[Attention Is All You Need](papers/arxiv-1706.03762.md)" in learn  # titled by the README's BibTeX
    paper = pages["learn/papers/arxiv-1706.03762.md"]
    assert "@article{vaswani2017attention," in paper and "Cited in:** README.md&#58;4\n" in paper
    assert "eprint = {2307.09288}" in pages["learn/papers/arxiv-2307.09288.md"]


def test_curated_resources_bad_entries_are_findings_with_lines() -> None:
    findings: list[Finding] = []
    text = ("- {title: Course, link: 'https://c.example', kind: course, level: beginner, topics: [a, b]}\n"
            "- {title: Again, link: 'HTTPS://C.EXAMPLE', kind: course}\n"
            "- {title: Odd, link: 'https://o.example', kind: podcast, level: expert}\n"
            "- {link: 'https://n.example'}\n"
            "- just a string\n")
    entries = curated_resources(text, "resources.yml", findings)
    assert [(e.title, e.kind, e.level, e.topics) for e in entries] == [
        ("Course", "course", "beginner", ("a", "b")), ("Odd", "other", "", ())]
    assert [(f.where, f.message.split(";")[0].split(" (")[0]) for f in findings] == [
        ("resources.yml:2", "duplicate of the entry on line 1"),
        ("resources.yml:3", "unknown kind 'podcast'"),
        ("resources.yml:3", "unknown level 'expert'"),
        ("resources.yml:4", "an entry needs a `title` and a `link`"),
        ("resources.yml:5", "an entry needs a `title` and a `link`"),
    ]
    broken: list[Finding] = []
    assert curated_resources("- title: a\n  link: [unclosed\n", "resources.yml", broken) == []
    assert broken[0].where == "resources.yml:3" and "not valid YAML" in broken[0].message
    assert read_cff("title: [unclosed", []) is None  # the card's citation facts report the YAML error


def test_arxiv_ids_in_urls_and_code() -> None:
    papers = find_papers("`arXiv:1111.11111` https://arxiv.org/abs/hep-th/9901001v2 [x](https://arxiv.org/html/2401.00001v1)",
                         "a.md")
    assert [paper.key for paper in papers] == ["arxiv:hep-th/9901001", "arxiv:2401.00001"]


def test_onboarding_guide_is_measured_from_history_and_files(repo: Repo) -> None:
    repo.commit("Initial commit", {
        "README.md": "# Tiny\n", "src/model.py": "x = 1\n",
        "Makefile": "lint:\n\truff check\ntest: lint\n\tpytest\n",
        "pyproject.toml": '[project]\nname = "tiny"\n[project.optional-dependencies]\ndev = ["pytest"]\n',
        ".github/workflows/ci.yml": "jobs:\n  test:\n    steps:\n      - run: pip install -e \".[dev]\"\n"
                                    "      - run: python -m pytest -x\n",
        ".github/CODEOWNERS": "* @tiny/maintainers\n/src/ owner@example.com @wei\n",
        "CONTRIBUTING.md": "Please use Rebase and merge for your pull requests.\n",
    }, author="Wei <wei@example.com>")
    for number in range(1, 7):
        repo.commit(f"Fix thing {number} (#{number})", {f"src/f{number}.py": "y = 2\n"},
                    author=f"Newcomer {number} <n{number}@example.com>")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    page = render_pages(knowledge)["onboarding.md"]
    assert "pip install -e &#34;.[dev]&#34;" not in page  # commands are shown verbatim
    assert ('2. **Install**, as the repository states it (.github/workflows/ci.yml&#58;4):\n\n'
            '        pip install -e ".[dev]"\n') in page  # an indented code block, with the line it comes from
    assert "3. **Run the tests**, as the repository states it (Makefile&#58;3):\n\n        make test\n" in page
    assert "Most are squash-merged (6 squash-merged" in page
    assert "| src | 7 | &#40;e-mail hidden&#41;, @wei |" in page  # the last matching CODEOWNERS rule wins
    assert "CONTRIBUTING.md asks for pull requests to be rebased onto the branch, but 6 of the last 6 were " \
           "squash-merged." in page
    assert "- src/f1.py (1)" in page
    assert "<summary>CONTRIBUTING.md</summary>" in page and "<p>Please use Rebase and merge" in page


def test_setup_commands_and_contributing_checks_from_text() -> None:
    setup, tests = setup_and_test_commands({"requirements.txt": "torch\n"}, {"uv.lock", "requirements.txt",
                                                                          "tests/test_a.py"})
    assert [(c.command, c.source, c.composed) for c in setup] == [("uv sync", "uv.lock", True)]
    assert tests == []  # a tests/ folder alone says nothing of how to run it
    assert contributing_disagreements("We follow Conventional Commits.", [("squash", 9)], "mixed") == [
        "asks for Conventional Commits, but the current commit style is 'mixed'"]
    assert contributing_disagreements("Squash your PRs.", [("squash", 9)], "conventional") == []


def test_tools_are_recognised_from_paths_and_mentions(tmp_path: Path) -> None:
    tools = detect_tools([".pre-commit-config.yaml", "model.safetensors", "tests/conftest.py"],
                         {"requirements.txt": "torchvision\nwandb>=0.16\n", ".gitattributes": "*.bin filter=lfs\n"})
    names = [(tool.name, tool.evidence) for tool in tools]
    assert names == [("pre-commit", ".pre-commit-config.yaml"), ("pytest", "tests/conftest.py"),
                     ("Git LFS", ".gitattributes mentions filter=lfs"), ("safetensors", "model.safetensors"),
                     ("Weights & Biases", "requirements.txt mentions wandb")]
    assert "PyTorch" not in [tool.name for tool in tools]  # torchvision is not torch


def test_python_packages_get_reference_pages_only_for_mkdocstrings(repo: Repo) -> None:
    from generator.build import python_packages

    assert python_packages(["tiny/__init__.py", "tiny/sub/__init__.py", "src/other/__init__.py",
                            "tests/__init__.py", "my-pkg/__init__.py", "setup.py"]) == [("other", "src"),
                                                                                         ("tiny", "")]
    repo.commit("Package", {"tiny/__init__.py": '"""Tiny."""\n', "README.md": "# Tiny\n"})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert "reference/tiny.md" not in render_pages(knowledge)
    page = render_pages(knowledge, api_reference=True)["reference/tiny.md"]
    assert "\n::: tiny\n" in page


def test_doc_builder_links_without_a_suffix_and_bare_addresses_are_not_broken_links() -> None:
    """peft's docs link `../package_reference/lora` (doc-builder style): 49 of its 50 "broken" links were
    pages that exist; DeepSeek-V2 links `service@deepseek.com` without mailto:, which is no file (and
    the finding printed the address)."""
    from generator.analysis.community.resources import broken_links

    paths = {"docs/source/package_reference/lora.md", "docs/source/quicktour.mdx", "docs/source/install.md"}
    folders = {"docs", "docs/source", "docs/source/package_reference"}
    text = ("See [LoRA](../package_reference/lora), [quick tour](../quicktour), [mail](service@deepseek.com)\n"
            "and [gone](../conceptual_guides/adapter.md), [gone too](../package_reference/glora).\n")
    found = [(f.where, f.message) for f in broken_links(text, "docs/source/guides/page.md", paths, folders)]
    assert found == [
        ("docs/source/guides/page.md:2", "links to ../conceptual_guides/adapter.md, which is not in the repository"),
        ("docs/source/guides/page.md:2", "links to ../package_reference/glora, which is not in the repository"),
    ]


def test_a_broken_link_names_the_file_it_most_likely_meant_or_says_it_is_malformed() -> None:
    """mistral-inference's README links ./LICENCE beside LICENSE; gpt-neox's README:730 wrote a Markdown
    link inside a link's address, which the finding quoted as a path."""
    from generator.analysis.community.resources import broken_links

    paths = {"LICENSE", "README.md", "post-training/online_training.md"}
    text = ("See the [LICENCE](./LICENCE) file.\n"
            "[Llemma]([https://arxiv.org/abs/2308.04014](https://arxiv.org/abs/2310.10631))\n"
            "[online](OnlineTraining.MD)\n")
    found = [(f.where, f.message) for f in broken_links(text, "README.md", paths, {"post-training"})]
    assert found == [
        ("README.md:1", "links to ./LICENCE, which is not in the repository (LICENSE is)"),
        ("README.md:2", "has a malformed link target ([https://arxiv.org/abs/2308.04014](https://arxiv.org/abs/2310."
                        "10631): a Markdown link written inside a link's address"),
        ("README.md:3", "links to OnlineTraining.MD, which is not in the repository"),
    ]


def test_contributing_is_held_only_to_what_it_says_about_merging() -> None:
    """"git rebase upstream/main" and "squash your commits" ask something of the contributor; only a
    statement of how pull requests are merged can contradict the history."""
    from generator.analysis.community.onboarding import contributing_disagreements

    squashed = [("squash", 164), ("merge", 4)]
    for text in ("Keep your branch current: git fetch upstream && git rebase upstream/main\n",
                 "Please squash your commits before asking for a review.\n",
                 "Avoid merge commits in your branch; rebase instead.\n"):
        assert contributing_disagreements(text, squashed, "") == [], text
    for text, style in (("Maintainers use Rebase and merge.", "rebased onto the branch"),
                        ("Pull requests are rebased onto main before landing.", "rebased onto the branch"),
                        ("We use merge commits to keep each PR's history.", "merged with a merge commit")):
        assert contributing_disagreements(text, squashed, "") == [
            f"asks for pull requests to be {style}, but 164 of the last 168 were squash-merged"], text
    assert contributing_disagreements("PRs are squashed when merged.", [("merge", 9)], "") == [
        "asks for pull requests to be squash-merged, but 9 of the last 9 were merged with a merge commit"]


def test_a_preprint_address_cites_the_doi_without_its_version_or_page() -> None:
    """bioRxiv writes ``…/10.1101/2023.01.01.123456v1.full.pdf``; the DOI is ``10.1101/2023.01.01.123456``
    (doi.org does not resolve the version), and one paper cited three ways is one paper."""
    text = ("[Protein LM](https://www.biorxiv.org/content/10.1101/2023.01.01.123456v1)\n"
            "PDF: https://www.biorxiv.org/content/10.1101/2023.01.01.123456v2.full.pdf\n"
            "Older: https://www.biorxiv.org/content/10.1101/622803v4 and ACM 10.1145/3442188.3445922\n")
    papers = {paper.key: paper.cited_in for paper in find_papers(text, "README.md")}
    assert papers == {"doi:10.1101/2023.01.01.123456": ["README.md:1", "README.md:2"],
                      "doi:10.1101/622803": ["README.md:3"], "doi:10.1145/3442188.3445922": ["README.md:3"]}
