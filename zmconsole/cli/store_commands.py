"""``zmconsole store``: the store itself — upgrade, backup, restore, check (issue 11).

Imported only when a ``store`` command runs; the parser part is small and has no core imports.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from zmconsole.cli.context import Context


def add_arguments(command: argparse.ArgumentParser, force_help: str) -> None:
    """The actions of ``store`` (the command itself is named by zmconsole.cli.main)."""
    st = command.add_subparsers(dest="action", required=True)
    p = st.add_parser("upgrade", help="migrate the store to this zmconsole's schema")
    p.set_defaults(handler="store_commands:upgrade")
    p = st.add_parser("backup", help="a consistent online backup of the store (keys stay encrypted)")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--force", action="store_true", help=force_help)
    p.set_defaults(handler="store_commands:backup")
    p = st.add_parser("restore", help="fill an empty store from a backup")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler="store_commands:restore")
    p = st.add_parser("check", help="the database's own checks, the audit chain, every certificate's DER, the CA key "
                      "(with a passphrase)")
    p.set_defaults(handler="store_commands:check")


def upgrade(args: argparse.Namespace, ctx: Context) -> int:
    from zmconsole.core import paths
    from zmconsole.core.store import SCHEMA_HEAD, Store

    store = Store.open(paths.ensure_home(ctx.home), migrate=False)
    try:
        before = store.upgrade()
    finally:
        store.dispose()
    if before == SCHEMA_HEAD:
        print(f"The store {store.label} is already at schema {SCHEMA_HEAD}: nothing to do.")
    else:
        print(f"The store {store.label} was upgraded from schema {before or '(empty)'} to {SCHEMA_HEAD}.")
    return 0


def backup(args: argparse.Namespace, ctx: Context) -> int:
    from zmconsole.core import store_backup

    summary = store_backup.backup(ctx.store, Path(args.out), force=args.force)
    print(f"Backed up {sum(summary.rows.values())} rows (schema {summary.schema}) of {ctx.store.label} to "
          f"{summary.path}: {summary.rows.get('certificates', 0)} certificates, "
          f"{summary.rows.get('audit_log', 0)} audit entries. The CA key in it stays encrypted; keep the file as "
          "safe as the store.")
    return 0


def restore(args: argparse.Namespace, ctx: Context) -> int:
    from zmconsole.core import store_backup

    counts = store_backup.restore(ctx.store, Path(args.file))
    print(f"Restored {sum(counts.values())} rows into {ctx.store.label}: {counts.get('certificates', 0)} "
          f"certificates, {counts.get('audit_log', 0)} audit entries. Run `zmconsole store check` next.")
    return 0


def check(args: argparse.Namespace, ctx: Context) -> int:
    from zmconsole.cli import secrets_input
    from zmconsole.core import store_check
    from zmconsole.core.errors import IntegrityError

    given = bool(ctx.passphrase_file or os.environ.get(secrets_input.PASSPHRASE_ENV))
    passphrase = secrets_input.ca_passphrase(ctx.passphrase_file) if given else None
    report = store_check.check(ctx.store, passphrase=passphrase)
    for line in report.passed:
        print(f"OK: {line}")
    for line in report.problems:
        print(f"PROBLEM: {line}")
    if passphrase is None:
        print("NOT CHECKED: the CA key (give the passphrase with --passphrase-file or ZMCONSOLE_PASSPHRASE).")
    if report.problems:
        raise IntegrityError(f"The store {ctx.store.label} fails {len(report.problems)} check(s) (above): compare it "
                             "with your backups before trusting it.")
    print(f"The store {ctx.store.label} passes every check.")
    return 0
