"""The headless commands: each takes the parsed arguments and a :class:`Context`, returns an exit status.

They only translate between the command line and the core: every rule lives in
``zmconsole.core``, where the GUI and the service use it too.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from zmconsole.cli import errors as cli_errors
from zmconsole.cli import secrets_input
from zmconsole.cli.context import Context, emit_json, info
from zmconsole.core import (
    audit,
    bulk,
    ca,
    crl_policy,
    delivery,
    device_text,
    exports,
    inventory,
    issuance,
    keys,
    output_files,
    policy,
    revocation,
    settings,
)
from zmconsole.core.errors import ConflictError, InputError, IntegrityError, StoreError

#: nextUpdate of the root's CRL unless --hours says otherwise: an offline root is brought out monthly, not daily.
ROOT_CRL_HOURS = 31 * 24


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"Cannot read the {what} {path} ({error.strerror}): check the path.") from error


def _shown(text: str | None) -> str:
    """A stored value for the terminal: control characters escaped, "-" when empty."""
    return device_text.for_terminal(text) if text else "-"


def _date(moment: datetime | None) -> str:
    return "-" if moment is None else f"{moment:%Y-%m-%d}"


# --- device / server --------------------------------------------------------------------------------------

def _out_dir(path: str) -> Path:
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"Cannot write to {out} ({error.strerror}): choose a writable folder.") from error
    return out


def _prepare_output(args: argparse.Namespace, name: str) -> tuple[Path, str | None, bool]:
    """The output folder and the generated key's password, checked before the CA passphrase is asked for and
    anything is issued. Returns (folder, password, shown)."""
    out = _out_dir(args.out)
    files = [f"{name}.crt.pem"] + ([f"{name}.key.pem", f"{name}.p12"] if args.generate_key else [])
    for filename in files:
        output_files.check_destination(out / filename, force=args.force)
    if not args.generate_key:
        return out, None, False
    password = secrets_input.key_password(args.key_password_file)
    if password is None:
        return out, exports.random_password(), True
    return out, exports.check_key_password(password), False


def _issue_output(issued: issuance.Issued, written: list[Path], password: str | None, shown: bool) -> None:
    print(f"Issued {issued.kind} certificate for {issued.common_name}")
    print(f"  serial:  {issued.serial}")
    print(f"  expires: {issued.certificate.not_valid_after_utc:%Y-%m-%d %H:%M} UTC")
    if issued.clamped:
        print("  note:    validity cut back to the CA's own expiry")
    if issued.ignored_names:
        print(f"warning: the CSR asked for the alternative names {', '.join(issued.ignored_names)}; they were "
              "ignored and the certificate names the device as the profile does")
    for path in written:
        print(f"  wrote:   {path}")
    if shown:
        print(f"Key password (shown once; give it to whoever installs the key): {password}")


def _issue_device(args: argparse.Namespace, ctx: Context, *, renew: bool) -> None:
    csr = _read(args.csr, "CSR") if args.csr else None
    out, password, shown = _prepare_output(args, args.device_id)
    unlocked = ctx.unlock()
    ward, location = (None, None) if renew else (args.ou, args.location)

    def issue(key: keys.PrivateKey | None, before_commit: Callable[[issuance.Issued], None]) -> issuance.Issued:
        return issuance.issue_device(ctx.store, unlocked, args.device_id, csr=csr, generate=key, ward=ward,
                                     location=location, days=args.days, renew=renew, hold_key=key is not None,
                                     before_commit=before_commit)

    issued, written = delivery.issue_into(ctx.store, unlocked.chain, out, issue, name=args.device_id,
                                          key_type=args.key if args.generate_key else None, password=password,
                                          force=args.force)
    _issue_output(issued, written, password, shown)


def device_issue(args: argparse.Namespace, ctx: Context) -> int:
    _issue_device(args, ctx, renew=False)
    return 0


def device_renew(args: argparse.Namespace, ctx: Context) -> int:
    _issue_device(args, ctx, renew=True)
    days = ctx.settings().renewal_grace_days
    print(f"The previous certificate stays valid for {days} days (grace period), or until the device confirms "
          "the new one.")
    return 0


def server_issue(args: argparse.Namespace, ctx: Context) -> int:
    csr = _read(args.csr, "CSR") if args.csr else None
    host = policy.check_hostname(args.hostname)  # the certificate's CN, and so its files' names
    out, password, shown = _prepare_output(args, host)
    unlocked = ctx.unlock()

    def issue(key: keys.PrivateKey | None, before_commit: Callable[[issuance.Issued], None]) -> issuance.Issued:
        return issuance.issue_server(ctx.store, unlocked, host, dns=args.dns or [], ips=args.ip or [], csr=csr,
                                     generate=key, days=args.days, before_commit=before_commit)

    issued, written = delivery.issue_into(ctx.store, unlocked.chain, out, issue, name=host,
                                          key_type=args.key if args.generate_key else None, password=password,
                                          force=args.force)
    _issue_output(issued, written, password, shown)
    return 0


@contextlib.contextmanager
def _stop_on_interrupt() -> Iterator[Callable[[], bool]]:
    """Ctrl-C asks the batch to stop after the current row, instead of breaking into it."""
    asked: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: asked.append(signum))
    try:
        yield lambda: bool(asked)
    finally:
        signal.signal(signal.SIGINT, previous)


def device_import_csv(args: argparse.Namespace, ctx: Context) -> int:
    rows, rejected = bulk.parse(bulk.read(Path(args.file)))
    password = secrets_input.key_password(args.key_password_file)
    shown = password is None
    password = exports.check_key_password(password) if password is not None else exports.random_password()
    out = _out_dir(args.out)
    unlocked = ctx.unlock() if rows else None
    tty = sys.stderr.isatty()

    def progress(done: int, total: int, what: str) -> None:
        line = f"[{done}/{total}] {what}"
        print(f"\r{line:<60}" if tty else line, end="" if tty else "\n", file=sys.stderr, flush=True)

    result = bulk.BulkResult()
    if unlocked is not None:
        if shown:  # before the first row: whatever happens to this run, every key it writes opens with it
            print(f"Key password for every key this run writes (shown once; keep it now): {password}", flush=True)
        with _stop_on_interrupt() as interrupted:
            result = bulk.issue_rows(ctx.store, unlocked, rows, out_dir=out, password=password, key_type=args.key,
                                     days=args.days, force=args.force, progress=progress, cancelled=interrupted)
        if tty:
            print(file=sys.stderr)
    refused = sorted(rejected + result.rejected, key=lambda r: r.line)
    print(f"Issued {len(result.issued)} certificate(s) into {args.out}; refused {len(refused)} row(s).")
    again = [r for r in result.resumed if r.delivered]
    if again:
        print(f"Delivered {len(again)} key(s) an earlier, interrupted run had issued (under this run's password).")
    if len(again) < len(result.resumed):
        print(f"Skipped {len(result.resumed) - len(again)} row(s) an earlier run had already delivered into "
              f"{args.out} (their keys open with that run's password).")
    for row in refused:
        advice = f" {cli_errors.hint_words(row.hint)}" if row.hint is not None else ""
        print(f"  line {row.line}: {row.device_id or '(no device_id)'}: {row.reason}{advice}")
    if result.cancelled:
        handled = len(result.issued) + len(result.rejected) + len(result.resumed)
        info(f"Interrupted after {handled} of {len(rows)} row(s): each certificate issued so far is in {args.out} "
             f"with its key; run the same command again to do the remaining {len(rows) - handled}.")
        return 130
    return 1 if refused else 0


def device_list(args: argparse.Namespace, ctx: Context) -> int:
    rows = inventory.list_devices(ctx.store, ctx.settings(), status=args.status, search=args.search)
    if args.json:
        emit_json([row.as_json() for row in rows])
        return 0
    print(f"{'DEVICE':<14} {'WARD':<10} {'STATUS':<14} {'EXPIRES':<11} {'DAYS':>5}  SERIAL")
    for row in rows:
        days = "-" if row.days_left is None else str(row.days_left)
        print(f"{_shown(row.device_id):<14} {_shown(row.ward):<10} {row.status:<14} {_date(row.not_after):<11} "
              f"{days:>5}  "
              f"{row.serial or '-'}")
    print(f"{len(rows)} device(s)", file=sys.stderr)
    return 0


def device_show(args: argparse.Namespace, ctx: Context) -> int:
    summary, history = inventory.device(ctx.store, ctx.settings(), args.device_id)
    renewal = inventory.renewal(ctx.store, args.device_id, history)
    pending = crl_policy.pending_revocations(ctx.store) if any(r.status == "revoked" for r in history) else set()
    if args.json:
        emit_json({**summary.as_json(), "renewal": renewal.as_json(), "certificates": [
            {**r.as_json(), "crl_pending": r.serial in pending} for r in history]})
        return 0
    print(f"{_shown(summary.device_id)}  ward: {_shown(summary.ward)}  location: {_shown(summary.location)}")
    print(f"  status: {summary.status}  expires: {_date(summary.not_after)}  days left: {summary.days_left}")
    how = "renews itself" if renewal.automatic else "renewed from the console"
    print(f"  renewal: {how}  last renewed: {_date(renewal.last_renewed_at)}  last confirmed: "
          f"{_date(renewal.last_confirmed_at)}"
          + (f"  last renewal refused: {_date(renewal.failed_at)} ({renewal.failure})" if renewal.failed_at else ""))
    print("  certificates (newest first):")
    for r in history:
        extra = f" ({r.revocation_reason})" if r.revocation_reason else ""
        if r.status == "superseded" and r.grace_ends_at is not None:
            extra += f" (valid until {r.grace_ends_at:%Y-%m-%d %H:%M} UTC)"
        print(f"    {r.serial}  {crl_policy.shown_status(r.status, r.serial, pending)}{extra}  "
              f"{_date(r.not_before)} to {_date(r.not_after)}  "
              f"{r.key_type} ({r.key_source})  {r.made_by}")
    return 0


def device_export(args: argparse.Namespace, ctx: Context) -> int:
    record = inventory.current_certificate(ctx.store, ctx.settings(), args.device_id)
    out = Path(args.out)
    output_files.check_destination(out, force=args.force)  # before the passphrase
    if args.format == "p12":
        password = secrets_input.key_password(args.key_password_file)
        shown = password is None
        password = password or exports.random_password()
        # The file is written before the held copy is deleted: a failed write leaves the key held.
        exports.export_pkcs12(ctx.store, ctx.unlock(), record, password=password,
                              deliver=lambda data: exports.write_file(out, data, private=True, force=args.force))
        if shown:
            print(f"PKCS#12 password (shown once): {password}")
    else:
        exports.write_file(out, exports.export_certificate(ctx.store, record, args.format), force=args.force)
    info(f"Wrote {args.device_id} ({record.serial}) as {args.format.upper()} to {args.out}")
    return 0


def device_revoke(args: argparse.Namespace, ctx: Context) -> int:
    """Revoke, then sign the new CRL and publish it where crl-publish-dir says (unless --no-crl).

    An operator who may not unlock the CA (an officer) revokes without it: the revocation is recorded now,
    OCSP answers it at once, and the provisioning service signs the CRL that lists it.
    """
    from zmconsole.core import roles

    holds_key = roles.why_not(ctx.store, roles.Operation.CA_UNLOCK) is None
    if args.no_crl or ca.current(ctx.store) is None or not holds_key:
        revoked = revocation.revoke(ctx.store, args.device_id, args.reason)
        print(f"Revoked {revoked.subject} ({revoked.reason}): {', '.join(revoked.serials)}")
        if not args.no_crl and not holds_key:
            print("CRL pending: OCSP answers \"revoked\" now; the provisioning service (zmconsole serve) signs "
                  "and publishes the CRL that lists it within a minute.")
        return 0
    outcome = crl_policy.revoke_and_publish(ctx.store, ctx.unlock(), [args.device_id], args.reason)
    if outcome.refused:  # one target: refused means nothing was done
        raise outcome.refused[0][1]
    for revoked in outcome.revoked:
        print(f"Revoked {revoked.subject} ({revoked.reason}): {', '.join(revoked.serials)}")
    assert outcome.signed is not None  # something was revoked
    print(f"CRL #{outcome.signed.crl.number} regenerated with {outcome.signed.crl.entries} entries.")
    return _published(outcome.signed.publication)


def _published(publication: crl_policy.Publication) -> int:
    """Say where the new CRL was published; a failure to publish is the command's failure (exit status)."""
    if publication.error is not None:
        print(f"zmconsole: the CRL was signed and stored but not published: {publication.error}", file=sys.stderr)
        return publication.error.exit_code
    if publication.published:
        info(f"Published to {', '.join(str(p) for p in publication.files)}")
    return 0


# --- crl / expiry / audit / config ------------------------------------------------------------------------

def crl_generate(args: argparse.Namespace, ctx: Context) -> int:
    role = ca.require(ctx.store).role
    if args.root and role != ca.ROOT:
        raise ConflictError(f"This store holds a {role} CA, not a root: drop --root to sign its own CRL. Nothing "
                            "was signed.")
    if role == ca.ROOT and not args.root:
        raise InputError("This store holds the root CA: its CRL is signed with `zmconsole crl generate --root`. "
                         "Nothing was signed.")
    hours = ROOT_CRL_HOURS if args.root and args.hours is None else args.hours
    out = Path(args.out)
    # The destination is taken before anything is signed: a folder or an unwritable path changes nothing.
    reserved = output_files.reserve(out, force=args.force or exports.is_crl_file(out))
    try:
        signed = crl_policy.sign_and_publish(ctx.store, ctx.unlock(), hours=hours)
    except BaseException:
        reserved.discard()
        raise
    crl = signed.crl
    try:
        output_files.put_in_place(reserved.fill(crl.der if args.der else crl.pem))
    except output_files.OutputError as error:
        raise output_files.OutputError(
            f"CRL #{crl.number} was signed and stored, but {cli_errors.text(error)} Then run "
            "`zmconsole crl generate` again: a newer CRL replaces it.") from error
    print(f"CRL #{crl.number}: {crl.entries} entries, next update {crl.next_update:%Y-%m-%d %H:%M} UTC, "
          f"written to {args.out}")
    return _published(signed.publication)


def audit_verify(args: argparse.Namespace, ctx: Context) -> int:
    report = audit.verify(ctx.store, expect_head=args.expect_head)
    if report.damage:
        for problem in report.damage:
            print(f"DAMAGED: {problem}")
        raise StoreError(f"The store {ctx.store.label} is damaged (SQLite's integrity check failed, above): the "
                         "audit log cannot be vouched for; restore the store from a backup.")
    if not report.ok:
        for problem in report.problems:
            print(f"TAMPERED: {problem}")
        raise IntegrityError(f"The audit log fails its integrity check ({len(report.problems)} problem(s) above): "
                             "treat the store as compromised and compare it with your backups.")
    print(f"Audit log intact: {report.entries} entries; head {report.head}")
    if report.checkpoint is not None:
        cp = report.checkpoint
        print(f"Signed checkpoint: entry {cp.seq} ({cp.at}), CRL #{cp.crl_number}, by the CA with SHA-256 "
              f"{cp.ca_fingerprint}")
    else:
        print("No signed checkpoint yet: one is signed whenever a process holding the CA key writes.")
    if report.unsigned:
        print(f"UNSIGNED: {len(report.unsigned)} entr{'y' if len(report.unsigned) == 1 else 'ies'} written after "
              "the last signed checkpoint (by a process without the CA key):")
        for line in report.unsigned[-_UNSIGNED_SHOWN:]:
            print(f"  {line}")
    if report.expected_head_at is not None:
        print(f"Expected head found at entry {report.expected_head_at}; "
              f"{report.entries - report.expected_head_at} entries since.")
    print("Keep a copy of the head hash elsewhere, and check it later with --expect-head.")
    return 0


_UNSIGNED_SHOWN = 20


def audit_export(args: argparse.Namespace, ctx: Context) -> int:
    written = audit.export_csv(ctx.store, Path(args.out), force=args.force)
    print(f"Wrote {written} audit entries to {args.out}")
    return 0


def config_set(args: argparse.Namespace, ctx: Context) -> int:
    updated = settings.set_value(ctx.store, args.key, args.value)
    print(f"{args.key} = {settings.as_dict(updated)[settings.field(args.key).key]}")
    return 0


def config_get(args: argparse.Namespace, ctx: Context) -> int:
    from zmconsole.core import roles

    roles.require(ctx.store, roles.Operation.VIEW)
    values = settings.as_dict(ctx.settings())
    if args.key:
        print(values[settings.field(args.key).key])
    elif args.json:
        emit_json(values)
    else:
        for key, value in values.items():
            print(f"{key} = {value}")
    return 0
