"""``SAFE_CONFIG`` pins the programs git would take from ``.git/config``, but not the one a
partial clone runs to fetch a missing object: ``remote.<name>.uploadpack`` of the promisor
remote. A repository (``.git/config`` travels with a copied work tree, as the pinned programs
assume) that says it is a partial clone and lacks one blob a check reads makes ``git cat-file``
fetch it lazily, which runs that program. Found attacking h/speed; main does the same."""

from __future__ import annotations

from pathlib import Path

from testing.gitrepo import GitRepo

from tests.change.conftest import card


def test_a_check_runs_no_program_the_repository_names(make_repo, run_cli, tmp_path: Path) -> None:
    repo: GitRepo = make_repo(
        {"models/credit/model.onnx": b"w\n", "models/credit/MODEL_CARD.md": card()}
    )
    repo.git("branch", "base")
    repo.write({"models/credit/model.onnx": b"w2\n"})
    repo.commit("retrain")
    ran = tmp_path / "ran"
    repo.git("config", "core.repositoryformatversion", "1")
    repo.git("config", "extensions.partialClone", "origin")
    repo.git("config", "remote.origin.url", str(tmp_path))
    repo.git("config", "remote.origin.promisor", "true")
    repo.git("config", "remote.origin.uploadpack", f"touch '{ran}'; false")
    blob = repo.git("rev-parse", "HEAD:models/credit/MODEL_CARD.md").strip()
    (repo.path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()

    run_cli("check", "--diff", "base", "--format", "json", cwd=repo.path)
    assert not ran.exists()
