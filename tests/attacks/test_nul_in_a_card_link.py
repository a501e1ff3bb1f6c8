"""A model card links to ``../../NOTES%00.md``. The ``links`` check percent-decodes the target
to a path with a NUL in it and, as it leaves the component, asks the work tree whether it
exists. ``Path.exists`` answers False for a name the system cannot take (its ValueError); the
one-lstat shortcut of ``WorkTree.exists`` lets ``os.lstat``'s ValueError out, and one line in
a pull request turns every full check into exit 3 (an internal error and a crash file)
instead of one broken-link warning."""

from __future__ import annotations

import json

import pytest
from testing.gitrepo import GitRepo

from tests.change.conftest import card


@pytest.mark.parametrize("target", ["../../NOTES%00.md", "/docs/a%00b.md"], ids=["up", "root"])
def test_a_nul_in_a_link_is_a_broken_link_not_a_crash(credit_repo: GitRepo, run_cli, target):
    credit_repo.write({"models/credit/MODEL_CARD.md": card(extra=f"\nSee [notes]({target}).\n")})
    credit_repo.commit("card links to the notes")
    result = run_cli("check", "--format", "json", cwd=credit_repo.path)
    assert result.exit_code != 3, result.err
    found = [(f["code"], f["message"]) for f in json.loads(result.out)["findings"]]
    assert ("RW206", f"link to {target!r} does not resolve") in found, found
