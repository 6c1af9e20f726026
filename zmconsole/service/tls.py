"""The service's SSL context around its own TLS identity (:mod:`zmconsole.core.service_identity`).

Python's ``ssl`` module reads keys only from files, so the key is written, encrypted under a random password
that exists only in memory, to a 0600 file in a 0700 temporary directory that is deleted as soon as OpenSSL
has read it.
"""

from __future__ import annotations

import os
import secrets
import ssl
import tempfile
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from zmconsole.core.service_identity import Identity

# OpenSSL's X509_V_FLAG_NO_CHECK_TIME: the handshake checks a client certificate's chain and signatures, not its
# dates; the renewal checks those against the service's clock (protocol §7.7), so that renewal after expiry can
# be allowed and every refusal explained instead of ending in a TLS alert.
_NO_CHECK_TIME = 0x200000


def server_context(identity: Identity, client_cas: Sequence[x509.Certificate] = ()) -> ssl.SSLContext:
    """A TLS 1.2+ server context holding ``identity``; no key ever touches the disk unencrypted.

    With ``client_cas`` the context asks every client for a certificate chaining to them but requires none
    (``CERT_OPTIONAL``): a device renews with its current certificate, and a blank device pairs without one.
    In a hierarchy they are the root and every issuing CA of the store, so a device that presents only its
    own certificate (as devices do) still chains, whichever issuing CA signed it.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.options |= ssl.OP_NO_COMPRESSION
    # TLS 1.2 with forward secrecy and AEAD only (TLS 1.3 suites are all AEAD): no CBC, no static RSA.
    context.set_ciphers("ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL")
    password = secrets.token_urlsafe(32)
    encrypted = identity.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.BestAvailableEncryption(password.encode()))
    chain = b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in (identity.certificate, *identity.chain))
    with tempfile.TemporaryDirectory(prefix="zmconsole-tls-") as folder:  # created 0700
        key_path, cert_path = Path(folder, "key.pem"), Path(folder, "chain.pem")
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(encrypted)
        cert_path.write_bytes(chain)
        context.load_cert_chain(cert_path, key_path, password=password)
    if client_cas:
        context.load_verify_locations(cadata="".join(cert.public_bytes(serialization.Encoding.PEM).decode()
                                                     for cert in client_cas))
        context.verify_mode = ssl.CERT_OPTIONAL
        context.verify_flags |= _NO_CHECK_TIME
    return context
