"""A component folder whose name begins with ``:`` reads, as a git pathspec, as magic: git
takes ``:credit/`` for ``credit/`` from the top. Diff mode listed a component's base files with
``git ls-tree -- <folder>/``, so the listing of ``:credit`` held nothing of it; and since the
base's folders a component asks about are answered from that listing (`CommitTree.children`),
``:credit`` had no marker at the base: an existing component read as one the change adds. An
added component with no base CODEOWNERS is approved by the owners its own card names, the card
the change wrote: mallory edits the weights, names carol in the card, carol approves, and the
change passed. (``:!credit/`` made git fail outright: every diff-mode check ended in an error.)
The index's listing (`--staged`, `approve`) had the same flaw: approving ``:credit`` bound the
digest of no files. Both now list ``:(literal)<folder>/``."""

from __future__ import annotations

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, POLICY, approve, base_files, card, codes

CAROL = ("Carol Dev", "carol@example.com")


def _repo(make_repo, folder: str) -> GitRepo:
    files = {
        k.replace("models/credit/", f"{folder}/"): v
        for k, v in base_files().items()
        if k != ".github/CODEOWNERS"  # owners in the cards
    }
    files["roadworthy.yaml"] = (
        POLICY
        + '  "@carol": [carol@example.com]\n'
        + "change_control:\n  approval: {verify: author}\n"
    )
    repo: GitRepo = make_repo(files)
    repo.git("branch", "base")
    return repo


def test_a_colon_folder_is_no_component_added_by_the_change(make_repo, judge, run_cli):
    repo = _repo(make_repo, ":credit")
    repo.write(
        {
            ":credit/model.onnx": b"weights-v2\n",
            ":credit/MODEL_CARD.md": card().replace('["@alice", "@bob"]', '["@carol"]'),
        }
    )
    repo.commit("new weights", author=MALLORY)
    approve(run_cli, repo, ":credit", "--by", "@carol")
    repo.commit("carol approves", author=CAROL)
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    message = next(m for c, _, m in found if c == "RW401")
    # Changed, not added: the base's owners (alice, bob) approve it, not the card's carol.
    assert "added" not in message and "owners: @alice, @bob" in message, message
    assert code == 1


def test_an_exclude_magic_folder_does_not_crash_diff_mode(make_repo, judge):
    repo = _repo(make_repo, ":!credit")
    repo.write({":!credit/model.onnx": b"weights-v2\n"})
    repo.commit("new weights", author=MALLORY)
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1
