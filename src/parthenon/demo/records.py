"""Record building: one log file's records, assembled from a region's fragments
(fragments.py) by joining bytes: which actor calls which API, at which second, from which
address, and whether the call fails (throttled, denied, or one of the API's own errors)."""
from __future__ import annotations

import random
from collections import Counter

from .catalogue import Api
from .encoding import UUID_CLEAR, UUID_SET, iso, json_bytes
from .fragments import RegionPools
from .identities import Actor

# "mm:ssZ" of every second of an hour, the end of each eventTime
MMSS = [b"%02d:%02dZ" % divmod(s, 60) for s in range(3600)]


def ident_bytes(act: Actor, creation: str) -> bytes:
    """The actor's userIdentity, its session (if any) created at `creation`."""
    if not act.session:
        return json_bytes(act.ident)
    ident = dict(act.ident)
    sc = dict(ident["sessionContext"])
    sc["attributes"] = dict(sc["attributes"], creationDate=creation)
    ident["sessionContext"] = sc
    return json_bytes(ident)


def hour_actors(rp: RegionPools, hrng: random.Random, t0: float) -> tuple[list[int], dict[int, bytes]]:
    """The hour's actor lottery table (4000 slots; bursty actors' weights move from hour to
    hour) and each actor's `,"userIdentity":...,"eventTime":"` fragment, its session
    created shortly before the hour."""
    # per-hour actor lottery: bursty actors move from hour to hour
    weights = [wt * (hrng.uniform(0.2, 1.8) if hourly else hrng.uniform(0.85, 1.15)) if wt else 0.0
               for wt, hourly in zip(rp.actor_weights, rp.actor_hourly)]
    total = sum(weights)
    actor_table: list[int] = []
    for i, wt in enumerate(weights):
        if wt:
            actor_table += [i] * max(1, round(4000 * wt / total))
    # identities, refreshed per hour (session creation dates)
    idents: dict[int, bytes] = {}
    for i, p in enumerate(rp.actor_parts):
        if p is not None:
            created = iso(t0 - hrng.randint(60, 3000))
            idents[i] = (b',"userIdentity":' + ident_bytes(p[0], created) + b',"eventTime":"')
    return actor_table, idents


def file_records(rng: random.Random, rp: RegionPools, apis: list[Api], actor_table: list[int],
                 idents: dict[int, bytes], hour_prefix: bytes, w0: int, w1: int, target: int,
                 throttles: Counter) -> list[bytes]:
    """The records of one file covering seconds [w0, w1) of the hour, drawn from `rng` until
    they pass `target` bytes. RequestLimitExceeded records are counted into `throttles` by
    (eventName, userIdentity.arn, sourceIPAddress)."""
    rand = rng.random
    bits = rng.getrandbits
    n_act = len(actor_table)
    times = MMSS
    span = w1 - w0
    est = max(1, target // 1400)
    recs: list[bytes] = []
    size = 0
    i = 0
    while size < target:
        ai = actor_table[int(rand() * n_act)]
        act, table, pthr, perr, ipua, ips, suffix = rp.actor_parts[ai]
        api_i = table[int(rand() * len(table))]
        head, variants, cat, thr, ver, is_rle = rp.api_parts[api_i]
        mid_ok, mid_err, tail, tls = variants[int(rand() * len(variants))]
        k = int(rand() * len(ipua))
        iu = ipua[k]
        r = rand()
        if r < pthr[api_i]:
            err = thr
            mid = mid_err
            if is_rle:
                throttles[(apis[api_i].name, act.arn, ips[k])] += 1
        elif r < perr[api_i]:
            a = apis[api_i]
            if a.errors and rand() < 0.6:
                code, msg = a.errors[int(rand() * len(a.errors))]
            else:
                code = "AccessDenied"
                msg = (f"User: {act.arn} is not authorized to perform: "
                       f"{a.source.split('.')[0]}:{a.name}" if act.arn else "Access Denied")
            err = b',"errorCode":' + json_bytes(code) + ((b',"errorMessage":' + json_bytes(msg)) if msg else b"")
            mid = mid_err
        else:
            err = b""
            mid = mid_ok
        sec = w0 + int(span * (i + rand()) / est)
        if sec >= w1:
            sec = w1 - 1 - int(rand() * min(span, 30))
        eid = b"%032x" % ((bits(128) & UUID_CLEAR) | UUID_SET)
        style = apis[api_i].rid
        parts = [b'{"eventVersion":"', ver, b'"', idents[ai], hour_prefix, times[sec], head, iu, err, mid]
        if style == "uuid":
            q = b"%032x" % ((bits(128) & UUID_CLEAR) | UUID_SET)
            parts.append(b',"requestID":"' + q[:8] + b"-" + q[8:12] + b"-" + q[12:16] + b"-" + q[16:20] + b"-" + q[20:] + b'"')
        elif style == "s3":
            parts.append(b',"requestID":"%016X"' % bits(64))
        parts += [b',"eventID":"', eid[:8], b"-", eid[8:12], b"-", eid[12:16], b"-", eid[16:20], b"-", eid[20:], b'",', tail]
        if act.kind == "AWSService" and apis[api_i].name == "AssumeRole":
            s = b"%032x" % ((bits(128) & UUID_CLEAR) | UUID_SET)
            parts.append(b',"sharedEventID":"' + s[:8] + b"-" + s[8:12] + b"-" + s[12:16] + b"-" + s[16:20] + b"-" + s[20:] + b'"')
        parts.append(suffix)
        parts.append(cat)
        if act.tls is not None:
            parts.append(tls[act.tls])
        if act.console:
            parts.append(b',"sessionCredentialFromConsole":"true"}')
        else:
            parts.append(b"}")
        rec = b"".join(parts)
        recs.append(rec)
        size += len(rec) + 1
        i += 1
    return recs
