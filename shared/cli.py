"""The admin command, against the configured database (Cloud SQL connector, DATABASE_URL or the embedded one).

    python -m shared.cli migrate [--grant-to ROLE]             apply the schema migrations
    python -m shared.cli operators add EMAIL [--role admin|agent] [--name NAME]
    python -m shared.cli operators remove EMAIL | list         the support team
    python -m shared.cli kb import [PATH] [--force]            import a knowledge-base file
    python -m shared.cli kb export [PATH] [--cases]            write the live entries (or regression cases)

Run `migrate` as a user that may create the `vector` and `pg_trgm` extensions (on Cloud SQL,
the built-in `postgres` user); `--grant-to` then gives the functions' database user the row
privileges it needs. An import is idempotent; an entry changed in the console since the last
import is a conflict the file does not overwrite without `--force` (exit status 1).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

Command = Callable[[argparse.Namespace], int]


def main(argv: list[str] | None = None) -> int:
    """Run one admin command; returns the exit status."""
    args = _parser().parse_args(argv)
    command: Command = args.run
    return command(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m shared.cli", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    migrate = commands.add_parser("migrate", help="apply the schema migrations")
    migrate.add_argument("--grant-to", metavar="ROLE", help="database user of the functions to grant row access")
    migrate.set_defaults(run=_migrate)
    _add_operator_commands(commands.add_parser("operators", help="manage the support team"))
    _add_knowledge_commands(commands.add_parser("kb", help="import or export the knowledge base"))
    return parser


def _add_operator_commands(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="action", required=True)
    add = commands.add_parser("add", help="add an operator, or update one")
    add.add_argument("email")
    add.add_argument("--role", choices=["agent", "admin"], default="agent")
    add.add_argument("--name", help="display name shown to customers (default: from the email)")
    add.set_defaults(run=_add_operator)
    remove = commands.add_parser("remove", help="stop an operator from signing in and end their sessions")
    remove.add_argument("email")
    remove.set_defaults(run=_remove_operator)
    commands.add_parser("list", help="list the team").set_defaults(run=_list_operators)


def _add_knowledge_commands(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="action", required=True)
    kb_import = commands.add_parser("import", help="import a knowledge-base file")
    kb_import.add_argument("path", nargs="?", type=Path, help="knowledge-base JSON (default: KNOWLEDGE_BASE_PATH)")
    kb_import.add_argument("--force", action="store_true", help="overwrite entries changed in the console since")
    kb_import.set_defaults(run=_import_knowledge)
    kb_export = commands.add_parser("export", help="write the live entries in the import format")
    kb_export.add_argument("path", nargs="?", type=Path, help="file to write (default: standard output)")
    kb_export.add_argument("--cases", action="store_true", help="write the regression cases instead of the entries")
    kb_export.set_defaults(run=_export_knowledge)


def _migrate(args: argparse.Namespace) -> int:
    from shared.db.migrate import grant_runtime_privileges, upgrade

    upgrade()
    print("database schema is up to date")
    if args.grant_to:
        grant_runtime_privileges(args.grant_to)
        print(f"granted read and write access to {args.grant_to}")
    return 0


def _add_operator(args: argparse.Namespace) -> int:
    from shared.schemas.console import OperatorCreate
    from shared.services import operators

    added = operators.add_operator(OperatorCreate(email=args.email, display_name=args.name, role=args.role))
    print(f"{added.email}: {added.role}, shown as {added.display_name}")
    return 0


def _remove_operator(args: argparse.Namespace) -> int:
    from shared.services import operators

    if not operators.remove_operator(args.email):
        print(f"no operator {args.email}", file=sys.stderr)
        return 1
    print(f"removed {args.email}; their sessions are ended")
    return 0


def _list_operators(args: argparse.Namespace) -> int:
    from shared.services import operators

    for row in operators.list_operators().operators:
        print(f"{row.email}\t{row.role}\t{row.display_name}\t{'active' if row.active else 'removed'}")
    return 0


def _import_knowledge(args: argparse.Namespace) -> int:
    from shared.knowledge.sync import sync_file

    report = sync_file(args.path, force=args.force)
    print(
        f"knowledge base synced: {report.inserted} inserted, {report.updated} updated, "
        f"{report.removed} removed, {report.unchanged} unchanged, {report.embedded_entries} (re-)embedded"
    )
    for conflict in report.conflicts:
        print(f"conflict: {conflict.entry_id}: {conflict.reason} (kept; --force to overwrite)", file=sys.stderr)
    for location in report.sources_not_added:
        print(
            f"source not added: {location} (an import adds no help-center source: "
            "add it in Knowledge › Sources or KNOWLEDGE_SOURCES)",
            file=sys.stderr,
        )
    return 1 if report.conflicts else 0


def _export_knowledge(args: argparse.Namespace) -> int:
    from shared.knowledge.export import render_cases, render_knowledge_base

    text = render_cases() if args.cases else render_knowledge_base()
    if args.path is None:
        sys.stdout.write(text)
        return 0
    args.path.write_text(text, encoding="utf-8")
    print(f"wrote the {'regression cases' if args.cases else 'entries'} to {args.path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
