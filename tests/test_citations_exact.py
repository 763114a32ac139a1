"""Papers, citations, descriptions and notebook titles state only what the repository states (issue 19).

Each case is a line of a real README or notebook (named in the comment) cut to what it shows.
"""

from __future__ import annotations

import json

from generator.analysis.community.citations import readme_bibtex, resolve_titles
from generator.analysis.community.papers import find_papers
from generator.analysis.community.resources import _notebook_title
from generator.analysis.models.facts import title_and_description
from generator.build import BuildOptions, build_knowledge
from generator.render.pages import render_pages
from tests.gitrepo import Repo


def titles(text: str) -> dict[str, str]:
    return {paper.key: paper.title for paper in find_papers(text, "README.md")}


def test_a_link_text_is_a_title_only_when_it_reads_as_one() -> None:
    text = (
        "[in the paper](https://arxiv.org/abs/2304.01373)\n"  # gpt-neox README.md:569
        "[report](https://arxiv.org/abs/2403.04132)\n"  # FastChat README.md:13
        "[GPT-Q](https://arxiv.org/abs/2210.17323) [MQA](https://arxiv.org/abs/1911.02151)\n"
        "[Multi-Query Attention](http://arxiv.org/abs/1911.02150)\n"  # ChatGLM2-6B README.md:40
        "[the Pile](https://arxiv.org/abs/2101.00027) [DPO training](https://arxiv.org/abs/2305.18290)\n"
        "[KappaTune paper](https://arxiv.org/abs/2506.16289) [PSLM (7B)](https://arxiv.org/abs/2406.12428)\n"
        "[MiSS (Matrix Shard Sharing)](https://arxiv.org/abs/2409.15371) [here](https://arxiv.org/abs/2001.08361)\n"
        "[2307.09288](https://arxiv.org/abs/2307.09288v2)\n"
        "[Pythia: A suite for analyzing large language models](https://arxiv.org/abs/2304.01373)\n"
        "[Qwen Technical Report](https://arxiv.org/abs/2309.16609)\n"
        "[Emergent and predictable memorization in large language models.](https://arxiv.org/abs/2304.11158)\n"
        "[A Systematic Evaluation of Large Language Models of Code](https://arxiv.org/abs/2202.13169)\n"
    )
    assert titles(text) == {
        "arxiv:2304.01373": "Pythia: A suite for analyzing large language models",  # the first that reads as one
        "arxiv:2403.04132": "", "arxiv:2210.17323": "", "arxiv:1911.02151": "", "arxiv:1911.02150": "",
        "arxiv:2101.00027": "", "arxiv:2305.18290": "", "arxiv:2506.16289": "", "arxiv:2406.12428": "",
        "arxiv:2409.15371": "", "arxiv:2001.08361": "",
        "arxiv:2307.09288": "",  # the id (and its version suffix, dropped from the key) is never a title
        "arxiv:2309.16609": "Qwen Technical Report",
        "arxiv:2304.11158": "Emergent and predictable memorization in large language models",
        "arxiv:2202.13169": "A Systematic Evaluation of Large Language Models of Code",
    }


def test_the_repository_bibtex_title_wins_over_the_link_text_and_matches_whole_ids() -> None:
    readme = (
        "Details in [GPT-NeoX-20B](https://arxiv.org/abs/2204.06745v1) and [LoRA](https://arxiv.org/abs/2106.09685).\n"
        "See [Llama](https://arxiv.org/abs/2302.1397) and 10.1145/ABC.1 and 10.1145/abc.12.\n\n"
        "```bibtex\n@inproceedings{gpt-neox-20b,\n  title={{GPT-NeoX-20B}: An Open-Source Autoregressive"
        " Language Model},\n  url={https://arxiv.org/abs/2204.06745}\n}\n```\n\n"
        "```\n@misc{other,\n  title={Not Llama},\n  eprint={2302.13971}\n}\n```\n\n"
        "```bibtex\n@article{acm,\n  title={Stochastic Parrots \\& Co},\n  doi={https://doi.org/10.1145/abc.1}\n}\n```\n"
    )
    papers = find_papers(readme, "README.md")
    resolve_titles(papers, readme_bibtex(readme, "README.md", []))
    assert {paper.key: paper.title for paper in papers} == {
        "arxiv:2204.06745": "GPT-NeoX-20B: An Open-Source Autoregressive Language Model",
        "arxiv:2106.09685": "",
        "arxiv:2302.1397": "",  # 2302.1397 is not 2302.13971
        "doi:10.1145/abc.1": "Stochastic Parrots & Co",
        "doi:10.1145/abc.12": "",
    }


README = """\
# Tiny

*Read this in [English](README_EN.md)*

## GLM-4 开源模型和API

我们已经发布最新的 GLM-4 模型，该模型在多个指标上有了新的突破，您可以在以下两个渠道体验我们的最新模型。

## 介绍

Tiny 是开源中英双语对话模型 [ChatGLM-6B](https://github.com/THUDM/ChatGLM-6B) 的第二代版本，引入了如下新特性：

The [Multi-Query Attention](http://arxiv.org/abs/1911.02150) design and [the paper](https://arxiv.org/abs/2406.12793).

## Citation

```
@misc{glm2024chatglm,
      title={ChatGLM: A Family of Large Language Models from GLM-130B to GLM-4 All Tools},
      year={2024},
      eprint={2406.12793},
      archivePrefix={arXiv}
}
```
"""


def test_untitled_papers_say_so_and_the_readme_bibtex_is_how_to_cite(repo: Repo) -> None:
    repo.commit("A model", {"README.md": README, "docs/use.md": "# Use\n"})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert knowledge.description.startswith("Tiny 是开源中英双语对话模型 ChatGLM-6B 的第二代版本")
    pages = render_pages(knowledge)
    learn = pages["learn/index.md"]
    assert "## How to cite Tiny" in learn and "@misc{glm2024chatglm," in learn
    assert ("*ChatGLM&#58; A Family of Large Language Models from GLM-130B to GLM-4 All Tools*, as the README asks"
            " to be cited (README.md&#58;18)") in learn
    assert "[*title not stated*](papers/arxiv-1911.02150.md)" in learn  # not "Multi-Query Attention"
    assert "[1911.02150]" not in learn and "[Multi-Query Attention]" not in learn
    assert "[ChatGLM&#58; A Family of Large Language Models" in learn  # titled by the README's own entry
    paper = pages["learn/papers/arxiv-1911.02150.md"]
    assert paper.startswith("# arXiv 1911.02150 (title not stated)\n")
    assert "title =" not in paper and "eprint = {1911.02150}" in paper  # Almanac's @misc invents no title


def test_description_skips_language_switches_alerts_news_and_invitations() -> None:
    qwen = ("<p align=\"left\">\n<a href=\"README_CN.md\">中文</a> ｜ English\n</p>\n\n"
            "> [!Important]\n> Qwen2 is here! You are welcome to follow QwenLM/Qwen2 there.\n\n"
            "|  | Qwen-Chat |\n|---|---|\n| 7B | 🤗 |\n\n"
            "We opensource our **Qwen** series, now including **Qwen**, the base language models.\n")
    assert title_and_description(qwen) == ("", "We opensource our Qwen series, now including Qwen, the base "
                                               "language models.")
    factory = ("![# LlamaFactory](assets/logo.png)\n\n### Check our new open-source project\n\n"
               "Follow our project: https://github.com/x/y\n\n👋 Join our [WeChat](w.jpg) user groups.\n\n"
               "\\[ English | [中文](README_zh.md) \\]\n\n**Fine-tuning a large language model can be easy as...**\n")
    assert title_and_description(factory) == ("", "")  # nothing in it describes the project
    llama = ("## **Note of deprecation**\n\nThank you for developing with Llama models. We consolidated repos.\n\n"
             "# (Deprecated) Llama 2\n\nWe are unlocking the power of large language models.\n")
    assert title_and_description(llama) == ("(Deprecated) Llama 2",
                                            "We are unlocking the power of large language models.")
    news = "# Chat\n\n[中文](README_zh.md) | English\n\n**[2024/03]** We released a report.\n\nChat serves models.\n"
    assert title_and_description(news) == ("Chat", "Chat serves models.")
    proposal = "# RFC 7: Caching\n\n## Summary\n\nCache the history walk.\n\n## Motivation\n\nIt is slow.\n"
    assert title_and_description(proposal) == ("RFC 7: Caching", "Cache the history walk.")  # a proposal's body


def notebook(*cells: tuple[str, str]) -> bytes:
    return json.dumps({"cells": [{"cell_type": kind, "source": [text]} for kind, text in cells]}).encode()


def test_a_notebook_title_is_the_heading_it_opens_with_never_a_section() -> None:
    # peft examples/sequence_classification/LoRA.ipynb: code first, "## Share adapters…" in cell 7
    assert _notebook_title(notebook(("code", "import peft"), ("markdown", "## params\n\nlr = 1e-4"),
                                    ("markdown", "## Share adapters on the 🤗 Hub")), "a.ipynb", []) == ""
    # peft examples/image_classification/image_classification_peft_lora.ipynb opens with "## Introduction"
    assert _notebook_title(notebook(("markdown", "## Introduction\n\nIn this notebook…")), "b.ipynb", []) == ""
    # peft examples/token_classification/peft_lora_token_cls.ipynb: a Colab badge cell first
    badge = '<a href="https://colab.research.google.com/x"><img src="https://colab.research.google.com/b.svg"/></a>'
    assert _notebook_title(notebook(("markdown", badge), ("markdown", "# Fine-tuning [Llama-3-8B](https://hf.co/x)"
                                                                     " with `peft`\n\ntext")), "c.ipynb", []) \
        == "Fine-tuning Llama-3-8B with peft"
    # Qwen recipes/quickstart/qwen.ipynb opens with a level-2 title
    assert _notebook_title(notebook(("markdown", "## Qwen Quick Start Notebook\n\ntext")), "d.ipynb", []) \
        == "Qwen Quick Start Notebook"
    # one level-1 heading after the setup code is the title; several level-1 headings are sections
    assert _notebook_title(notebook(("code", "x = 1"), ("markdown", "# Dreambooth with OFT")), "e.ipynb", []) \
        == "Dreambooth with OFT"
    assert _notebook_title(notebook(("code", "x = 1"), ("markdown", "# Encode and Decode"),
                                    ("markdown", "# Special Token Management")), "f.ipynb", []) == ""
