"""A sharded Hugging Face checkpoint is its shards *and* ``model.safetensors.index.json``, whose
``weight_map`` says which shard each tensor is loaded from. The shards are material, the index is
not: a change to the index alone swaps which bytes serve as which layer (here layer 0 and layer
1 trade their attention weights) with 0 findings, and an approval's digest does not cover it."""

from __future__ import annotations

import json

from testing.gitrepo import GitRepo

from tests.change.conftest import MALLORY, codes

INDEX = "models/credit/model.safetensors.index.json"


def _index(first: str, second: str) -> str:
    weight_map = {
        "model.layers.0.self_attn.q_proj.weight": first,
        "model.layers.1.self_attn.q_proj.weight": second,
    }
    return json.dumps({"metadata": {"total_size": 32}, "weight_map": weight_map}, indent=2) + "\n"


def test_a_new_weight_map_is_a_change_of_the_weights(credit_repo: GitRepo, judge):
    repo = credit_repo
    a, b = "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"
    repo.write(
        {
            f"models/credit/{a}": b"shard-1\n",
            f"models/credit/{b}": b"shard-2\n",
            INDEX: _index(a, b),
        }
    )
    repo.commit("sharded checkpoint")
    repo.git("branch", "-f", "base")

    repo.write({INDEX: _index(b, a)})
    repo.commit("regenerate the index", author=MALLORY)
    code, found = judge(repo)
    assert "RW401" in codes(found), found
    assert code == 1
