"""Store-backed pairing in the core (``pairing.tickets``, ``pairing.answers``, ``pairing.signer``), without a network.

Time is passed in (``now``); the device side is computed with ``pairing.protocol`` from the QR text and the
code, the way a device would. What the store holds is read with plain ``sqlite3`` (tests/support/storestate).
"""

from __future__ import annotations

import base64
import hashlib
import signal
import subprocess
import sys
import threading
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.conftest import PASSPHRASE, build_csr
from tests.support import referees, storestate
from tests.support.pki import write_pem
from zmconsole.core import audit, issuance, revocation
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import ConflictError, InputError, PolicyError
from zmconsole.core.pairing import answers, protocol, tickets
from zmconsole.core.pairing import bundle as pairing_bundle
from zmconsole.core.pairing.answers import PairingRefused, PairingRequest
from zmconsole.core.pairing.protocol import KeyMode, PayloadError, ProofPurpose
from zmconsole.core.pairing.refusals import MAX_SOURCES, SUMMARY_WINDOW, RefusalLog
from zmconsole.core.pairing.signer import ensure_signer, signer_chain
from zmconsole.core.pairing.state import ISSUING_TIMEOUT
from zmconsole.core.store import Store
from zmconsole.service.refusals import http_status

URL = "https://127.0.0.1:8443/"


class Device:
    """The device's side of one pairing, from the QR text and the typed code."""

    def __init__(self, ticket: tickets.Ticket, code: str | None = None) -> None:
        self.payload = protocol.decode_payload(ticket.qr_text)
        self.device_id = self.payload.device_id
        self.keys = protocol.derive_code_keys(self.payload.token, self.device_id, code or ticket.pairing_code)

    def request(self, purpose: ProofPurpose, body: bytes, *, sent: bytes | None = None,
                device_id: str | None = None) -> PairingRequest:
        proof = protocol.make_code_proof(self.keys.auth_key, purpose=purpose, token=self.payload.token,
                                                 device_id=device_id or self.device_id, body=body)
        return PairingRequest(device_id or self.device_id, self.payload.token.hex(), proof.hex(),
                              base64.b64encode(body) if sent is None else sent, "192.0.2.7")

    def csr_request(self, cn: str | None = None, key: object | None = None) -> PairingRequest:
        der = build_csr(cn or self.device_id, key=key, country=None, org=None, ou=None, der=True)
        return self.request(ProofPurpose.ENROLL, der)

    def bundle_request(self) -> PairingRequest:
        return self.request(ProofPurpose.BUNDLE, b"", sent=b"")


def wrong_code(ticket: tickets.Ticket) -> str:
    return f"{(int(ticket.pairing_code) + 1) % 10**8:08d}"


def certificate_count(home: Path, device_id: str) -> int:
    with closing(storestate.connect(home)) as conn:
        return int(conn.execute("SELECT count(*) FROM certificates WHERE device_id = ?", (device_id,)).fetchone()[0])


def refusal(call: object, code: str) -> PairingRefused:
    with pytest.raises(PairingRefused) as caught:
        call()  # type: ignore[operator]
    assert caught.value.code == code, caught.value
    return caught.value


# --- what is stored -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("console_key", [False, True])
def test_the_store_never_holds_the_token_the_code_or_the_qr(store: Store, unlocked: UnlockedCa, home: Path,
                                                            now: datetime, console_key: bool) -> None:
    ticket = tickets.prepare(store, unlocked, "ZM-001", console_key=console_key, url=URL, now=now)
    device = Device(ticket)
    token = device.payload.token
    secrets = [token, token.hex().encode(), token.hex().upper().encode(), ticket.pairing_code.encode(),
               ticket.display_code.encode(), ticket.qr_text[5:60].encode(), device.keys.enc_key]
    for table, column, value in storestate.cells(home):
        for secret in secrets:
            assert secret not in value, (table, column)
    with closing(storestate.connect(home)) as conn:
        digest, auth_key, sealed = conn.execute("SELECT token_sha256, auth_key, sealed_key FROM pairings").fetchone()
    assert digest == hashlib.sha256(token).hexdigest()
    assert auth_key == device.keys.auth_key  # the verifier, as the protocol says
    assert (sealed is not None) is console_key
    assert ticket.key_mode is (KeyMode.CONSOLE_KEY if console_key else KeyMode.DEVICE_KEY)
    assert ticket.expires_at - ticket.created_at == protocol.DEFAULT_TOKEN_LIFETIME
    assert "pairing_code" not in repr(ticket) and ticket.pairing_code not in repr(ticket)


def test_the_signer_certificate_carries_only_the_signer_eku(store: Store, unlocked: UnlockedCa, now: datetime,
                                                            tmp_path: Path) -> None:
    signer = ensure_signer(store, unlocked, now=now)
    assert ensure_signer(store, unlocked, now=now).serial == signer.serial  # made once, then reused
    cert = signer.certificate
    assert list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == \
        [protocol.PAIRING_SIGNER_EKU]
    assert cert.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert signer_chain(store, signer.key_id, now=now) == signer.chain_pem
    ca_file = write_pem(tmp_path / "ca.pem", unlocked.certificate)
    assert referees.verify(ca_file, write_pem(tmp_path / "signer.pem", cert)).returncode == 0
    device = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", now=now)
    eku = device.certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert protocol.PAIRING_SIGNER_EKU not in list(eku)


def test_the_signer_is_replaced_before_it_expires_and_the_old_one_still_answers(store: Store, unlocked: UnlockedCa,
                                                                                now: datetime) -> None:
    old = ensure_signer(store, unlocked, now=now)
    later = now + timedelta(days=340)  # within 30 days of the old one's expiry
    new = ensure_signer(store, unlocked, now=later)
    assert new.serial != old.serial
    assert signer_chain(store, old.key_id, now=later) is not None  # a QR signed just before still verifies
    assert signer_chain(store, old.key_id, now=now + timedelta(days=400)) is None  # expired


# --- device key mode ----------------------------------------------------------------------------------------


def test_enrollment_issues_from_the_csr_with_the_profile_subject(store: Store, unlocked: UnlockedCa, now: datetime,
                                                                 home: Path) -> None:
    ticket = tickets.prepare(store, unlocked, "ZM-001", url=URL, ward="ICU", now=now)
    pending = tickets.status(store, "ZM-001", now=now)
    assert pending is not None and pending.label == "pairing pending" and pending.remaining_attempts == 5
    assert [s.device_id for s in tickets.list_pending(store, now=now)] == ["ZM-001"]

    enrolled = answers.enroll(store, unlocked, Device(ticket).csr_request(), now=now)
    cert = enrolled.certificate
    assert cert.subject.rfc4514_string() == "CN=ZM-001,OU=ICU,O=Hospital,C=US"
    assert not enrolled.replayed
    done = tickets.status(store, "ZM-001", now=now)
    assert done is not None and done.label == "paired" and done.serial == enrolled.serial
    assert tickets.list_pending(store, now=now) == []
    actions = [e.action for e in audit.entries(store, subject="ZM-001", newest_first=False)]
    assert actions == ["pairing.prepared", "cert.issued", "pairing.used"]
    assert audit.verify(store).ok
    assert certificate_count(home, "ZM-001") == 1


def test_a_retry_gets_the_same_answer_until_the_certificate_is_revoked(store: Store, unlocked: UnlockedCa,
                                                                       now: datetime, home: Path) -> None:
    ticket = tickets.prepare(store, unlocked, "ZM-001", url=URL, now=now)
    request = Device(ticket).csr_request()
    first = answers.enroll(store, unlocked, request, now=now)
    again = answers.enroll(store, unlocked, request, now=now + timedelta(minutes=1))
    assert again.replayed and again.pkcs7 == first.pkcs7
    refusal(lambda: answers.enroll(store, unlocked, Device(ticket).csr_request(), now=now), "token_used")
    revocation.revoke(store, "ZM-001", "lost", now=now)
    refusal(lambda: answers.enroll(store, unlocked, request, now=now), "token_used")
    refusal(lambda: answers.enroll(store, unlocked, request, now=ticket.expires_at), "token_used")
    assert certificate_count(home, "ZM-001") == 1


def test_the_verifier_is_deleted_on_use_and_a_retry_still_gets_its_answer(store: Store, unlocked: UnlockedCa,
                                                                          now: datetime, home: Path) -> None:
    ticket = tickets.prepare(store, unlocked, "ZM-001", url=URL, now=now)
    request = Device(ticket).csr_request()
    first = answers.enroll(store, unlocked, request, now=now)
    with closing(storestate.connect(home)) as conn:
        assert conn.execute("SELECT state, auth_key FROM pairings").fetchone() == ("used", None)
    assert answers.enroll(store, unlocked, request, now=now).pkcs7 == first.pkcs7  # the same CSR: same answer
    refusal(lambda: answers.enroll(store, unlocked, Device(ticket).csr_request(), now=now), "token_used")


def test_five_wrong_codes_burn_the_token_and_forget_the_verifier(store: Store, unlocked: UnlockedCa, now: datetime,
                                                                 home: Path) -> None:
    ticket = tickets.prepare(store, unlocked, "ZM-001", url=URL, now=now)
    guesser = Device(ticket, wrong_code(ticket))
    for left in (4, 3, 2, 1):
        refused = refusal(lambda: answers.enroll(store, unlocked, guesser.csr_request(), now=now), "wrong_code")
        assert refused.remaining_attempts == left and http_status(refused) == 401
        state = tickets.status(store, "ZM-001", now=now)
        assert state is not None and state.remaining_attempts == left and state.outcome == "pending"
    refusal(lambda: answers.enroll(store, unlocked, guesser.csr_request(), now=now), "token_burned")
    refusal(lambda: answers.enroll(store, unlocked, Device(ticket).csr_request(), now=now), "token_burned")
    state = tickets.status(store, "ZM-001", now=now)
    assert state is not None and state.label == "failed: 5 wrong pairing codes"
    with closing(storestate.connect(home)) as conn:
        assert conn.execute("SELECT auth_key, failures FROM pairings").fetchone() == (None, 5)
    assert certificate_count(home, "ZM-001") == 0


def test_parallel_guesses_cannot_exceed_five(store: Store, unlocked: UnlockedCa, now: datetime, home: Path) -> None:
    ticket = tickets.prepare(store, unlocked, "ZM-001", url=URL, now=now)
    guesser = Device(ticket, wrong_code(ticket))
    requests = [guesser.csr_request() for _ in range(12)]
    codes: list[str] = []
    lock = threading.Lock()

    def guess(request: PairingRequest) -> None:
        other = Store.open(home)  # as if from separate processes
        try:
            answers.enroll(other, unlocked, request, now=now)
        except PairingRefused as refused:
            with lock:
                codes.append(refused.code)
        finally:
            other.dispose()

    threads = [threading.Thread(target=guess, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == sorted(["wrong_code"] * 4 + ["token_burned"] * 8)
    with closing(storestate.connect(home)) as conn:
        assert conn.execute("SELECT failures FROM pairings").fetchone() == (5,)


def test_a_right_code_after_wrong_ones_is_accepted(store: Store, unlocked: UnlockedCa, now: datetime) -> None:
    ticket = tickets.prepare(store, unlocked, "ZM-001", url=URL, now=now)
    for _ in range(4):
        refusal(lambda: answers.enroll(store, unlocked, Device(ticket, wrong_code(ticket)).csr_request(), now=now),
                "wrong_code")
    assert answers.enroll(store, unlocked, Device(ticket).csr_request(), now=now).serial


def test_refusals_before_the_proof_do_not_count(store: Store, unlocked: UnlockedCa, now: datetime,
                                                home: Path) -> None:
    ticket = tickets.prepare(store, unlocked, "ZM-001", url=URL, now=now)
    device = Device(ticket)
    good = device.csr_request()
    bad_headers = [PairingRequest(None, good.token, good.proof, good.body),
                   PairingRequest("ZM-001", "00" * 15, good.proof, good.body),
                   PairingRequest("ZM-001", good.token, "zz" * 32, good.body),
                   PairingRequest("ZM/001", good.token, good.proof, good.body)]
    for request in bad_headers:
        assert http_status(refusal(lambda r=request: answers.enroll(store, unlocked, r, now=now),
                                   "malformed_request")) == 400
    refusal(lambda: answers.enroll(store, unlocked, device.request(ProofPurpose.ENROLL, b"x", sent=b"%%"), now=now),
            "malformed_request")
    refusal(lambda: answers.enroll(store, unlocked, device.request(ProofPurpose.ENROLL, b"x", device_id="ZM-002"),
                                      now=now), "device_mismatch")
    refusal(lambda: answers.pull_bundle(store, unlocked, device.bundle_request(), now=now), "wrong_key_mode")
    # With a right proof: CSR problems are refused without burning anything.
    refusal(lambda: answers.enroll(store, unlocked, device.request(ProofPurpose.ENROLL, b"\x30\x00"), now=now),
            "malformed_request")
    refusal(lambda: answers.enroll(store, unlocked, device.csr_request(cn="ZM-002"), now=now), "device_mismatch")
    with closing(storestate.connect(home)) as conn:
        assert conn.execute("SELECT failures, state FROM pairings").fetchone() == (0, "active")
    assert answers.enroll(store, unlocked, good, now=now).serial
    assert certificate_count(home, "ZM-001") == 1


def test_an_unknown_token_is_refused(store: Store, unlocked: UnlockedCa, now: datetime) -> None:
    ticket = tickets.prepare(store, unlocked, "ZM-001", url=URL, now=now)
    device = Device(ticket)
    request = device.csr_request()
    altered = PairingRequest(request.device_id, "ff" + str(request.token)[2:], request.proof, request.body)
    refusal(lambda: answers.enroll(store, unlocked, altered, now=now), "token_unknown")


def test_an_expired_token_is_refused_and_cleaned_up(store: Store, unlocked: UnlockedCa, now: datetime,
                                                   home: Path) -> None:
    ticket = tickets.prepare(store, unlocked, "ZM-001", url=URL, ttl=60, now=now)
    refusal(lambda: answers.enroll(store, unlocked, Device(ticket).csr_request(), now=now + timedelta(seconds=60)),
            "token_expired")
    state = tickets.status(store, "ZM-001", now=now + timedelta(seconds=60))
    assert state is not None and state.label == "failed: the pairing code expired"
    with closing(storestate.connect(home)) as conn:
        assert conn.execute("SELECT state, auth_key FROM pairings").fetchone() == ("expired", None)
    assert certificate_count(home, "ZM-001") == 0


def test_housekeeping_expires_tokens_and_revokes_undelivered_keys(store: Store, unlocked: UnlockedCa, now: datetime,
                                                                 home: Path) -> None:
    ticket = tickets.prepare(store, unlocked, "ZM-002", console_key=True, url=URL, ttl=120, now=now)
    assert tickets.expire_due(store, now=now) == 0
    assert tickets.expire_due(store, now=now + timedelta(seconds=120)) == 1
    with closing(storestate.connect(home)) as conn:
        row = conn.execute("SELECT state, auth_key, sealed_key FROM pairings").fetchone()
        revoked = conn.execute("SELECT revocation_reason FROM certificates WHERE serial = ?",
                               (ticket.serial,)).fetchone()
    assert row == ("expired", None, None)
    assert revoked == ("superseded",)  # nobody holds its key any more
    # The device can be paired again straight away.
    assert tickets.prepare(store, unlocked, "ZM-002", console_key=True, url=URL, now=now + timedelta(seconds=121))


def test_a_new_pairing_replaces_the_pending_one_and_cancel_ends_it(store: Store, unlocked: UnlockedCa,
                                                                   now: datetime) -> None:
    first = tickets.prepare(store, unlocked, "ZM-001", url=URL, now=now)
    second = tickets.prepare(store, unlocked, "ZM-001", url=URL, now=now)
    refusal(lambda: answers.enroll(store, unlocked, Device(first).csr_request(), now=now), "token_cancelled")
    assert tickets.cancel(store, "ZM-001", now=now)
    assert not tickets.cancel(store, "ZM-001", now=now)
    refusal(lambda: answers.enroll(store, unlocked, Device(second).csr_request(), now=now), "token_cancelled")
    state = tickets.status(store, "ZM-001", now=now)
    assert state is not None and state.label == "failed: cancelled or replaced on the console"
    replaced = tickets.status_of(store, first.pairing_id, now=now)
    assert replaced is not None and replaced.outcome == "failed" and replaced.pairing_id == first.pairing_id
    assert tickets.status_of(store, 999, now=now) is None


def test_prepare_refuses_a_device_with_an_active_certificate(store: Store, unlocked: UnlockedCa, now: datetime,
                                                            home: Path) -> None:
    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", now=now)
    before = storestate.snapshot(home)
    with pytest.raises(ConflictError, match="revoke it"):
        tickets.prepare(store, unlocked, "ZM-001", url=URL, now=now)
    assert storestate.snapshot(home) == before


def test_can_pair_says_why_not_and_what_is_pending(store: Store, unlocked: UnlockedCa, now: datetime,
                                                   home: Path) -> None:
    before = storestate.snapshot(home)
    bad = tickets.can_pair(store, "XY-1", now=now)
    assert not bad.allowed and bad.refusal is tickets.Refusal.BAD_DEVICE_ID and isinstance(bad.error, PolicyError)
    too_long = tickets.can_pair(store, "ZM-" + "1" * 20, now=now)  # the site pattern allows it; a QR cannot carry it
    assert too_long.refusal is tickets.Refusal.BAD_DEVICE_ID and isinstance(too_long.error, PayloadError)
    fresh = tickets.can_pair(store, "ZM-001", now=now)
    assert fresh.allowed and fresh.error is None and fresh.pending is None
    assert storestate.snapshot(home) == before  # asking changes nothing
    ticket = tickets.prepare(store, unlocked, "ZM-001", url=URL, now=now)
    waiting = tickets.can_pair(store, "ZM-001", now=now)
    assert waiting.allowed and waiting.pending is not None and waiting.pending.pairing_id == ticket.pairing_id
    assert tickets.can_pair(store, "ZM-001", now=ticket.expires_at).pending is None  # expired: nothing waits
    issued = issuance.issue_device(store, unlocked, "ZM-002", generate="ec-p256", now=now)
    taken = tickets.can_pair(store, "ZM-002", now=now)
    assert taken.refusal is tickets.Refusal.ACTIVE_CERTIFICATE and taken.serial == issued.serial
    with pytest.raises(ConflictError, match=f"serial {issued.serial}.*revoke it") as caught:
        taken.raise_refusal()
    assert caught.value is taken.error
    revocation.revoke(store, "ZM-002", "lost", now=now)
    assert tickets.can_pair(store, "ZM-002", now=now).allowed


@pytest.mark.parametrize(("device_id", "url", "ttl", "error"), [
    ("XY-1", URL, None, PolicyError),
    ("ZM-001", "http://127.0.0.1:8443/", None, PayloadError),
    ("ZM-001", "https://host.example/path", None, PayloadError),
    ("ZM-001", URL, 0, InputError),
    ("ZM-001", URL, tickets.MAX_TTL_SECONDS + 1, InputError),
])
def test_prepare_checks_its_arguments(store: Store, unlocked: UnlockedCa, now: datetime, device_id: str, url: str,
                                      ttl: int | None, error: type[Exception]) -> None:
    with pytest.raises(error):
        tickets.prepare(store, unlocked, device_id, url=url, ttl=ttl, now=now)
    assert tickets.status(store, device_id, now=now) is None


# --- console key mode ---------------------------------------------------------------------------------------


def pull(store: Store, unlocked: UnlockedCa, device: Device,
         now: datetime) -> tuple[answers.Bundle, dict[str, pairing_bundle.JsonValue]]:
    """The device pulls its bundle (CRL URL from the service), and checks the signer's signature on it."""
    made = answers.pull_bundle(store, unlocked, device.bundle_request(), now=now,
                               default_crl_url="http://127.0.0.1:8080/crl")
    signer = ensure_signer(store, unlocked, now=now)
    return made, pairing_bundle.verify_bundle(made.body, made.signature, signer.key.public_key(),
                                              expected_device_id="ZM-002", token=device.payload.token)


def test_the_bundle_is_released_once_and_opens_only_with_the_code(store: Store, unlocked: UnlockedCa, now: datetime,
                                                                  home: Path) -> None:
    ticket = tickets.prepare(store, unlocked, "ZM-002", console_key=True, url=URL, now=now)
    device = Device(ticket)
    made, bundle = pull(store, unlocked, device, now)
    sealed = base64.b64decode(str(bundle["sealed_key"]))
    assert protocol.open_key(device.keys.enc_key, sealed, token=device.payload.token, device_id="ZM-002")
    assert bundle["crl_url"] == "http://127.0.0.1:8080/crl"
    assert made.serial == ticket.serial
    # Single use: the same request again gets no second copy of the sealed key, and none is kept.
    refusal(lambda: answers.pull_bundle(store, unlocked, device.bundle_request(), now=now), "token_used")
    with closing(storestate.connect(home)) as conn:
        assert conn.execute("SELECT state, sealed_key, response FROM pairings").fetchone() == ("used", None, None)
    refusal(lambda: answers.enroll(store, unlocked, device.csr_request(), now=now), "token_used")
    state = tickets.status(store, "ZM-002", now=now)
    assert state is not None and state.label == "paired"
    assert tickets.expire_due(store, now=ticket.expires_at) == 0  # a used token is not "expired"...
    with closing(storestate.connect(home)) as conn:  # ...but what retries needed is dropped
        assert conn.execute("SELECT auth_key, response FROM pairings").fetchone() == (None, None)


def test_a_bundle_whose_certificate_was_revoked_is_not_released(store: Store, unlocked: UnlockedCa,
                                                                now: datetime) -> None:
    ticket = tickets.prepare(store, unlocked, "ZM-002", console_key=True, url=URL, now=now)
    revocation.revoke(store, "ZM-002", "decommissioned", now=now)
    refusal(lambda: answers.pull_bundle(store, unlocked, Device(ticket).bundle_request(), now=now),
            "token_cancelled")


def test_the_error_body_follows_the_protocol() -> None:
    refused = PairingRefused("wrong_code", "The pairing code is wrong: 3 attempts left.", remaining_attempts=3)
    assert http_status(refused) == 401  # the service's table (zmconsole/service/refusals.py)
    assert refused.as_json() == {"error": {"code": "wrong_code", "message": "The pairing code is wrong: 3 attempts "
                                                                           "left.", "remaining_attempts": 3}}
    with pytest.raises(ValueError):
        PairingRefused("no_such_code", "x")


def test_a_claim_interrupted_by_a_stopped_service_is_released(store: Store, unlocked: UnlockedCa, now: datetime,
                                                              home: Path) -> None:
    ticket = tickets.prepare(store, unlocked, "ZM-001", url=URL, now=now)
    with closing(storestate.connect(home)) as conn, conn:  # a right proof was claimed, then the process died
        conn.execute("UPDATE pairings SET state = 'issuing', claimed_at = ?", (int(now.timestamp()),))
    request = Device(ticket).csr_request()
    refusal(lambda: answers.enroll(store, unlocked, request, now=now), "token_used")  # still issuing
    later = now + ISSUING_TIMEOUT
    assert answers.enroll(store, unlocked, request, now=later).serial


# --- a crash between issuing and marking the pairing used (issue 8, item 5) -------------------------------------

_KILLED_BETWEEN_THE_STEPS = """
import base64, os, signal, sys
from datetime import datetime
from pathlib import Path
from zmconsole.core import ca
from zmconsole.core.pairing import answers, state
from zmconsole.core.store import Store

home, passphrase, device_id, token, proof, body, now = sys.argv[1:]
store = Store.open(Path(home))
unlocked = ca.unlock(store, passphrase)

def killed(conn, row, now, **kwargs):  # the certificate is issued; the process dies before the pairing is marked used
    assert conn.execute(__import__("sqlalchemy").text("SELECT count(*) FROM certificates WHERE device_id = :d"),
                        {"d": device_id}).scalar() == 1
    os.kill(os.getpid(), signal.SIGKILL)

state.mark_used = killed
answers.enroll(store, unlocked, answers.PairingRequest(device_id, token, proof, base64.b64decode(body), "192.0.2.7"),
               now=datetime.fromisoformat(now))
"""


def test_a_retry_after_a_crash_between_issuing_and_marking_used_gets_the_certificate(
        store: Store, unlocked: UnlockedCa, now: datetime, home: Path) -> None:
    ticket = tickets.prepare(store, unlocked, "ZM-001", url=URL, now=now)
    request = Device(ticket).csr_request()
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_BETWEEN_THE_STEPS, str(home), PASSPHRASE, request.device_id or "",
         request.token or "", request.proof or "", base64.b64encode(request.body).decode(), now.isoformat()],
        capture_output=True, text=True, timeout=120, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr  # really interrupted, at the injected point
    assert certificate_count(home, "ZM-001") == 0  # the issuance died with its transaction...
    assert tickets.status(store, "ZM-001", now=now).outcome == "pending"  # type: ignore[union-attr]
    enrolled = answers.enroll(store, unlocked, request, now=now)  # ...so the same retry is answered in full
    assert not enrolled.replayed and certificate_count(home, "ZM-001") == 1
    again = answers.enroll(store, unlocked, request, now=now)
    assert again.replayed and again.serial == enrolled.serial and again.pkcs7 == enrolled.pkcs7
    with store.read() as conn:
        active = issuance.active_certificate(conn, "ZM-001", now)
    assert active is not None and active.serial == enrolled.serial  # the one certificate, the one delivered


# --- unauthenticated refusals are summarised, not audited one by one (issue 8, item 9) ------------------------


def test_unauthenticated_refusals_are_summarised_in_the_audit(store: Store, unlocked: UnlockedCa,
                                                               now: datetime) -> None:
    log = RefusalLog()
    before = audit.count(store)
    for n in range(400):  # a flood of made-up tokens, each under a device ID and an address of the sender's choosing
        request = PairingRequest(f"ZM-{n}", f"{n:032x}", "ab" * 32, b"", f"192.0.2.{n % 200}")
        refusal(lambda r=request: answers.enroll(store, unlocked, r, now=now, log=log), "token_unknown")
    assert audit.count(store) - before == 1  # the first of the minute, in full
    first = audit.entries(store, action_prefix="pairing.refused")[-1]
    assert first.subject == "ZM-0" and first.details["summarised_after"] is True
    ticket = tickets.prepare(store, unlocked, "ZM-001", url=URL, now=now)
    guesser = Device(ticket, wrong_code(ticket))
    refusal(lambda: answers.enroll(store, unlocked, guesser.csr_request(), now=now, log=log), "wrong_code")
    assert audit.entries(store, limit=1)[0].details["code"] == "wrong_code"  # a counted failure is audited on its own
    later = now + SUMMARY_WINDOW
    refusal(lambda: answers.enroll(store, unlocked, PairingRequest("ZM-9", "ff" * 16, "ab" * 32), now=later, log=log),
            "token_unknown")
    summary = audit.entries(store, action_prefix="pairing.refusals")
    assert len(summary) == 1 and summary[0].subject == "(unauthenticated)"
    details = summary[0].details
    assert details["count"] == 399 and details["codes"] == {"token_unknown": 399}
    assert sum(details["sources"].values()) == 399 and len(details["sources"]) <= MAX_SOURCES + 1
    assert details["from"] == now.isoformat() and details["to"] == later.isoformat()
    assert not log.flush(store, later)  # the new minute's first refusal was written in full; nothing is counted
    for _ in range(3):
        refusal(lambda: answers.enroll(store, unlocked, PairingRequest("ZM-9", "ee" * 16, "ab" * 32), now=later,
                                       log=log), "token_unknown")
    assert log.flush(store, later)  # the service stops: what was counted is written
    assert audit.entries(store, action_prefix="pairing.refusals")[0].details["count"] == 3
    assert audit.verify(store).ok


# --- console key mode, prepared without the CA: the key holder issues at pull time ----------------------------


def _prepared_without_the_ca(store: Store, unlocked: UnlockedCa, now: datetime) -> tickets.Ticket:
    """A console-key pairing prepared with a pairing signer and no CA (as a ``pairing`` operator does)."""
    signer = ensure_signer(store, unlocked, now=now)
    return tickets.prepare(store, None, "ZM-002", signer=signer, console_key=True, url=URL, now=now)


def test_a_console_key_pairing_prepared_without_the_ca_is_issued_when_the_device_pulls_it(
        store: Store, unlocked: UnlockedCa, now: datetime, home: Path) -> None:
    ticket = _prepared_without_the_ca(store, unlocked, now)
    assert ticket.serial is None and certificate_count(home, "ZM-002") == 0
    row = storestate.rows(home, "pairings")[0]
    assert row["certificate_id"] is None and row["sealed_key"] is not None
    csr = x509.load_der_x509_csr(row["csr"])  # the public key and proof of possession, not the key
    assert csr.is_signature_valid
    assert csr.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == "ZM-002"
    device = Device(ticket)
    made, bundle = pull(store, unlocked, device, now)
    key_der = protocol.open_key(device.keys.enc_key, base64.b64decode(str(bundle["sealed_key"])),
                                token=device.payload.token, device_id="ZM-002")
    certificate = x509.load_pem_x509_certificate(str(bundle["certificate"]).encode())
    opened = serialization.load_der_private_key(key_der, password=None)
    assert certificate.public_key() == opened.public_key() == csr.public_key()
    assert certificate.serial_number == int(made.serial, 16)
    used = storestate.rows(home, "pairings")[0]
    assert (used["state"], used["sealed_key"], used["csr"], used["auth_key"]) == ("used", None, None, None)
    issued = next(r for r in storestate.rows(home, "certificates") if r["device_id"] == "ZM-002")
    assert used["certificate_id"] == issued["id"] and (issued["made_by"], issued["key_source"]) == ("paired",
                                                                                                 "generated")
    status = tickets.status(store, "ZM-002", now=now)
    assert status is not None and status.label == "paired" and status.serial == made.serial
    assert storestate.audit_actions(home)[-2:] == ["cert.issued", "pairing.used"]  # one transaction, audited
    refusal(lambda: answers.pull_bundle(store, unlocked, device.bundle_request(), now=now), "token_used")


def test_a_pull_that_cannot_issue_changes_nothing_and_the_code_stays_good(store: Store, unlocked: UnlockedCa,
                                                                         now: datetime, home: Path) -> None:
    ticket = _prepared_without_the_ca(store, unlocked, now)
    in_the_way = issuance.issue_device(store, unlocked, "ZM-002", generate="ec-p256", now=now)
    before = storestate.snapshot(home)
    refused = refusal(lambda: answers.pull_bundle(store, unlocked, Device(ticket).bundle_request(), now=now),
                      "policy_refused")
    assert "already has an active certificate" in str(refused)
    assert storestate.snapshot(home) == before  # no certificate, the pairing still active with its key and CSR
    assert storestate.audit_actions(home)[-1] == "pairing.refused"
    revocation.revoke(store, "ZM-002", "superseded", now=now)
    assert in_the_way.serial
    made = answers.pull_bundle(store, unlocked, Device(ticket).bundle_request(), now=now)
    assert made.serial != in_the_way.serial and certificate_count(home, "ZM-002") == 2


def test_ending_a_pairing_prepared_without_the_ca_forgets_its_key_and_csr(store: Store, unlocked: UnlockedCa,
                                                                          now: datetime, home: Path) -> None:
    _prepared_without_the_ca(store, unlocked, now)
    assert tickets.cancel(store, "ZM-002", now=now)
    row = storestate.rows(home, "pairings")[0]
    assert (row["state"], row["sealed_key"], row["csr"]) == ("cancelled", None, None)
    assert certificate_count(home, "ZM-002") == 0  # nothing was issued, so nothing is revoked
