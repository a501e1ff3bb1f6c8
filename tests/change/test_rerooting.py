"""A marker added above an existing component folds it into a new one: the change still needs
what the folded component needed (its owners at the base, as many as its risk asks)."""

from __future__ import annotations

from tests.change.conftest import MALLORY, POLICY, approve, base_files, card, codes

CAROL = ("Carol Friend", "carol@example.com")
POLICY = POLICY + '  "@carol": [carol@example.com]\n'  # the platform team's owner


def _repo(make_repo):
    files = base_files()
    files["roadworthy.yaml"] = POLICY
    # The platform team owns the models folder; the credit team owns the high-risk credit model.
    files[".github/CODEOWNERS"] = "/models/ @carol\n" + str(files[".github/CODEOWNERS"])
    files["models/credit/MODEL_CARD.md"] = card(risk="high")
    repo = make_repo(files)
    repo.git("branch", "base")
    return repo


def _reroot(repo):
    """Mallory puts a marker above the credit model, so that one component holds all models
    (owned by the platform team, of the default risk), and swaps the credit weights with it."""
    repo.write(
        {"models/model.yaml": "name: all-models\n", "models/credit/model.onnx": b"mallory's\n"}
    )
    repo.commit("one component for all models", author=MALLORY)


def test_the_outer_folders_owner_cannot_approve_alone(make_repo, judge, run_cli):
    repo = _repo(make_repo)
    _reroot(repo)
    approve(run_cli, repo, "models", "--by", "@carol")
    repo.commit("approve", author=CAROL)
    _, found = judge(repo)
    rw401 = [m for code, _, m in found if code == "RW401"]
    assert len(rw401) == 1
    assert "too few approvers among the owners of models/credit at the base" in rw401[0]
    assert "0 of 2 needed" in rw401[0]


def test_the_folded_components_owners_approve_it(make_repo, judge, run_cli):
    repo = _repo(make_repo)
    _reroot(repo)
    approve(run_cli, repo, "models", "--by", "@carol", "--by", "@alice", "--by", "@bob")
    repo.commit("approve", author=CAROL)
    _, found = judge(repo)
    assert "RW401" not in codes(found)


def test_an_ordinary_change_inherits_nothing(make_repo, judge, run_cli):
    repo = _repo(make_repo)
    repo.write(
        {
            "models/credit/model.onnx": b"v2\n",
            "models/credit/MODEL_CARD.md": card("1.1.0", risk="high"),
        }
    )
    repo.commit("new weights", author=MALLORY)
    approve(run_cli, repo, "credit", "--by", "@alice", "--by", "@bob")
    repo.commit("approve", author=CAROL)
    assert judge(repo) == (0, [])
