"""Shared by the population database tests: the counterpart reset around each test, and the
demo citizens the counterpart knows (counterpart/population/demo.py)."""

import pytest

from integrations.adapters import population as adapter

HOA = {"id_number": "014301012345", "name": "Lò Thị Hoa", "birth": "15/06/2001"}
SUNG = {"id_number": "014065000140", "name": "Tòng Đức Sùng", "birth": "12/04/1965"}
UNKNOWN = "014999000001"


@pytest.fixture
def population_db(counterpart):
    """The counterpart population database, reset (no fault, no look-up) around the test."""
    counterpart.population_control("POST", "reset")
    adapter.registry.cache_clear()
    adapter.breaker.cache_clear()
    yield counterpart
    counterpart.population_control("POST", "reset")
    adapter.registry.cache_clear()
