"""Evaluation tables as READMEs write them, read into structured results."""

from __future__ import annotations

from generator.analysis.models.evaltables import eval_results, number, results_of
from generator.build import BuildOptions, build_knowledge
from tests.gitrepo import Repo

MARKDOWN = """\
# M

| Benchmark | Shots | Lumen-1.8B | Baseline-2B |
|-----------|------:|-----------:|------------:|
| MMLU | 5 | **46.3** | 42.3 |
| GSM8K | 4 | 36.1 | – |

| Model | MMLU (5-shot) | HumanEval |
|---|---|---|
| Lumen | 46.3% | 24.4† |

| Feature | Supported |
|---|---|
| Flash attention | 1 |
"""

HTML = """\
<table>
  <tr><th rowspan="2">Model</th><th colspan="2">Reasoning</th></tr>
  <tr><th>GSM8K (8-shot)</th><th>MATH</th></tr>
  <tr><td>Lumen<br>1.8B</td><td><b>36.1</b></td><td>12.0</td></tr>
</table>
"""


def test_markdown_tables_in_both_orientations() -> None:
    results = [(r.benchmark, r.model, r.value, r.shots, r.where) for r in eval_results(MARKDOWN)]
    assert results == [
        ("MMLU", "Lumen-1.8B", 46.3, 5, "README.md:3"),
        ("MMLU", "Baseline-2B", 42.3, 5, "README.md:3"),
        ("GSM8K", "Lumen-1.8B", 36.1, 4, "README.md:3"),
        ("MMLU", "Lumen", 46.3, 5, "README.md:8"),
        ("HumanEval", "Lumen", 24.4, None, "README.md:8"),
    ]  # the feature table is not an evaluation table; the dash is no result


def test_html_table_with_rowspan_and_colspan() -> None:
    results = [(r.benchmark, r.model, r.value, r.shots) for r in eval_results(HTML)]
    assert results == [("GSM8K", "Lumen 1.8B", 36.1, 8), ("MATH", "Lumen 1.8B", 12.0, None)]


def test_numbers() -> None:
    assert [number(cell) for cell in ("46.3", "**46.3**", "46.3%", "-", "n/a", "24.4†", "1,000")] == [
        46.3, 46.3, 46.3, None, None, 24.4, None]


def test_the_models_own_column_and_disagreements_with_model_index(repo: Repo) -> None:
    readme = ("---\nmodel-index:\n- name: Lumen-1.8B\n  results:\n  - task: {type: text-generation}\n"
              "    dataset: {type: openai/gsm8k, name: GSM8K}\n    metrics: [{type: accuracy, value: 38.4}]\n"
              "---\n# Lumen-1.8B\n\n" + MARKDOWN.split("\n", 2)[2])
    results = eval_results(readme)
    own = results_of(results, "Lumen-1.8B")
    assert {(r.benchmark, r.value) for r in own} == {("MMLU", 46.3), ("GSM8K", 36.1)}
    assert results_of(results, "Someone else") == []  # several models, none named so: no guess
    repo.commit("Card", {"README.md": readme})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert [check.message for check in knowledge.card_checks] == [
        "the README and its metadata disagree: GSM8K: 36.1 in the README table (README.md:11), 38.4 in model-index"]
    facts = {fact.label: fact for fact in knowledge.model_facts}
    assert facts["Results (README table)"].value == "MMLU 46.3 (5-shot) · GSM8K 36.1 (4-shot)"


def test_html_table_with_mismatched_spans_still_reads() -> None:
    broken = ("<table><tr><th>Model</th><th colspan='5'>MMLU</th></tr>"
              "<tr><td rowspan='9'>Lumen</td><td>46.3</td></tr><tr><td>47.0<td></tr></table>")
    results = [(r.benchmark, r.model, r.value) for r in eval_results(broken)]
    assert results[0] == ("MMLU", "Lumen", 46.3)  # spans past the table's edge are cut, not fatal
    assert eval_results("<table><tr><td colspan='x'>a</td></table>") == []


def test_metrics_from_a_column_or_the_benchmark_name() -> None:
    table = ("| Task | Metric | Lumen |\n|---|---|---|\n| GSM8K | EM | 36.1 |\n| HumanEval (pass@1) | | 24.4 |\n"
             "| MMLU (acc, 5-shot) | | 46.3 |\n")
    results = [(r.benchmark, r.metric, r.value, r.shots) for r in eval_results(table)]
    assert results == [("GSM8K", "EM", 36.1, None), ("HumanEval", "pass@1", 24.4, None), ("MMLU", "acc", 46.3, 5)]
