"""`sinoterm [--demo] [--config PATH] [--watchlist NAME]`: the interactive dashboard."""
from __future__ import annotations

from tui.subcommands.common import settings_or_exit


def run(args) -> int:
    settings, path = settings_or_exit(args)
    from tui.app import make_app

    app = make_app(settings, demo=args.demo, config_path=path, watchlist=args.watchlist)
    app.run()
    return app.return_code or 0
