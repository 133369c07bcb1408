"""``syndicate serve``: the feed server partners pull their Atom, ninjs and NewsML-G2 from."""

from __future__ import annotations

import argparse

from syndicate.commands import add_config_argument, load_configuration

HELP = "serve partner pull feeds (Atom, ninjs, NewsML-G2) with /healthz and /metrics"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; 0.0.0.0 in a container)")
    p.add_argument("--port", type=int, default=8080, help="TCP port (default 8080)")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes (each opens its own connection to the store)")
    add_config_argument(p)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from syndicate.checks import require
    from syndicate.errors import UsageError
    from syndicate.web.feeds import app_from_settings

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port} is not a TCP port")
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    # --config reaches the server processes too: they read SYNDICATE_CONFIG, which it sets
    s, config = load_configuration(args.config)
    require("serve", config, s)
    # built once here so a bad configuration or a missing token fails before listening
    app = app_from_settings()
    print(f"serving feeds on http://{args.host}:{args.port} ({s.describe()})", flush=True)
    if args.workers == 1:
        uvicorn.run(app, host=args.host, port=args.port, log_level=s.log_level.lower(),
                    access_log=False)
    else:
        uvicorn.run("syndicate.web.feeds:app_from_settings", factory=True, host=args.host,
                    port=args.port, workers=args.workers, log_level=s.log_level.lower(),
                    access_log=False)
    return 0
