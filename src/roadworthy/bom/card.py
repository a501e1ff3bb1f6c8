"""A model card as a bill of materials quotes it: the sections a reader of an ML-BOM looks for,
and the metrics the card reports.

Metrics come from two places real cards use: pipe tables in the evaluation section (the first
cell of a row names the metric, a column's header the slice it was measured on) and the
``model-index`` of a Hugging Face card's front matter (each result's metrics, sliced by the
dataset and split).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from roadworthy.artifacts import ArtifactReader
from roadworthy.bom.model import Card, Metric
from roadworthy.formats import markdown
from roadworthy.formats.markdown_text import section_text, tables
from roadworthy.policy.model import Policy
from roadworthy.workspace.worktree import ArtifactError

# The model card's sections a BOM quotes, with the titles real cards give them (the recommended
# preset's RW201 aliases). A policy's own aliases for the same names are added in `card_titles`.
SECTIONS: Mapping[str, tuple[str, ...]] = {
    "intended_use": (
        "Intended use",
        "Intended uses",
        "Uses",
        "Model use",
        "Intended use and limitations",
    ),
    "limitations": (
        "Limitations",
        "Bias risks and limitations",
        "Risks and limitations",
        "Limitations and bias",
        "Known limitations",
    ),
    "training_data": ("Training data", "Training dataset", "Training datasets"),
    "evaluation": ("Evaluation", "Evaluation results", "Performance", "Metrics"),
    "human_oversight": ("Human oversight", "Human in the loop", "Oversight"),
}
_NAMES = {
    "intended use": "intended_use",
    "limitations": "limitations",
    "training data": "training_data",
    "evaluation": "evaluation",
    "human oversight": "human_oversight",
}


def card_titles(policy: Policy) -> Mapping[str, tuple[str, ...]]:
    """SECTIONS with the aliases the policy's model-card section rules give the same names."""
    titles = {key: list(names) for key, names in SECTIONS.items()}
    for rule in policy.rules:
        options = rule.options
        if rule.check != "markdown-sections" or options.get("artifact") != "model_card":
            continue
        extra = [*options.get("sections", ()), *_flat(options.get("sections_for_risk", {}))]
        for spec in extra:
            if isinstance(spec, Mapping):
                key = _NAMES.get(markdown.normalize_title(str(spec.get("name", ""))))
                if key is not None:
                    titles[key] += [str(a) for a in spec.get("aliases", ())]
    return {key: tuple(dict.fromkeys(names)) for key, names in titles.items()}


def _flat(by_risk: Any) -> list[Any]:
    return [s for specs in by_risk.values() for s in specs] if isinstance(by_risk, Mapping) else []


def read_card(
    path: str, reader: ArtifactReader, titles: Mapping[str, tuple[str, ...]]
) -> Card | None:
    try:
        text = reader.text(path)
    except ArtifactError:
        return None  # `check` reports it (RW001); a BOM quotes only what it can read
    try:
        front = reader.front_matter(path) or {}
    except ArtifactError:
        front = {}  # a template's front matter ({{ }}) is no YAML; its sections still count
    doc = reader.markdown(path)
    found: dict[str, str | None] = {}
    for key, names in titles.items():
        section = markdown.find_section(doc, names)
        # A placeholder ("TODO", "[More Information Needed]") is not something to quote.
        found[key] = section_text(text, doc, section) if section and section.filled else None
    evaluation = found["evaluation"]
    tabled = _metrics(evaluation) if evaluation else ()
    indexed = tuple(_model_index(front.get("model-index")))
    return Card(
        path,
        intended_use=found["intended_use"],
        limitations=found["limitations"],
        training_data=found["training_data"],
        evaluation=evaluation,
        human_oversight=found["human_oversight"],
        metrics=(*indexed, *tabled),
        index_metrics=len(indexed),
    )


def _metrics(evaluation: str) -> Iterator[Metric]:
    """Each value cell of the evaluation's tables: the row's first cell names the metric and
    the column's header the slice it was measured on."""
    for table in tables(evaluation):
        for row in table.rows:
            if len(row) < 2 or not _plain(row[0]):
                continue
            for column, value in enumerate(row[1:], start=1):
                header = table.header[column] if column < len(table.header) else ""
                if _plain(value):
                    yield Metric(_plain(row[0]), _plain(value), _plain(header))


def _plain(cell: str) -> str:
    return cell.replace("**", "").replace("`", "").strip()


def _model_index(index: Any) -> Iterator[Metric]:
    """Metrics of a Hugging Face ``model-index``: results with a dataset and metrics each."""
    for model in index if isinstance(index, list) else ():
        results = model.get("results") if isinstance(model, dict) else None
        for result in results if isinstance(results, list) else ():
            if not isinstance(result, dict):
                continue
            dataset = result.get("dataset")
            where = _dataset_slice(dataset if isinstance(dataset, dict) else {})
            metrics = result.get("metrics")
            for metric in metrics if isinstance(metrics, list) else ():
                if not isinstance(metric, dict):
                    continue
                name = _scalar(metric.get("name")) or _scalar(metric.get("type"))
                value = _scalar(metric.get("value"))
                if name and value:
                    yield Metric(name, value, where)


def _dataset_slice(dataset: Mapping[str, Any]) -> str:
    name = _scalar(dataset.get("name")) or _scalar(dataset.get("type")) or ""
    split = _scalar(dataset.get("split"))
    return f"{name} ({split})" if name and split else name


def _scalar(value: Any) -> str | None:
    # An unrendered template ("{{ metric_value }}") reads as a mapping in YAML: not a value.
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    return str(value).strip() or None
