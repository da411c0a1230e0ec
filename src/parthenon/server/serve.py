"""`parthenon serve`: build the service and the server, say how to reach it, serve."""
from __future__ import annotations

import logging
import sys

from .. import config
from ..service import AthenaService
from .auth import Verifier, load_keys
from .http import AthenaServer
from .policy import Policies


def make_server(host: str = "127.0.0.1", port: int = 8080, concurrency: int = 4,
                auth: bool = True, access_keys_file: str | None = None, home=None,
                max_active: int = 200, out=sys.stderr, scheduler: bool = False,
                policy_file: str | None = None, **http_options) -> AthenaServer:
    """http_options: AthenaServer's (ssl_context, header_timeout, idle_timeout, max_connections)."""
    home = home or config.home()
    verifier = None
    policies = Policies.load(policy_file)
    if auth:
        keys, generated = load_keys(home, access_keys_file)
        if generated:
            print(generated, file=out)
        verifier = Verifier(keys)
    service = AthenaService(home, concurrency=concurrency, max_active=max_active)
    server = AthenaServer((host, port), service, verifier, policies, **http_options)
    server.scheduler = None
    if scheduler:        # schedules and hooks run beside the API, through the same service
        from ..scheduler import Scheduler
        server.scheduler = Scheduler(service).start()
    return server


def serve(args) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("sqlglot").setLevel(logging.ERROR)   # "falling back to Command" is routine here
    if args.no_auth:
        print("WARNING: --no-auth: anyone who can reach this port can run queries and read "
              "results. Use it only for a throwaway local instance.", file=sys.stderr)
    server = make_server(args.host, args.port, args.concurrency, not args.no_auth,
                         args.access_keys_file, max_active=args.max_queued,
                         scheduler=not args.no_scheduler, policy_file=args.policy_file)
    print(f"Parthenon serves the Athena API at {server.url} "
          f"(concurrency {args.concurrency}); clients: AWS_ENDPOINT_URL_ATHENA={server.url}",
          file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if server.scheduler is not None:
            server.scheduler.stop()
        server.service.close()
    return 0
