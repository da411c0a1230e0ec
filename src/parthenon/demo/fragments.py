"""Pre-serialised record fragments: for each region, every API's JSON pieces (a few
variants of request parameters, responses, resources, TLS details) and every actor's
(userIdentity, source IP + user agent, the lottery table of its API mix, its throttle and
error odds), as bytes. Records are later assembled by joining them (records.py).

Built once per process from the seed (`pools_for`), in a fixed order of draws."""
from __future__ import annotations

import random

from .actors import cast
from .catalogue import Api, catalogue
from .culprit import THROTTLE_CODE
from .encoding import json_bytes
from .world import World

TLS_PROFILES = [("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256"), ("TLSv1.3", "TLS_AES_128_GCM_SHA256"),
        ("TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384")]


class RegionPools:
    """Everything one region's records are assembled from, as bytes."""
    __slots__ = ("actor_parts", "api_parts", "actor_weights", "actor_hourly", "first")


class Pools:
    """Every region's fragments, with the world, the catalogue and the cast they come from."""

    def __init__(self, seed: int, account: str, regions: tuple[str, ...], quirks: bool):
        rng = random.Random(f"parthenon-demo|{seed}|{account}|pools")
        self.world = w = World(rng, account, regions)
        self.apis = apis = catalogue()
        self.api_index = {a.key: i for i, a in enumerate(apis)}
        self.actors = actors = cast(rng, w)
        self.global_region = "us-east-1" if "us-east-1" in regions else regions[0]
        self.culprit = next(a for a in actors if a.name == "culprit")
        self.regions: dict[str, RegionPools] = {}
        for ri, region in enumerate(regions):
            rp = RegionPools()
            rp.first = ri == 0
            rp.api_parts = self._api_parts(rng, region, quirks)
            rp.actor_parts, rp.actor_weights, rp.actor_hourly = self._actor_parts(ri, rp.api_parts)
            self.regions[region] = rp

    def _api_parts(self, rng: random.Random, region: str, quirks: bool) -> list:
        """Per API: None when it is not logged in this region (global services outside the
        global region), else (head, variants, eventCategory, throttle error, eventVersion,
        whether its throttle is RequestLimitExceeded)."""
        hosts_global = region == self.global_region
        acct_b = self.world.account.encode()
        api_parts = []
        for a in self.apis:
            if a.global_ and not hosts_global:
                api_parts.append(None)
                continue
            aws_region = "us-east-1" if a.global_ else region
            head = (b'","eventSource":"' + a.source.encode() + b'","eventName":"' + a.name.encode()
                    + b'","awsRegion":"' + aws_region.encode() + b'",')
            variants = [_api_variant(rng, a, self.world, aws_region, quirks, acct_b) for _ in range(a.nvariants)]
            cat = b',"eventCategory":"' + a.category.encode() + b'"'
            thr = b',"errorCode":"' + a.throttle[0].encode() + b'","errorMessage":"' + a.throttle[1].encode() + b'"'
            api_parts.append((head, variants, cat, thr, a.version.encode(), a.throttle[0] == THROTTLE_CODE))
        return api_parts

    def _actor_parts(self, ri: int, api_parts: list) -> tuple[list, list[float], list[bool]]:
        """Per actor: None when it has nothing to call in this region (or is the culprit
        outside the first region), else (actor, API lottery table, throttle odds, error odds,
        source IP + user agent fragments, their IPs, vpcEndpointId suffix); with the actors'
        weights and whether those vary hour to hour."""
        api_index = self.api_index
        parts, weights, hourly = [], [], []
        for act in self.actors:
            if (act.regions == "first" and ri != 0) or not any(
                    api_parts[api_index[k]] is not None for k in act.mix):
                parts.append(None)
                weights.append(0.0)
                hourly.append(False)
                continue
            mix = [(api_index[k], wt) for k, wt in act.mix.items()
                   if api_parts[api_index[k]] is not None]
            total = sum(wt for _, wt in mix)
            table: list[int] = []
            for ai, wt in mix:  # lottery table: 2000 slots
                table += [ai] * max(1, round(2000 * wt / total))
            pthr = {}
            perr = {}
            for ai, _ in mix:
                a = self.apis[ai]
                base = 0.005 if a.throttle[0] == THROTTLE_CODE else 0.002
                p = act.throttle_override.get(a.key, base * act.throttle_scale)
                pthr[ai] = p
                perr[ai] = p + act.error_rate * (3.0 if not a.ro else 1.0)
            ipua = [b'"sourceIPAddress":"' + ip.encode() + b'","userAgent":' + json_bytes(ua)
                    for ip in act.ips for ua in act.agents]
            ips = [ip for ip in act.ips for ua in act.agents]
            suffix = b""
            if act.vpce:
                suffix = b',"vpcEndpointId":"' + act.vpce.encode() + b'"'
            parts.append((act, table, pthr, perr, ipua, ips, suffix))
            weights.append(act.weight)
            hourly.append(act.hourly)
        return parts, weights, hourly


def _api_variant(rng: random.Random, a: Api, w: World, aws_region: str, quirks: bool, acct_b: bytes) -> tuple:
    """One variant of an API's fragments: (mid_ok, mid_err, tail, tlsDetails per profile)."""
    rq = a.rp(rng, w, aws_region) if a.rp else None
    if quirks and rng.random() < 0.05 and isinstance(rq, dict) and rq:
        k0 = next(iter(rq))
        rq = dict(rq)
        rq[k0[0].swapcase() + k0[1:]] = rq[k0]  # keys differing only in case (seen in real logs)
    rs = a.re(rng, w, aws_region) if a.re else None
    aed = a.aed(rng, w, aws_region) if a.aed else None
    if a.res == "s3":
        b = rq["bucketName"] if rq else None
        res = [{"accountId": w.account, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{b}"}] if b else None
        if rq and "key" in rq:
            res = [{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{b}/{rq['key']}"}] + res
    else:
        res = a.res(rng, w, aws_region) if a.res else None
    mid_tail = (b',"additionalEventData":' + json_bytes(aed)) if aed is not None else b""
    if a.event_type == "AwsServiceEvent":
        mid_ok = (b',"requestParameters":null,"responseElements":null' + mid_tail)
    else:
        mid_ok = (b',"requestParameters":' + json_bytes(rq) + b',"responseElements":' + json_bytes(rs) + mid_tail)
    mid_err = b',"requestParameters":' + json_bytes(rq) + b',"responseElements":null' + mid_tail
    tail = b'"readOnly":' + (b"true" if a.ro else b"false")
    if res:
        tail += b',"resources":' + json_bytes(res)
    tail += b',"eventType":"' + a.event_type.encode() + b'"'
    if a.api_version:
        tail += b',"apiVersion":"' + a.api_version.encode() + b'"'
    tail += (b',"managementEvent":' + (b"true" if a.category == "Management" else b"false")
             + b',"recipientAccountId":"' + acct_b + b'"')
    host = a.host
    if host == "s3":
        host = (rq or {}).get("Host") or "s3.amazonaws.com"
    elif host is None:
        host = f"{a.source.split('.')[0]}.{aws_region}.amazonaws.com"
    elif a.global_ and a.source == "signin.amazonaws.com":
        host = "signin.aws.amazon.com"
    tls = [b',"tlsDetails":' + json_bytes({"tlsVersion": v, "cipherSuite": cs, "clientProvidedHostHeader": host})
           for v, cs in TLS_PROFILES]
    return mid_ok, mid_err, tail, tls


_POOL_CACHE: dict[tuple, Pools] = {}


def pools_for(seed: int, account: str, regions: tuple[str, ...], quirks: bool) -> Pools:
    """The pools of these arguments, built once per process."""
    key = (seed, account, regions, quirks)
    p = _POOL_CACHE.get(key)
    if p is None:
        p = _POOL_CACHE[key] = Pools(seed, account, regions, quirks)
    return p
