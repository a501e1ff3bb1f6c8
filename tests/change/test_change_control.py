"""Change control on real git histories: material changes, approvals, versions, governance."""

from __future__ import annotations

import json

import pytest

from tests.change.conftest import ALICE, BOB, CONTRACT, MALLORY, card, codes


def test_the_base_repository_is_clean(credit_repo, run_cli):
    result = run_cli("check", "--format", "json", cwd=credit_repo.path)
    assert json.loads(result.out)["findings"] == []
    assert result.exit_code == 0


def test_unrelated_change_is_not_material(credit_repo, judge):
    credit_repo.write({"README.md": "# docs\n"})
    credit_repo.commit("docs", author=MALLORY)
    assert judge(credit_repo) == (0, [])


# -- weights ---------------------------------------------------------------


def new_weights(repo, *, version="1.1.0", author=MALLORY, weights=b"weights-v2\n"):
    updated = card(version, extra="\nRetrained on 2026 data.\n")
    repo.write({"models/credit/model.onnx": weights, "models/credit/MODEL_CARD.md": updated})
    repo.commit("retrain", author=author)


def test_unapproved_weights(credit_repo, judge):
    new_weights(credit_repo)
    code, found = judge(credit_repo)
    assert code == 1
    assert codes(found) == ["RW401"]
    assert "no approval" in found[0][2]
    assert "weights: models/credit/model.onnx changed" in found[0][2]


def test_approved_weights_pass_and_survive_an_unrelated_push(credit_repo, judge, run_cli):
    new_weights(credit_repo)
    from tests.change.conftest import approve

    approve(run_cli, credit_repo, "models/credit", "--by", "@alice", "--ticket", "CHG-1")
    credit_repo.commit("approve", author=ALICE)
    assert judge(credit_repo) == (0, [])
    credit_repo.write({"docs/notes.md": "unrelated\n"})
    credit_repo.commit("unrelated push", author=MALLORY)
    assert judge(credit_repo) == (0, [])


def test_approval_goes_stale_on_new_bytes(credit_repo, judge, run_cli):
    from tests.change.conftest import approve

    new_weights(credit_repo)
    approve(run_cli, credit_repo, "credit", "--by", "@alice")
    credit_repo.commit("approve", author=ALICE)
    credit_repo.write({"models/credit/model.onnx": b"weights-v3\n"})
    credit_repo.commit("more training", author=MALLORY)
    _, found = judge(credit_repo)
    assert codes(found) == ["RW401"]
    assert "stale approval" in found[0][2]


def test_approved_but_no_version_bump(credit_repo, judge, run_cli):
    from tests.change.conftest import approve

    new_weights(credit_repo, version="1.0.0")
    approve(run_cli, credit_repo, "credit", "--by", "@alice")
    credit_repo.commit("approve", author=ALICE)
    _, found = judge(credit_repo)
    assert codes(found) == ["RW404"]
    # At the changed weights (in the diff), not at the unchanged version line.
    assert found[0][1] == "models/credit/model.onnx"
    assert "version stays 1.0.0" in found[0][2]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    (
        pytest.param("1.0.0", "1.0.1", [], id="semver-patch"),
        pytest.param("1.0.0", "1.0.0-rc.1", ["RW404"], id="semver-prerelease-is-lower"),
        pytest.param("1.0", "1.0.post1", [], id="pep440-post"),
        pytest.param("2.0.0", "1.9.9", ["RW404"], id="lowered"),
        pytest.param("1.0.0", "banana", ["RW404"], id="unparseable"),
    ),
)
def test_version_comparison(make_repo, judge, run_cli, old, new, expected):
    from tests.change.conftest import approve, base_files

    files = base_files()
    files["models/credit/MODEL_CARD.md"] = card(old)
    repo = make_repo(files)
    repo.git("branch", "base")
    new_weights(repo, version=new)
    approve(run_cli, repo, "credit", "--by", "@alice")
    repo.commit("approve", author=ALICE)
    _, found = judge(repo)
    assert sorted(c for c in codes(found) if c.startswith("RW404")) == expected


def test_new_weights_without_card_update(credit_repo, judge):
    credit_repo.write({"models/credit/model.onnx": b"weights-v2\n"})
    credit_repo.commit("swap weights only", author=MALLORY)
    _, found = judge(credit_repo)
    assert "RW405" in codes(found)
    co_change = next(f for f in found if f[0] == "RW405")
    assert co_change[1] == "models/credit/model.onnx"  # the change, not the unchanged card
    assert "(models/credit/MODEL_CARD.md) did not change" in co_change[2]


# -- Git LFS ---------------------------------------------------------------

POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n"


def test_lfs_pointer_change_is_a_weights_change(make_repo, judge):
    from tests.change.conftest import base_files

    files = base_files()
    files["models/credit/weights.bin"] = POINTER.format(oid="a" * 64, size=1048576)
    repo = make_repo(files)
    repo.git("branch", "base")
    repo.write(
        {
            "models/credit/weights.bin": POINTER.format(oid="b" * 64, size=1048577),
            "models/credit/MODEL_CARD.md": card("1.1.0"),
        }
    )
    repo.commit("new LFS weights", author=MALLORY)
    _, found = judge(repo)
    assert codes(found) == ["RW401"]
    assert "now points at other LFS content" in found[0][2]


def test_lfs_pointer_rewritten_without_new_content_is_not_material(make_repo, judge):
    from tests.change.conftest import base_files

    files = base_files()
    files["models/credit/weights.bin"] = POINTER.format(oid="a" * 64, size=10)
    repo = make_repo(files)
    repo.git("branch", "base")
    # An extension line, in its sorted place (the spec orders every key after `version`).
    base, rest = POINTER.format(oid="a" * 64, size=10).split("\n", 1)
    same = f"{base}\next-0-foo sha256:{'c' * 64}\n{rest}"
    repo.write({"models/credit/weights.bin": same})
    repo.commit("pointer extension line", author=MALLORY)
    assert judge(repo) == (0, [])


# -- keyed configuration ---------------------------------------------------------------

KEYED_POLICY = """\
version: 1
extends: [recommended]
people: {"@alice": [alice@example.com], "@bob": [bob@example.com]}
change_control:
  material:
    - {name: training-config, paths: ["**/train*.yaml"], keys: [hyperparameters]}
"""


@pytest.fixture()
def keyed_repo(make_repo):
    from tests.change.conftest import base_files

    files = base_files()
    files["roadworthy.yaml"] = KEYED_POLICY
    repo = make_repo(files)
    repo.git("branch", "base")
    return repo


def test_comment_and_order_change_of_a_keyed_config_is_not_material(keyed_repo, judge):
    keyed_repo.write(
        {
            "models/credit/train.yaml": "notes: second run  # a note\nhyperparameters:\n  depth: 6\n  lr: 0.01\n"
        }
    )
    keyed_repo.commit("reformat", author=MALLORY)
    assert judge(keyed_repo) == (0, [])


def test_value_change_of_a_keyed_config_is_material(keyed_repo, judge):
    keyed_repo.write(
        {
            "models/credit/train.yaml": "hyperparameters:\n  lr: 0.02\n  depth: 6\n",
            "models/credit/MODEL_CARD.md": card("1.1.0"),
        }
    )
    keyed_repo.commit("tune", author=MALLORY)
    _, found = judge(keyed_repo)
    assert codes(found) == ["RW401"]
    assert "values changed at hyperparameters.lr" in found[0][2]


def test_weights_stay_material_when_a_repository_adds_a_keyed_entry(keyed_repo, judge):
    keyed_repo.write(
        {"models/credit/model.onnx": b"v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")}
    )
    keyed_repo.commit("retrain", author=MALLORY)
    _, found = judge(keyed_repo)
    assert "weights: models/credit/model.onnx changed" in found[0][2]


# -- data contracts ---------------------------------------------------------------


def test_breaking_contract_change_needs_a_major_bump(credit_repo, judge, run_cli):
    from tests.change.conftest import approve

    broken = CONTRACT.replace("      - {name: amount, logicalType: number}\n", "").replace(
        "version: 1.0.0", "version: 1.1.0"
    )
    credit_repo.write(
        {"models/credit/data_contract.yaml": broken, "models/credit/MODEL_CARD.md": card("1.1.0")}
    )
    credit_repo.commit("drop amount", author=MALLORY)
    _, found = judge(credit_repo)
    assert codes(found) == ["RW401", "RW403"]
    rw403 = next(f for f in found if f[0] == "RW403")
    assert "property applications.amount removed" in rw403[2]
    credit_repo.write(
        {"models/credit/data_contract.yaml": broken.replace("version: 1.1.0", "version: 2.0.0")}
    )
    credit_repo.commit("major bump", author=MALLORY)
    approve(run_cli, credit_repo, "credit", "--by", "@alice")
    credit_repo.commit("approve", author=ALICE)
    assert judge(credit_repo) == (0, [])


def test_compatible_contract_change_is_not_material(credit_repo, judge):
    added = CONTRACT + "      - {name: channel, logicalType: string}\n"
    credit_repo.write({"models/credit/data_contract.yaml": added})
    credit_repo.commit("optional column", author=MALLORY)
    assert judge(credit_repo) == (0, [])


# -- stage, risk, owners ---------------------------------------------------------------


def test_stage_promotion_is_material_and_the_new_stage_rules_apply(make_repo, judge):
    from tests.change.conftest import base_files

    files = base_files()
    files["models/credit/MODEL_CARD.md"] = card(stage="advisory")
    files["models/credit/ROLLBACK.md"] = None
    repo = make_repo({k: v for k, v in files.items() if v is not None})
    repo.git("branch", "base")
    repo.write({"models/credit/MODEL_CARD.md": card("1.1.0", stage="autonomous")})
    repo.commit("promote", author=MALLORY)
    _, found = judge(repo)
    assert codes(found) == ["RW103", "RW401"]
    assert (
        "stage promoted from advisory to autonomous" in next(f for f in found if f[0] == "RW401")[2]
    )


def test_risk_lowered_is_material(credit_repo, judge):
    credit_repo.write({"models/credit/MODEL_CARD.md": card("1.1.0", risk="minimal")})
    credit_repo.commit("less risky, says I", author=MALLORY)
    _, found = judge(credit_repo)
    assert "risk lowered from limited to minimal" in found[0][2]


# -- deletions and --staged --------------------------------------------------------------------------


def test_staged_deletion_of_a_required_artifact(credit_repo, judge):
    credit_repo.git("rm", "-q", "models/credit/RUNBOOK.md")
    code, found = judge(credit_repo, "--staged")
    assert code == 1
    assert codes(found) == ["RW104", "RW402"]
    assert (
        "models/credit/RUNBOOK.md is deleted by this change"
        in next(f for f in found if f[0] == "RW402")[2]
    )


def test_staged_ignores_the_work_tree(credit_repo, judge):
    (credit_repo.path / "models/credit/model.onnx").write_bytes(b"unstaged edit\n")
    assert judge(credit_repo, "--staged") == (0, [])


def test_staged_rename_of_the_card_is_seen(credit_repo, judge):
    credit_repo.git("mv", "models/credit/MODEL_CARD.md", "models/credit/CARD.md")
    _, found = judge(credit_repo, "--staged")
    assert "RW101" in codes(found) and "RW402" in codes(found)


# -- approval failures, one reason each ---------------------------------------------------------------


def approve_as(run_cli, repo, *handles, author=ALICE):
    from tests.change.conftest import approve

    args = []
    for handle in handles:
        args += ["--by", handle]
    approve(run_cli, repo, "credit", *args)
    repo.commit("approve", author=author)


def test_self_approval(credit_repo, judge, run_cli):
    new_weights(credit_repo, author=ALICE)
    approve_as(run_cli, credit_repo, "@alice")
    _, found = judge(credit_repo)
    assert "self-approval: @alice authored this change" in found[0][2]


def test_approver_not_an_owner(credit_repo, judge, run_cli):
    new_weights(credit_repo)
    approve_as(run_cli, credit_repo, "@carol")
    _, found = judge(credit_repo)
    assert "approver not an owner: @carol" in found[0][2]


def test_too_few_approvers_for_high_risk(make_repo, judge, run_cli):
    from tests.change.conftest import base_files

    files = base_files()
    files["models/credit/MODEL_CARD.md"] = card(risk="high")
    repo = make_repo(files)
    repo.git("branch", "base")
    repo.write(
        {
            "models/credit/model.onnx": b"v2\n",
            "models/credit/MODEL_CARD.md": card("1.1.0", risk="high"),
        }
    )
    repo.commit("retrain", author=MALLORY)
    approve_as(run_cli, repo, "@alice")
    _, found = judge(repo)
    assert "too few approvers: 1 of 2 needed" in found[0][2]
    approve_as(run_cli, repo, "@alice", "@bob")
    assert judge(repo) == (0, [])


def test_owners_come_from_the_base_not_the_change(credit_repo, judge, run_cli):
    new_weights(credit_repo)
    credit_repo.write({".github/CODEOWNERS": "/models/credit/ @mallory\n"})
    credit_repo.commit("take over", author=MALLORY)
    approve_as(run_cli, credit_repo, "@mallory", author=MALLORY)
    _, found = judge(credit_repo)
    reasons = " ".join(m for _, _, m in found)
    assert "approver not an owner: @mallory" in reasons
    assert "RW407" in codes(found)  # the CODEOWNERS change itself needs a governance approval


# -- trust levels ---------------------------------------------------------------

VERIFY_POLICY = """\
version: 1
extends: [recommended]
people:
  "@alice": [alice@example.com]
  "@bob": [bob@example.com]
change_control:
  approval: {{verify: {level}, allowed_signers: .github/allowed_signers}}
"""


def test_verify_author_accepts_an_entry_committed_by_its_approver(make_repo, judge, run_cli):
    from tests.change.conftest import base_files

    files = base_files()
    files["roadworthy.yaml"] = VERIFY_POLICY.format(level="author")
    repo = make_repo(files)
    repo.git("branch", "base")
    new_weights(repo)
    approve_as(run_cli, repo, "@alice", author=ALICE)
    assert judge(repo) == (0, [])


def test_verify_author_rejects_an_entry_committed_by_someone_else(make_repo, judge, run_cli):
    from tests.change.conftest import base_files

    files = base_files()
    files["roadworthy.yaml"] = VERIFY_POLICY.format(level="author")
    repo = make_repo(files)
    repo.git("branch", "base")
    new_weights(repo)
    approve_as(run_cli, repo, "@alice", author=BOB)
    _, found = judge(repo)
    assert "unverified author" in found[0][2] and "bob@example.com" in found[0][2]


def test_verify_is_capped_at_entry_for_a_commit_not_yet_made(make_repo, judge, run_cli):
    from tests.change.conftest import approve, base_files

    files = base_files()
    files["roadworthy.yaml"] = VERIFY_POLICY.format(level="author")
    repo = make_repo(files)
    repo.write({"models/credit/model.onnx": b"v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")})
    repo.add_all()
    approve(run_cli, repo, "credit", "--by", "@bob")
    repo.add_all()
    assert judge(repo, "--staged") == (0, [])


# -- missing revisions ---------------------------------------------------------------


def test_missing_base_revision_is_exit_2_with_advice(credit_repo, run_cli):
    result = run_cli("check", "--diff", "origin/main...HEAD", cwd=credit_repo.path)
    assert result.exit_code == 2
    assert "revision 'origin/main' not found" in result.err
    assert "git fetch origin origin/main" in result.err
    assert "Traceback" not in result.err


def test_shallow_clone_without_the_base(credit_repo, run_cli, tmp_path):
    new_weights(credit_repo)
    clone = tmp_path / "shallow"
    credit_repo.git("clone", "-q", "--depth", "1", f"file://{credit_repo.path}", str(clone))
    result = run_cli("check", "--diff", "HEAD~1", cwd=clone)
    assert result.exit_code == 2
    assert "shallow clone" in result.err and "fetch-depth: 0" in result.err


# -- hook mode ---------------------------------------------------------------


def test_hook_uses_pre_commit_refs(credit_repo, judge, monkeypatch):
    new_weights(credit_repo)
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", "base")
    monkeypatch.setenv("PRE_COMMIT_TO_REF", "HEAD")
    _, found = judge(credit_repo, "--hook")
    assert codes(found) == ["RW401"]


def test_hook_without_refs_checks_the_staged_change(credit_repo, judge):
    credit_repo.write({"models/credit/model.onnx": b"staged weights\n"})
    credit_repo.add_all()
    _, found = judge(credit_repo, "--hook")
    assert "RW401" in codes(found)
