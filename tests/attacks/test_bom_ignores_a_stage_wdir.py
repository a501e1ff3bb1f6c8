"""The BOM lists the weights a component's ``dvc.yaml`` stages produce, with the md5 its
``dvc.lock`` records, joining each output to the ``dvc.yaml``'s folder. A stage's ``wdir`` is
left out (round 7 taught the BOM a ``.dvc`` file's ``wdir``, not a stage's): the credit
folder's stage with ``wdir: ../fraud`` writes the fraud model's weights, and the BOM calls
them ``models/credit/model.pkl``, the credit model's. Change control places the same output
under the ``wdir``. Attack round 9; real git repository, the real CLI."""

from __future__ import annotations

from testing.gitrepo import GitRepo

A = "a" * 32
PIPELINE = (
    "stages:\n  train:\n    wdir: ../fraud\n    cmd: python train.py\n    outs:\n    - model.pkl\n"
)
LOCK = (
    "schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    outs:\n"
    f"    - path: model.pkl\n      md5: {A}\n      size: 1234\n"
)


def test_the_bom_places_a_stage_output_under_its_wdir(tmp_path, run_cli):
    files: dict[str, str | bytes] = {
        "models/credit/README.md": "# Credit\n",
        "models/credit/dvc.yaml": PIPELINE,
        "models/credit/dvc.lock": LOCK,
        "models/fraud/README.md": "# Fraud\n",
    }
    GitRepo.init(tmp_path / "repo", files)
    result = run_cli("bom", cwd=tmp_path / "repo")
    assert result.exit_code == 0, result.err
    assert A in result.out, result.out  # the stage's output is listed
    assert '"name": "models/credit/model.pkl"' not in result.out, result.out
