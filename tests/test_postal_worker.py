"""The shipment order through the real path: enqueued after the clerk's commit, sent by a real
Celery worker on the ``national`` queue to the postal counterpart over HTTP; an outage waits in
the row and the sweeper (the test acting as Celery beat) hands it to the worker again — one
order at the postal service however many attempts."""

import time

import pytest

from core.queue import enqueue
from integrations.models import Shipment

from .national_fixtures import purge_national_queue
from .test_postal_service import ordered, post, receive_by_post, to_result_ready  # noqa: F401

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def until(condition, timeout=60, every=0.5, sweep=False):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if sweep:
            enqueue("integrations.sweep_shipments", [()], what="sweep")
        time.sleep(every)
    return False


def test_the_worker_sends_after_commit_and_the_sweeper_retries_after_an_outage(
    post,  # noqa: F811
    province,
    national_worker,
):
    post.post_control("POST", "faults", json={"mode": "down", "count": 2})
    dossier = to_result_ready(province, receive_by_post(province))
    shipment = ordered(province, dossier)  # handed to the worker on commit

    def tried():
        shipment.refresh_from_db()
        return shipment.attempts >= 1 and "HTTP 503" in shipment.last_error

    assert until(tried), (shipment.state, shipment.last_error)
    assert shipment.state == Shipment.State.PENDING and shipment.next_attempt_at is not None

    def sent():
        shipment.refresh_from_db()
        return shipment.state == Shipment.State.SENT

    assert until(sent, timeout=90, every=1.0, sweep=True), (shipment.state, shipment.last_error)
    purge_national_queue()
    time.sleep(0.5)  # a sweep already taken ends before the test's flush
    [taken] = post.post_control("GET", "orders")
    assert taken["itemCode"] == shipment.tracking_code and taken["duplicates"] == 0
    assert shipment.attempts == 3 and shipment.last_error == ""
