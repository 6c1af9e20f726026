"""``zmconsole operator``: add, list, disable operators and set their passwords (admins; a password also by
its own operator).

New passwords come from a prompt (typed twice) or ``--password-file FILE``, never from the command line. The
parser is built for every command, so the operator code is imported only when one of these runs.
"""

from __future__ import annotations

import argparse

from zmconsole.cli import secrets_input
from zmconsole.cli.context import Context, emit_json, info


def add_arguments(command: argparse.ArgumentParser) -> None:
    """The actions of ``operator`` (the command itself is named by zmconsole.cli.main)."""
    ops = command.add_subparsers(dest="action", required=True)
    p = ops.add_parser("add", help="add an operator (issues their pairing signer: needs the CA passphrase)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", required=True, choices=("pairing", "officer", "admin"))
    p.add_argument("--password-file", metavar="FILE", help="the new operator's password (else a prompt, twice)")
    p.set_defaults(handler="operator_commands:operator_add")
    p = ops.add_parser("list", help="every operator, with role and whether disabled")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler="operator_commands:operator_list")
    p = ops.add_parser("disable", help="disable an operator: no more sign-in, their pairing signer revoked")
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler="operator_commands:operator_disable")
    p = ops.add_parser("password", help="set an operator's password (your own, or anyone's as an admin)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--password-file", metavar="FILE", help="the new password (else a prompt, twice)")
    p.set_defaults(handler="operator_commands:operator_password")


def operator_add(args: argparse.Namespace, ctx: Context) -> int:
    from zmconsole.core import operators, roles

    operators.check_name(args.name)
    roles.require(ctx.store, roles.Operation.OPERATORS_MANAGE, args.name)  # before asking for anything
    password = secrets_input.new_password(args.name, args.password_file)
    operators.check_new_password(password)
    added = operators.add(ctx.store, ctx.unlock(), args.name, args.role, password)
    print(f"Added operator {added.name} ({added.role}); pairing signer {added.signer_serial}")
    return 0


def operator_list(args: argparse.Namespace, ctx: Context) -> int:
    from zmconsole.core import operators

    listed = operators.list_operators(ctx.store)
    if args.json:
        emit_json([o.as_json() for o in listed])
        return 0
    print(f"{'NAME':<20} {'ROLE':<8} {'STATE':<9} {'SINCE':<11} SIGNER")
    for o in listed:
        since = o.disabled_at if o.disabled_at is not None else o.created_at
        print(f"{o.name:<20} {o.role:<8} {'disabled' if o.disabled else 'enabled':<9} {since:%Y-%m-%d}  "
              f"{o.signer_serial or '-'}")
    info(f"{len(listed)} operator(s)")
    return 0


def operator_disable(args: argparse.Namespace, ctx: Context) -> int:
    from zmconsole.core import operators

    disabled = operators.disable(ctx.store, args.name)
    print(f"Disabled operator {disabled.name}: they can no longer sign in; their pairing signer "
          f"{disabled.signer_serial or '-'} is revoked (the provisioning service puts it on the next CRL), and "
          "the QR codes they prepared no longer work.")
    return 0


def operator_password(args: argparse.Namespace, ctx: Context) -> int:
    from zmconsole.core import operators, roles

    store = ctx.store
    own = store.operator is not None and store.operator.name == args.name
    if not own:
        roles.require(store, roles.Operation.OPERATORS_MANAGE, args.name)
    operators.info(store, args.name, check=False)  # an unknown name is said before the prompts
    password = secrets_input.new_password(args.name, args.password_file)
    operators.check_new_password(password)
    changed = operators.set_password(store, args.name, password, ca=None if own else ctx.unlock())
    print(f"Set the password of {changed.name}" + ("" if own else
          f"; their new pairing signer is {changed.signer_serial} (QR codes made with the old one no longer work)"))
    return 0
