"""The model card: sections found from facts and README headings (English or Chinese), never invented."""

from __future__ import annotations

from generator.card import NOT_STATED, build_card, readme_headings
from generator.knowledge import BuildOptions, build_knowledge
from generator.model import Fact
from generator.pages import render_pages
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
    assert [(h.text, h.where) for h in headings] == [("使用方法", "README.md:7"), ("Limitations", "README.md:15")]
    assert headings[0].excerpt == "" and headings[1].excerpt == "It is tiny. · It is slow."
    card = build_card({"license": "mit", "datasets": ["wikitext"]}, [Fact("Layers", "2", "config.json → n")],
                      headings)
    stated = {section.title: section.stated for section in card.sections}
    assert stated == {"Model details": True, "Intended use": True, "Training data": True, "Evaluation": False,
                      "Limitations and ethical considerations": True, "Licence": True, "How to cite": False,
                      "Deployment": False}
    assert card.missing == ["Evaluation", "How to cite", "Deployment"] and card.score == 75  # 100 - 15 - 5 - 5


def test_card_page_says_what_is_missing(repo: Repo) -> None:
    repo.commit("Card", {"README.md": README})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    pages = render_pages(knowledge)
    card = pages["card.md"]
    assert '!!! info "Card completeness: 55%"' in card  # no config here: no model details either
    assert "Not stated in the repository: Model details, Evaluation, How to cite, Deployment." in card
    assert card.count("*Not stated in the repository.*") == 4 and NOT_STATED in card.lower()
    assert "[Model card](card.md):" in pages["index.md"]


def test_tags_for_search_and_the_tags_plugin() -> None:
    from types import SimpleNamespace

    from generator.card import card_tags

    def tags(metadata: dict, parameters: str | None = None) -> list[str]:
        facts = [Fact("Parameters (estimated from the config)", parameters, "config.json")] if parameters else []
        return card_tags(SimpleNamespace(metadata=metadata, model_facts=facts))

    assert tags({"license": "apache-2.0", "pipeline_tag": "text-generation"}, "1,761,724,416 (1.8 B)") == [
        "licence: permissive", "size: 1–10B", "modality: text"]
    assert tags({"license": "cc-by-nc-4.0", "pipeline_tag": "image-text-to-text"}, "70,553,706,496 (70.6 B)") == [
        "licence: non-commercial", "size: 10–100B", "modality: multimodal"]
    assert tags({"license": "llama3.1"}) == ["licence: model-specific licence"]
    assert tags({}) == []
