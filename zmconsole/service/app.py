"""What each URL of the provisioning service does (docs/pairing-protocol.md §7), as plain functions of a request.

Every handler runs on a worker thread (store and signing work block) and returns a :class:`Response`;
refusals from the core become the protocol's JSON errors here, in one place. No handler logs a header
value or a body: the request log gets only the ``note`` of the response (an error code, a device ID, a
serial).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from email.utils import format_datetime
from urllib.parse import unquote

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from zmconsole.core import crl_policy, ocsp, renewal, revocation, utc
from zmconsole.core.ca import ISSUING, UnlockedCa
from zmconsole.core.errors import StoreError, ZmError
from zmconsole.core.pairing import answers
from zmconsole.core.pairing.answers import PairingRefused, PairingRequest
from zmconsole.core.pairing.refusals import RefusalLog
from zmconsole.core.pairing.signer import signer_chain
from zmconsole.core.store import Store
from zmconsole.service.http import Request, Response, error_response
from zmconsole.service.refusals import http_status

log = logging.getLogger("zmconsole.service")

CRL_MAX_AGE_HEADER = 300  # seconds a client may cache /crl: short, so a revocation shows within minutes
RETRY_AFTER = "5"
_PKCS7 = "application/pkcs7-mime"
Handler = Callable[[Request], Response]


def _est_base64(der: bytes) -> bytes:
    return base64.encodebytes(der)  # 76-character lines, as RFC 7030 §4.1.3 shows


class ProvisioningApp:
    """The request handlers of both listeners, around one store and the unlocked CA."""

    def __init__(self, store: Store, ca: UnlockedCa, *, crl_url: str,
                 clock: Callable[[], datetime] = utc.now) -> None:
        self.store = store
        self.ca = ca
        self.crl_url = crl_url  # the bundle's crl_url when the crl-url setting is empty
        self.clock = clock
        self.refusal_log = RefusalLog()  # refusals of unauthenticated requests, summarised in the audit trail
        self._crl_lock = threading.Lock()
        self._https: dict[str, dict[str, Handler]] = {
            "/.well-known/est/cacerts": {"GET": self.cacerts},
            "/.well-known/est/simpleenroll": {"POST": self.simpleenroll},
            "/zmp/v1/bundle": {"POST": self.bundle},
            "/.well-known/est/simplereenroll": {"POST": self.simplereenroll},
            "/zmp/v1/renewal/confirm": {"POST": self.confirm},
        }
        self._http: dict[str, dict[str, Handler]] = {
            "/crl": {"GET": self.crl},
            "/ocsp": {"POST": self.ocsp_post},
        }

    # --- dispatch ---------------------------------------------------------------------------------------------

    def https(self, request: Request) -> Response:
        """The HTTPS listener: EST, the bundle pull and signer certificates."""
        if request.path.startswith("/zmp/v1/signers/"):
            return self._run(request, {"GET": self.signer})
        return self._run(request, self._https.get(request.path))

    def http(self, request: Request) -> Response:
        """The plain-HTTP listener: revocation data only (signed, so it needs no TLS)."""
        if request.path.startswith("/ocsp/"):
            return self._run(request, {"GET": self.ocsp_get})
        if request.path.startswith("/crl-"):
            return self._run(request, {"GET": self.issuer_crl})
        return self._run(request, self._http.get(request.path))

    def _run(self, request: Request, methods: dict[str, Handler] | None) -> Response:
        if methods is None:
            return error_response(404, "not_found", f"There is nothing at {request.path[:80]!r} on this service: "
                                                    "check the provisioning URL.")
        if "GET" in methods:  # RFC 9110 §9.3.2: HEAD is GET without the body (http.send leaves it out)
            methods = {**methods, "HEAD": methods["GET"]}
        handler = methods.get(request.method)
        if handler is None:
            allowed = ", ".join(methods)
            return error_response(405, "method_not_allowed", f"Use {allowed} for {request.path}.",
                                  headers={"Allow": allowed})
        try:
            return handler(request)
        except PairingRefused as refused:
            status = http_status(refused)
            headers = {"WWW-Authenticate": "ZMP1"} if status == 401 else {}
            extra = {} if refused.remaining_attempts is None else {"remaining_attempts": refused.remaining_attempts}
            response = error_response(status, refused.code, str(refused), headers=headers, extra=extra)
            return _noted(response, request)
        except renewal.RenewalRefused as refused:
            status = RENEWAL_STATUS[refused.code]
            headers = {"WWW-Authenticate": "ZMP1-TLS"} if status == 401 else {}
            return error_response(status, refused.code, str(refused), headers=headers)
        except StoreError as error:
            log.warning("store unavailable: %s", error)
            return error_response(503, "unavailable", f"The provisioning service cannot reach its store ({error}): "
                                                      "try again shortly.", headers={"Retry-After": RETRY_AFTER})
        except ZmError as error:
            return error_response(503, "unavailable", str(error), headers={"Retry-After": RETRY_AFTER})
        except Exception:
            log.exception("internal error answering %s %s", request.method, request.path)
            return error_response(500, "internal_error", "The provisioning service failed (a bug, logged on the "
                                                         "server): try again, and report it if it persists.")

    def flush_refusals(self) -> None:
        """Write the summary of the refusals counted so far (housekeeping, and when the service stops)."""
        self.refusal_log.flush(self.store, self.clock())

    # --- HTTPS ------------------------------------------------------------------------------------------------

    def cacerts(self, request: Request) -> Response:
        """RFC 7030 §4.1: the platform CA as base64 certs-only CMS: in a hierarchy the issuing CA, the root,
        and any earlier issuing CA whose certificates are still in use."""
        der = pkcs7.serialize_certificates(list(self.ca.certificates), serialization.Encoding.DER)
        return Response(200, _est_base64(der), _PKCS7, {"Content-Transfer-Encoding": "base64"})

    def _pairing_request(self, request: Request) -> PairingRequest:
        return PairingRequest(request.header("ZM-Device-Id"), request.header("ZM-Enrollment-Token"),
                              request.header("ZM-Code-Proof"), request.body, request.client)

    def simpleenroll(self, request: Request) -> Response:
        """RFC 7030 §4.2.1, authorised by the pairing headers; answers base64 certs-only CMS."""
        enrolled = answers.enroll(self.store, self.ca, self._pairing_request(request), now=self.clock(),
                                  log=self.refusal_log)
        note = f"device={enrolled.device_id} serial={enrolled.serial}" + (" retry" if enrolled.replayed else "")
        return _issued(enrolled.pkcs7, enrolled.ignored_names, {}, note)

    def bundle(self, request: Request) -> Response:
        """Console key mode: the signed bundle, its signature and signer in headers (§7.3)."""
        made = answers.pull_bundle(self.store, self.ca, self._pairing_request(request), now=self.clock(),
                                   default_crl_url=self.crl_url, log=self.refusal_log)
        return Response(200, made.body, "application/json",
                        {"ZM-Bundle-Signature": made.signature.hex(), "ZM-Signer-Key-Id": made.signer_key_id.hex()},
                        note=f"device={made.device_id} serial={made.serial}")

    def simplereenroll(self, request: Request) -> Response:
        """RFC 7030 §4.2.2 (protocol §7.7.1): renewal, authenticated by the device's current certificate."""
        renewed = renewal.renew(self.store, self.ca, request.peer_certificate, request.body, source=request.client,
                                now=self.clock())
        lineage = {"ZM-Replaces-Serial": renewed.replaces_serial, "ZM-Grace-Ends": renewal.iso_z(renewed.grace_ends)}
        return _issued(renewed.pkcs7, renewed.ignored_names, lineage,
                       f"device={renewed.device_id} serial={renewed.serial} renewed {renewed.replaces_serial}"
                       + (" retry" if renewed.replayed else ""))

    def confirm(self, request: Request) -> Response:
        """Protocol §7.7.2: the new certificate works; its predecessor is revoked as superseded now."""
        confirmed = renewal.confirm(self.store, self.ca, request.peer_certificate, source=request.client,
                                    now=self.clock())
        if confirmed.superseded_serial is not None:
            try:
                self.fresh_crl()  # the next CRL lists the predecessor; publish it now rather than at the next fetch
            except ZmError as error:
                log.warning("CRL not refreshed after a confirmation: %s", error)
        return Response(200, json.dumps(confirmed.as_json(), sort_keys=True).encode(), "application/json",
                        note=f"device={confirmed.device_id} confirmed {confirmed.serial}")

    def signer(self, request: Request) -> Response:
        """§7.4: the pairing signer's certificate chain, by key id."""
        key_id = request.path.removeprefix("/zmp/v1/signers/")
        try:
            raw = bytes.fromhex(key_id) if len(key_id) == 16 else b""
        except ValueError:
            raw = b""
        chain = signer_chain(self.store, raw, now=self.clock()) if raw else None
        if chain is None:
            return error_response(404, "not_found", f"No pairing signer has key id {key_id[:32]!r}: create a new "
                                                    "pairing code on the console.")
        return Response(200, chain, "application/pem-certificate-chain")

    # --- plain HTTP -------------------------------------------------------------------------------------------

    def crl(self, request: Request) -> Response:
        """§7.6: the current CRL (DER), regenerated when missing, a day old, or behind a revocation."""
        return self._crl_answer(self.fresh_crl())

    def issuer_crl(self, request: Request) -> Response:
        """``/crl-SERIAL``: the CRL of the issuing CA whose certificate has that serial, the distribution point
        its certificates name (``CaInfo.crl_url``), the active one's or one rolled over from."""
        name = request.path.removeprefix("/")
        issuer = next((one for one in self.ca.every if one.info.role == ISSUING and one.info.crl_name == name), None)
        if issuer is None:
            return error_response(404, "not_found", f"No issuing CA of this service publishes {name[:60]!r}: check "
                                                    "the certificate's CRL distribution point.")
        return self._crl_answer(self.fresh_crl(issuer))

    def _crl_answer(self, current: revocation.CrlInfo) -> Response:
        now = self.clock()
        max_age = max(0, min(CRL_MAX_AGE_HEADER, int((current.next_update - now).total_seconds())))
        return Response(200, current.der, "application/pkix-crl",
                        {"Last-Modified": format_datetime(current.this_update, usegmt=True),
                         "Cache-Control": f"max-age={max_age}"}, note=f"crl={current.number}")

    def fresh_crl(self, issuer: UnlockedCa | None = None) -> revocation.CrlInfo:
        """The newest CRL of the active CA (or of ``issuer``, one of its older issuing CAs), after signing (and
        publishing) new ones if it is not current."""
        issuer = issuer or self.ca
        with self._crl_lock:  # one regeneration at a time within this process
            now = self.clock().replace(microsecond=0)
            latest = revocation.latest_crl(self.store, issuer.info.id)
            state = crl_policy.crl_state(self.store, latest, now=now)
            if latest is None or state is not crl_policy.CrlState.CURRENT:
                signed = crl_policy.sign_and_publish(self.store, self.ca, now=now)
                if signed.publication.error is not None:
                    log.warning("CRL #%d signed (%s) but not published: %s", signed.crl.number, state,
                                signed.publication.error)
                if issuer is self.ca:
                    latest = signed.crl
                else:  # an older issuing CA: signed with the rest, unless none of its certificates is left
                    latest = next((one.crl for one in signed.older if one.crl.ca_id == issuer.info.id), None) \
                        or revocation.generate_crl(self.store, issuer, now=now)
            return latest

    def sign_pending(self) -> revocation.CrlInfo | None:
        """Housekeeping: put revocations recorded without the CA key (an officer's, a disabled operator's
        pairing signer) on a new CRL now rather than at the next ``/crl`` fetch; None when none is pending."""
        latest = revocation.latest_crl(self.store)
        if crl_policy.crl_state(self.store, latest, now=self.clock()) is not crl_policy.CrlState.BEHIND:
            return None
        return self.fresh_crl()

    def ocsp_post(self, request: Request) -> Response:
        """RFC 6960 A.1: a DER OCSP request in the body."""
        return self._ocsp(request.body)

    def ocsp_get(self, request: Request) -> Response:
        """RFC 6960 A.1: the base64 request, URL-encoded, as the last path segment."""
        try:
            der = base64.b64decode(unquote(request.path.removeprefix("/ocsp/")), validate=True)
        except (binascii.Error, ValueError):
            der = b""
        return self._ocsp(der)

    def _ocsp(self, der: bytes) -> Response:
        answer = ocsp.respond(self.store, self.ca, der, now=self.clock())
        return Response(200, answer, "application/ocsp-response")


#: The renewal's error codes (protocol §7.7.3) and the HTTP status each is answered with.
RENEWAL_STATUS: dict[str, int] = {
    "malformed_request": 400,
    "client_certificate_required": 401,
    "cert_unknown": 403,
    "cert_revoked": 403,
    "cert_expired": 403,
    "not_current": 403,
    "device_mismatch": 403,
    "policy_refused": 403,
    "key_reused": 403,
    "renewal_conflict": 409,
    "confirm_with_new": 409,
}


def _issued(der: bytes, ignored_names: tuple[str, ...], headers: dict[str, str], note: str) -> Response:
    """An EST answer (RFC 7030 §4.2.3: base64 certs-only CMS); requested SAN entries left out are named (§7.8)."""
    headers = {"Content-Transfer-Encoding": "base64", **headers}
    if ignored_names:
        headers["ZM-Ignored-Alt-Names"] = _header_text(", ".join(ignored_names))
    return Response(200, _est_base64(der), f"{_PKCS7}; smime-type=certs-only", headers, note=note)


def _header_text(text: str) -> str:
    """A value that can go into a response header: printable ASCII, cut at 1,000 characters."""
    return "".join(ch if 32 <= ord(ch) < 127 else "?" for ch in text[:1000])


def _noted(response: Response, request: Request) -> Response:
    """Add the claimed device ID to a refusal's log note (it is not a secret; the token and proof are)."""
    device = (request.header("ZM-Device-Id") or "").strip()[:16]
    if not device.isprintable() or not device:
        return response
    return Response(response.status, response.body, response.content_type, response.headers,
                    note=f"{response.note} device={device}")
