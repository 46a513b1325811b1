import random  # noqa: E402

import pytest  # noqa: E402
from django.test import Client  # noqa: E402

from tests.conftest import warm_agency_cache  # noqa: E402
from tests.messaging.conftest import (  # noqa: F401 - shared fixtures
    outbox_in_process,
    slow_smtp_server,
    smtp_in_process,
    smtp_server,
)


@pytest.fixture
def client():
    """A visitor from an address of their own: the per-address sign-up limit counts per test."""
    warm_agency_cache()
    return Client(
        REMOTE_ADDR=f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    )
