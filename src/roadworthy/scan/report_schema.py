"""The JSON Schema of ``scan.json`` (shipped as ``roadworthy/schemas/scan.schema.json``)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from roadworthy.formats import packaged
from roadworthy.formats.validation import Validator, format_path


@lru_cache(maxsize=1)
def scan_schema() -> dict[str, Any]:
    text = packaged.read_text("schemas", "scan.schema.json")
    data: dict[str, Any] = json.loads(text)
    return data


def problems(document: Any) -> list[str]:
    """What is wrong with ``document`` as a scan report, ``path: message`` each; [] if valid."""
    issues = Validator(scan_schema()).issues(document)
    return [f"{format_path(i.path) or 'document'}: {i.message}" for i in issues]
