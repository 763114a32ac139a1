"""The model card: sections found from facts and README headings (English or Chinese), never invented."""

from __future__ import annotations

from generator.analysis.models.card import NOT_STATED, build_card, readme_headings
from generator.build import BuildOptions, build_knowledge
from generator.model.provenance import Fact
from generator.render.pages import render_pages
from tests.gitrepo import Repo

README = """\
---
license: mit
datasets: [wikitext]
---
# Tiny

## 使用方法

```python
## not a heading: inside code
```

Load it with `transformers`: see [the docs](docs/x.md).

## Limitations

- It is tiny.
- It is **slow**.
"""


def test_sections_come_from_metadata_facts_and_headings() -> None:
    headings = readme_headings(README)
    # "使用方法" (how to use) has something under it but is not an intended-use statement
    assert [(h.text, h.where) for h in headings] == [("Tiny", "README.md:5"), ("使用方法", "README.md:7"),
                                                     ("Limitations", "README.md:15")]
    assert headings[1].excerpt == "Load it with transformers: see the docs."
    assert headings[1].code == "README.md:9" and headings[2].excerpt == "It is tiny. · It is slow."
    card = build_card({"license": "mit", "datasets": ["wikitext"]}, [Fact("Layers", "2", "config.json → n")],
                      headings)
    stated = {section.title: section.stated for section in card.sections}
    assert stated == {"Model details": True, "Intended use": False, "Training data": True, "Evaluation": False,
                      "Limitations and ethical considerations": True, "Licence": True, "How to cite": False,
                      "Deployment": False}
    assert card.missing == ["Intended use", "Evaluation", "How to cite", "Deployment"] and card.score == 60


def test_card_page_says_what_is_missing(repo: Repo) -> None:
    repo.commit("Card", {"README.md": README})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    pages = render_pages(knowledge)
    card = pages["card.md"]
    assert '!!! info "Card completeness: 40%"' in card  # no config here: no model details either
    assert "Not stated in the repository: Model details, Intended use, Evaluation, How to cite, Deployment." in card
    assert card.count("*Not stated in the repository.*") == 5 and NOT_STATED in card.lower()
    assert "[Model card](card.md):" in pages["index.md"]


def test_tags_for_search_and_the_tags_plugin() -> None:
    from types import SimpleNamespace

    from generator.analysis.models.card import card_tags

    def tags(metadata: dict, parameters: int | None = None) -> list[str]:
        return card_tags(SimpleNamespace(metadata=metadata, estimated_parameters=parameters))

    assert tags({"license": "apache-2.0", "pipeline_tag": "text-generation"}, 1_761_724_416) == [
        "licence: permissive", "size: 1–10B", "modality: text"]
    assert tags({"license": "cc-by-nc-4.0", "pipeline_tag": "image-text-to-text"}, 70_553_706_496) == [
        "licence: non-commercial", "size: 10–100B", "modality: multimodal"]
    assert tags({"license": "llama3.1"}) == ["licence: model-specific licence"]
    assert tags({}) == []


def test_each_model_folder_gets_its_own_card(repo: Repo) -> None:
    import json

    import numpy as np
    from safetensors.numpy import save

    config = {"architectures": ["LlamaForCausalLM"], "hidden_size": 16, "num_hidden_layers": 2,
              "num_attention_heads": 4, "intermediate_size": 40, "vocab_size": 50}
    repo.commit("Two models", {
        "README.md": README, "config.json": json.dumps(config),
        "draft/config.json": json.dumps({**config, "num_hidden_layers": 1}),
        "draft/README.md": "# Tiny draft\n\n## Intended use\n\nSpeculative decoding for Tiny.\n",
        "draft/model.safetensors": save({"w": np.zeros((3, 4), dtype=np.float16)}),
        "misc/old.safetensors": save({"w": np.zeros((2,), dtype=np.float16)}),
        "examples/config.json": '{"batch_size": 4}',  # not a model
    })
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert [model.folder for model in knowledge.models] == ["draft"]
    draft = knowledge.models[0]
    facts = {fact.label: fact for fact in draft.facts}
    assert facts["Layers"].source == "draft/config.json → num_hidden_layers" and facts["Layers"].value == "1"
    assert facts["Parameters (from weights)"].value == "12"
    assert "Parameters (from weights)" not in {fact.label for fact in knowledge.model_facts}  # not the root's
    assert any("misc/old.safetensors" in f.message for f in knowledge.findings)
    pages = render_pages(knowledge)
    assert "# Model card: Tiny draft" in pages["models/draft.md"]
    assert "**Intended use** <small>(draft/README.md&#58;3)</small>" in pages["models/draft.md"]
    assert "[Tiny draft](models/draft.md)" in pages["index.md"]


def test_card_diff_names_the_commit_behind_each_change(repo: Repo) -> None:
    import json

    config = {"architectures": ["LlamaForCausalLM"], "hidden_size": 16, "num_hidden_layers": 2,
              "num_attention_heads": 4, "intermediate_size": 40, "vocab_size": 50}
    repo.commit("First", {"README.md": README, "config.json": json.dumps(config)})
    repo.tag("v1.0.0")
    repo.commit("Unrelated", {"notes.txt": "x\n"})
    changed = repo.commit("Longer context", {"config.json": json.dumps({**config, "max_position_embeddings": 8192})})
    repo.tag("v1.1.0")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    card = render_pages(knowledge)["card.md"]
    line = next(line for line in card.splitlines() if "max&#95;position&#95;embeddings" in line)
    assert f"(commit `{changed[:8]}`)" in line


def _titles(markdown: str, path: str = "README.md") -> dict[str, list[str]]:
    card = build_card({}, [], readme_headings(markdown, path))
    return {section.title: [heading.text for heading in section.headings] for section in card.sections
            if section.headings}


def test_a_heading_states_a_section_only_when_it_means_it() -> None:
    said = "\n\nSomething is said here.\n\n"
    readme = said.join(["", "## Quickstart", "## Usage", "### Intel XPU (Intel Data Center and Arc A-Series GPUs)",
                        "## Supported Training Approaches", "## Data Preparation", "## 使用方法", "## 快速开始",
                        "## Easily fine-tune 100+ models ([deployment](https://x.y/fine-tuning-deployment))",
                        "## Model Card", "## Training", "## Bias, Risks, and Limitations", "## 2. Model Summary",
                        "## 🔥 评测结果", "# **Ethical Considerations and Limitations**", "## Intended Uses",
                        "## 训练数据", "### CPU 部署", "## 协议", "## 10. Citation", "## Hardware and Software", ""])
    assert _titles(readme) == {
        "Model details": ["2. Model Summary"], "Intended use": ["Intended Uses"], "Training data": ["训练数据"],
        "Evaluation": ["🔥 评测结果"],
        "Limitations and ethical considerations": ["Bias, Risks, and Limitations",
                                                   "Ethical Considerations and Limitations"],
        "Licence": ["协议"], "How to cite": ["10. Citation"], "Deployment": ["CPU 部署", "Hardware and Software"]}


def test_a_heading_with_nothing_under_it_is_not_published() -> None:
    readme = """\
## 2. Model Summary

---

## 4. Evaluation Results
### Base Model
#### Standard Benchmark

| Benchmark | Score |
|---|---|
| MMLU | 78.5 |

## Limitations

[More Information Needed]

## 10. Citation
```
@misc{x, title={X}}
```
## Training Data
<p align="center">
</p>
"""
    headings = readme_headings(readme)
    assert [h.text for h in headings] == ["4. Evaluation Results", "Base Model", "Standard Benchmark", "10. Citation"]
    card = build_card({}, [], headings)
    evaluation = next(s for s in card.sections if s.title == "Evaluation")
    assert [h.text for h in evaluation.headings] == ["4. Evaluation Results"]  # not its sub-headings again
    table = evaluation.headings[0].tables[0]
    assert (table.where, table.header, table.rows) == ("README.md:9", ("Benchmark", "Score"), (("MMLU", "78.5"),))
    assert card.missing == ["Model details", "Intended use", "Training data", "Limitations and ethical considerations",
                            "Licence", "Deployment"]


def test_tables_under_a_section_are_rendered_escaped(repo: Repo) -> None:
    readme = """\
# Tiny

## Inference Efficiency

| Quantization | Minimum GPU memory |
| --- | --- |
| FP16 | 13 GB <script>alert(1)</script> |
| INT8 | 8 GB \\| [x](javascript:alert(1)) |
INT4 | 6 GB
"""
    repo.commit("Card", {"README.md": readme})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    card = render_pages(knowledge)["card.md"]
    assert "- **Inference Efficiency** <small>(README.md&#58;3)</small>" in card
    assert "    <small>Table at README.md&#58;5</small>" in card
    assert "    | FP16 | 13 GB alert&#40;1&#41; |" in card  # HTML dropped, never rendered
    assert "    | INT8 | 8 GB &#124; &#91;x&#93;&#40;javascript&#58;alert&#40;1&#41;&#41; |" in card  # text, not a link
    assert "    | INT4 | 6 GB |" in card and "<script>" not in card and "javascript:" not in card

    from generator.export.cardexport import card_json, huggingface_card

    exported = huggingface_card(knowledge)
    assert "  Table at README.md:5:" in exported
    assert "  | INT8 | 8 GB \\| \\[x\\]\\(javascript:alert(1)) |" in exported  # escaped: no link, no cell
    assert '"header": [\n' in card_json(knowledge) and "<script>" not in exported


def test_model_card_file_with_level_one_headings_is_read(repo: Repo) -> None:
    repo.commit("Card", {"README.md": "# Tiny\n\nA model.\n\n## License\n\nMIT.\n",
                         "MODEL_CARD.md": "# **Model Details**\nTiny is a model.\n\n# **Intended Use**\n"
                                          "Research on tiny models.\n\n# **Training Data**\nWikitext.\n"})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert knowledge.card is not None
    where = {s.title: [h.where for h in s.headings] for s in knowledge.card.sections}
    assert where["Model details"] == ["MODEL_CARD.md:1"] and where["Intended use"] == ["MODEL_CARD.md:4"]
    assert where["Training data"] == ["MODEL_CARD.md:7"] and where["Licence"] == ["README.md:5"]
    assert "Intended use" not in knowledge.card.missing


def test_a_library_is_not_held_to_the_model_card_template() -> None:
    from types import SimpleNamespace

    from generator.export.check import run_checks

    headings = readme_headings("# Lib\n\n## Quickstart\n\npip install lib\n\n## License\n\nMIT.\n\n"
                               "## Evaluation\n\nLib evaluates models on MT-bench.\n\n## Citing 🤗 Lib\n\nCite us.\n")
    model = build_card({}, [], headings)
    library = build_card({}, [], headings, library=True)
    assert model.score == 30 and library.score is None and model.missing[0] == "Model details"
    assert [h.text for s in library.sections for h in s.headings] == ["License", "Citing 🤗 Lib"]
    headings = headings[:3]  # the title, Quickstart and License
    library = build_card({}, [], headings, library=True)
    assert library.missing == ["How to cite"] and [s.title for s in library.shown] == ["Licence", "How to cite"]
    built = SimpleNamespace(knowledge=SimpleNamespace(findings=[], card=library, models=[]), guide_findings=[])
    checks = run_checks(built)  # type: ignore[arg-type]
    assert [check.message for check in checks] == ["How to cite: not stated in the repository"]


def test_long_lines_of_a_stranger_s_readme_are_read_in_linear_time() -> None:
    import time

    spaces = " " * 100_000
    hostile = (f"## ({spaces}x\n\ntext\n\n## ![{'![' * 50_000}\n\ntext\n\n| a |\n|{'-- |' * 30_000}\n"
               f"| {'( ' * 50_000} |\n\n## x{spaces}and{spaces}y\n\n{'- ' * 50_000}x\n")
    start = time.monotonic()
    build_card({}, [], readme_headings(hostile))
    assert time.monotonic() - start < 5


def test_the_item_after_a_table_stays_a_list_item(repo: Repo) -> None:
    import markdown

    readme = "# Tiny\n\n## Inference Efficiency\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## Deployment\n\nRun it.\n"
    repo.commit("Card", {"README.md": readme})
    card = render_pages(build_knowledge(BuildOptions(repo=repo.path, use_cache=False)))["card.md"]
    html = markdown.markdown(card.split("---\n", 2)[2], extensions=["tables", "md_in_html"])
    assert "<td>1</td>" in html and "<strong>Deployment</strong>" in html and "<td>- " not in html
