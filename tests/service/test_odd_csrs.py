"""The odd CSRs of issue 8 item 13, sent to ``simpleenroll`` after a valid code proof: each is refused with its
documented status and code, nothing is issued, and the service logs no internal error."""

from __future__ import annotations

import base64
from contextlib import closing

import pytest

from tests.support import pki, storestate
from tests.support.service import ENROLL, Pairing, RunningService, call
from zmconsole.core.pairing.protocol import ProofPurpose


def _certificates(service: RunningService) -> list[tuple[object, ...]]:
    with closing(storestate.connect(service.home)) as conn:
        return conn.execute("SELECT serial, device_id FROM certificates ORDER BY id").fetchall()


@pytest.mark.parametrize("name", ["unknown_key_algorithm.csr.der", "unknown_curve.csr.der",
                                  "subject_bad_utf8.csr.der"])
def test_an_odd_csr_after_a_valid_proof_is_refused_cleanly(service: RunningService, name: str) -> None:
    paired = Pairing.of(service.pair("ZM-001"))  # the committed CSRs all name ZM-001
    der = pki.data(name)
    before = _certificates(service)
    answer = call(service, "POST", ENROLL, headers=paired.headers(ProofPurpose.ENROLL, der),
                  body=base64.encodebytes(der))
    assert (answer.status, answer.error["code"]) in ((400, "malformed_request"), (403, "policy_refused")), \
        (answer.status, answer.body)
    assert str(answer.error["message"]).strip()
    assert _certificates(service) == before
    log = service.log()
    assert "Traceback" not in log and "internal" not in log.lower()
