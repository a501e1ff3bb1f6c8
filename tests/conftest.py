from __future__ import annotations

from pathlib import Path

import pytest

# The shared corpus of real third-party files sits beside the checkout in development and CI;
# tests that read it skip cleanly where it is absent (e.g. an sdist build).
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not available")
    return CORPUS
