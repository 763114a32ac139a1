"""`almanac card`: a Hugging Face README that huggingface_hub loads and whose metadata round-trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from huggingface_hub import ModelCard

from generator.cli.commands import main
from generator.demo import resolve_repo


@pytest.fixture(scope="module")
def demo() -> Path:
    return resolve_repo("demo", Path.cwd())


def test_exported_readme_loads_in_huggingface_hub(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "README.md"
    assert main(["card", "--repo", str(demo), "--out", str(out)]) == 0
    card = ModelCard.load(out)
    original = ModelCard.load(demo / "README.md")
    assert card.data.to_dict() == original.data.to_dict()  # the metadata round-trips
    assert card.data.eval_results and original.data.eval_results
    assert card.data.eval_results[0].metric_value == original.data.eval_results[0].metric_value
    assert "## Limitations and ethical considerations" in card.text and "Card completeness: 100%" in card.text


def test_a_hand_written_readme_is_never_replaced_without_force(demo: Path, tmp_path: Path) -> None:
    mine = tmp_path / "README.md"
    mine.write_text("# My own card\n", encoding="utf-8")
    assert main(["card", "--repo", str(demo), "--out", str(mine)]) == 2
    assert mine.read_text(encoding="utf-8") == "# My own card\n"
    assert main(["card", "--repo", str(demo), "--out", str(mine), "--force"]) == 0
    assert main(["card", "--repo", str(demo), "--out", str(mine)]) == 0  # now it is ours: regenerated freely


def test_json_export_has_every_fact_with_its_source(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "card.json"
    assert main(["card", "--repo", str(demo), "--format", "json", "--out", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["card"]["score"] == 100 and document["metadata"]["license"] == "bigscience-openrail-m"
    sources = {fact["label"]: fact["source"] for fact in document["facts"]}
    assert sources["Chat template"] == "tokenizer_config.json → chat_template"


def test_cyclonedx_ml_bom_is_valid_and_reproducible(demo: Path, tmp_path: Path) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    first, second = tmp_path / "bom1.json", tmp_path / "bom2.json"
    assert main(["card", "--repo", str(demo), "--format", "cyclonedx", "--out", str(first)]) == 0
    assert main(["card", "--repo", str(demo), "--format", "cyclonedx", "--out", str(second)]) == 0
    text = first.read_text(encoding="utf-8")
    assert text == second.read_text(encoding="utf-8")  # same repository, same bytes
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None  # the official schema
    model = json.loads(text)["components"][0]
    assert model["type"] == "machine-learning-model" and model["licenses"] == [
        {"license": {"name": "BigScience Open RAIL-M License"}}]
    metrics = model["modelCard"]["quantitativeAnalysis"]["performanceMetrics"]
    assert {"type": "accuracy", "value": "36.1", "slice": "GSM8K"} in metrics
