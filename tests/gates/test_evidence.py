"""Evidence bound to the current weights, on real git repositories through the CLI: digests of
plain files (read whole or streamed from git), Git LFS pointers and DVC-tracked weights, and a
card's model-index judged by history."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

POLICY = """version: 1
extends: [recommended]
stages:
  advisory: {evaluation: {metrics: {auc: ">= 0.80"}}}
"""
CARD = """---
version: 1.0.0
stage: advisory
{extra}---
# Model
"""
MODEL_INDEX = """model-index:
  - name: m
    results:
      - dataset: {name: holdout}
        metrics:
          - {type: auc, value: 0.9}
"""
OID = "sha256:" + "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"[:64]
POINTER = f"version https://git-lfs.github.com/spec/v1\noid {OID}\nsize 12345\n"
MD5 = "0123456789abcdef0123456789abcdef"
DVC = f"outs:\n- md5: {MD5}\n  size: 12345\n  path: model.onnx\n"


def _report(digest: str, path: str | None = "model.onnx") -> str:
    where = f"path: {path}, " if path else ""
    return f"weights: {{{where}digest: {digest}}}\nmetrics: {{auc: 0.9}}\n"


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _files(**files: str | bytes) -> dict[str, str | bytes | None]:
    out: dict[str, str | bytes | None] = {
        "roadworthy.yaml": POLICY,
        "m/MODEL_CARD.md": CARD.format(extra=""),
    }
    out.update({f"m/{k.replace('__', '.')}": v for k, v in files.items()})
    return out


def _gate(run_cli, path: Path, *args: str) -> tuple[list[str], list[dict[str, object]]]:
    result = run_cli("check", "--format", "json", *args, cwd=path)
    doc = json.loads(result.out)
    codes = sorted(f["code"] for f in doc["findings"] if f["code"] in ("RW207", "RW208"))
    return codes, doc["components"][0]["gate"]["criteria"]


WEIGHTS = b"weights v1\n"
BIG = bytes(range(256)) * 40  # over the size read whole: streamed through git


@pytest.mark.parametrize(
    ("files", "codes"),
    (
        pytest.param(
            {"model__onnx": WEIGHTS, "evaluation__yaml": _report(_sha256(WEIGHTS))},
            [],
            id="sha256-of-the-file",
        ),
        pytest.param(
            {"model__onnx": WEIGHTS, "evaluation__yaml": _report(_sha256(WEIGHTS), None)},
            [],
            id="digest-without-path",
        ),
        pytest.param(
            {"model__onnx": WEIGHTS, "evaluation__yaml": _report(_sha256(b"other"))},
            ["RW207", "RW208"],
            id="other-weights",
        ),
        pytest.param(
            {"model__onnx": BIG, "evaluation__yaml": _report(_sha256(BIG))}, [], id="large-file"
        ),
        pytest.param({"model__onnx": POINTER, "evaluation__yaml": _report(OID)}, [], id="lfs-oid"),
        pytest.param(
            {"model__onnx": POINTER, "evaluation__yaml": _report(_sha256(POINTER.encode()))},
            ["RW207", "RW208"],
            id="lfs-pointer-bytes-are-not-the-weights",
        ),
        pytest.param(
            {"model__onnx__dvc": DVC, "evaluation__yaml": _report(f"md5:{MD5}")}, [], id="dvc-md5"
        ),
        pytest.param(
            {"model__onnx__dvc": DVC, "evaluation__yaml": _report("md5:" + "f" * 32)},
            ["RW207", "RW208"],
            id="dvc-other-md5",
        ),
    ),
)
def test_report_digest(make_repo, run_cli, files, codes) -> None:
    repo = make_repo(_files(**files))
    assert _gate(run_cli, repo.path)[0] == codes


@pytest.mark.parametrize("data", [WEIGHTS, BIG], ids=["small", "large"])
def test_report_digest_in_diff_mode(make_repo, run_cli, data: bytes) -> None:
    # Diff mode reads the weights from the commit (git objects), not from the work tree.
    repo = make_repo(_files(model__onnx=b"old", evaluation__yaml=_report(_sha256(b"old"))))
    repo.write({"m/model.onnx": data, "m/evaluation.yaml": _report(_sha256(data))})
    repo.commit("new weights")
    (repo.path / "m/model.onnx").write_bytes(b"not committed")  # must not be read
    codes, criteria = _gate(run_cli, repo.path, "--diff", "HEAD~1")
    assert codes == []
    assert criteria == [
        {"criterion": "auc >= 0.80", "value": "0.9", "met": True, "evidence": "m/evaluation.yaml"}
    ]


def _card(extra: str = MODEL_INDEX) -> str:
    return CARD.format(extra=extra)


def test_model_index_counts_when_committed_with_the_weights(make_repo, run_cli) -> None:
    repo = make_repo(_files(model__onnx=WEIGHTS, MODEL_CARD__md=_card()))
    assert _gate(run_cli, repo.path)[0] == []


def test_model_index_counts_when_the_card_is_newer(make_repo, run_cli) -> None:
    repo = make_repo(_files(model__onnx=WEIGHTS, MODEL_CARD__md=_card()))
    repo.write({"m/MODEL_CARD.md": _card() + "More.\n"})
    repo.commit("card")
    assert _gate(run_cli, repo.path)[0] == []


def test_model_index_is_stale_when_the_weights_are_newer(make_repo, run_cli) -> None:
    repo = make_repo(_files(model__onnx=WEIGHTS, MODEL_CARD__md=_card()))
    repo.write({"m/model.onnx": b"weights v2\n"})
    repo.commit("weights")
    result = run_cli("check", cwd=repo.path)
    assert "RW208 invalid-evaluation-evidence: the card's model-index" in result.out
    assert _gate(run_cli, repo.path)[0] == ["RW207", "RW208"]


@pytest.mark.parametrize(
    ("change", "codes"),
    (
        pytest.param({"m/model.onnx": b"v2"}, ["RW207", "RW208"], id="weights-alone"),
        # A card edit that leaves the model-index as it was (prose, a promotion) is no new
        # evidence: the metrics still describe the old weights.
        pytest.param(
            {"m/model.onnx": b"v2", "m/MODEL_CARD.md": _card() + "v2\n"},
            ["RW207", "RW208"],
            id="with-card-prose",
        ),
        pytest.param(
            {"m/model.onnx": b"v2", "m/MODEL_CARD.md": _card(MODEL_INDEX.replace("0.9", "0.91"))},
            [],
            id="with-new-model-index",
        ),
        pytest.param({"m/MODEL_CARD.md": _card() + "edit\n"}, [], id="card-alone"),
    ),
)
def test_model_index_in_diff_mode(make_repo, run_cli, change, codes) -> None:
    repo = make_repo(_files(model__onnx=WEIGHTS, MODEL_CARD__md=_card()))
    repo.write(change)
    repo.commit("change")
    assert _gate(run_cli, repo.path, "--diff", "HEAD~1")[0] == codes


def test_model_index_without_git_history(make_repo, run_cli, tmp_path: Path) -> None:
    repo = make_repo(_files(model__onnx=WEIGHTS, MODEL_CARD__md=_card()))
    plain = tmp_path / "plain"
    shutil.copytree(repo.path, plain, ignore=shutil.ignore_patterns(".git"))
    result = run_cli("check", cwd=plain)
    assert "without git history roadworthy cannot tell" in result.out


def test_as_of_gives_the_same_bytes_on_any_day(make_repo, run_cli, monkeypatch) -> None:
    report = _report(_sha256(WEIGHTS)) + "window: {start: 2026-11-01, end: 2026-12-31}\n"
    repo = make_repo(_files(model__onnx=WEIGHTS, evaluation__yaml=report))
    repo.write({"roadworthy.yaml": POLICY.replace("}}}", "}, window_days: 40}}")})
    repo.commit("window")
    outputs = {}
    for day in ("2026-11-20", "2027-03-01"):
        monkeypatch.setenv("ROADWORTHY_TODAY", day)  # the machine's date, as far as runs go
        pinned = run_cli("check", "--as-of", "2026-12-05", "--format", "json", cwd=repo.path)
        unpinned = run_cli("check", "--format", "json", cwd=repo.path)
        outputs[day] = (pinned.out, unpinned.out)
    assert outputs["2026-11-20"][0] == outputs["2027-03-01"][0]
    assert outputs["2026-11-20"][1] != outputs["2027-03-01"][1]  # what --as-of prevents
    assert '"value": "35 days"' in outputs["2026-11-20"][0]


def test_as_of_must_be_a_date(make_repo, run_cli) -> None:
    repo = make_repo(_files(model__onnx=WEIGHTS))
    result = run_cli("check", "--as-of", "2026-02-30", cwd=repo.path)
    assert (result.exit_code, result.err) == (
        2,
        "roadworthy: --as-of '2026-02-30' is not a date (YYYY-MM-DD)\n",
    )


def test_a_markdown_evaluation_report_is_prose_not_evidence(make_repo, run_cli) -> None:
    # Policies name Markdown write-ups as their evaluation_report (for co-change rules).
    policy = POLICY + "artifacts:\n  evaluation_report: [EVALUATION.md, evaluation.yaml]\n"
    files = _files(model__onnx=WEIGHTS, EVALUATION__md="# Evaluation\nAUC 0.9\n")
    files |= {"roadworthy.yaml": policy, "m/evaluation.yaml": _report(_sha256(WEIGHTS))}
    repo = make_repo(files)
    codes, criteria = _gate(run_cli, repo.path)
    assert codes == []
    assert criteria[0]["evidence"] == "m/evaluation.yaml"
