"""``links``: relative links in Markdown artifacts resolve to files of the repository."""

from __future__ import annotations

import json

import pytest

CODE = "ACME101"
W = "placeholder weights\n"
CARD = "m/MODEL_CARD.md"
ARTIFACTS = {"model_card": ["MODEL_CARD.md"], "runbook": ["RUNBOOK.md"]}


def policy(options=None) -> str:
    rule = {"name": "under-test", "check": "links", "dimension": "integration"}
    if options is not None:
        rule["options"] = options
    return json.dumps({"version": 1, "artifacts": ARTIFACTS, "rules": {CODE: rule}})


def card(body: str, **extra: str | bytes) -> dict[str, str | bytes]:
    return {
        "m/model.onnx": W,
        CARD: f"# Card\n\n{body}\n",
        "m/docs/eval.md": "# Eval\n",
        "shared/glossary.md": "# Glossary\n",
        "roadworthy.yaml": policy(),
        **extra,
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    (
        pytest.param("See [eval](docs/eval.md).", [], id="relative"),
        pytest.param("See [eval](./docs/eval.md).", [], id="dot-slash"),
        pytest.param("See [docs](docs/) and [docs](docs).", [], id="folder"),
        pytest.param("See [terms](../shared/glossary.md).", [], id="parent-folder"),
        pytest.param("See [terms](/shared/glossary.md).", [], id="repository-rooted"),
        pytest.param("See [eval](docs/eval.md#results).", [], id="fragment-ignored"),
        pytest.param("See [eval](docs/eval.md?plain=1).", [], id="query-ignored"),
        pytest.param("See [top](#card).", [], id="fragment-only"),
        pytest.param("See [site](https://example.com/x.md).", [], id="url-not-followed"),
        pytest.param("Mail [us](mailto:ml@acme.example).", [], id="mailto"),
        pytest.param("See [card](MODEL_CARD.md).", [], id="itself"),
        pytest.param("`[not a link](nowhere.md)`", [], id="code-span"),
        pytest.param("```\n[not a link](nowhere.md)\n```", [], id="code-block"),
        pytest.param("<!-- [not a link](nowhere.md) -->", [], id="comment"),
        pytest.param("See [eval](docs/missing.md).", [(CODE, CARD, 3)], id="missing"),
        pytest.param("![plot](docs/roc.png)", [(CODE, CARD, 3)], id="image"),
        pytest.param("See [eval][e].\n\n[e]: docs/nope.md", [(CODE, CARD, 5)], id="reference"),
        pytest.param('<img src="docs/roc.png">', [(CODE, CARD, 3)], id="html-src"),
        pytest.param(
            "See [x](../../../etc/passwd).", [(CODE, CARD, 3)], id="leaves-the-repository"
        ),
        pytest.param("See [x](/../outside.md).", [(CODE, CARD, 3)], id="rooted-leaves"),
        pytest.param(
            "Line one.\n\nSee [a](a.md) and [b](b.md).",
            [(CODE, CARD, 5), (CODE, CARD, 5)],
            id="two-on-one-line",
        ),
    ),
)
def test_links(lint, body, expected):
    assert lint(card(body)) == expected


def test_percent_escapes_are_decoded(lint):
    files = card("See [report](docs/eval%20report.md).", **{"m/docs/eval report.md": "# R\n"})
    assert lint(files) == []


def test_runbook_links_are_checked_too(lint):
    files = card("Fine.", **{"m/RUNBOOK.md": "# Runbook\n## Alerts\nSee [dash](dash.md).\n"})
    assert lint(files) == [(CODE, "m/RUNBOOK.md", 3)]


def test_artifacts_option_limits_the_documents(lint):
    files = card("See [x](missing.md).", **{"m/RUNBOOK.md": "See [y](missing.md).\n"})
    files["roadworthy.yaml"] = policy({"artifacts": ["runbook"]})
    assert lint(files) == [(CODE, "m/RUNBOOK.md", 1)]


def test_paths_option(lint):
    files = card("See [x](missing.md).", **{"m/docs/extra.md": "See [y](gone.md).\n"})
    files["roadworthy.yaml"] = policy({"paths": ["docs/*.md"]})
    assert lint(files) == [(CODE, "m/docs/extra.md", 1)]


def test_link_to_an_untracked_file_is_broken(make_repo, run_cli):
    # The tracked files are the universe (workspace.py): a link to a file that is only in this
    # work tree (ignored, or never added) is broken in every fresh clone and in CI.
    repo = make_repo({**card("See [notes](notes.md)."), ".gitignore": "notes.md\n"})
    (repo.path / "m" / "notes.md").write_text("# Local notes\n")
    result = run_cli("check", "--format", "json", cwd=repo.path)
    found = [(f["code"], f["path"], f["line"]) for f in json.loads(result.out)["findings"]]
    assert found == [(CODE, CARD, 3)]


def test_an_unreadable_card_does_not_stop_the_runbook_check(lint):
    # SPEC §10 / RW001: "the rest are still checked". The card is binary; the runbook's broken
    # link must still be reported.
    files = card("unused", **{"m/RUNBOOK.md": "# Runbook\nSee [dash](dash.md).\n"})
    files[CARD] = b"PK\x03\x04\x00\x00binary card\x00"
    assert lint(files) == [("RW001", CARD, 1), (CODE, "m/RUNBOOK.md", 2)]


def test_an_unreadable_runbook_does_not_drop_the_cards_findings(lint):
    files = card("See [eval](docs/missing.md).", **{"m/RUNBOOK.md": b"\x00\x01binary\x00"})
    assert lint(files) == [(CODE, CARD, 3), ("RW001", "m/RUNBOOK.md", 1)]
