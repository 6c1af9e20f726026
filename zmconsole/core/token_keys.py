"""CA keys held in a hardware security module, reached through PKCS#11 (issue 12, "CA keys in an HSM").

The key is generated in the token, marked not extractable and sensitive, and never leaves it. What the
store keeps instead of an encrypted key is a *reference*: the module path, the token label and the key's
CKA_ID (:class:`TokenRef`, in ``cas.key_pem`` and ``private/ca.key.pem`` where a file key's encrypted PEM
would be). The PIN is never stored.

:class:`TokenEcKey` and :class:`TokenRsaKey` subclass ``cryptography``'s abstract private-key classes:
its certificate, CRL, OCSP and CSR builders recognise the key type by ``isinstance`` and call
``key.sign(tbs, algorithm)``, so a token key signs every structure the console makes without any call site
knowing where the key lives. ``sign`` hashes the to-be-signed bytes here and has the token sign the digest
(CKM_ECDSA, then r||s is DER-encoded as X.509 wants) or signs with CKM_SHA256_RSA_PKCS.

Two secrets used to be derived from the CA's private numbers, which a token key cannot give (held-key
sealing, the audit-checkpoint key). Next to the CA key the token holds a non-extractable generic secret
with the same CKA_ID; :meth:`TokenKey.derive` is HMAC-SHA256 under it, made in the token. So the derived
seeds exist only while the token is open with its PIN, and only for this CA (see :mod:`.ca_secrets`).

One logged-in session per token and process: PKCS#11 login state belongs to the application, not to the
session, so the keys of one token share a session, and the last key dropped (the console locks) logs out.

The binding (python-pkcs11, the ``pkcs11`` extra) is imported only when a token is used.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Self

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

from zmconsole.core import der
from zmconsole.core.errors import InputError, NotFoundError, TokenError, WrongPassphraseError

if TYPE_CHECKING:
    import pkcs11

_BEGIN = b"-----BEGIN ZMCONSOLE PKCS11 KEY REFERENCE-----\n"
_END = b"-----END ZMCONSOLE PKCS11 KEY REFERENCE-----\n"
_KEY_LABEL = "zmconsole CA key"
_SECRET_LABEL = "zmconsole CA secret"  # noqa: S105 - an object label, not a secret
_SECRET_BITS = 256
_CURVES: dict[str, ec.EllipticCurve] = {"ec-p384": ec.SECP384R1()}
_RSA_BITS = {"rsa4096": 4096}
_EXTRA = "install the PKCS#11 support with `pip install 'zmconsole[pkcs11]'`"
_AGAIN = "nothing was signed or changed"


@dataclass(frozen=True)
class TokenRef:
    """Where a CA key lives: enough to find it again, nothing secret."""

    module: str  # the PKCS#11 library's path
    token: str  # the token's label
    key_id: str  # CKA_ID of the private key and of its secret, hex

    def encode(self) -> bytes:
        """The reference as the store keeps it in place of an encrypted key (readable text, no secret)."""
        body = json.dumps({"module": self.module, "token": self.token, "key_id": self.key_id}, sort_keys=True)
        return _BEGIN + body.encode() + b"\n" + _END

    @classmethod
    def decode(cls, data: bytes) -> TokenRef:
        try:
            fields = json.loads(data.removeprefix(_BEGIN).removesuffix(_END))
            return cls(str(fields["module"]), str(fields["token"]), str(fields["key_id"]))
        except (ValueError, KeyError, TypeError) as error:
            raise InputError("The stored reference to the CA key's token is damaged: restore the store from a "
                             "backup.") from error

    def describe(self) -> str:
        return f"token {self.token!r} ({self.module})"


def is_reference(key_pem: bytes) -> bool:
    """True when the stored CA key is a reference to a token, not an encrypted key."""
    return key_pem.startswith(_BEGIN)


@dataclass(frozen=True)
class TokenSpec:
    """What ``ca init --pkcs11-module PATH --pkcs11-token LABEL`` names, with the PIN read from elsewhere."""

    module: str
    token: str
    pin: str


# --- the binding, and turning its errors into ours ---------------------------------------------------------

def _binding() -> Any:
    try:
        import pkcs11
    except ImportError as error:
        raise InputError(f"This installation cannot use a PKCS#11 token: {_EXTRA}.") from error
    return pkcs11


def _library(module: str) -> Any:
    """The PKCS#11 library at ``module``: a missing path, or a file that is no PKCS#11 module, is refused."""
    if not module:
        raise InputError("No PKCS#11 module was given: give the path of the HSM's PKCS#11 library with "
                         "--pkcs11-module (SoftHSM2's is /usr/lib/softhsm/libsofthsm2.so).")
    path = Path(module)
    if not path.is_file():
        raise InputError(f"The PKCS#11 module {module} does not exist: give the path of the HSM's PKCS#11 "
                         "library (a .so file from its vendor); " + _AGAIN + ".")
    p11 = _binding()
    try:
        return p11.lib(str(path))
    except p11.PKCS11Error as error:
        raise InputError(f"{module} is not a PKCS#11 module (it cannot be loaded as one: {error}): give the "
                         "path of the HSM's PKCS#11 library; " + _AGAIN + ".") from error


def _token(library: Any, ref_or_spec: TokenRef | TokenSpec) -> Any:
    p11 = _binding()
    if not ref_or_spec.token:
        raise InputError("No PKCS#11 token label was given: name the token with --pkcs11-token LABEL (list them "
                         "with `pkcs11-tool --module MODULE --list-tokens`).")
    try:
        return library.get_token(token_label=ref_or_spec.token)
    except p11.PKCS11Error as error:
        if not _open_sessions(ref_or_spec.module):
            # A library only rescans its slots when initialised: a token plugged in (or pulled out) since then
            # is seen after this, which is safe while this process has no session open on it.
            library.reinitialize()
            try:
                return library.get_token(token_label=ref_or_spec.token)
            except p11.NoSuchToken:
                pass
            except p11.PKCS11Error as again:
                raise _gone(ref_or_spec, again) from again
        elif not isinstance(error, p11.NoSuchToken):
            raise _gone(ref_or_spec, error) from error
    raise NotFoundError(f"There is no token labelled {ref_or_spec.token!r} in the PKCS#11 module "
                        f"{ref_or_spec.module}: connect the token, or check the label with "
                        "`pkcs11-tool --module MODULE --list-tokens`; " + _AGAIN + ".")


def check_token(module: str, label: str) -> None:
    """Refuse a missing module, a file that is no PKCS#11 module, or an absent token, before a PIN is asked."""
    _token(_library(module), TokenSpec(module, label, ""))


def _gone(where: TokenRef | TokenSpec, error: Exception) -> TokenError:
    return TokenError(f"The PKCS#11 {TokenRef(where.module, where.token, '').describe()} stopped answering "
                      f"({type(error).__name__}): it was removed, reinitialised or its CA key was deleted; "
                      f"{_AGAIN}. Reconnect the token and unlock the CA again.")


# --- sessions: one per token and process -------------------------------------------------------------------

class _Session:
    """A logged-in session shared by the keys of one token; closed (logged out) when the last key goes."""

    def __init__(self, where: TokenRef | TokenSpec, session: pkcs11.Session, pin: str) -> None:
        self.where = where
        self.session = session
        self.lock = threading.Lock()  # PKCS#11: one operation at a time per session
        self._salt = os.urandom(16)
        self._pin_digest = self._digest(pin)
        weakref.finalize(self, _close, session)

    def _digest(self, pin: str) -> bytes:
        return hashlib.sha256(self._salt + pin.encode()).digest()

    def pin_matches(self, pin: str) -> bool:
        return hmac.compare_digest(self._digest(pin), self._pin_digest)

    @contextmanager
    def use(self) -> Iterator[pkcs11.Session]:
        """The session for one operation; a token that stopped answering becomes a :class:`TokenError`."""
        p11 = _binding()
        with self.lock:
            try:
                yield self.session
            except p11.PKCS11Error as error:
                _forget(self)
                raise _gone(self.where, error) from error


def _close(session: pkcs11.Session) -> None:
    try:
        session.close()
    except Exception:  # noqa: S110 - the token may be gone already; there is nothing left to log out of
        pass


_sessions: weakref.WeakValueDictionary[tuple[str, str], _Session] = weakref.WeakValueDictionary()
_sessions_lock = threading.Lock()


def _open_sessions(module: str) -> bool:
    return any(key[0] == module for key in list(_sessions.keys()))


def _forget(session: _Session) -> None:
    with _sessions_lock:
        where = (session.where.module, session.where.token)
        if _sessions.get(where) is session:
            del _sessions[where]


def _login(where: TokenRef | TokenSpec, pin: str) -> _Session:
    """The token's logged-in session: reused if this process has it open (the PIN must match), else opened."""
    library = _library(where.module)
    token = _token(library, where)
    p11 = _binding()
    with _sessions_lock:
        existing = _sessions.get((where.module, where.token))
        if existing is not None:
            # Logged in already (PKCS#11 login belongs to the process): the token cannot check the PIN again.
            if not existing.pin_matches(pin):
                raise WrongPassphraseError(_wrong_pin(where))
            return existing
        try:
            session = token.open(rw=True, user_pin=pin)
        except (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange) as error:
            raise WrongPassphraseError(_wrong_pin(where)) from error
        except p11.PinLocked as error:
            raise WrongPassphraseError(f"The PKCS#11 token {where.token!r} is locked after too many wrong PINs: "
                                       "have its security officer unlock it.") from error
        except p11.PKCS11Error as error:
            raise _gone(where, error) from error
        opened = _Session(where, session, pin)
        _sessions[(where.module, where.token)] = opened
        return opened


def _wrong_pin(where: TokenRef | TokenSpec) -> str:
    return (f"The PIN is wrong for the PKCS#11 token {where.token!r}: type the token's user PIN (after too many "
            f"wrong PINs the token locks itself); {_AGAIN}.")


# --- the key -----------------------------------------------------------------------------------------------

class TokenKey:
    """What both token key classes share: the session, the key handles, the derived secrets."""

    ref: TokenRef
    _session: _Session
    _private: Any
    _secret: Any

    def _bind(self, ref: TokenRef, session: _Session, private: Any, secret: Any) -> None:
        self.ref, self._session, self._private, self._secret = ref, session, private, secret

    def _sign_in_token(self, data: bytes, mechanism: Any) -> bytes:
        with self._session.use():
            return bytes(self._private.sign(data, mechanism=mechanism))

    def derive(self, info: bytes) -> bytes:
        """32 bytes for ``info``: HMAC-SHA256 under the token's secret, made in the token."""
        p11 = _binding()
        with self._session.use():
            return bytes(self._secret.sign(info, mechanism=p11.Mechanism.SHA256_HMAC))

    def _refuse_export(self) -> NoReturn:
        raise InputError(f"The CA key is held in the PKCS#11 {self.ref.describe()} and cannot leave it.")

    def private_bytes(self, encoding: serialization.Encoding, format: serialization.PrivateFormat,
                      encryption_algorithm: serialization.KeySerializationEncryption) -> bytes:
        self._refuse_export()

    def __copy__(self) -> Self:
        return self  # one key in one token: a copy is the same key

    def __deepcopy__(self, memo: dict[int, object]) -> Self:
        return self

    def destroy(self) -> None:
        """Delete the key and its secret from the token (only for a CA that was never stored)."""
        with self._session.use():
            for handle in (self._private, self._secret, *self._publics()):
                handle.destroy()

    def _publics(self) -> list[Any]:
        p11 = _binding()
        return list(self._session.session.get_objects({p11.Attribute.CLASS: p11.ObjectClass.PUBLIC_KEY,
                                                       p11.Attribute.ID: bytes.fromhex(self.ref.key_id)}))


def _digest(data: bytes, algorithm: hashes.HashAlgorithm | utils.Prehashed) -> bytes:
    if isinstance(algorithm, utils.Prehashed):
        return data
    hasher = hashes.Hash(algorithm)
    hasher.update(data)
    return hasher.finalize()


class TokenEcKey(TokenKey, ec.EllipticCurvePrivateKey):
    """An EC CA key in a token; ``cryptography`` signs with it as with any EC key."""

    def __init__(self, ref: TokenRef, session: _Session, private: Any, secret: Any,
                 public: ec.EllipticCurvePublicKey) -> None:
        self._bind(ref, session, private, secret)
        self._public = public

    def sign(self, data: bytes | bytearray | memoryview,
             signature_algorithm: ec.EllipticCurveSignatureAlgorithm) -> bytes:
        if not isinstance(signature_algorithm, ec.ECDSA):
            raise InputError("A token-held EC key signs with ECDSA only.")
        p11 = _binding()
        raw = self._sign_in_token(_digest(bytes(data), signature_algorithm.algorithm), p11.Mechanism.ECDSA)
        half = len(raw) // 2  # CKM_ECDSA answers r || s, each as wide as the curve's order
        return utils.encode_dss_signature(int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big"))

    def public_key(self) -> ec.EllipticCurvePublicKey:
        return self._public

    @property
    def curve(self) -> ec.EllipticCurve:
        return self._public.curve

    @property
    def key_size(self) -> int:
        return self._public.curve.key_size

    def exchange(self, algorithm: ec.ECDH, peer_public_key: ec.EllipticCurvePublicKey) -> bytes:
        raise InputError("A token-held CA key only signs.")

    def private_numbers(self) -> ec.EllipticCurvePrivateNumbers:
        self._refuse_export()



_RSA_MECHANISMS = {"sha256": "SHA256_RSA_PKCS", "sha384": "SHA384_RSA_PKCS", "sha512": "SHA512_RSA_PKCS"}


class TokenRsaKey(TokenKey, rsa.RSAPrivateKey):
    """An RSA CA key in a token (PKCS#1 v1.5 signatures, the hash made in the token)."""

    def __init__(self, ref: TokenRef, session: _Session, private: Any, secret: Any,
                 public: rsa.RSAPublicKey) -> None:
        self._bind(ref, session, private, secret)
        self._public = public

    def sign(self, data: bytes | bytearray | memoryview, padding_: padding.AsymmetricPadding,
             algorithm: object) -> bytes:
        name = getattr(algorithm, "name", "")
        if not isinstance(padding_, padding.PKCS1v15) or name not in _RSA_MECHANISMS \
                or isinstance(algorithm, utils.Prehashed):
            raise InputError("A token-held RSA key signs with PKCS#1 v1.5 and SHA-256/384/512 only.")
        p11 = _binding()
        return self._sign_in_token(bytes(data), getattr(p11.Mechanism, _RSA_MECHANISMS[name]))

    def public_key(self) -> rsa.RSAPublicKey:
        return self._public

    @property
    def key_size(self) -> int:
        return self._public.key_size

    def decrypt(self, ciphertext: bytes, padding: padding.AsymmetricPadding) -> bytes:
        raise InputError("A token-held CA key only signs.")

    def private_numbers(self) -> rsa.RSAPrivateNumbers:
        self._refuse_export()



AnyTokenKey = TokenEcKey | TokenRsaKey


# --- making, finding and checking the key ------------------------------------------------------------------

def _public_of(p11: Any, public: Any) -> ec.EllipticCurvePublicKey | rsa.RSAPublicKey:
    """The ``cryptography`` public key of a token's public-key object."""
    if public.key_type == p11.KeyType.EC:
        params = der.read(bytes(public[p11.Attribute.EC_PARAMS]))
        curve = next(c for c in _CURVES.values() if der.oid(_curve_oid(c)) == params.encoding)
        point = bytes(public[p11.Attribute.EC_POINT])
        try:  # CKA_EC_POINT is a DER OCTET STRING around the point (PKCS#11 2.20+); some modules give it bare
            point = der.read(point).expect(der.OCTET_STRING, "CKA_EC_POINT").body
        except der.DerError:
            pass
        return ec.EllipticCurvePublicKey.from_encoded_point(curve, point)
    modulus = int.from_bytes(bytes(public[p11.Attribute.MODULUS]), "big")
    exponent = int.from_bytes(bytes(public[p11.Attribute.PUBLIC_EXPONENT]), "big")
    return rsa.RSAPublicNumbers(exponent, modulus).public_key()


def _curve_oid(curve: ec.EllipticCurve) -> str:
    return {"secp384r1": "1.3.132.0.34", "secp256r1": "1.2.840.10045.3.1.7"}[curve.name]


def _wrap(ref: TokenRef, session: _Session, private: Any, secret: Any,
          public: ec.EllipticCurvePublicKey | rsa.RSAPublicKey) -> AnyTokenKey:
    if isinstance(public, ec.EllipticCurvePublicKey):
        return TokenEcKey(ref, session, private, secret, public)
    return TokenRsaKey(ref, session, private, secret, public)


def generate(spec: TokenSpec, key_type: str) -> AnyTokenKey:
    """A new CA key of ``key_type`` and its secret, generated in the token; neither can be extracted."""
    if key_type not in (*_CURVES, *_RSA_BITS):
        raise InputError(f"A token CA key must be one of {', '.join((*_CURVES, *_RSA_BITS))}, not {key_type!r}.")
    session = _login(spec, spec.pin)
    p11 = _binding()
    key_id = os.urandom(16)
    ref = TokenRef(spec.module, spec.token, key_id.hex())
    kept = {p11.Attribute.TOKEN: True, p11.Attribute.PRIVATE: True, p11.Attribute.SENSITIVE: True,
            p11.Attribute.EXTRACTABLE: False}
    sign_only = p11.MechanismFlag.SIGN
    with session.use() as s:
        if key_type in _CURVES:
            params = s.create_domain_parameters(
                p11.KeyType.EC, {p11.Attribute.EC_PARAMS: der.oid(_curve_oid(_CURVES[key_type]))}, local=True)
            public, private = params.generate_keypair(
                store=True, id=key_id, label=_KEY_LABEL, capabilities=sign_only | p11.MechanismFlag.VERIFY,
                private_template=kept)
        else:
            public, private = s.generate_keypair(
                p11.KeyType.RSA, _RSA_BITS[key_type], store=True, id=key_id, label=_KEY_LABEL,
                capabilities=sign_only | p11.MechanismFlag.VERIFY,
                public_template={p11.Attribute.PUBLIC_EXPONENT: (65537).to_bytes(3, "big")},
                private_template=kept)
        try:
            secret = s.generate_key(p11.KeyType.GENERIC_SECRET, _SECRET_BITS, store=True, id=key_id,
                                    label=_SECRET_LABEL, capabilities=sign_only, template=kept)
        except p11.PKCS11Error:
            private.destroy()
            public.destroy()
            raise
        return _wrap(ref, session, private, secret, _public_of(p11, public))


def open_key(reference: bytes, pin: str, expected: object = None) -> AnyTokenKey:
    """The CA key a stored reference names, logged in with ``pin``.

    ``expected`` is the public key from the CA certificate: the token's key must sign a fresh challenge
    that verifies under it, so a different key given the same id is refused.
    """
    ref = TokenRef.decode(reference)
    session = _login(ref, pin)
    p11 = _binding()
    key_id = bytes.fromhex(ref.key_id)
    with session.use() as s:
        try:
            private = s.get_key(object_class=p11.ObjectClass.PRIVATE_KEY, id=key_id)
            secret = s.get_key(object_class=p11.ObjectClass.SECRET_KEY, id=key_id)
            public = s.get_key(object_class=p11.ObjectClass.PUBLIC_KEY, id=key_id)
        except p11.NoSuchKey as error:
            raise NotFoundError(f"The CA key (id {ref.key_id[:16]}...) is no longer in the PKCS#11 "
                                f"{ref.describe()}: it was deleted, or the token was reinitialised. Restore the "
                                "token from its backup or connect the token that holds it; " + _AGAIN + ".") \
                from error
        key = _wrap(ref, session, private, secret, _public_of(p11, public))
    if expected is not None:
        _check_pair(key, expected)
    return key


def _check_pair(key: AnyTokenKey, expected: object) -> None:
    challenge = os.urandom(32)
    try:
        if isinstance(key, TokenEcKey) and isinstance(expected, ec.EllipticCurvePublicKey):
            digest = hashes.SHA384() if expected.curve.key_size >= 384 else hashes.SHA256()
            expected.verify(key.sign(challenge, ec.ECDSA(digest)), challenge, ec.ECDSA(digest))
            return
        if isinstance(key, TokenRsaKey) and isinstance(expected, rsa.RSAPublicKey):
            expected.verify(key.sign(challenge, padding.PKCS1v15(), hashes.SHA256()), challenge,
                            padding.PKCS1v15(), hashes.SHA256())
            return
    except InvalidSignature:
        pass
    raise WrongPassphraseError(f"The key in the PKCS#11 {key.ref.describe()} does not match the CA certificate: "
                               "the token holds another key under this id; connect the CA's own token.")
