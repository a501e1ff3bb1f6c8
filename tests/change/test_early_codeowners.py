"""CODEOWNERS is read while git diffs (pipeline._readers): each side as the change has it."""

from __future__ import annotations

import pytest

from tests.change.conftest import CODEOWNERS, MALLORY, POLICY, base_files, codes

# RW301 counts CODEOWNERS alone: the card's owners do not hide a rule the change drops.
OWNERS_ONLY = POLICY + "rules:\n  RW301:\n    options: {sources: [codeowners]}\n"
WITHOUT_MODEL = CODEOWNERS.replace("/models/credit/ @alice @bob\n", "")


def judged(repo, judge, mode: str) -> list[tuple[str, str, str]]:
    """The findings on what ``repo``'s work tree holds, staged (``--staged``) or committed by
    Mallory and judged against ``base`` (``--diff``)."""
    if mode == "--staged":
        repo.git("add", "-A")
        return judge(repo, "--staged")[1]
    repo.commit("the change", author=MALLORY)
    return judge(repo, "--diff", "base")[1]


@pytest.mark.parametrize("mode", ["--staged", "--diff"])
def test_the_head_codeowners_is_the_changed_one(make_repo, judge, mode):
    """The head's CODEOWNERS is the one the change leaves, the staged edit's or the commit's,
    though the commit's is read before git's diff is done."""
    repo = make_repo(base_files() | {"roadworthy.yaml": OWNERS_ONLY})
    repo.git("branch", "base")
    assert judge(repo, "--diff", "base") == (0, [])
    repo.write({".github/CODEOWNERS": WITHOUT_MODEL, "models/credit/train.yaml": "lr: 0.02\n"})
    found = judged(repo, judge, mode)
    assert "RW301" in codes(found)
    assert any("no owner for models/credit" in m for c, _, m in found if c == "RW301")


@pytest.mark.parametrize("mode", ["--staged", "--diff"])
def test_approvers_still_come_from_the_base_codeowners(make_repo, judge, mode):
    """The base's file, read before git's diff is done, is the one approvals are judged by."""
    repo = make_repo(base_files())
    repo.git("branch", "base")
    take_over = CODEOWNERS.replace("/models/credit/ @alice @bob", "/models/credit/ @mallory")
    repo.write({".github/CODEOWNERS": take_over, "models/credit/model.onnx": b"weights-v2\n"})
    found = judged(repo, judge, mode)
    assert "RW401" in codes(found) and "RW407" in codes(found)


def test_each_side_parses_codeowners_once(make_repo, judge, monkeypatch):
    """The readers made while git diffs are the ones the change is judged with: the base's
    file and the head's are parsed once each, not again by a second reader."""
    from roadworthy import artifacts

    parsed: list[str] = []
    real = artifacts.parse_codeowners

    def counting(text: str, path: str):
        parsed.append(text)
        return real(text, path)

    monkeypatch.setattr(artifacts, "parse_codeowners", counting)
    repo = make_repo(base_files())
    repo.git("branch", "base")
    extended = CODEOWNERS + "/docs/ @alice\n"
    repo.write({".github/CODEOWNERS": extended, "models/credit/model.onnx": b"weights-v2\n"})
    repo.commit("retrain", author=MALLORY)
    _, found = judge(repo, "--diff", "base")
    assert "RW401" in codes(found)
    assert sorted(parsed) == sorted([CODEOWNERS, extended])
