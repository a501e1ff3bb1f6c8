"""Entries → an SPDX 3.0.1 JSON-LD document, built with ``spdx-python-model`` (the SPDX
project's bindings generated from the released 3.0.1 model; the one module that imports them).

Each component is an ``ai_AIPackage``; each data contract a ``dataset_DatasetPackage`` the
model ``dependsOn``. The card's sections fill the AI profile's own fields; roadworthy's facts
that SPDX has no field for (path, risk, stage, owners, where a digest came from) travel as
``roadworthy:…`` entries of SPDX's CycloneDX-properties extension, the same names and values
the CycloneDX document uses.

Deterministic: element ids are IRIs built from the repository's name and each entry's path,
``created`` is a date the caller derives from the repository (never the clock), and the
serializer's output is written with sorted keys.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from spdx_python_model.bindings import v3_0_1 as spdx

from roadworthy import __version__
from roadworthy.bom.model import Card, Dataset, Digest, Entry, Weights

_ALGORITHMS = {"SHA-256": spdx.HashAlgorithm.sha256, "MD5": spdx.HashAlgorithm.md5}
_PROFILES = ("core", "software", "ai", "dataset", "extension")
# Not a web address anyone resolves: SPDX ids need only be IRIs unique to the document's
# subject, and a URN names the repository without claiming a host.
_BASE = "urn:roadworthy:spdx:"


def render(entries: Iterable[Entry], repository: str, created: dt.datetime) -> str:
    entries = tuple(entries)
    base = _BASE + _quote(repository)
    info = _creation_info(base, created)
    elements: list[Any] = list(info.createdBy) + list(info.createdUsing)
    models = []
    for entry in entries:
        model = _model(base, entry, info)
        data = [_dataset(base, d, info) for d in entry.datasets]
        models.append(model)
        elements += [model, *data]
        if data:
            elements.append(
                spdx.Relationship(
                    _id=f"{base}/relationship/{_quote(entry.path or '.')}/dependsOn",
                    creationInfo=info,
                    from_=model,
                    relationshipType=spdx.RelationshipType.dependsOn,
                    to=data,
                )
            )
    document = spdx.SpdxDocument(
        _id=f"{base}/document",
        creationInfo=info,
        name=f"{repository} ML bill of materials",
        profileConformance=[spdx.ProfileIdentifierType.NAMED_INDIVIDUALS[p] for p in _PROFILES],
        rootElement=models,
        element=_unique(elements),
    )
    objects = spdx.SHACLObjectSet([document, *_unique(elements)])
    data = spdx.JSONLDSerializer().serialize_data(objects, force_at_graph=True)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _unique(elements: list[Any]) -> list[Any]:
    # A data contract shared by two components is one element with two relationships.
    by_id = {e._id: e for e in elements}
    return [by_id[key] for key in sorted(by_id)]


def _quote(text: str) -> str:
    # A file name that is not UTF-8 reaches here with its bytes as surrogates (git paths are
    # decoded with surrogateescape): the id names the file's own bytes.
    return quote(text.encode("utf-8", "surrogateescape"), safe="/")


def _creation_info(base: str, created: dt.datetime) -> Any:
    info = spdx.CreationInfo(specVersion="3.0.1", created=created)
    name = f"roadworthy {__version__}"
    info.createdBy = [spdx.SoftwareAgent(_id=f"{base}/agent/roadworthy", name=name)]
    info.createdUsing = [spdx.Tool(_id=f"{base}/tool/roadworthy", name=name)]
    for agent in (*info.createdBy, *info.createdUsing):
        agent.creationInfo = info
    return info


def _model(base: str, entry: Entry, info: Any) -> Any:
    package = spdx.ai_AIPackage(
        _id=f"{base}/model/{_quote(entry.path or '.')}",
        creationInfo=info,
        name=entry.name,
        software_primaryPurpose=spdx.software_SoftwarePurpose.model,
        verifiedUsing=[_hash(w.digest, _weights_note(w)) for w in entry.weights if w.digest],
    )
    if entry.version:
        package.software_packageVersion = entry.version
    properties = entry.properties()
    if entry.card:
        properties += _card(package, entry.card)
    package.extension = [_extension(properties)]
    return package


def _weights_note(weights: Weights) -> str:
    """Which file the hash is of, and where it was read: a package may hold several weights."""
    note = f"{weights.path} ({weights.source}"
    if weights.record != weights.path:
        note += f", recorded in {weights.record}"
    if weights.size is not None:
        note += f", {weights.size} bytes"
    return note + ")"


def _card(package: Any, card: Card) -> list[tuple[str, str]]:
    """The card's sections in the AI profile's fields; the rest as properties."""
    if card.intended_use:
        package.ai_informationAboutApplication = card.intended_use
    if card.limitations:
        package.ai_limitation = card.limitations
    if card.training_data:
        package.ai_informationAboutTraining = card.training_data
    package.ai_metric = [
        spdx.DictionaryEntry(key=f"{m.name} [{m.slice}]" if m.slice else m.name, value=m.value)
        for m in card.metrics
    ]
    properties = [("roadworthy:model-card", card.path)]
    if card.evaluation:
        properties.append(("roadworthy:evaluation", card.evaluation))
    properties += [("roadworthy:stale-evidence", why) for why in card.stale]
    if card.human_oversight:
        properties.append(("roadworthy:human-oversight", card.human_oversight))
    return properties


def _dataset(base: str, dataset: Dataset, info: Any) -> Any:
    package = spdx.dataset_DatasetPackage(
        _id=f"{base}/data/{_quote(dataset.path)}",
        creationInfo=info,
        name=dataset.name,
        software_primaryPurpose=spdx.software_SoftwarePurpose.data,
        # A contract describes the data's shape, not its kind: nothing to assert.
        dataset_datasetType=[spdx.dataset_DatasetType.noAssertion],
        verifiedUsing=[_hash(Digest("SHA-256", dataset.sha256), dataset.path)],
        extension=[_extension([("roadworthy:path", dataset.path)])],
    )
    if dataset.version:
        package.software_packageVersion = dataset.version
    if dataset.standard:
        package.standardName = [dataset.standard]
    return package


def _hash(digest: Digest, comment: str) -> Any:
    return spdx.Hash(
        algorithm=_ALGORITHMS[digest.algorithm], hashValue=digest.value, comment=comment
    )


def _extension(pairs: list[tuple[str, str]]) -> Any:
    return spdx.extension_CdxPropertiesExtension(
        extension_cdxProperty=[
            spdx.extension_CdxPropertyEntry(extension_cdxPropName=n, extension_cdxPropValue=v)
            for n, v in pairs
        ]
    )
