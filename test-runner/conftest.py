"""Session fixtures of the jneon e2e suite.

`stack` starts one whole stack for the session with `./jneon up --ports auto` in a temporary
directory and always stops it with `./jneon down`; teardown fails if any of its processes is
still alive or any service log holds an ERROR line that no test allowed (Stack.allowed_errors).
"""

from __future__ import annotations

import pytest

from fixtures.stack import running_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory):
    with running_stack(tmp_path_factory.mktemp("stack")) as started:
        yield started


@pytest.fixture
def env(stack):
    """The CLI view of the session stack; stops every endpoint the test made."""
    from fixtures.neon import Env

    e = Env(stack)
    yield e
    e.endpoints.stop_all()
