"""Answering a device: EST ``simpleenroll`` and the bundle pull, authorised by token and code proof.

The provisioning service calls :func:`enroll` and :func:`pull_bundle` with the request as received
(:class:`PairingRequest`); everything the protocol's section 7.1 prescribes happens here and in
``authorise``, in its normative order, so the service is a thin HTTP adapter. Each request is one write
transaction (``BEGIN IMMEDIATE`` serialises them across processes): its checks, its failure count, the
certificate issued and the pairing marked used commit together or not at all, so parallel guesses can never
exceed ``MAX_CODE_ATTEMPTS`` and a crash can never leave a certificate issued for a pairing that is not marked
used (the retry then issues, and receives, the one certificate). Refusals are :class:`PairingRefused` carrying
the protocol's error code; a CSR's policy violations map to codes by their kind (:data:`CSR_ERROR_CODES`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from sqlalchemy import select

from zmconsole.core import audit, issuance, policy, schema, utc
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import InputError, NotFoundError, PolicyError, StoreError, TokenError, ZmError
from zmconsole.core.pairing import bundle, state
from zmconsole.core.pairing.authorise import (
    Attempt,
    Authorised,
    PairingRequest,
    Replay,
    authorise,
    decode_csr_body,
    empty_body,
    used_message,
)
from zmconsole.core.pairing.protocol import KeyMode, ProofPurpose
from zmconsole.core.pairing.refusals import PairingRefused, RefusalLog
from zmconsole.core.pairing.signer import Signer, ensure_signer
from zmconsole.core.policy import CheckedCsr, ViolationKind
from zmconsole.core.settings import Settings
from zmconsole.core.settings import load as load_settings
from zmconsole.core.store import Store

__all__ = ["Bundle", "Enrolled", "PairingRefused", "PairingRequest", "enroll", "pull_bundle"]

#: The protocol error code for a CSR whose violations include a kind; any other kind is ``policy_refused``.
#: The first kind found in this order wins: a damaged request says nothing reliable about the rest.
CSR_ERROR_CODES: dict[ViolationKind, str] = {
    ViolationKind.SIGNATURE: "malformed_request",
    ViolationKind.COMMON_NAME: "device_mismatch",
}

_c = schema.certificates


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


def csr_refusal(device_id: str, checked: CheckedCsr) -> PairingRefused:
    """The refusal for a CSR with violations: the code its kinds map to, the words that name them."""
    kinds = {v.kind for v in checked.violations}
    code = next((CSR_ERROR_CODES[k] for k in CSR_ERROR_CODES if k in kinds), "policy_refused")
    if code == "malformed_request":
        message = ("The certificate request's signature does not verify (it was altered or damaged): send it "
                   "again.")
    elif code == "device_mismatch":
        found = next(v.found for v in checked.violations if v.kind is ViolationKind.COMMON_NAME)
        if len(found) > 1:
            message = (f"The certificate request has {len(found)} CNs ({', '.join('CN=' + n for n in found)}): the "
                       f"CSR's subject must hold exactly one, CN={device_id}.")
        else:
            named = f"CN={found[0]}" if found else "no CN"
            message = (f"The certificate request has {named}, but this pairing is for {device_id}: the CSR's "
                       f"subject must be CN={device_id}.")
    else:
        message = str(PolicyError(f"The certificate request of {device_id}", [str(v) for v in checked.violations],
                                  "Fix the request on the device and send it again."))
    return PairingRefused(code, message, authenticated=True)


def check_enrollment_csr(der: bytes, device_id: str, settings: Settings) -> CheckedCsr | PairingRefused:
    """The device's CSR through the policy, once: only its CN counts (the profile sets C, O and OU)."""
    try:
        csr = policy.load_csr(der)
    except InputError as error:
        return PairingRefused("malformed_request", str(error), authenticated=True)
    checked = policy.check_csr(csr, common_name=device_id, client=True,
                               expected_names=[policy.device_dns_name(device_id, settings)])
    return csr_refusal(device_id, checked) if checked.violations else checked


def enroll(store: Store, ca: UnlockedCa, request: PairingRequest, *, now: datetime | None = None,
           settings: Settings | None = None, actor: str | None = None, log: RefusalLog | None = None) -> Enrolled:
    """``simpleenroll`` (device key mode): check the token and code proof, then issue from the device's CSR.

    Raises :class:`PairingRefused`; a refusal never issues anything. A retry of a request that succeeded gets
    the same certificate again (``replayed``), without any counter changing. ``log`` summarises refusals of
    unauthenticated requests in the audit trail (the service passes its own; without one each is audited).
    """
    now = utc.now(now)
    settings = settings or load_settings(store)
    with store.write() as conn:
        attempt = Attempt(conn, request, ProofPurpose.ENROLL, KeyMode.DEVICE_KEY, decode_csr_body, now, log)
        outcome = authorise(attempt)
        if isinstance(outcome, Authorised):
            answer = _issue(store, attempt, outcome, ca, settings, actor)
        elif isinstance(outcome, Replay):
            answer = _replayed(attempt, outcome.row)
        else:
            answer = outcome
    if isinstance(answer, PairingRefused):
        raise answer
    return answer


def _issue(store: Store, attempt: Attempt, go: Authorised, ca: UnlockedCa, settings: Settings,
           actor: str | None) -> Enrolled | PairingRefused:
    """Issue from the checked CSR and mark the pairing used, in the attempt's one transaction."""
    checked = check_enrollment_csr(go.body, go.device_id, settings)
    if isinstance(checked, PairingRefused):
        return attempt.refuse(go.device_id, checked, go.row.id)
    issued = _issue_checked(store, attempt, go.row, checked, ca, settings, actor)
    if isinstance(issued, PairingRefused):
        return issued
    # The issued certificate first, then any intermediate (an issuing CA below the pinned root).
    der = pkcs7.serialize_certificates([issued.certificate, *issued.chain[:-1]], serialization.Encoding.DER)
    state.mark_used(attempt.conn, go.row, attempt.now, body_sha256=hashlib.sha256(go.body).hexdigest(),
                    certificate_id=issued.record_id, response=der, actor=actor, details={
                        "serial": issued.serial, "endpoint": ProofPurpose.ENROLL.value,
                        "source": attempt.request.source})
    return Enrolled(go.device_id, issued.serial, der, replayed=False, ignored_names=issued.ignored_names)


def _replayed(attempt: Attempt, row: schema.Row) -> Enrolled:
    audit.append(attempt.conn, "pairing.retried", row.device_id, {"pairing": row.id, "source": attempt.request.source},
                 now=attempt.now)
    serial = attempt.conn.execute(select(_c.c.serial).where(_c.c.id == row.certificate_id)).scalar_one_or_none()
    if serial is None:
        raise NotFoundError(f"Certificate record {row.certificate_id} is missing from the store: restore it from a "
                            "backup.")
    return Enrolled(row.device_id, str(serial), row.response, replayed=True)


def pull_bundle(store: Store, ca: UnlockedCa, request: PairingRequest, *, now: datetime | None = None,
                default_crl_url: str = "", settings: Settings | None = None, actor: str | None = None,
                log: RefusalLog | None = None) -> Bundle:
    """``/zmp/v1/bundle`` (console key mode): check the token and code proof, then release the signed bundle.

    ``default_crl_url`` is used in the bundle when the ``crl-url`` setting is empty (the service passes its
    own ``http://…/crl``). Raises :class:`PairingRefused`. The token is strictly single-use: the bundle carries
    the sealed key, so it is neither kept nor sent twice (a lost response means a new pairing code).
    """
    now = utc.now(now)
    settings = settings or load_settings(store)
    signer = ensure_signer(store, ca, settings=settings, now=now, actor=actor)
    with store.write() as conn:
        attempt = Attempt(conn, request, ProofPurpose.BUNDLE, KeyMode.CONSOLE_KEY, empty_body, now, log)
        outcome = authorise(attempt)
        if isinstance(outcome, Authorised):
            answer = _release(store, attempt, outcome, ca, signer, settings.crl_url or default_crl_url, settings, actor)
        elif isinstance(outcome, Replay):  # authorise never replays a bundle
            answer = PairingRefused("token_used", used_message(outcome.row.device_id))
        else:
            answer = outcome
    if isinstance(answer, PairingRefused):
        raise answer
    return answer


def _release(store: Store, attempt: Attempt, go: Authorised, ca: UnlockedCa, signer: Signer, crl_url: str,
             settings: Settings, actor: str | None) -> Bundle | PairingRefused:
    row = go.row
    if row.certificate_id is None:  # prepared without the CA: the key holder issues from the row's CSR now
        made = _issue_from_csr(store, attempt, row, ca, settings, actor)
        if isinstance(made, PairingRefused):
            return made
        serial, certificate, issued_id = made
    else:
        cert = attempt.conn.execute(select(_c.c.serial, _c.c.der, _c.c.revoked_at)
                                    .where(_c.c.id == row.certificate_id)).one()
        if cert.revoked_at is not None:
            state.cancel(attempt.conn, row, attempt.now, why="its certificate was revoked before delivery",
                         actor=actor, source=attempt.request.source)
            return attempt.refuse(row.device_id, PairingRefused(
                "token_cancelled", f"The certificate prepared for {row.device_id} was revoked on the console: create "
                                   "a new pairing code there.", authenticated=True), row.id)
        serial, certificate, issued_id = cert.serial, x509.load_der_x509_certificate(cert.der), None
    content = bundle.build_bundle(
        device_id=row.device_id, token=go.token,
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        ca_chain_pem=ca.info.chain_pem.decode(), crl_url=crl_url,
        renewal_url=row.provisioning_url + ".well-known/est/simplereenroll", ocsp_url=settings.ocsp_url or None,
        sealed_key=row.sealed_key)
    body, signature = bundle.sign_bundle(content, signer.key)
    state.mark_used(attempt.conn, row, attempt.now, body_sha256=hashlib.sha256(go.body).hexdigest(),
                    certificate_id=issued_id, signer_key_id=signer.key_id.hex(), actor=actor, details={
                        "serial": serial, "endpoint": ProofPurpose.BUNDLE.value,
                        "source": attempt.request.source})
    return Bundle(row.device_id, serial, body, signature, signer.key_id)


def _issue_from_csr(store: Store, attempt: Attempt, row: schema.Row, ca: UnlockedCa, settings: Settings,
                    actor: str | None) -> tuple[str, x509.Certificate, int] | PairingRefused:
    """Issue from the CSR the console signed with the sealed key, in the pull's transaction: the pairing is
    marked used in the same one, and a failure to issue (a token gone) rolls it all back, the code still good."""
    if row.csr is None or row.sealed_key is None:
        return attempt.refuse(row.device_id, PairingRefused(
            "token_cancelled", f"The pairing for {row.device_id} holds no key to deliver: create a new pairing code "
                               "on the console.", authenticated=True), row.id)
    checked = check_enrollment_csr(row.csr, row.device_id, settings)
    if isinstance(checked, PairingRefused):
        return attempt.refuse(row.device_id, checked, row.id)
    issued = _issue_checked(store, attempt, row, checked, ca, settings, actor, generated_here=True)
    if isinstance(issued, PairingRefused):
        return issued
    return issued.serial, issued.certificate, issued.record_id


def _issue_checked(store: Store, attempt: Attempt, row: schema.Row, checked: CheckedCsr, ca: UnlockedCa,
                   settings: Settings, actor: str | None, *, generated_here: bool = False
                   ) -> issuance.Issued | PairingRefused:
    """Issue a pairing's certificate from its checked CSR in the attempt's transaction."""
    try:
        return issuance.issue_device(store, ca, row.device_id, csr=checked, ward=row.ward, subject_from_profile=True,
                                     settings=settings, now=attempt.now, actor=actor, made_by="paired",
                                     conn=attempt.conn, generated_here=generated_here)
    except (StoreError, TokenError):
        raise  # a store outage or a CA key's token gone is a 503, and rolls everything back (the code stays good)
    except ZmError as error:  # refused before anything was written (an active certificate, a CA near its end)
        return attempt.refuse(row.device_id, PairingRefused("policy_refused", str(error), authenticated=True), row.id)
