"""The ``wwe-host`` command line.

Each command registers itself through one ``_add_<command>`` function listed in
``_COMMANDS``; heavy modules (the server) are imported only by the command that needs
them, so ``check-config`` and ``hash-password`` start fast and work without them.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from urllib.parse import urlsplit

from wwe_host import __version__
from wwe_host.config import ConfigError, load_config, parse_listen, render_effective
from wwe_host.security.signing import JwtSigner

if TYPE_CHECKING:  # imported when a sim command runs: httpx is not needed by the others
    from wwe_host.client import Step, WweHostClient, WweHostError

# The exit statuses of every command (docs/simulator.md, "Exit statuses", lists them).
EXIT_OK = 0
EXIT_FAILURE = 1  # the command ran and failed (the server refused; passwords do not match)
EXIT_USAGE = 2  # bad arguments, a bad configuration or an address in use: nothing started
EXIT_UNREACHABLE = 3  # `sim`: no server answered at the URL
EXIT_INTERRUPTED = 130  # Ctrl-C

Handler = Callable[[argparse.Namespace], int]


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE


class _UsageError(Exception):
    """Bad input found after argparse (e.g. in an environment variable): one line, exit 2."""


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


def _run_cluster(args: argparse.Namespace) -> int:
    from .cluster import run_cluster  # the cluster's tools are not needed by the others

    return run_cluster(
        Path(args.config),
        Path(args.directory),
        database=args.database,
        bus=args.bus,
        processes=args.processes,
        port=args.port,
    )


def _add_cluster(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "cluster",
        help="run several server processes behind nginx on PostgreSQL and Redis",
        description="Start N `wwe-host serve` processes sharing DATABASE (PostgreSQL) and "
        "BUS (Redis), and Debian's nginx in front of them on PORT (docs/architecture.md, "
        "'Several processes'). Ctrl-C stops them all. Exit status: 0 stopped, 1 a process "
        "exited, 2 could not start.",
    )
    parser.add_argument("--config", required=True, help="the configuration every process reads")
    parser.add_argument(
        "--database",
        default="postgresql://postgres@127.0.0.1:5432/wwe_host",
        help="the PostgreSQL URL (default: %(default)s)",
    )
    parser.add_argument(
        "--bus", default="redis://127.0.0.1:6379/0", help="the Redis URL (default: %(default)s)"
    )
    parser.add_argument("--processes", type=int, default=2, help="default: %(default)s")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (default: 8080)")
    parser.add_argument(
        "--directory",
        default="cluster",
        help="where the processes' data and logs and nginx's files go (default: ./cluster)",
    )
    parser.set_defaults(handler=_run_cluster)


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


def _config_errors(error: ConfigError) -> int:
    """Every problem of a configuration, one ``error:`` line each."""
    for problem in error.problems:
        print(f"error: {problem}", file=sys.stderr)
    for warning in error.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if len(error.problems) > 1:
        print(f"{len(error.problems)} errors", file=sys.stderr)
    return EXIT_USAGE


def _run_check_config(args: argparse.Namespace) -> int:
    try:
        config = load_config(args.file)
    except ConfigError as exc:
        return _config_errors(exc)
    key = config.server.jwt_signing_key
    if key is not None:
        # The file is read at start; a key `serve` would refuse is refused here too.
        try:
            JwtSigner.from_file(key)
        except ValueError as exc:
            return _error(f"[wwe-host] jwt-signing-key: {exc}")
    sys.stdout.write(render_effective(config))
    for warning in config.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.strict and config.warnings:
        return EXIT_FAILURE
    return EXIT_OK


def _add_check_config(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "check-config",
        help="validate a configuration file and print the effective configuration",
        description="Validate FILE and print the effective configuration: origins with their "
        "expanded request sets, rate limits, attached-data lists, web content per agent. "
        "Every mistake is reported in one run, one line each on stderr; warnings (such as an "
        "unknown option, with the closest known name) go to stderr too. Exit status: 0 usable, "
        "1 usable but with warnings and --strict, 2 unusable.",
    )
    parser.add_argument("file", metavar="FILE", help="the INI configuration file")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 when there are warnings (for CI)",
    )
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


# --------------------------------------------------------------------------- sim

URL_ENV = "WWE_HOST_URL"
TOKEN_ENV = "WWE_HOST_TOKEN"


def _data_arg(value: str) -> tuple[str, str]:
    key, sep, text = value.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {value!r}")
    return key.strip(), text


def _sim_client(args: argparse.Namespace) -> WweHostClient:
    from wwe_host.client import DEFAULT_URL, WweHostClient

    url = args.url or os.environ.get(URL_ENV) or DEFAULT_URL
    given = "--url" if args.url else URL_ENV if os.environ.get(URL_ENV) else "the default URL"
    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        ok = ok and (parts.port is None or parts.port > 0)
    except ValueError:
        ok = False
    if not ok:
        raise _UsageError(f"{given} {url!r}: expected http(s)://HOST[:PORT]")
    if not args.timeout > 0:
        raise _UsageError(f"--timeout {args.timeout}: expected a number of seconds > 0")
    token = args.token or os.environ.get(TOKEN_ENV) or None
    return WweHostClient(url, token, timeout=args.timeout)


def _sim_refused(error: WweHostError, url: str) -> int:
    """Print why the server (or the network) said no; the exit status for it."""
    from wwe_host.client import WweHostUnreachable

    if isinstance(error, WweHostUnreachable):
        # One line naming the URL: "[Errno 111] Connection refused" says less than the hint.
        reason = re.sub(r"\[Errno -?\d+\] ", "", error.message)
        print(
            f"error: {reason} (is `wwe-host serve` running at {url}? Give its address with "
            f"--url or {URL_ENV}.)",
            file=sys.stderr,
        )
        return EXIT_UNREACHABLE
    print(
        f"error: the server refused: {error.status} {error.code}: {error.message}", file=sys.stderr
    )
    if error.status == 401:
        print(f"hint: give the admin token with --token or {TOKEN_ENV}.", file=sys.stderr)
    return EXIT_FAILURE


def _sim_one(args: argparse.Namespace, action: Callable[[WweHostClient], object]) -> int:
    from wwe_host.client import WweHostError

    with _sim_client(args) as client:
        try:
            result = action(client)
        except WweHostError as error:
            return _sim_refused(error, client.base_url)
    print(json.dumps(result, ensure_ascii=False))
    return EXIT_OK


def _user_data(args: argparse.Namespace) -> dict[str, str]:
    return dict(args.data or [])


def _run_sim_call(args: argparse.Namespace) -> int:
    return _sim_one(args, lambda c: c.call(args.to, args.sender, args.dnis, _user_data(args)))


def _run_sim_hangup(args: argparse.Namespace) -> int:
    return _sim_one(args, lambda c: c.hangup(args.call_uuid))


def _run_sim_answer(args: argparse.Namespace) -> int:
    return _sim_one(args, lambda c: c.answer(args.call_uuid))


def _run_sim_email(args: argparse.Namespace) -> int:
    return _sim_one(
        args,
        lambda c: c.email(args.to, args.sender, args.subject, args.body, _user_data(args)),
    )


def _run_sim_chat(args: argparse.Namespace) -> int:
    return _sim_one(args, lambda c: c.chat(args.to, args.sender, args.message, _user_data(args)))


def _run_sim_campaign(args: argparse.Namespace) -> int:
    if args.action == "list":
        return _sim_one(args, lambda c: c.campaigns())
    if args.name is None:
        return _error(f"sim campaign {args.action}: give the campaign's NAME")
    if args.action == "records":
        return _sim_one(args, lambda c: c.campaign_records(args.name))
    return _sim_one(args, lambda c: c.campaign(args.name, args.action))


def _run_sim_run(args: argparse.Namespace) -> int:
    from wwe_host.client import (
        ScenarioError,
        StepFailed,
        WweHostUnreachable,
        load_scenario,
        run_scenario,
    )

    try:
        steps = load_scenario(args.scenario)
    except ScenarioError as problem:
        return _error(str(problem))

    def before(number: int, total: int, step: Step) -> None:
        print(f"[{number}/{total}] {step.describe()}", file=sys.stderr, flush=True)

    def after(number: int, step: Step, result: object) -> None:
        if result is not None:
            print(json.dumps(result, ensure_ascii=False), flush=True)

    with _sim_client(args) as client:
        try:
            run_scenario(client, steps, before=before, after=after)
        except StepFailed as failed:
            print(
                f"error: step {failed.step.where} ({failed.step.describe()}) failed",
                file=sys.stderr,
            )
            return _sim_refused(failed.error, client.base_url)
        except WweHostUnreachable as unreachable:
            return _sim_refused(unreachable, client.base_url)
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return EXIT_INTERRUPTED
    print(f"done: {len(steps)} step(s)", file=sys.stderr)
    return EXIT_OK


def _add_sim(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "sim",
        help="drive the simulated contact center of a running server",
        description="Push calls, e-mails and chats into a running wwe-host through its admin "
        f"API. The server is --url (or {URL_ENV}, default http://127.0.0.1:8080); the admin "
        f"token is --token (or {TOKEN_ENV}). Results are printed as JSON. Exit status: 0 done, "
        "1 the server refused (its message is printed), 2 bad usage, 3 no server answered at "
        "the URL.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--url", metavar="URL", help=f"the server (default: ${URL_ENV} or http://127.0.0.1:8080)"
    )
    common.add_argument("--token", metavar="TOKEN", help=f"the admin token (default: ${TOKEN_ENV})")
    common.add_argument(
        "--timeout", metavar="SECONDS", type=float, default=10.0, help="per request (default 10)"
    )
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument(
        "--data",
        metavar="KEY=VALUE",
        type=_data_arg,
        action="append",
        help="attached data (repeatable); values are strings",
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION")

    call = actions.add_parser(
        "call",
        parents=[common, data],
        help="an inbound call",
        description="An inbound call to an agent (username or DN) or to queue:<name>. Prints "
        "{callUuid, state, ...}; state is RINGING (TALKING with auto-answer) or QUEUED.",
    )
    call.add_argument("to", metavar="TO", help="a username, a DN or queue:<name>")
    call.add_argument("--from", dest="sender", metavar="ANI", required=True, help="the caller")
    call.add_argument("--dnis", metavar="NUMBER", help="the number dialled (default: the DN)")
    call.set_defaults(handler=_run_sim_call)

    for name, runner, text in (
        ("hangup", _run_sim_hangup, "the far end releases the call"),
        ("answer", _run_sim_answer, "the far end answers an outbound call now"),
    ):
        action = actions.add_parser(name, parents=[common], help=text, description=text + ".")
        action.add_argument("call_uuid", metavar="UUID", help="the call's callUuid")
        action.set_defaults(handler=runner)

    email = actions.add_parser(
        "email",
        parents=[common, data],
        help="an inbound e-mail",
        description="An inbound e-mail to an agent or to queue:<name>.",
    )
    email.add_argument("to", metavar="TO", help="a username, a DN or queue:<name>")
    email.add_argument("--from", dest="sender", metavar="ADDR", required=True, help="sender")
    email.add_argument("--subject", metavar="S", required=True, help="the subject")
    email.add_argument("--body", metavar="B", default="", help="the text (default: empty)")
    email.set_defaults(handler=_run_sim_email)

    chat = actions.add_parser(
        "chat",
        parents=[common, data],
        help="an inbound chat",
        description="An inbound chat to an agent or to queue:<name>. Prints {chatId, state, ...}.",
    )
    chat.add_argument("to", metavar="TO", help="a username, a DN or queue:<name>")
    chat.add_argument("--from", dest="sender", metavar="NAME", required=True, help="customer")
    chat.add_argument("--message", metavar="M", required=True, help="the first message")
    chat.set_defaults(handler=_run_sim_chat)

    campaign = actions.add_parser(
        "campaign",
        parents=[common],
        help="outbound campaigns: list, load, start, stop, unload, records",
        description="Outbound campaigns ([campaign:NAME] sections): list them, load one (its "
        "CSV records), start, stop or unload it, or print its records with their outcomes.",
    )
    campaign.add_argument(
        "action",
        metavar="ACTION",
        choices=("list", "load", "start", "stop", "unload", "records"),
        help="list, load, start, stop, unload or records",
    )
    campaign.add_argument("name", metavar="NAME", nargs="?", help="the campaign (not for list)")
    campaign.set_defaults(handler=_run_sim_campaign)

    run = actions.add_parser(
        "run",
        parents=[common],
        help="run a scenario file",
        description="Run SCENARIO.yaml: a list of steps (call, email, chat, hangup, wait, "
        "repeat; see docs/simulator.md). The whole file is checked first; progress goes to "
        "stderr, each answer to stdout as one JSON line. Stops at the first refused step.",
    )
    run.add_argument("scenario", metavar="SCENARIO.yaml", help="the scenario file")
    run.set_defaults(handler=_run_sim_run)

    def sim_help(args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return EXIT_USAGE

    parser.set_defaults(handler=sim_help)


# --------------------------------------------------------------------------- the parser

# One registration function per command, in the order `--help` lists them. A new command
# (e.g. `sim`) is a new `_add_<command>(commands)` function appended here.
_COMMANDS: tuple[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None], ...] = (
    _add_serve,
    _add_check_config,
    _add_hash_password,
    _add_sim,
    _add_cluster,
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
    try:
        return handler(args)
    except _UsageError as problem:
        return _error(str(problem))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
