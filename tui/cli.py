"""The `sinoterm` command: parse arguments, load config, dispatch. Thin on purpose.

Each subcommand lives in `tui/subcommands/<name>.py` with a `run(args) -> int`; only the dashboard
and `snapshot` import Textual, so one-shot commands start fast.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import sys

EPILOG = """\
exit codes: 0 ok, 1 runtime failure, 2 usage or config error
config: --config, else $SINOTERM_CONFIG, else the user config dir (`sinoterm config path`)
"""


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", help="config file (default: $SINOTERM_CONFIG or the user config dir)")
    demo = argparse.ArgumentParser(add_help=False)
    demo.add_argument("--demo", action="store_true", help="use the bundled demo data (prices labelled DEMO)")
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print JSON (the contract in the README)")

    p = argparse.ArgumentParser(
        prog="sinoterm",
        description="Terminal dashboard for Chinese tech stocks in Hong Kong and New York.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common, demo],
    )
    p.add_argument("--watchlist", metavar="NAME", help="open this watchlist first")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    q = sub.add_parser("quote", parents=[common, demo, as_json], help="one-shot quotes")
    q.add_argument("symbols", nargs="+", metavar="SYMBOL")

    par = sub.add_parser("parity", parents=[common, demo, as_json], help="HK/US parity of dual listings")
    par.add_argument("symbols", nargs="*", metavar="SYMBOL", help="either leg; default: the watchlist's dual listings")

    m = sub.add_parser("market", parents=[as_json], help="session state of HK and US")
    m.add_argument("--at", metavar="ISO-8601", help="evaluate at this instant instead of now (no UTC offset: read as UTC)")

    n = sub.add_parser("news", parents=[common, demo, as_json], help="latest news items with their metrics")
    n.add_argument("--limit", type=int, default=20, metavar="N")

    e = sub.add_parser("extract", parents=[as_json], help="metrics and moves from an article (text or HTML)")
    e.add_argument("file", nargs="?", default="-", metavar="FILE|-")

    s = sub.add_parser("snapshot", parents=[common, demo], help="render the dashboard headless and print it")
    s.add_argument("--format", choices=("text", "svg"), default="text")
    s.add_argument("--size", default="120x40", metavar="COLSxROWS")
    s.add_argument("--watchlist", metavar="NAME")
    s.add_argument("--screen", choices=("dashboard", "detail"), default="dashboard",
                   help="which screen to render (detail: the first watchlist company)")

    c = sub.add_parser("config", parents=[common], help="config file: path, show, validate, init")
    c.add_argument("action", choices=("path", "show", "validate", "init"))

    sub.add_parser("doctor", parents=[common], help="reachability of each source, config, cache")
    return p


APP_COMMANDS = frozenset({"dashboard", "snapshot"})
"""The commands that run the app. For them the garbage collector is off from here, through their
imports (~30 collections, ~3 ms), until the first screen is up (SinotermApp.on_ready): start-up
makes only objects that live as long as the app."""


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    name = args.command or "dashboard"
    if name in APP_COMMANDS:
        gc.disable()
    module = importlib.import_module(f"tui.subcommands.{name}")
    try:
        return int(module.run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
