"""Entries → a CycloneDX 1.6 JSON document, built with cyclonedx-python-lib (the one module that
imports it).

Each component is a ``machine-learning-model`` component; its weights files are ``file``
components nested in it, each with its digest; each data contract is a top-level ``data``
component the model depends on. roadworthy's own facts (path, risk, stage, owners, where a digest
came from) are ``properties`` named ``roadworthy:…`` (CycloneDX's property taxonomy lets a tool
name its own namespace).

Owners are properties, not ``authors`` or ``manufacturer``: CycloneDX's ``authors`` are the
people who made the component and ``manufacturer`` the organisation that made it, while an owner
in roadworthy is who answers for it (a RACI role, or a CODEOWNERS entry), often a team handle
such as ``@acme/credit-risk`` that is no contact at all. Writing them as authors would claim
authorship nobody recorded.

The library cannot write ``modelCard`` yet (CycloneDX/cyclonedx-python-lib#912), so the model
card is added to the library's JSON as a mapping shaped by the 1.6 schema's ``modelCard``
definition; tests validate every document against the library's bundled 1.6 schema.

Deterministic: the library sorts components and keys; there is no timestamp unless asked for,
and the serial number is a UUID derived from the document's content.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from typing import Any

from cyclonedx.model import HashAlgorithm, HashType, Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.dependency import Dependency
from cyclonedx.output.json import JsonV1Dot6

from roadworthy import __version__
from roadworthy.bom.model import Card, Dataset, Entry, Weights

_ALGORITHMS = {"SHA-256": HashAlgorithm.SHA_256, "MD5": HashAlgorithm.MD5}
# Serial numbers are UUIDs named by the document's content in this namespace.
_SERIALS = uuid.uuid5(uuid.NAMESPACE_URL, "https://roadworthy.dev/bom")


def render(entries: Iterable[Entry], repository: str, as_of: dt.date | None = None) -> str:
    entries = tuple(entries)
    bom = Bom()
    if as_of is not None:
        bom.metadata.timestamp = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.timezone.utc)
    bom.metadata.tools.components.add(
        Component(type=ComponentType.APPLICATION, name="roadworthy", version=__version__)
    )
    top = Component(type=ComponentType.APPLICATION, name=repository, bom_ref="repository")
    bom.metadata.component = top
    # The dependency graph is written out whole: the library's register_dependency looks each
    # target up in a linear scan, quadratic in a model zoo of thousands of components.
    graph = [Dependency(ref=top.bom_ref, dependencies=[])]
    for entry in entries:
        model = _model(entry)
        data = [_data(d) for d in entry.datasets]
        bom.components.update([model, *data])
        graph.append(
            Dependency(ref=model.bom_ref, dependencies=[Dependency(d.bom_ref) for d in data])
        )
        graph += [Dependency(ref=d.bom_ref) for d in data]
        graph[0].dependencies.add(Dependency(ref=model.bom_ref))
    bom.dependencies.update(graph)
    document = json.loads(JsonV1Dot6(bom).output_as_string())
    if as_of is None:
        document["metadata"].pop("timestamp", None)  # the library stamps the time it ran
    cards = {_ref(e): _model_card(e, e.card) for e in entries if e.card is not None}
    for component in document.get("components", []):
        card = cards.get(component["bom-ref"])
        if card is not None:
            component["modelCard"] = card
    return _with_serial(document)


def _with_serial(document: dict[str, Any]) -> str:
    document.pop("serialNumber", None)
    # ASCII: a file name that is not UTF-8 (a lone surrogate here) is hashed as its escape.
    content = json.dumps(document, sort_keys=True)
    document["serialNumber"] = uuid.uuid5(_SERIALS, content).urn
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _ref(entry: Entry) -> str:
    return f"model:{entry.path or '.'}"


def _model(entry: Entry) -> Component:
    properties = entry.properties()
    if entry.card:
        properties.append(("roadworthy:model-card", entry.card.path))
    return Component(
        type=ComponentType.MACHINE_LEARNING_MODEL,
        name=entry.name,
        version=entry.version,
        bom_ref=_ref(entry),
        properties=_properties(properties),
        components=[_weights(w) for w in entry.weights],
    )


def _weights(weights: Weights) -> Component:
    properties = [("roadworthy:digest-source", weights.source)]
    if weights.size is not None:
        properties.append(("roadworthy:size", str(weights.size)))
    if weights.record != weights.path:
        properties.append(("roadworthy:recorded-in", weights.record))
    digest = weights.digest
    hashes = [HashType(alg=_ALGORITHMS[digest.algorithm], content=digest.value)] if digest else []
    return Component(
        type=ComponentType.FILE,
        name=weights.path,
        # A file and a DVC record of the same path are two entries, and must not share a bom-ref:
        # the library would give the second a random one.
        bom_ref=f"weights:{weights.path}"
        + ("" if weights.record == weights.path else f"@{weights.record}"),
        hashes=hashes,
        properties=_properties(properties),
    )


def _data(dataset: Dataset) -> Component:
    properties = [("roadworthy:path", dataset.path)]
    if dataset.standard:
        properties.append(("roadworthy:standard", dataset.standard))
    return Component(
        type=ComponentType.DATA,
        name=dataset.name,
        version=dataset.version,
        bom_ref=f"data:{dataset.path}",
        hashes=[HashType(alg=HashAlgorithm.SHA_256, content=dataset.sha256)],
        properties=_properties(properties),
    )


def _properties(pairs: list[tuple[str, str]]) -> list[Property]:
    return [Property(name=name, value=value) for name, value in pairs]


def _model_card(entry: Entry, card: Card) -> dict[str, Any]:
    """The 1.6 ``modelCard``: datasets (the data contracts by reference, the card's training
    data inline), metrics from the evaluation's tables, uses and limitations; the evaluation's
    and human oversight's own words as properties, for which the schema has no field."""
    datasets: list[dict[str, Any]] = [{"ref": f"data:{d.path}"} for d in entry.datasets]
    if card.training_data:
        datasets.append(
            {"type": "dataset", "name": "training data", "description": card.training_data}
        )
    result: dict[str, Any] = {"bom-ref": f"model-card:{card.path}"}
    if datasets:
        result["modelParameters"] = {"datasets": datasets}
    if card.metrics:
        metrics = [
            {"type": m.name, "value": m.value, **({"slice": m.slice} if m.slice else {})}
            for m in card.metrics
        ]
        result["quantitativeAnalysis"] = {"performanceMetrics": metrics}
    considerations = {}
    if card.intended_use:
        considerations["useCases"] = [card.intended_use]
    if card.limitations:
        considerations["technicalLimitations"] = [card.limitations]
    if considerations:
        result["considerations"] = considerations
    properties = [{"name": "roadworthy:source", "value": card.path}]
    if card.evaluation:
        properties.append({"name": "roadworthy:evaluation", "value": card.evaluation})
    for why in card.stale:
        properties.append({"name": "roadworthy:stale-evidence", "value": why})
    if card.human_oversight:
        properties.append({"name": "roadworthy:human-oversight", "value": card.human_oversight})
    result["properties"] = properties
    return result
