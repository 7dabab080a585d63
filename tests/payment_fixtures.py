"""Helpers of the fee payment tests: a district whose procedure has a fee, dossiers submitted
online, and a payment started against the session's counterpart with the live server as the
portal's callback."""

import hashlib

import pytest

from dossiers import services

from .workflow_fixtures import CITIZEN, all_components

FEE = 15000


@pytest.fixture
def fee_district(district, counterpart):
    counterpart.payment_control("POST", "reset")
    procedure = district["procedure"]
    procedure.online_level = "full"
    procedure.fee_vnd = FEE
    procedure.fee_note = "Lệ phí chứng thực"
    procedure.save()
    return district


def submit(d, **applicant):
    return services.submit_online(
        procedure=d["procedure"],
        unit=d["counter"],
        applicant={**CITIZEN, **applicant},
        components=all_components(d["procedure"]),
    )


def start(live_server, dossier):
    """A payment request for ``dossier`` as the citizen's page makes it; the platform URL."""
    from integrations import payments

    return payments.start_online_payment(
        dossier.pk,
        ip="127.0.0.1",
        return_url=f"{live_server.url}/thanh-toan/ket-qua/",
        notify_url=f"{live_server.url}/thanh-toan/api/ket-qua/",
    )


def sha256_mac(message, fields, secret):
    """The checksum as the platform's partners compute it (written apart from the portal's)."""
    raw = "|".join(str(message.get(f, "")) for f in fields) + "|" + secret
    return hashlib.sha256(raw.encode()).hexdigest()
