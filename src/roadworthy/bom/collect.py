"""The repository's components as a bill of materials lists them: read, never judged.

Discovery and metadata are the check's own, so the BOM names the same components with the same
risk, stage and owners. A file that cannot be read leaves its part out (`roadworthy check`
reports it as RW001); the BOM still lists the component.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from roadworthy.artifacts import ArtifactReader
from roadworthy.bom.card import card_titles, read_card
from roadworthy.bom.model import Card, Dataset, Entry
from roadworthy.bom.weights import component_weights
from roadworthy.discovery import discover
from roadworthy.formats.globs import GlobSet
from roadworthy.metadata import Component, resolve
from roadworthy.policy.model import Owner, Policy
from roadworthy.records import NamedTuple
from roadworthy.workspace.worktree import ArtifactError, WorkTree


class Source(NamedTuple):
    root: Path
    is_git: bool
    name: str  # the repository's name
    only: tuple[str, ...] | None  # PATH arguments, repository-relative


def collect(source: Source, policy: Policy) -> tuple[Entry, ...]:
    tree = WorkTree(source.root, is_git=source.is_git, max_file_size=policy.max_file_size)
    found = discover(tree, policy.discovery, source.name, source.only)
    reader = ArtifactReader(tree)
    titles = card_titles(policy)
    entries = []
    for item in found.components:
        component = resolve(item, reader, policy)
        entries.append(_entry(source.root, component, reader, policy, titles))
        reader.clear()
    return tuple(sorted(entries, key=lambda e: (e.path, e.name)))


def _entry(
    root: Path,
    component: Component,
    reader: ArtifactReader,
    policy: Policy,
    titles: Mapping[str, tuple[str, ...]],
) -> Entry:
    meta = component.meta
    return Entry(
        name=component.name,
        path=component.path,
        version=_text(meta.version),
        risk=meta.risk,
        stage=meta.stage,
        owners=meta.owners + tuple(_codeowners(component, reader)),
        last_reviewed=_text(meta.last_reviewed),
        card=_judged(read_card(component.card, reader, titles), component, reader, policy)
        if component.card
        else None,
        weights=component_weights(root, component.found),
        datasets=tuple(_datasets(component, reader, policy)),
    )


def _judged(
    card: Card | None, component: Component, reader: ArtifactReader, policy: Policy
) -> Card | None:
    """The card, without its model-index results when `check` calls them stale (RW208: they
    evaluated other weights); what makes them stale is said instead."""
    from roadworthy.gates.assess import DEFAULT_REPORT
    from roadworthy.gates.evidence import MODEL_INDEX, collect

    if card is None or not card.index_metrics:
        return card
    candidates = policy.artifacts.get(DEFAULT_REPORT, ())
    try:
        collected = collect(component, reader, policy, candidates, None)
    except ArtifactError:
        return card.without_model_index(f"{card.path} model-index: could not be judged")
    for evidence in collected.evidence:
        if evidence.kind == MODEL_INDEX and evidence.stale is not None:
            return card.without_model_index(f"{evidence.path} model-index: {evidence.stale}")
    return card


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _codeowners(component: Component, reader: ArtifactReader) -> Iterator[Owner]:
    # A repository-wide default reviewer is nobody's owner of this model (as RW301 says).
    owners = reader.codeowners()
    match = owners.owners_of(component.path, is_dir=True, ignore_catch_all=True) if owners else None
    declared = {o.handle for o in component.meta.owners}
    for handle in match.owners if match else ():
        if handle not in declared:
            yield Owner(handle, "codeowner")


def _datasets(component: Component, reader: ArtifactReader, policy: Policy) -> Iterator[Dataset]:
    candidates = policy.artifacts.get("data_contract")
    if not candidates:
        return
    found = component.found
    cut = len(found.path) + 1 if found.path else 0
    relative = {f[cut:]: f for f in found.files}
    seen: set[str] = set()
    for candidate in candidates:
        for rel, path in sorted(relative.items()):
            if path not in seen and _matches(candidate.pattern, rel):
                seen.add(path)
                dataset = _dataset(path, reader)
                if dataset is not None:
                    yield dataset


def _matches(pattern: str, relative: str) -> bool:
    return GlobSet([pattern]).match(relative)


def _dataset(path: str, reader: ArtifactReader) -> Dataset | None:
    try:
        raw = reader.tree.read_bytes(path)
        data = reader.yaml(path).data
    except ArtifactError:
        return None
    if not isinstance(data, dict):
        return None
    name, version, standard = _describe(data)
    return Dataset(
        path=path,
        name=name or path.rpartition("/")[2],
        version=version,
        standard=standard,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _describe(data: Mapping[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(name, version, standard) as ODCS (``apiVersion``) or DCS (``dataContractSpecification``)
    write them."""
    if "dataContractSpecification" in data:
        info = data.get("info")
        info = info if isinstance(info, Mapping) else {}
        return (
            _text(info.get("title") or data.get("id")),
            _text(info.get("version")),
            f"DCS {data['dataContractSpecification']}",
        )
    name = data.get("name") or data.get("datasetName") or data.get("id")
    standard = f"ODCS {data['apiVersion']}" if "apiVersion" in data else None
    return _text(name), _text(data.get("version")), standard
