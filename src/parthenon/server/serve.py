"""`parthenon serve`: build the service and the server, say how to reach it, serve."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from .. import config
from ..engine.limits import format_size
from ..storage import bucket_folders
from ..service import AthenaService
from ..service.athena import default_results
from ..storage.location import Rules
from .auth import Verifier, load_keys
from .http import AthenaServer
from .policy import Policies, PolicyError
from .tls import TlsError, fingerprint, server_context


def make_server(host: str = "127.0.0.1", port: int = 8080, concurrency: int = 4,
                auth: bool = True, access_keys_file: str | None = None, home=None,
                max_active: int = 200, out=sys.stderr, scheduler: bool = False,
                policy_file: str | None = None, data_roots=(), result_roots=(),
                config_file: str | None = None, memory: int | None = None,
                s3_buckets: dict | None = None, tls: str | None = None,
                tls_cert: str | None = None, tls_key: str | None = None,
                allow_plain_http: bool = False, spark_master: str = "local[*]",
                **http_options) -> AthenaServer:
    """http_options: AthenaServer's (header_timeout, idle_timeout, max_connections);
    s3_buckets: bucket name -> local folder, served by the S3 subset (storage.bucket_folders).
    Raises TlsError or PolicyError for options the operator must fix."""
    home = Path(home or config.home())
    verifier = None
    policies = Policies.load(policy_file)
    ssl_context, certificate = server_context(home, host, tls, tls_cert, tls_key, allow_plain_http)
    if auth:
        keys, generated = load_keys(home, access_keys_file)
        if generated:
            print(generated, file=out)
        verifier = Verifier(keys)
    locations = server_locations(home, data_roots, result_roots, config_file,
                                 [access_keys_file, policy_file])
    bucket_folders.configure(s3_buckets or {})     # before the service writes any result
    service = AthenaService(home, concurrency=concurrency, max_active=max_active,
                            locations=locations, memory=memory, spark_master=spark_master)
    server = AthenaServer((host, port), service, verifier, policies, ssl_context, **http_options)
    server.certificate = certificate
    server.scheduler = None
    if scheduler:        # schedules and hooks run beside the API, through the same service
        from ..scheduler import Scheduler
        server.scheduler = Scheduler(service).start()
    return server


def server_locations(home: Path, data_roots, result_roots, config_file: str | None,
                     secrets: list[str | None]) -> Rules:
    """What the server's tables may read and where its results may go.

    Local tables only under data roots (none by default: a key holder must not read
    the server's files), results only under result roots (PARTHENON_HOME/query-results
    always, plus any configured) or in S3; PARTHENON_HOME, the keys file and the
    config file are never table data, nor are `secrets` (keys and policy files).
    Command-line roots add to the config file's."""
    settings, file = config.server_config(config_file, home)
    data = [*settings.get("data_roots", []), *(str(Path(d).resolve()) for d in data_roots)]
    results = [str(default_results(home)), *settings.get("result_roots", []),
               *(str(Path(r).resolve()) for r in result_roots)]
    private = [home, *(p for p in (*secrets, file) if p)]
    for root in data:
        if Path(root).resolve().is_relative_to(home.resolve()):
            raise config.ConfigError(f"Data root {root} lies inside PARTHENON_HOME ({home}), "
                                     "which is never readable as table data")
    for root in results:     # what lies in a result root is readable: no secret may
        for secret in private:
            if Path(secret).resolve().is_relative_to(Path(root).resolve()):
                raise config.ConfigError(f"Result root {root} holds {secret}, which is never "
                                         "readable as table data")
    return Rules.server(data, results, private)


def serve(args) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("sqlglot").setLevel(logging.ERROR)   # "falling back to Command" is routine here
    if args.no_auth:
        print("WARNING: --no-auth: anyone who can reach this port can run queries and read "
              "results. Use it only for a throwaway local instance.", file=sys.stderr)
    try:
        buckets = dict(bucket_folders.parse(spec) for spec in args.s3_bucket)
    except ValueError as e:
        print(f"parthenon serve: --s3-bucket: {e}", file=sys.stderr)
        return 2
    try:
        server = make_server(args.host, args.port, args.concurrency, not args.no_auth,
                             args.access_keys_file, max_active=args.max_queued,
                             scheduler=not args.no_scheduler, policy_file=args.policy_file,
                             data_roots=args.data_root, result_roots=args.result_root,
                             config_file=args.config, memory=args.memory, s3_buckets=buckets,
                             tls=args.tls, tls_cert=args.tls_cert, tls_key=args.tls_key,
                             allow_plain_http=args.allow_plain_http,
                             spark_master=args.spark_master)
    except (TlsError, PolicyError) as e:
        print(f"parthenon serve: {e}", file=sys.stderr)
        return 2
    limits = server.service.limits
    print(f"Parthenon serves the Athena API at {server.url} (and Glue, and the console; "
          f"concurrency {args.concurrency}, memory {format_size(server.service.memory)}: "
          f"{format_size(limits.memory_bytes)} and {limits.threads} threads per query); "
          f"clients: AWS_ENDPOINT_URL={server.url}", file=sys.stderr)
    if server.certificate is not None:
        print(f"TLS certificate {server.certificate}\n"
              f"  SHA-256 fingerprint {fingerprint(server.certificate)}", file=sys.stderr)
    if args.policy_file:
        print(f"Permissions per key from {args.policy_file}", file=sys.stderr)
    rules = server.service.locations
    print("Tables may read S3 and " + (", ".join(r + "/" for r in rules.data_roots) or
                                       "no local folder (add --data-root DIR)") +
          "; results go to S3 or " + ", ".join(r + "/" for r in rules.result_roots), file=sys.stderr)
    for name, folder in sorted(buckets.items()):
        print(f"  s3://{name}/ is served from {folder} (S3 subset, same port)", file=sys.stderr)
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
