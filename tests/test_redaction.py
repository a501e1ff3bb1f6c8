"""Tokens never reach output, in any form a token takes on its way through git and HTTP."""

from __future__ import annotations

import base64
import urllib.parse
from pathlib import Path

import pytest

from roadworthy.errors import redact

TOKEN = "ghs_Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2Q+/="


def forms(token: str) -> dict[str, str]:
    credential = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    return {
        "raw": token,
        "upper": token.upper(),
        "lower": token.lower(),
        "url-encoded": urllib.parse.quote(token, safe=""),
        "basic-credential": credential,
        "basic-credential-unpadded": credential.rstrip("="),
        "header": f"AUTHORIZATION: basic {credential}",
        "base64-token": base64.b64encode(token.encode()).decode(),
    }


@pytest.mark.parametrize("form", sorted(forms(TOKEN)))
def test_every_form_of_the_token_is_redacted(form):
    text = f"fatal: could not read from https://x/: {forms(TOKEN)[form]} (more)"
    cleaned = redact(text, [TOKEN])
    assert cleaned.startswith("fatal: could not read from https://x/: ")
    assert cleaned.endswith(" (more)")
    for value in forms(TOKEN).values():
        assert value not in cleaned


def test_the_environment_tokens_are_redacted_by_default(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    assert TOKEN not in redact(f"x {TOKEN} y")
    monkeypatch.delenv("GITHUB_TOKEN")
    monkeypatch.setenv("INPUT_GITHUB_TOKEN", TOKEN)
    assert redact(f"x {TOKEN} y") == "x *** y"


def test_short_values_are_not_secrets():
    assert redact("a b c", ["b"]) == "a b c"


def test_a_crash_file_and_the_crash_message_hold_no_token(run_cli, monkeypatch, tmp_path):
    from roadworthy import pipeline

    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the crash file goes
    credential = forms(TOKEN)["basic-credential"]

    def boom(*_args, **_kwargs):
        raise RuntimeError(f"request failed with header AUTHORIZATION: basic {credential}")

    monkeypatch.setattr(pipeline, "check", boom)
    (tmp_path / "repo").mkdir()
    result = run_cli("check", cwd=tmp_path / "repo")
    assert result.exit_code == 3
    crash_files = list(tmp_path.glob("roadworthy-crash-*.log"))
    assert len(crash_files) == 1
    written = crash_files[0].read_text() + result.err
    assert "RuntimeError" in written
    for value in forms(TOKEN).values():
        assert value not in written


def test_scan_reports_are_scrubbed(monkeypatch, tmp_path: Path):
    from roadworthy.scan import output
    from roadworthy.scan.document import document, error_entry

    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    leaked = forms(TOKEN)["url-encoded"]
    doc = document([error_entry("https://github.com/acme/x.git", f"git said {leaked}")])
    output.write(doc, tmp_path)
    for name in output.FILES:
        text = (tmp_path / name).read_text()
        assert "git said ***" in text or "git said" not in text, name
        for value in forms(TOKEN).values():
            assert value not in text, name


@pytest.mark.parametrize("user", ["x-access-token", "bot", "ab", "someone-else"])
@pytest.mark.parametrize("encode", [base64.b64encode, base64.urlsafe_b64encode])
def test_a_basic_credential_with_any_user_name_is_redacted(user, encode):
    credential = encode(f"{user}:{TOKEN}".encode()).decode()
    cleaned = redact(f"Authorization: Basic {credential}", [TOKEN])
    # What is left of the credential cannot give the token back.
    left = cleaned.replace("Authorization: Basic ", "").replace("***", "")
    assert TOKEN not in base64.b64decode(
        left + "=" * (-len(left) % 4), altchars=b"-_", validate=False
    ).decode("latin-1")
    assert "***" in cleaned


def test_a_plus_encoded_token_is_redacted():
    assert redact("q=" + urllib.parse.quote_plus(TOKEN + " x"), [TOKEN + " x"]) == "q=***"
