"""The ``wwe-host`` command line.

Each command registers itself through one ``_add_<command>`` function listed in
``_COMMANDS``; heavy modules (the server) are imported only by the command that needs
them, so ``check-config`` and ``hash-password`` start fast and work without them.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from wwe_host import __version__
from wwe_host.config import ConfigError, load_config, parse_listen, render_effective

EXIT_OK = 0
EXIT_FAILURE = 1  # the command ran and failed (e.g. passwords that do not match)
EXIT_USAGE = 2  # bad arguments or a bad configuration: nothing was started

Handler = Callable[[argparse.Namespace], int]


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE


# --------------------------------------------------------------------------- serve


def _listen_arg(value: str) -> str:
    """Reject a malformed --listen before anything starts; the string itself is passed on."""
    try:
        parse_listen(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def _run_serve(args: argparse.Namespace) -> int:
    # Imported here: the server pulls in the web stack, which other commands do not need.
    try:
        server = importlib.import_module("wwe_host.server")
    except ModuleNotFoundError as exc:
        if exc.name != "wwe_host.server":
            raise
        return _error("this installation has no server module (wwe_host.server)")
    result = server.serve(args.config, args.listen, args.data_dir)
    return int(result)


def _add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "serve",
        help="run the server (the demo configuration without --config)",
        description="Run the wwe-host server: agent desktop, Service Client API, simulator. "
        "Without --config the built-in demo configuration is used and its logins are printed.",
    )
    parser.add_argument("--config", metavar="FILE", help="the INI configuration file")
    parser.add_argument(
        "--listen",
        metavar="HOST:PORT",
        type=_listen_arg,
        help="overrides [wwe-host] listen (e.g. 127.0.0.1:8080)",
    )
    parser.add_argument("--data-dir", metavar="DIR", help="overrides [wwe-host] data-dir")
    parser.set_defaults(handler=_run_serve)


# --------------------------------------------------------------------------- check-config


def _run_check_config(args: argparse.Namespace) -> int:
    try:
        config = load_config(args.file)
    except ConfigError as exc:
        return _error(str(exc))
    sys.stdout.write(render_effective(config))
    for warning in config.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return EXIT_OK


def _add_check_config(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "check-config",
        help="validate a configuration file and print the effective configuration",
        description="Validate FILE and print the effective configuration: origins with their "
        "expanded request sets, rate limits, attached-data lists, web content per agent. "
        "Warnings go to stderr. Exit status 2 when the file is unusable.",
    )
    parser.add_argument("file", metavar="FILE", help="the INI configuration file")
    parser.set_defaults(handler=_run_check_config)


# --------------------------------------------------------------------------- hash-password


def _read_stdin_password(stdin: TextIO) -> str:
    line = stdin.readline()
    return line.removesuffix("\n").removesuffix("\r")


def _run_hash_password(args: argparse.Namespace) -> int:
    from wwe_host.security.passwords import hash_password

    if args.password_stdin or not sys.stdin.isatty():
        password = _read_stdin_password(sys.stdin)
    else:
        try:
            password = getpass.getpass("Password: ")
            again = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt):
            print(file=sys.stderr)
            return _error("no password given")
        if password != again:
            print("error: the passwords do not match", file=sys.stderr)
            return EXIT_FAILURE
    if not password:
        return _error("the password is empty")
    print(hash_password(password))
    return EXIT_OK


def _add_hash_password(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "hash-password",
        help="print a password hash for an [agent:...] password option",
        description="Print a salted scrypt hash to paste as `password = ...` in an agent "
        "section. Asks twice on a terminal; reads one line from stdin with --password-stdin "
        "or when stdin is not a terminal.",
    )
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin (for scripts)",
    )
    parser.set_defaults(handler=_run_hash_password)


# --------------------------------------------------------------------------- the parser

# One registration function per command, in the order `--help` lists them. A new command
# (e.g. `sim`) is a new `_add_<command>(commands)` function appended here.
_COMMANDS: tuple[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None], ...] = (
    _add_serve,
    _add_check_config,
    _add_hash_password,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wwe-host",
        description="An open host for the Workspace Web Edition Service Client API.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for register in _COMMANDS:
        register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (argparse's own exits included)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        if exc.code is None:
            return EXIT_OK
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    return handler(args)
