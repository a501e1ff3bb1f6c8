"""A worker of ``--jobs`` sends back what its checks memoised, each value kept only if it
pickles when its component is done (`engine._portable`). A data contract whose ``version`` is
``.inf`` makes the schema check memoise the shipped schema's `Validator` without compiling it
(a non-finite document is answered before the engine is built): it pickles, so it is kept.
The next component of the same chunk, with a valid contract, compiles that same object, and
the chunk's answer no longer pickles (a jsonschema-rs validator): exit 3, an internal error,
where ``--jobs 1`` reports the findings. Every chunk is laid out so, whichever the worker
takes first."""

from __future__ import annotations

import json
from collections.abc import Callable

from testing.gitrepo import GitRepo

from tests.change.conftest import CONTRACT, base_files

COMPONENTS = 128  # over PARALLEL_FROM; with --jobs 2, chunks of 128 // 32 = 4 components
INFINITE = CONTRACT.replace("version: 1.0.0", "version: .inf")


def _repository(make_repo: Callable[..., GitRepo]) -> GitRepo:
    files = {k: v for k, v in base_files().items() if not k.startswith("models/")}
    for i in range(COMPONENTS):
        folder = f"models/m{i:03d}"
        files[f"{folder}/model.onnx"] = b"weights\n"
        # No contract before the eighth (the parent's first chunk), then every chunk of four
        # (they start at multiples of four) opens with an infinite contract and a valid one.
        if i >= 8 and i % 4 in (0, 1):
            files[f"{folder}/data_contract.yaml"] = INFINITE if i % 4 == 0 else CONTRACT
    return make_repo(files)


def test_jobs_report_what_one_process_reports(make_repo, run_cli):
    repo = _repository(make_repo)
    serial = run_cli("check", "--format", "json", "--jobs", "1", cwd=repo.path)
    assert serial.exit_code == 1, serial.err
    parallel = run_cli("check", "--format", "json", "--jobs", "2", cwd=repo.path)
    assert parallel.exit_code == 1, parallel.err
    assert json.loads(parallel.out) == json.loads(serial.out)
