"""Manage the support team: `python -m shared.operators add EMAIL --role admin|agent [--name NAME]`, `remove`, `list`.

Works against the configured database (Cloud SQL connector, DATABASE_URL or the embedded one).
"""

from __future__ import annotations

import argparse
import sys

from shared.console_schemas import OperatorCreate
from shared.services import operators


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.operators", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="add an operator, or update one")
    add.add_argument("email")
    add.add_argument("--role", choices=["agent", "admin"], default="agent")
    add.add_argument("--name", help="display name shown to customers (default: from the email)")
    remove = commands.add_parser("remove", help="stop an operator from signing in and end their sessions")
    remove.add_argument("email")
    commands.add_parser("list", help="list the team")
    args = parser.parse_args(argv)
    if args.command == "add":
        added = operators.add_operator(OperatorCreate(email=args.email, display_name=args.name, role=args.role))
        print(f"{added.email}: {added.role}, shown as {added.display_name}")
    elif args.command == "remove":
        if not operators.remove_operator(args.email):
            print(f"no operator {args.email}", file=sys.stderr)
            return 1
        print(f"removed {args.email}; their sessions are ended")
    else:
        for row in operators.list_operators().operators:
            print(f"{row.email}\t{row.role}\t{row.display_name}\t{'active' if row.active else 'removed'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
