"""The weights a ``dvc.yaml``'s stages produce, placed where DVC writes them: under each stage's
``wdir`` (as change control places them), with the md5 its stage's ``dvc.lock`` entry records.
Real git repositories, the real CLI."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from testing.gitrepo import GitRepo

from tests.bom.conftest import by_name, props

Bom = Callable[..., dict[str, Any]]
A, B = "a" * 32, "b" * 32


def _stage(name: str, out: str, wdir: str | None = None) -> str:
    where = f"    wdir: {wdir}\n" if wdir is not None else ""
    return f"  {name}:\n{where}    cmd: python train.py\n    outs:\n    - {out}\n"


def _locked(name: str, out: str, md5: str) -> str:
    return (
        f"  {name}:\n    cmd: python train.py\n    outs:\n"
        f"    - path: {out}\n      md5: {md5}\n      size: 1234\n"
    )


def _weights(document: dict[str, Any]) -> dict[str, list[str]]:
    """Each DVC-recorded weights entry: name → its MD5s."""
    return {
        name: [h["content"] for h in c.get("hashes", [])]
        for name, c in by_name(document).items()
        if props(c).get("roadworthy:digest-source") == ["dvc-file"]
    }


def test_two_stages_writing_the_same_name_in_two_folders_keep_their_own_md5(
    make_repo: Callable[..., GitRepo], bom: Bom
) -> None:
    """Two stages of one ``dvc.yaml`` both write ``model.pkl``, one in its own folder and one
    under ``wdir: fraud``: each is listed where it is, with its own stage's md5."""
    pipeline = "stages:\n" + _stage("credit", "model.pkl") + _stage("fraud", "model.pkl", "fraud")
    lock = "schema: '2.0'\nstages:\n" + _locked("credit", "model.pkl", A)
    lock += _locked("fraud", "model.pkl", B)
    repo = make_repo({"models/dvc.yaml": pipeline, "models/dvc.lock": lock})
    found = _weights(bom(repo.path))
    assert found == {"models/model.pkl": [A], "models/fraud/model.pkl": [B]}, found


@pytest.mark.parametrize(
    "wdir", ["${folder}", "../../elsewhere"], ids=["templated", "out-of-the-repository"]
)
def test_a_stage_output_whose_place_is_unknown_or_outside_is_not_listed(
    make_repo: Callable[..., GitRepo], bom: Bom, wdir: str
) -> None:
    pipeline = "stages:\n" + _stage("train", "model.pkl", wdir)
    lock = "schema: '2.0'\nstages:\n" + _locked("train", "model.pkl", A)
    repo = make_repo({"models/dvc.yaml": pipeline, "models/dvc.lock": lock})
    document = bom(repo.path)
    assert _weights(document) == {}, document
