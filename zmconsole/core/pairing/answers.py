"""Answering a device: EST ``simpleenroll`` and the bundle pull, authorised by token and code proof.

The provisioning service calls :func:`enroll` and :func:`pull_bundle` with the request as received
(:class:`PairingRequest`); everything the protocol's section 7.1 prescribes happens here, in its normative
order, so the service is a thin HTTP adapter. Every check of a request, its failure counting and its state
change happen in one write transaction (``BEGIN IMMEDIATE`` serialises them across processes), so parallel
guesses can never exceed ``MAX_CODE_ATTEMPTS``. Refusals are :class:`PairingRefused` carrying the protocol's
error code; nothing is issued or released unless the proof is right.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from sqlalchemy import Connection, select, update

from zmconsole.core import audit, issuance, policy, schema, utc
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import InputError, NotFoundError, PolicyError, StoreError, ZmError
from zmconsole.core.pairing import protocol
from zmconsole.core.pairing.protocol import KeyMode, ProofPurpose
from zmconsole.core.pairing.signer import ensure_signer
from zmconsole.core.pairing.tickets import (
    ACTIVE,
    BURNED,
    CANCELLED,
    EXPIRED,
    ISSUING,
    ISSUING_TIMEOUT,
    MAX_CODE_ATTEMPTS,
    USED,
    end_token,
)
from zmconsole.core.settings import Settings
from zmconsole.core.settings import load as load_settings
from zmconsole.core.store import Store

#: The protocol's error codes (section 7.1) and the HTTP status each is answered with.
HTTP_STATUS: dict[str, int] = {
    "malformed_request": 400,
    "wrong_code": 401,
    "device_mismatch": 403,
    "policy_refused": 403,
    "not_found": 404,
    "wrong_key_mode": 409,
    "token_unknown": 410,
    "token_expired": 410,
    "token_used": 410,
    "token_burned": 410,
    "token_cancelled": 410,
    "request_too_large": 413,
    "unavailable": 503,
}

_p, _c = schema.pairings, schema.certificates


class PairingRefused(ZmError):
    """A device's request is refused; ``code`` is the protocol's error code, the message is for the person."""

    def __init__(self, code: str, message: str, *, remaining_attempts: int | None = None) -> None:
        if code not in HTTP_STATUS:
            raise ValueError(f"unknown pairing error code {code!r}")
        super().__init__(message)
        self.code = code
        self.remaining_attempts = remaining_attempts

    @property
    def status(self) -> int:
        return HTTP_STATUS[self.code]

    def as_json(self) -> dict[str, Any]:
        """The error body of section 7.1: ``{"error": {"code", "message"[, "remaining_attempts"]}}``."""
        error: dict[str, Any] = {"code": self.code, "message": str(self)}
        if self.remaining_attempts is not None:
            error["remaining_attempts"] = self.remaining_attempts
        return {"error": error}


@dataclass(frozen=True)
class PairingRequest:
    """A device's enrollment or bundle request as received: the three pairing headers and the raw body."""

    device_id: str | None  # ZM-Device-Id
    token: str | None  # ZM-Enrollment-Token, hex
    proof: str | None = field(default=None, repr=False)  # ZM-Code-Proof, hex
    body: bytes = field(default=b"", repr=False)
    source: str = ""  # the client's address, for the audit trail


@dataclass(frozen=True)
class Enrolled:
    """A device certificate issued from the device's CSR (``simpleenroll``)."""

    device_id: str
    serial: str
    pkcs7: bytes  # DER CMS SignedData, certs-only, holding the certificate (RFC 7030 §4.2.3)
    replayed: bool  # True when this answers a retry of a request that already succeeded
    ignored_names: tuple[str, ...] = ()  # requested SAN entries left out (protocol §7.8)

    @property
    def certificate(self) -> x509.Certificate:
        return pkcs7.load_der_pkcs7_certificates(self.pkcs7)[0]


@dataclass(frozen=True)
class Bundle:
    """A signed provisioning bundle (console key mode): send ``body`` as is, with the signature header."""

    device_id: str
    serial: str
    body: bytes
    signature: bytes
    signer_key_id: bytes


@dataclass(frozen=True)
class _Go:
    row: schema.Row
    device_id: str
    token: bytes
    body: bytes


_HEX = frozenset(string.hexdigits)


def _header(value: str | None, name: str, length: int) -> bytes:
    text = (value or "").strip()
    if len(text) != length or not set(text) <= _HEX:
        raise PairingRefused("malformed_request", f"The {name} header is missing or is not {length} hexadecimal "
                                                  "characters: update the device software.")
    return bytes.fromhex(text)


def _parse(request: PairingRequest) -> tuple[str, bytes, bytes]:
    device_id = (request.device_id or "").strip()
    try:
        protocol.check_device_id(device_id)
    except protocol.PayloadError:
        raise PairingRefused("malformed_request", "The ZM-Device-Id header is missing or is not a device ID: "
                                                  "update the device software.") from None
    return (device_id, _header(request.token, "ZM-Enrollment-Token", 2 * protocol.TOKEN_BYTES),
            _header(request.proof, "ZM-Code-Proof", 64))


def decode_csr_body(body: bytes) -> bytes:
    """The DER CSR of a ``simpleenroll`` body (base64, line breaks allowed; RFC 7030 §4.2.1)."""
    compact = b"".join(body.split())
    try:
        der = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        der = b""
    if not der:
        raise PairingRefused("malformed_request", "The enrollment request's body is not a base64 PKCS#10 "
                                                  "certificate request: update the device software.")
    return der


def _empty_body(body: bytes) -> bytes:
    if body:
        raise PairingRefused("malformed_request", "A bundle request must have an empty body: update the device "
                                                  "software.")
    return b""


def _refuse(conn: Connection, subject: str, error: PairingRefused, request: PairingRequest, purpose: ProofPurpose,
            now: datetime, pairing_id: int | None = None) -> PairingRefused:
    details: dict[str, Any] = {"code": error.code, "endpoint": purpose.value, "source": request.source}
    if pairing_id is not None:
        details["pairing"] = pairing_id
    if error.remaining_attempts is not None:
        details["remaining_attempts"] = error.remaining_attempts
    audit.append(conn, "pairing.refused", subject, details, now=now)
    return error


def _used_message(device_id: str) -> str:
    return (f"The pairing code for {device_id} was already used: create a new pairing code on the console. If this "
            "device did not use it, tell IT security, because another device may have paired in its place.")


def _authorise(conn: Connection, request: PairingRequest, *, purpose: ProofPurpose, mode: KeyMode,
               decode: Callable[[bytes], bytes], now: datetime) -> _Go | schema.Row | PairingRefused:
    """Section 7.1's processing order after the header syntax, in the caller's write transaction.

    Returns the go-ahead, the row of a used token whose retry should get its response again, or the refusal
    to raise once the transaction (with its counter and audit entry) has committed.
    """
    device_id, token, proof = _parse(request)
    found = conn.execute(select(_p).where(_p.c.token_sha256 == hashlib.sha256(token).hexdigest())).first()
    if found is None:
        return _refuse(conn, device_id, PairingRefused(
            "token_unknown", "The provisioning service does not know this pairing code (it was not made by this "
            "hospital's console, or the QR code was altered): create a new pairing code on the console."),
            request, purpose, now)
    row: schema.Row = found

    def refuse(code: str, message: str, remaining: int | None = None) -> PairingRefused:
        return _refuse(conn, row.device_id, PairingRefused(code, message, remaining_attempts=remaining), request,
                       purpose, now, row.id)

    if row.state == ISSUING and row.claimed_at <= utc.to_epoch(now - ISSUING_TIMEOUT):  # the claim's process stopped
        conn.execute(update(_p).where(_p.c.id == row.id).values(state=ACTIVE, claimed_at=None))
        row = conn.execute(select(_p).where(_p.c.id == row.id)).one()
    if row.state in (USED, ISSUING):
        try:
            body = decode(request.body)
        except PairingRefused:
            body = None
        # Only an enrollment may be answered again: its response is a public certificate. A bundle holds the
        # sealed key, so a console-key token is strictly single-use and its response is not kept. The verifier
        # is deleted on use, so a retry is recognised by the token and the exact CSR (only the device has its
        # bytes), and gets only the public certificate for a key only the device holds.
        replay = (row.state == USED and mode == KeyMode.DEVICE_KEY and body is not None
                  and row.device_id == device_id and row.key_mode == mode and utc.to_epoch(now) < row.expires_at
                  and row.body_sha256 == hashlib.sha256(body).hexdigest()
                  and conn.execute(select(_c.c.revoked_at).where(_c.c.id == row.certificate_id)).scalar() is None)
        return row if replay else refuse("token_used", _used_message(row.device_id))
    if row.state == ACTIVE and utc.to_epoch(now) >= row.expires_at:
        end_token(conn, row, EXPIRED, now, None, why="expired before the device used it", source=request.source)
        row = conn.execute(select(_p).where(_p.c.id == row.id)).one()
    if row.state != ACTIVE:
        code = {BURNED: "token_burned", EXPIRED: "token_expired"}.get(row.state, "token_cancelled")
        message = {
            "token_burned": f"Too many wrong pairing codes were typed for {row.device_id}, so this pairing is locked: "
                            "create a new pairing code on the console.",
            "token_expired": f"The pairing code for {row.device_id} expired at "
                             f"{utc.from_epoch(row.expires_at):%Y-%m-%d %H:%M} UTC: create a new pairing code on the "
                             "console.",
        }.get(code, f"The pairing for {row.device_id} was cancelled or replaced on the console: scan the newest "
                    "QR code shown there.")
        return refuse(code, message)
    if row.key_mode != mode:
        wanted = ("send its own certificate request (EST simpleenroll)" if row.key_mode == KeyMode.DEVICE_KEY
                  else "pull its bundle (POST /zmp/v1/bundle)")
        return refuse("wrong_key_mode", f"The pairing for {row.device_id} expects the device to {wanted}: update "
                                        "the device software, or create a pairing code in the other key mode.")
    if device_id != row.device_id:
        return refuse("device_mismatch", f"This pairing code is for {row.device_id}, but the request comes from "
                                         f"{device_id}: scan the code the console shows for {device_id}.")
    try:
        body = decode(request.body)
    except PairingRefused as error:
        return refuse(error.code, str(error))
    if not protocol.verify_code_proof(row.auth_key, proof, purpose=purpose, token=token, device_id=device_id,
                                      body=body):
        failures = row.failures + 1
        conn.execute(update(_p).where(_p.c.id == row.id).values(failures=failures))
        if failures >= MAX_CODE_ATTEMPTS:
            end_token(conn, row, BURNED, now, None, why=f"{failures} wrong pairing codes", source=request.source)
            return PairingRefused("token_burned", f"The pairing code was wrong {failures} times, so this pairing "
                                                  f"for {row.device_id} is locked: create a new pairing code on the "
                                                  "console.")
        left = MAX_CODE_ATTEMPTS - failures
        return refuse("wrong_code", f"The pairing code is wrong: {left} attempt{'s' if left != 1 else ''} left. Check "
                                    "the code shown beside the QR code and type it again.", left)
    return _Go(row, device_id, token, body)


def _decide(store: Store, request: PairingRequest, *, purpose: ProofPurpose, mode: KeyMode,
            decode: Callable[[bytes], bytes], now: datetime,
            then: Callable[[Connection, _Go], PairingRefused | None] | None = None) -> _Go | schema.Row:
    """Run ``_authorise`` (and ``then`` on a go-ahead) in one write transaction; raise a refusal after commit."""
    with store.write() as conn:
        outcome = _authorise(conn, request, purpose=purpose, mode=mode, decode=decode, now=now)
        if isinstance(outcome, _Go) and then is not None:
            refused = then(conn, outcome)
            if refused is not None:
                outcome = _refuse(conn, outcome.device_id, refused, request, purpose, now, outcome.row.id)
    if isinstance(outcome, PairingRefused):
        raise outcome
    return outcome


def enroll(store: Store, ca: UnlockedCa, request: PairingRequest, *, now: datetime | None = None,
           settings: Settings | None = None, actor: str | None = None) -> Enrolled:
    """``simpleenroll`` (device key mode): check the token and code proof, then issue from the device's CSR.

    Raises :class:`PairingRefused`; a refusal never issues anything. A retry of a request that succeeded gets
    the same certificate again (``replayed``), without any counter changing.
    """
    now = utc.now(now)
    settings = settings or load_settings(store)
    csr_holder: list[x509.CertificateSigningRequest] = []

    def check_csr(conn: Connection, go: _Go) -> PairingRefused | None:
        try:
            csr = policy.load_csr(go.body)
        except InputError as error:
            return PairingRefused("malformed_request", str(error))
        try:
            signed = csr.is_signature_valid
        except Exception:  # an unsupported or malformed signature algorithm
            signed = False
        if not signed:
            return PairingRefused("malformed_request", "The certificate request's signature does not verify (it "
                                                       "was altered or damaged): send it again.")
        names = [str(a.value) for a in csr.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)]
        problems = policy.csr_violations(csr, expected_names=[policy.device_dns_name(go.device_id, settings),
                                                              go.device_id])
        if len(names) > 1:
            return PairingRefused("device_mismatch", f"The certificate request has {len(names)} CNs ("
                                  f"{', '.join('CN=' + n for n in names)}): the CSR's subject must hold exactly one, "
                                  f"CN={go.device_id}.")
        if names != [go.device_id]:
            named = f"CN={names[0]}" if names else "no CN"
            return PairingRefused("device_mismatch", f"The certificate request has {named}, but this pairing is for "
                                                     f"{go.device_id}: the CSR's subject must be CN={go.device_id}.")
        if problems:
            return PairingRefused("policy_refused", str(PolicyError(
                f"The certificate request of {go.device_id}", problems, "Fix the request on the device and send it "
                "again.")))
        csr_holder.append(csr)
        conn.execute(update(_p).where(_p.c.id == go.row.id).values(state=ISSUING, claimed_at=utc.to_epoch(now)))
        return None

    outcome = _decide(store, request, purpose=ProofPurpose.ENROLL, mode=KeyMode.DEVICE_KEY, decode=decode_csr_body,
                      now=now, then=check_csr)
    if not isinstance(outcome, _Go):
        return _replayed_enrollment(store, outcome, request, now)
    row = outcome.row
    try:
        issued = issuance.issue_device(store, ca, outcome.device_id, csr=csr_holder[0], ward=row.ward,
                                       subject_from_profile=True, settings=settings, now=now, actor=actor,
                                       made_by="paired")
    except BaseException as error:
        with store.write() as conn:
            conn.execute(update(_p).where(_p.c.id == row.id).values(state=ACTIVE, claimed_at=None))
            refusable = isinstance(error, ZmError) and not isinstance(error, StoreError)  # a store outage is a 503
            refused = PairingRefused("policy_refused", str(error)) if refusable else None
            if refused is not None:
                _refuse(conn, row.device_id, refused, request, ProofPurpose.ENROLL, now, row.id)
        if refused is not None:
            raise refused from error
        raise
    der = pkcs7.serialize_certificates([issued.certificate], serialization.Encoding.DER)
    with store.write() as conn:
        conn.execute(update(_p).where(_p.c.id == row.id).values(
            state=USED, finished_at=utc.to_epoch(now), certificate_id=issued.record_id, response=der,
            body_sha256=hashlib.sha256(outcome.body).hexdigest(), auth_key=None))  # the verifier dies on use
        audit.append(conn, "pairing.used", row.device_id, {
            "pairing": row.id, "serial": issued.serial, "endpoint": ProofPurpose.ENROLL.value, "source": request.source,
        }, actor=actor, now=now)
    return Enrolled(row.device_id, issued.serial, der, replayed=False, ignored_names=issued.ignored_names)


def _replayed_enrollment(store: Store, row: schema.Row, request: PairingRequest, now: datetime) -> Enrolled:
    audit.record(store, "pairing.retried", row.device_id, {"pairing": row.id, "source": request.source}, now=now)
    return Enrolled(row.device_id, _serial(store, row.certificate_id), row.response, replayed=True)


def pull_bundle(store: Store, ca: UnlockedCa, request: PairingRequest, *, now: datetime | None = None,
                default_crl_url: str = "", settings: Settings | None = None, actor: str | None = None) -> Bundle:
    """``/zmp/v1/bundle`` (console key mode): check the token and code proof, then release the signed bundle.

    ``default_crl_url`` is used in the bundle when the ``crl-url`` setting is empty (the service passes its
    own ``http://…/crl``). Raises :class:`PairingRefused`. The token is strictly single-use: the bundle carries
    the sealed key, so it is neither kept nor sent twice (a lost response means a new pairing code).
    """
    now = utc.now(now)
    settings = settings or load_settings(store)
    signer = ensure_signer(store, ca, settings=settings, now=now, actor=actor)
    made: list[Bundle] = []

    def release(conn: Connection, go: _Go) -> PairingRefused | None:
        row = go.row
        cert = conn.execute(select(_c.c.serial, _c.c.der, _c.c.revoked_at).where(_c.c.id == row.certificate_id)).one()
        if cert.revoked_at is not None:
            end_token(conn, row, CANCELLED, now, actor, why="its certificate was revoked before delivery",
                    source=request.source)
            return PairingRefused("token_cancelled", f"The certificate prepared for {row.device_id} was revoked on the "
                                                     "console: create a new pairing code there.")
        content = protocol.build_bundle(
            device_id=row.device_id, token=go.token,
            certificate_pem=x509.load_der_x509_certificate(cert.der).public_bytes(serialization.Encoding.PEM).decode(),
            ca_chain_pem=ca.info.pem.decode(), crl_url=settings.crl_url or default_crl_url,
            renewal_url=row.provisioning_url + ".well-known/est/simplereenroll", ocsp_url=settings.ocsp_url or None,
            sealed_key=row.sealed_key)
        body, signature = protocol.sign_bundle(content, signer.key)
        conn.execute(update(_p).where(_p.c.id == row.id).values(
            state=USED, finished_at=utc.to_epoch(now), sealed_key=None, response=None, response_signature=None,
            auth_key=None, body_sha256=hashlib.sha256(go.body).hexdigest(), signer_key_id=signer.key_id.hex()))
        audit.append(conn, "pairing.used", row.device_id, {
            "pairing": row.id, "serial": cert.serial, "endpoint": ProofPurpose.BUNDLE.value, "source": request.source,
        }, actor=actor, now=now)
        made.append(Bundle(row.device_id, cert.serial, body, signature, signer.key_id))
        return None

    outcome = _decide(store, request, purpose=ProofPurpose.BUNDLE, mode=KeyMode.CONSOLE_KEY, decode=_empty_body,
                      now=now, then=release)
    if not isinstance(outcome, _Go):  # _authorise never replays a bundle
        raise PairingRefused("token_used", _used_message(outcome.device_id))
    return made[0]


def _serial(store: Store, certificate_id: int) -> str:
    with store.read() as conn:
        serial = conn.execute(select(_c.c.serial).where(_c.c.id == certificate_id)).scalar_one_or_none()
    if serial is None:
        raise NotFoundError(f"Certificate record {certificate_id} is missing from the store: restore it from a backup.")
    return str(serial)


