"""A one-commit range is credited to its author from the commit object's own ``parent`` lines,
while the base, the range and every other history question go through git's commit graph,
which honours ``.git/info/grafts`` (and ``.git/shallow``). bob's commit grafted onto alice's
retraining is a merge to git: ``git log base..HEAD`` lists alice's commit, and main credits her
with the weights. The fast path sees one parent, the base, and credits bob with everything, so
alice's approval of her own weights counts."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import ALICE, BOB, approve, card

ONNX = "models/credit/model.onnx"


def test_a_grafted_range_is_credited_as_git_walks_it(credit_repo: GitRepo, judge, run_cli) -> None:
    repo = credit_repo
    base = repo.head
    repo.git("checkout", "-q", "-b", "side")
    repo.write({ONNX: b"weights-v2\n", "models/credit/MODEL_CARD.md": card("1.1.0")})
    retrained = repo.commit("alice retrains", author=ALICE)
    repo.git("checkout", "-q", "main")
    repo.git("checkout", "-q", retrained, "--", ".")
    repo.add_all()
    approve(run_cli, repo, "models/credit", "--by", "@alice")
    landed = repo.commit("bob lands it with alice's approval", author=BOB)
    grafts = repo.path / ".git" / "info" / "grafts"
    grafts.parent.mkdir(exist_ok=True)
    grafts.write_text(f"{landed} {base} {retrained}\n")
    authors = repo.git("log", "--format=%ae", "base..HEAD").split()
    assert ALICE[1] in authors  # git's own view of the range

    code, found = judge(repo)
    assert any("self-approval" in message for _, _, message in found), found
    assert code == 1
