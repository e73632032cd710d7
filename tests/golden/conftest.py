"""Golden pipeline tests: `pytest tests/golden --update-golden` rewrites the expected files.

The option lives here, not in the root conftest, so run it with this folder as the argument; reviewers
then read the diff of tests/golden/*/expected/ like any code change.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite tests/golden/*/expected/ from the current output instead of comparing.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden", default=False))
