"""`parthenon serve`: build the service and the server, say how to reach it, serve."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from .. import config
from ..service import AthenaService
from .auth import Verifier, load_keys
from .http import AthenaServer
from .policy import Policies, PolicyError
from .tls import TlsError, fingerprint, server_context


def make_server(host: str = "127.0.0.1", port: int = 8080, concurrency: int = 4,
                auth: bool = True, access_keys_file: str | None = None, home=None,
                max_active: int = 200, out=sys.stderr, scheduler: bool = False,
                policy_file: str | None = None, tls: str | None = None, tls_cert: str | None = None,
                tls_key: str | None = None, allow_plain_http: bool = False,
                **http_options) -> AthenaServer:
    """http_options: AthenaServer's (header_timeout, idle_timeout, max_connections).
    Raises TlsError or PolicyError for options the operator must fix."""
    home = Path(home) if home else config.home()
    verifier = None
    policies = Policies.load(policy_file)
    ssl_context, certificate = server_context(home, host, tls, tls_cert, tls_key, allow_plain_http)
    if auth:
        keys, generated = load_keys(home, access_keys_file)
        if generated:
            print(generated, file=out)
        verifier = Verifier(keys)
    service = AthenaService(home, concurrency=concurrency, max_active=max_active)
    server = AthenaServer((host, port), service, verifier, policies, ssl_context, **http_options)
    server.certificate = certificate
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
    try:
        server = make_server(args.host, args.port, args.concurrency, not args.no_auth,
                             args.access_keys_file, max_active=args.max_queued,
                             scheduler=not args.no_scheduler, policy_file=args.policy_file,
                             tls=args.tls, tls_cert=args.tls_cert, tls_key=args.tls_key,
                             allow_plain_http=args.allow_plain_http)
    except (TlsError, PolicyError) as e:
        print(f"parthenon serve: {e}", file=sys.stderr)
        return 2
    print(f"Parthenon serves the Athena API at {server.url} "
          f"(concurrency {args.concurrency}); clients: AWS_ENDPOINT_URL_ATHENA={server.url}",
          file=sys.stderr)
    if server.certificate is not None:
        print(f"TLS certificate {server.certificate}\n"
              f"  SHA-256 fingerprint {fingerprint(server.certificate)}", file=sys.stderr)
    if args.policy_file:
        print(f"Permissions per key from {args.policy_file}", file=sys.stderr)
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
