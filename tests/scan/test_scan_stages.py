"""The scan's repositories × stage view, through the real scan over local git repositories: per
repository and stage, the components at it, how many are blocked from it and by which rule, in
scan.json (valid against its schema, summed in the totals), scan.csv and the dashboard."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from testing.gitrepo import GitRepo

from .conftest import BROKEN_POLICY, POLICY, by_target, read_report
from .test_scan_run import NO_COMPONENTS, validate

# The organisation's policy, with a rule that judges stages (an `evaluation` rule reports an
# unmet `requires`) and supervised components required to have a rollback plan.
REQUIRES = "stages:\n  supervised: {requires: [ACME102]}\n"
JUDGE = "  ACME201:\n    name: stage-not-earned\n    check: evaluation\n    dimension: governance\n"
GATED = POLICY + JUDGE + REQUIRES


def _model(name: str, stage: str, *, rollback: bool) -> dict[str, str]:
    files = {
        f"models/{name}/model.onnx": "onnx",
        f"models/{name}/MODEL_CARD.md": f"---\nstage: {stage}\n---\n# {name}\n\nA model.\n",
    }
    if rollback:
        files[f"models/{name}/ROLLBACK.md"] = "# Rollback\n\nRedeploy the previous tag.\n"
    return files


def _org(root: Path) -> None:
    GitRepo.init(
        root / "alpha",
        {
            "roadworthy.yaml": GATED,
            **_model("churn", "supervised", rollback=False),  # blocked: ACME201 (requires)
            **_model("fraud", "supervised", rollback=True),
            **_model("ranker", "shadow", rollback=False),  # a warning only: not blocked
        },
    )
    # No card: the strictest stage (autonomous), and red.
    GitRepo.init(root / "beta", {"roadworthy.yaml": POLICY, "models/sales/model.onnx": "onnx"})
    # Stage criteria but no rule to report them: the gate blocks on the criterion itself.
    GitRepo.init(
        root / "gamma",
        {"roadworthy.yaml": POLICY + REQUIRES, **_model("churn", "supervised", rollback=False)},
    )
    GitRepo.init(
        root / "broken", {"roadworthy.yaml": BROKEN_POLICY, **_model("x", "shadow", rollback=True)}
    )


def _row(components: int, blocked: int = 0, **by: int) -> dict[str, object]:
    return {"components": components, "blocked": blocked, "blocked_by": by}


def test_scan_json_has_the_stage_view(tmp_path: Path, run_cli) -> None:
    root = tmp_path / "org"
    _org(root)
    run_cli("scan", "alpha", "beta", "gamma", "broken", "-o", "out", "--quiet", cwd=root)
    report = read_report(root / "out")
    validate(report)
    repos = by_target(report)
    assert repos["alpha"]["stages"] == {
        "shadow": _row(1),
        "advisory": NO_COMPONENTS,
        "supervised": _row(2, 1, ACME201=1),
        "autonomous": NO_COMPONENTS,
    }
    assert list(repos["alpha"]["stages"]) == ["shadow", "advisory", "supervised", "autonomous"]
    assert repos["beta"]["stages"]["autonomous"] == _row(1, 1, ACME101=1)
    assert repos["gamma"]["stages"]["supervised"] == _row(1, 1, **{"requires ACME102": 1})
    assert repos["broken"]["stages"] is None
    assert report["totals"]["stages"] == {
        "shadow": _row(1),
        "advisory": NO_COMPONENTS,
        "supervised": _row(3, 2, ACME201=1, **{"requires ACME102": 1}),
        "autonomous": _row(1, 1, ACME101=1),
    }


def test_scan_csv_and_dashboard_show_what_blocks_each_stage(tmp_path: Path, run_cli) -> None:
    root = tmp_path / "org"
    _org(root)
    run_cli("scan", "alpha", "beta", "gamma", "broken", "-o", "out", "--quiet", cwd=root)
    rows = list(csv.DictReader(io.StringIO((root / "out/scan.csv").read_text())))
    gates = {
        (r["target"], r["component"]): (r["stage"], r["gate"], r["blocked"], r["blocked_by"])
        for r in rows
        if r["component"]
    }
    assert gates == {
        ("alpha", "churn"): ("supervised", "blocked", "true", "ACME201"),
        ("alpha", "fraud"): ("supervised", "ready", "false", ""),
        ("alpha", "ranker"): ("shadow", "ready", "false", ""),
        ("beta", "sales"): ("autonomous", "", "true", "ACME101"),
        ("gamma", "churn"): ("supervised", "blocked", "true", "requires ACME102"),
    }
    page = (root / "out/scan.html").read_text()
    table = page[
        page.index('<section id="stages">') : page.index("</section>", page.index('id="stages"'))
    ]
    assert '<tr><th scope="row">alpha</th><td class="st st-clear">1</td>' in table
    assert '2 · <b>1 blocked</b><div class="why">ACME201 ×1</div>' in table
    assert "broken" not in table  # not checked: no row
    assert "all repositories</th>" in table
    assert '3 · <b>2 blocked</b><div class="why">ACME201 ×1, requires ACME102 ×1</div>' in table
