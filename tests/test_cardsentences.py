"""Training data and limitations a model's README states in a sentence, from the real READMEs' lines."""

from __future__ import annotations

import pytest

from generator.analysis.models.cardsentences import stated_limitations, stated_training_data, stated_uses


@pytest.mark.parametrize(("line", "amount"), [
    # DeepSeek-V2 README.md:67, DeepSeek-V3 README.md:50, Qwen README.md:36, llama3 MODEL_CARD.md:139
    ("We pretrained DeepSeek-V2 on a diverse and high-quality corpus comprising 8.1 trillion tokens. This "
     "comprehensive pretraining was followed by SFT.", "8.1 trillion tokens"),
    ("We pre-train DeepSeek-V3 on 14.8 trillion diverse and high-quality tokens, followed by Supervised "
     "Fine-Tuning.", "14.8 trillion tokens"),
    ("strong base language models, which have been stably pretrained for up to 3 trillion tokens of data",
     "up to 3 trillion tokens"),
    ("**Overview** Llama 3 was pretrained on over 15 trillion tokens of data.", "over 15 trillion tokens"),
    # ChatGLM2-6B README.md:38 (a link before the sentence: its full stops end no sentence)
    ("1. **更强大的性能**：ChatGLM2-6B 使用了 [GLM](https://github.com/THUDM/GLM) 的混合目标函数，经过了 1.4T "
     "中英标识符的预训练与人类偏好对齐训练。", "1.4 trillion tokens"),
    ("模型在超过 2.6 万亿 token 上预训练。", "over 2.6 trillion tokens"),
])
def test_a_token_count_of_the_training_is_stated_with_its_sentence(line: str, amount: str) -> None:
    [fact] = stated_training_data(f"# Model\n\n{line}\n", "README.md")
    assert fact.value == amount
    assert fact.source.startswith("README.md:3: “") and "](" not in fact.source and "**" not in fact.source


def test_the_quote_is_the_sentence_not_the_line() -> None:
    line = "相比初代。经过了 1.4T 中英标识符的预训练与人类偏好对齐训练。评测结果显示很好。\n"
    [fact] = stated_training_data(line, "README.md")
    assert fact.source == "README.md:1: “经过了 1.4T 中英标识符的预训练与人类偏好对齐训练。”"


@pytest.mark.parametrize("text", [
    "We trained on 8 A100 GPUs for 3 days.\n",
    "The context window is 128K tokens; the model has 7B parameters.\n",
    "```\ntrained on 2T tokens\n```\n",                  # code
    "| Llama 2 | pretrained on 2T tokens |\n",           # a table row compares models
    "## Pretrained on 2 trillion tokens\n",              # a heading is read as a heading
])
def test_no_training_data_from_other_sentences(text: str) -> None:
    assert stated_training_data(text, "README.md") == []


def test_a_disclaimer_is_a_limitation_and_a_feature_list_is_not() -> None:
    # ChatGLM2-6B README.md:47
    disclaimer = ("尽管模型在训练的各个阶段都尽力确保数据的合规性和准确性，但由于 ChatGLM2-6B 模型规模较小，"
                  "且模型受概率随机性因素影响，无法保证输出内容的准确性，且模型易被误导。**本项目不承担风险和责任。**\n")
    [fact] = stated_limitations(disclaimer, "README.md")
    assert fact.value.endswith("无法保证输出内容的准确性，且模型易被误导。") and fact.source == "README.md:1"
    [fact] = stated_limitations("Like all LLMs, the model may generate inaccurate or biased answers.\n",
                                "MODEL_CARD.md", "the model card")
    assert fact.label == "Limitations (stated in the model card)"
    assert stated_limitations("The model can generate code and produce summaries in 20 languages.\n", "README.md") == []


@pytest.mark.parametrize(("text", "quoted"), [
    # ChatGLM2-6B README.md:45, llama MODEL_CARD.md:34
    ("恳请开发者和大家遵守[开源协议](MODEL_LICENSE)，勿将开源模型和代码用于任何可能给国家和社会带来危害的用途。**目前无应用。**",
     "恳请开发者和大家遵守开源协议，勿将开源模型和代码用于任何可能给国家和社会带来危害的用途。"),
    ("**Intended Use Cases** Llama 2 is intended for commercial and research use in English. Tuned ones chat.",
     "Intended Use Cases Llama 2 is intended for commercial and research use in English."),
    ("The weights should not be used for medical advice.", "The weights should not be used for medical advice."),
])
def test_a_statement_of_use_is_the_intended_use(text: str, quoted: str) -> None:
    [fact] = stated_uses(text + "\n", "README.md")
    assert (fact.value, fact.source) == (quoted, "README.md:1")


def test_sentences_that_merely_mention_use_state_no_intended_use() -> None:
    text = "Use the model with transformers.\nThe API is used for serving.\n我们使用了 GLM 的混合目标函数。\n"
    assert stated_uses(text, "README.md") == []
