"""``zmconsole ca ...``: the platform CA, and the hierarchy of an offline root and its issuing CAs (issue 12).

Only the command-line side: every rule is in :mod:`zmconsole.core.ca` and :mod:`zmconsole.core.hierarchy`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import cast

from cryptography import x509

from zmconsole.cli import secrets_input
from zmconsole.cli.commands import _date, _published, _read
from zmconsole.cli.context import Context, emit_json, info
from zmconsole.core import ca, crl_policy, exports, hierarchy, keys, output_files, profiles, token_keys
from zmconsole.core.errors import InputError


def ca_init(args: argparse.Namespace, ctx: Context) -> int:
    subject = ca.build_subject(cn=args.cn, org=args.org, ou=args.ou, country=args.country, state=args.state)
    if args.issuing:
        if args.admin:
            raise InputError("--admin does not go with --issuing: the issuing CA signs the admin's pairing signer, "
                             "so add the first admin with `zmconsole operator add NAME --role admin` once it is "
                             "installed.")
        return _request_issuing(args, ctx, subject)
    if args.request_out:
        raise InputError("--request-out goes with --issuing: only an issuing CA writes a request for its root.")
    ca.check_absent(ctx.store)  # before the passphrase prompt and the key generation
    role = ca.ROOT if args.root else ca.SINGLE
    token = _token(args, ctx)
    if token is None:
        passphrase = secrets_input.ca_passphrase(ctx.passphrase_file, confirm=True)
        ca.check_new_passphrase(passphrase)
    admin_password = _first_admin_password(args)
    if token is not None:
        unlocked = ca.create(ctx.store, subject=subject, key_type=args.key, days=args.days, role=role, token=token)
    else:
        info(f"Generating the {args.key} {'root ' if args.root else ''}CA key...")
        unlocked = ca.create(ctx.store, subject=subject, passphrase=passphrase, key_type=args.key, days=args.days,
                             role=role)
    _print_ca(unlocked.info, ctx)
    if admin_password is not None:
        from zmconsole.core import operators

        admin = operators.create_first_admin(ctx.store, unlocked, args.admin, admin_password)
        print(f"  operators:   {admin.name} (admin); from now on every command signs in (--operator NAME)")
    return 0


def _token(args: argparse.Namespace, ctx: Context) -> token_keys.TokenSpec | None:
    """The token named by --pkcs11-module/--pkcs11-token, checked before its PIN is asked; None without them."""
    if args.pkcs11_module is None and args.pkcs11_token is None:
        return None
    module, label = args.pkcs11_module or "", args.pkcs11_token or ""
    token_keys.check_token(module, label)
    return token_keys.TokenSpec(module, label, secrets_input.pkcs11_pin(ctx.pkcs11_pin_file, label))


def _first_admin_password(args: argparse.Namespace) -> str | None:
    """``--admin NAME``'s password, checked before the CA key is made (None without --admin)."""
    if not args.admin:
        return None
    from zmconsole.core import operators

    operators.check_name(args.admin)
    password = secrets_input.new_password(args.admin, args.admin_password_file, environment=True)
    operators.check_new_password(password)
    return password


def _request_issuing(args: argparse.Namespace, ctx: Context, subject: x509.Name) -> int:
    if not args.request_out:
        raise InputError("An issuing CA needs --request-out FILE.csr: the request its root signs is written there.")
    if args.days is not None:
        raise InputError("--days does not go with --issuing: the root decides the issuing CA's validity "
                         "(`zmconsole ca sign-issuing --days`).")
    ca.check_key_type(args.key)
    rolling = hierarchy.check_can_request(ctx.store)  # before the passphrase prompt and the key generation
    out = Path(args.request_out)
    reserved = output_files.reserve(out, force=args.force)
    try:
        token = _token(args, ctx)
        passphrase = "" if token is not None else secrets_input.ca_passphrase(ctx.passphrase_file,
                                                                              confirm=rolling is None)
        info(f"Generating the {args.key} issuing CA key{' in the token' if token else ''}...")
        request = hierarchy.request_issuing(ctx.store, subject=subject, passphrase=passphrase, key_type=args.key,
                                            token=token)
    except BaseException:
        reserved.discard()
        raise
    output_files.put_in_place(reserved.fill(request.pem))
    print(f"Issuing CA request: {request.subject} ({request.key_type}), written to {out}")
    if rolling is not None:
        print(f"  rolls over from: {rolling.subject} (it signs until the new one is installed)")
    print("Next: in the root's store, `zmconsole ca sign-issuing FILE.csr --out FILE.crt`; then here, "
          "`zmconsole ca install-issuing --cert FILE.crt --root ROOT.crt`.")
    return 0


def ca_import(args: argparse.Namespace, ctx: Context) -> int:
    ca.check_absent(ctx.store)
    cert = _read(args.cert, "certificate")
    key = _read(args.key, "key file")
    passphrase = secrets_input.ca_passphrase(ctx.passphrase_file)
    unlocked = ca.import_existing(ctx.store, cert_pem=cert, key_pem=key, passphrase=passphrase)
    _print_ca(unlocked.info, ctx)
    return 0


def ca_sign_issuing(args: argparse.Namespace, ctx: Context) -> int:
    csr = _read(args.csr, "issuing CA request")
    out = Path(args.out)
    reserved = output_files.reserve(out, force=args.force)  # a bad destination is refused before signing
    try:
        signed = hierarchy.sign_issuing(ctx.store, ctx.unlock(), csr, days=args.days)
    except BaseException:
        reserved.discard()
        raise
    output_files.put_in_place(reserved.fill(signed.pem))
    cert = signed.certificate
    print(f"Issuing CA {cert.subject.rfc4514_string()} signed: serial {signed.serial}, valid to "
          f"{cert.not_valid_after_utc:%Y-%m-%d}, written to {out}")
    if signed.clamped:
        info("Note: its validity was cut to the root's own end.")
    return 0


def ca_install_issuing(args: argparse.Namespace, ctx: Context) -> int:
    cert, root = _read(args.cert, "issuing CA certificate"), _read(args.root, "root certificate")
    request, _, _ = hierarchy.check_installable(ctx.store, cert, root)  # before the passphrase prompt
    passphrase = (secrets_input.pkcs11_pin(ctx.pkcs11_pin_file, request.token.token) if request.token is not None
                  else secrets_input.ca_passphrase(ctx.passphrase_file))
    unlocked = hierarchy.install_issuing(ctx.store, cert_data=cert, root_data=root, passphrase=passphrase)
    _print_ca(unlocked.info, ctx)
    for older in unlocked.older:
        print(f"  earlier issuing CA: {older.info.subject} (signs CRLs for its certificates until "
              f"{_date(older.info.not_after)})")
    return 0


def ca_revoke_issuing(args: argparse.Namespace, ctx: Context) -> int:
    root = ctx.unlock()
    revoked = hierarchy.revoke_issuing(ctx.store, root, args.serial, args.reason)
    print(f"Revoked the issuing CA {revoked.subject} (serial {revoked.serial}, {revoked.revocation_reason}).")
    signed = crl_policy.sign_and_publish(ctx.store, root)
    print(f"Root CRL #{signed.crl.number} signed with {signed.crl.entries} entries: publish it "
          "(`zmconsole crl generate --root --out FILE`) where relying parties fetch it.")
    return _published(signed.publication)


def _ca_json(info_: ca.CaInfo) -> dict[str, object]:
    shown: dict[str, object] = {
        "subject": info_.subject, "fingerprint_sha256": info_.fingerprint, "key_type": info_.key_type,
        "serial": profiles.serial_hex(info_.certificate.serial_number), "not_before": info_.not_before.isoformat(),
        "not_after": info_.not_after.isoformat()}
    if info_.token is not None:  # where the key is; never the PIN
        shown["pkcs11"] = {"module": info_.token.module, "token": info_.token.token, "key_id": info_.token.key_id}
    return shown


def _link(role: str, cert: x509.Certificate) -> dict[str, object]:
    return {"role": role, "subject": cert.subject.rfc4514_string(), "fingerprint_sha256": ca.fingerprint(cert),
            "key_type": keys.describe(cast(keys.PublicKey, cert.public_key())),
            "serial": profiles.serial_hex(cert.serial_number), "not_before": cert.not_valid_before_utc.isoformat(),
            "not_after": cert.not_valid_after_utc.isoformat()}


def _show_json(ctx: Context) -> dict[str, object]:
    shape = hierarchy.shape(ctx.store)
    info_ = ca.current(ctx.store)
    if shape is None:
        ca.require(ctx.store)  # raises: no CA
    waiting = hierarchy.pending(ctx.store)
    value: dict[str, object] = {"shape": str(shape), "state": "active" if info_ is not None else "pending"}
    if info_ is not None:
        value.update(_ca_json(info_))
        value["chain"] = [_link(info_.role, info_.certificate)] + (
            [_link(ca.ROOT, info_.parent)] if info_.parent is not None else [])
    else:
        value["chain"] = []
    value["pending"] = None if waiting is None else {
        "subject": waiting.subject, "key_type": waiting.key_type, "requested_at": waiting.created_at.isoformat()}
    if shape is hierarchy.Shape.ISSUING:
        value["older"] = [_link(ca.ISSUING, one.certificate) for one in ca.older(ctx.store)]
    if shape is hierarchy.Shape.ROOT:
        value["issued"] = [{"serial": one.serial, "subject": one.subject, "fingerprint_sha256": one.fingerprint,
                            "not_after": one.not_after.isoformat(),
                            "revoked_at": None if one.revoked_at is None else one.revoked_at.isoformat(),
                            "revocation_reason": one.revocation_reason} for one in hierarchy.issued_cas(ctx.store)]
    return value


_ROLE_WORDS = {ca.SINGLE: "Platform CA", ca.ROOT: "Root CA", ca.ISSUING: "Issuing CA"}


def _print_ca(info_: ca.CaInfo, ctx: Context) -> None:
    print(f"{_ROLE_WORDS.get(info_.role, 'Platform CA')}: {info_.subject}")
    print(f"  key:         {info_.key_type}"
          + ("" if info_.token is None else f", in the PKCS#11 {info_.token.describe()}"))
    print(f"  valid:       {_date(info_.not_before)} to {_date(info_.not_after)}")
    print(f"  SHA-256:     {info_.fingerprint}")
    if info_.parent is not None:
        print(f"  root:        {info_.parent.subject.rfc4514_string()}")
        print(f"  root SHA-256 {ca.fingerprint(info_.parent)} (what devices pin)")
    else:
        print(f"  certificate: {ctx.home / ca.CA_CERT_FILE}")


def ca_show(args: argparse.Namespace, ctx: Context) -> int:
    from zmconsole.core import roles

    roles.require(ctx.store, roles.Operation.VIEW)
    with_operators = roles.has_operators(ctx.store)
    if args.json:
        emit_json({**_show_json(ctx), "operators": with_operators})
        return 0
    info_ = ca.current(ctx.store)
    waiting = hierarchy.pending(ctx.store)
    if info_ is None and waiting is None:
        ca.require(ctx.store)  # raises: no CA
    if info_ is not None:
        _print_ca(info_, ctx)
        for older in ca.older(ctx.store):
            print(f"  earlier issuing CA: {older.subject} (to {_date(older.not_after)})")
        if info_.role == ca.ROOT:
            for one in hierarchy.issued_cas(ctx.store):
                state = "valid" if one.revoked_at is None else f"revoked ({one.revocation_reason})"
                print(f"  issuing CA {one.serial}: {one.subject}, to {_date(one.not_after)}, {state}")
    if waiting is not None:
        print(f"Issuing CA pending: {waiting.subject} ({waiting.key_type}), requested "
              f"{waiting.created_at:%Y-%m-%d %H:%M} UTC; waiting for the root's certificate.")
    print("  operators:   " + ("yes: every command acts as a signed-in operator" if with_operators else
                               "none: a single-person store, no sign-in (add them with `ca init --admin` or "
                               "`operator add`)"))
    return 0


def ca_export(args: argparse.Namespace, ctx: Context) -> int:
    from zmconsole.core import roles

    roles.require(ctx.store, roles.Operation.VIEW)
    info_ = ca.require(ctx.store)
    exports.write_file(Path(args.out), info_.chain_pem, force=args.force)
    info(f"Wrote the CA certificate{' and its root' if info_.parent is not None else ''} to {args.out}")
    return 0
