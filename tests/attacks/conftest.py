"""Attacks on change control, built on the same repositories as tests/change and tests/action."""

from tests.action.conftest import credit_main, fake_github, run_action  # noqa: F401  (fixtures)
from tests.change.conftest import credit_repo, judge  # noqa: F401  (fixtures)
