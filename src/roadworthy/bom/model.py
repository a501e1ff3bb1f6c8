"""What a bill of materials says about each component, independent of any BOM format."""

from __future__ import annotations

from roadworthy.policy.model import Owner
from roadworthy.records import NamedTuple

# Where a weights file's digest comes from: a Git LFS pointer's oid (the SHA-256 of the bytes
# the pointer stands for), the SHA-256 of the file itself, or the MD5 a .dvc file records.
LFS, BYTES, DVC = "git-lfs-pointer", "file-bytes", "dvc-file"


class Digest(NamedTuple):
    algorithm: str  # "SHA-256" or "MD5", as CycloneDX names them
    value: str  # lowercase hex


class Weights(NamedTuple):
    path: str  # repository-relative POSIX path of the weights (for DVC: the tracked output)
    digest: Digest | None  # None: a DVC folder output, whose md5 names a listing, not bytes
    source: str  # LFS, BYTES or DVC
    size: int | None
    record: str  # the file the digest was read from (the pointer, the weights, the .dvc file)


class Metric(NamedTuple):
    name: str
    value: str
    slice: str  # the table column the value came from ("holdout 2025-Q4")


class Card(NamedTuple):
    path: str
    intended_use: str | None
    limitations: str | None
    training_data: str | None
    evaluation: str | None
    human_oversight: str | None
    metrics: tuple[Metric, ...]  # the model-index's, then the evaluation section's tables
    index_metrics: int = 0  # how many of ``metrics``, first, come from the model-index
    # Why evaluation evidence is not of the current weights ("MODEL_CARD.md model-index: ...");
    # its metrics are left out, so no stale result is presented as these weights' own.
    stale: tuple[str, ...] = ()

    def without_model_index(self, why: str) -> Card:
        return self._replace(
            metrics=self.metrics[self.index_metrics :],
            index_metrics=0,
            stale=(*self.stale, why),
        )


class Dataset(NamedTuple):
    path: str  # the data contract file
    name: str
    version: str | None
    standard: str | None  # "ODCS v3.0.2", "DCS 1.1.0"
    sha256: str  # of the contract file


class Entry(NamedTuple):
    """One component, as the BOM lists it."""

    name: str
    path: str
    version: str | None
    risk: str
    stage: str
    owners: tuple[Owner, ...]
    last_reviewed: str | None
    card: Card | None
    weights: tuple[Weights, ...]
    datasets: tuple[Dataset, ...]

    def properties(self) -> list[tuple[str, str]]:
        """What no BOM format has a field for, named alike in every format: the folder, risk,
        stage, owners (with their role) and the card's review date."""
        out = [
            ("roadworthy:path", self.path or "."),
            ("roadworthy:risk", self.risk),
            ("roadworthy:stage", self.stage),
        ]
        for owner in self.owners:
            name = f"roadworthy:owner:{owner.role}" if owner.role else "roadworthy:owner"
            out.append((name, owner.handle))
        if self.last_reviewed:
            out.append(("roadworthy:last-reviewed", self.last_reviewed))
        return out
