"""Evaluation results from the tables READMEs really contain: Markdown or HTML, any orientation.

Model READMEs report benchmarks in tables: benchmarks as rows and models as columns (or the other
way round), a "Shots" column or "(5-shot)" in a header, the best value in bold, HTML tables with
``rowspan`` and ``colspan`` copied from papers. Each table is read into a grid of plain-text cells,
its orientation decided by where the benchmark names are, and every numeric cell becomes one result
with the model column, the benchmark, the shots when stated, and the line it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from generator.text.untrusted import small_number

#: Names that mark a benchmark (lower case, compared without punctuation). Any row or column whose
#: cells are numbers counts too; these decide the orientation of a table.
BENCHMARKS = frozenset({
    "mmlu", "cmmlu", "ceval", "gsm8k", "math", "humaneval", "mbpp", "arc", "arcc", "arce", "arcchallenge",
    "hellaswag", "winogrande", "truthfulqa", "bbh", "agieval", "gaokao", "triviaqa", "naturalquestions", "nq",
    "piqa", "siqa", "boolq", "openbookqa", "race", "drop", "mtbench", "alpacaeval", "ifeval", "gpqa",
    "mmlupro", "longbench", "needle", "squad", "lambada", "mgsm", "xnli", "flores", "commonsenseqa",
})
_BENCHMARK_HEADERS = ("benchmark", "task", "dataset", "eval", "metric", "基准", "评测", "任务", "数据集")
_SHOT_HEADERS = ("shot", "shots", "样本数", "示例数")
_METRIC_HEADERS = ("metric", "指标", "评价指标")
_METRIC_IN_NAME = re.compile(r"\b(pass@\d+|acc(?:uracy)?(?:_norm)?|em|f1|exact match|bleu|rouge-?\w*|win rate)\b",
                             re.IGNORECASE)
#: Written so that no two repetitions can share a run of characters (a match starts at the first digit,
#: the spaces before a ``-`` or ``%`` belong to it): ``\s*-?\s*`` cost quadratic time on a long cell.
_SHOTS = re.compile(r"(?<!\d)(\d{1,4})(?:\s*-)?\s*shots?", re.IGNORECASE)
_NUMBER = re.compile(r"^[*_~\s]*([+-]?\d+(?:\.\d+)?)(?:\s*%)?[*_~\s]*(?:[†‡*]|\(\S*\))?$")


@dataclass(frozen=True, slots=True)
class EvalResult:
    benchmark: str
    model: str
    value: float
    shots: int | None
    #: ``README.md:109``: the table's first line.
    where: str
    #: The metric when the table names it (a "Metric" column, ``pass@1``, ``(EM)``), else "".
    metric: str = ""


def _normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _SHOTS.sub("", name.lower()))


def _is_benchmark(name: str) -> bool:
    return _normalise(name) in BENCHMARKS


def number(cell: str) -> float | None:
    """``46.3``, ``**46.3**``, ``46.3%``, ``46.3†``; dashes and words are no number."""
    match = _NUMBER.match(cell)
    return float(match.group(1)) if match else None


def markdown_tables(text: str) -> list[tuple[int, list[list[str]]]]:
    """Every pipe table as (first line, rows of plain cells); the header row comes first."""
    from generator.analysis.models.facts import inline_plain, markdown_blocks, parse_inline

    env: dict[str, Any] = {}
    tokens = markdown_blocks(text, env, "table")
    tables: list[tuple[int, list[list[str]]]] = []
    rows: list[list[str]] = []
    start = 0
    for token in tokens:
        if token.type == "table_open":
            rows, start = [], (token.map[0] + 1 if token.map else 0)
        elif token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(inline_plain(parse_inline(token, env)))
        elif token.type == "table_close":
            tables.append((start, rows))
    return tables


class _HtmlTables(HTMLParser):
    """Tables in raw HTML, with ``rowspan``/``colspan`` spread over the cells they cover."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[int, list[list[str]]]] = []
        self._grid: dict[tuple[int, int], str] | None = None
        self._row = -1
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._start = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._grid, self._row, self._start = {}, -1, self.getpos()[0]
        elif tag == "tr" and self._grid is not None:
            self._row += 1
        elif tag in ("td", "th") and self._grid is not None:
            values = dict(attrs)
            self._span = (_span(values.get("rowspan")), _span(values.get("colspan")))
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._grid is not None:
            text = " ".join("".join(self._cell).split())
            column = 0
            while (self._row, column) in self._grid:
                column += 1
            rows, columns = self._span
            for r in range(rows):
                for c in range(columns):
                    self._grid.setdefault((self._row + r, column + c), text)
            self._cell = None
        elif tag == "table" and self._grid is not None:
            height = max((r for r, _ in self._grid), default=-1) + 1
            width = max((c for _, c in self._grid), default=-1) + 1
            self.tables.append((self._start, [[self._grid.get((r, c), "") for c in range(width)]
                                              for r in range(height)]))
            self._grid = None


def _span(value: str | None) -> int:
    return max(1, min(small_number(value or "") or 1, 50))


def html_tables(text: str) -> list[tuple[int, list[list[str]]]]:
    parser = _HtmlTables()
    parser.feed(text)
    parser.close()
    return parser.tables


def eval_results(text: str, path: str = "README.md") -> list[EvalResult]:
    """Every benchmark result in the README's tables, in Markdown or HTML."""
    results: list[EvalResult] = []
    for line, rows in sorted(markdown_tables(text) + html_tables(text)):
        results += _table_results(rows, f"{path}:{line}")
    return results


def _table_results(rows: list[list[str]], where: str) -> list[EvalResult]:
    if len(rows) < 2 or len(rows[0]) < 2:
        return []
    # Header rows are the leading rows without numbers (HTML tables stack group headers above the
    # benchmark names); each column is named by its lowest header cell.
    depth = 1
    while depth < len(rows) - 1 and not any(number(cell) is not None for cell in rows[depth][1:]):
        depth += 1
    header = [next((row[c] for row in reversed(rows[:depth]) if c < len(row) and row[c]), "")
              for c in range(len(rows[0]))]
    body = rows[depth:]
    rows_are_benchmarks = sum(_is_benchmark(row[0]) for row in body if row) >= sum(
        _is_benchmark(cell) for cell in header[1:]) and (
        any(_is_benchmark(row[0]) for row in body if row) or header[0].lower().startswith(_BENCHMARK_HEADERS))
    if not rows_are_benchmarks and not any(_is_benchmark(cell) for cell in header[1:]):
        return []  # neither way round names a benchmark: not an evaluation table
    shot_column = next((i for i, cell in enumerate(header) if cell.lower().strip().startswith(_SHOT_HEADERS)), None)
    metric_column = next((i for i, cell in enumerate(header) if cell.lower().strip().startswith(_METRIC_HEADERS)),
                         None)
    results: list[EvalResult] = []
    for row in body:
        for column in range(1, min(len(row), len(header))):
            if column in (shot_column, metric_column):
                continue
            value = number(row[column])
            if value is None:
                continue
            benchmark, model = (row[0], header[column]) if rows_are_benchmarks else (header[column], row[0])
            shots = _shots(benchmark, model, row[shot_column] if shot_column is not None else "")
            named = _METRIC_IN_NAME.search(benchmark)
            in_column = row[metric_column] if metric_column is not None and metric_column < len(row) else ""
            metric = in_column or (named.group(1) if named else "")
            name = _METRIC_IN_NAME.sub("", _SHOTS.sub("", benchmark)).replace("()", "").strip(" ()-,")
            results.append(EvalResult(name, _SHOTS.sub("", model).strip(" ()-"), value, shots, where, metric))
    return results


def _shots(*texts: str) -> int | None:
    for text in texts:
        if (number := small_number(text, 4)) is not None:
            return number
        if match := _SHOTS.search(text):
            return int(match.group(1))
    return None


def results_of(results: list[EvalResult], model_name: str) -> list[EvalResult]:
    """The results of the model a README describes: the column named like it (or "ours"), or the only
    model of a table."""
    wanted = _normalise(model_name)
    own = [r for r in results if wanted and (_normalise(r.model) == wanted or "ours" in r.model.lower())]
    if own:
        return own
    models = {r.model for r in results}
    return results if len(models) == 1 else []


def metadata_disagreements(model_index: object, results: list[EvalResult]) -> list[str]:
    """Values the README's tables and the ``model-index`` metadata state differently, benchmark by benchmark."""
    table = {_normalise(r.benchmark): r for r in results}
    found: list[str] = []
    for model in model_index if isinstance(model_index, list) else []:
        for result in (model.get("results") or []) if isinstance(model, dict) else []:
            if not isinstance(result, dict) or not isinstance(result.get("dataset"), dict):
                continue
            dataset = result["dataset"]
            names = {_normalise(str(dataset.get(key, ""))) for key in ("name", "type")}
            names |= {_normalise(str(dataset.get("type", "")).rsplit("/", 1)[-1])}
            row = next((table[name] for name in names if name in table), None)
            for metric in result.get("metrics") or []:
                value = metric.get("value") if isinstance(metric, dict) else None
                if row is not None and isinstance(value, (int, float)) and abs(float(value) - row.value) > 1e-9:
                    found.append(f"{row.benchmark}: {row.value:g} in the README table ({row.where}), "
                                 f"{float(value):g} in model-index")
    return found
