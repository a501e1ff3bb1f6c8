"""A verdicts file signed with the key beside it (a CI cache that restores the whole
``$XDG_CACHE_HOME/roadworthy`` folder, key included) whose body is JSON nested a hundred
thousand levels deep: ``json.loads`` raised RecursionError, which the reader did not catch, and
every ``roadworthy check`` ended in an internal error. A file that cannot be parsed is ignored,
as a tampered one is."""

from __future__ import annotations

import hashlib
import hmac
import os

from roadworthy.workspace import cachekey
from roadworthy.workspace.verdictcache import FOLDER, NAME

CONTRACT = (
    "apiVersion: v3.0.2\nkind: DataContract\nid: orders\nversion: 1.0.0\nstatus: 7\n"
    "schema:\n  - name: orders\n    properties:\n      - {name: a, logicalType: string}\n"
)


def test_a_deeply_nested_signed_verdicts_file_is_ignored(make_repo, run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "restored"))
    key = cachekey.secret()
    assert key is not None
    folder = tmp_path / "restored" / "roadworthy" / FOLDER
    folder.mkdir(mode=0o700)
    body = b'{"k":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    mac = hmac.new(key, b"verdicts\0" + body, hashlib.sha256).digest()
    fd = os.open(folder / NAME, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, mac + body)
    os.close(fd)
    repo = make_repo({"models/a/model.onnx": "weights\n", "models/a/data_contract.yaml": CONTRACT})
    result = run_cli("check", cwd=repo.path)
    assert result.exit_code == 1, result.err
    assert "data_contract.yaml" in result.out
