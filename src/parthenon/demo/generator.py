"""Synthetic AWS CloudTrail logs, laid out exactly as CloudTrail delivers them to S3.

    generate("/tmp/ct", target_bytes=256 * 2**20)

writes

    <root>/AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/
        <account>_CloudTrail_<region>_<yyyyMMddTHHmmZ>_<16 alnum>.json.gz
    <root>/AWSLogs/<account>/CloudTrail-Digest/<region>/<yyyy>/<MM>/<dd>/
        <account>_CloudTrail-Digest_<region>_<trail>_<region>_<yyyyMMddTHHmmssZ>.json.gz

Each log file is the gzip of one compact JSON object `{"Records":[...]}`; each digest
file is an hourly CloudTrail digest (which readers must skip).

The records imitate real CloudTrail (eventVersion 1.08/1.09 shapes, see the samples in
shared/data/invictus-aws-dataset): IAM users on the console and the CLI, assumed roles of
EC2 instances, Lambda functions, EKS controllers, SSO and a third-party monitoring
account, AWS services acting on the account's behalf (`invokedBy`), management and S3
data events, console sign-ins, service events, and a realistic share of errors.

Planted problem: an EKS cluster autoscaler (assumed role `eks-cluster-autoscaler`, one
node, one source IP) hammers `autoscaling:DescribeAutoScalingGroups` in the first region
and is throttled (`errorCode = 'RequestLimitExceeded'`, `errorMessage = 'Rate exceeded'`)
most of the time. Other callers are throttled too, far less often, so the question
"who is burning our API rate limit?" has one clear answer per day of the first region.

Determinism: every output byte is a function of the arguments. Each file draws from its
own `random.Random` seeded from (seed, region, hour, index); shared pools of identities
and request shapes are built from the seed alone; gzip headers carry mtime 0.

Speed: records are assembled from pre-serialised (orjson) fragments, gzipped at level 1
(ISA-L when installed, else zlib) and written by a process pool, one task per region-hour.
"""
from __future__ import annotations

import hashlib
import math
import multiprocessing
import os
import random
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import orjson

__all__ = ["generate", "GenerationStats", "CULPRIT_ROLE", "CULPRIT_EVENT_NAME", "THROTTLE_CODE"]

CULPRIT_ROLE = "eks-cluster-autoscaler"
CULPRIT_EVENT_NAME = "DescribeAutoScalingGroups"
THROTTLE_CODE = "RequestLimitExceeded"
TRAIL_NAME = "management-events"
_AVG_FILE_BYTES = 1 << 20  # auto files_per_hour aims at ~1 MiB uncompressed per file
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_HEX = "0123456789abcdef"
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_GZIP_LEVEL = 1
_MMSS = [b"%02d:%02dZ" % divmod(s, 60) for s in range(3600)]


@dataclass
class GenerationStats:
    root: str
    account: str
    regions: tuple[str, ...]
    files: int
    digest_files: int
    records: int
    uncompressed_bytes: int            # log files only (the JSON text), not digests
    compressed_bytes: int              # log files only (the .json.gz sizes)
    seconds: float
    culprit_arn: str
    culprit_ip: str
    culprit_region: str
    culprit_event_name: str = CULPRIT_EVENT_NAME
    # (region, yyyy, MM, dd, absolute folder of that day's log files)
    partitions: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    # (region, yyyy, MM, dd, eventName, userIdentity.arn, sourceIPAddress) -> number of
    # records with errorCode = 'RequestLimitExceeded': the seed query's answer
    throttle_counts: dict[tuple, int] = field(default_factory=dict)

    @property
    def mb_per_s(self) -> float:
        return self.uncompressed_bytes / 2**20 / self.seconds if self.seconds else 0.0

    def top_throttled(self, region: str | None = None, day: tuple[str, str, str] | None = None,
                      n: int = 20) -> list[tuple[str, str | None, str, int]]:
        """(eventname, arn, sourceipaddress, count) of RequestLimitExceeded records, the
        answer the seed query should give, over everything or one region / (yyyy, MM, dd)."""
        agg: Counter = Counter()
        for (reg, y, m, d, name, arn, ip), c in self.throttle_counts.items():
            if region is not None and reg != region:
                continue
            if day is not None and (y, m, d) != tuple(day):
                continue
            agg[(name, arn, ip)] += c
        rows = sorted(agg.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1] or "", kv[0][2]))
        return [(k[0], k[1], k[2], c) for k, c in rows[:n]]


# --------------------------------------------------------------------------- helpers

def _rid(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choices(alphabet, k=n))


def _uuid(rng: random.Random) -> str:
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


_UUID_CLEAR = ~((0xF << 76) | (0x3 << 62))
_UUID_SET = (0x4 << 76) | (0x2 << 62)


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _j(obj: Any) -> bytes:
    return orjson.dumps(obj)


try:  # ISA-L's deflate is ~5x faster than zlib's at level 1 (a dependency of parthenon)
    from isal import isal_zlib as _deflate
except ImportError:  # pragma: no cover - plain zlib works, only slower
    _deflate = zlib


def _gzip(data: bytes) -> bytes:
    """gzip with a fixed header (mtime 0), level 1: the same input gives the same bytes."""
    return _deflate.compress(data, _GZIP_LEVEL, 31)


# --------------------------------------------------------------------------- the world

class _World:
    """Named resources of the simulated account, drawn once from the seed."""

    def __init__(self, rng: random.Random, account: str, regions: tuple[str, ...]):
        self.rng = rng
        self.account = account
        self.regions = regions
        h = lambda n: _rid(rng, _HEX, n)  # noqa: E731
        self.acct_token = _rid(rng, _B32, 8)          # the account's part in AKIA/AIDA ids
        self.instances = ["i-0" + h(16) for _ in range(400)]
        self.vpcs = ["vpc-0" + h(16) for _ in range(6)]
        self.subnets = ["subnet-0" + h(16) for _ in range(24)]
        self.sgs = ["sg-0" + h(16) for _ in range(60)]
        self.volumes = ["vol-0" + h(16) for _ in range(300)]
        self.snapshots = ["snap-0" + h(16) for _ in range(120)]
        self.amis = ["ami-0" + h(16) for _ in range(30)]
        self.enis = ["eni-0" + h(16) for _ in range(200)]
        self.rtbs = ["rtb-0" + h(16) for _ in range(12)]
        self.launch_templates = ["lt-0" + h(16) for _ in range(10)]
        co = "acme"
        self.buckets = [f"{co}-{n}" for n in (
            "prod-assets", "prod-uploads", "data-lake-raw", "data-lake-curated", "terraform-state",
            f"cloudtrail-{account}", "athena-results", "backups", "ml-models", "static-site",
            "ci-artifacts", "elb-access-logs", "customer-exports", "config-snapshots")]
        self.object_prefixes = ["uploads/2017/", "raw/events/dt=", "models/v3/", "exports/", "img/",
                                "releases/", "env/prod/", "AWSLogs/", "tmp/", "reports/daily/"]
        self.exts = [".json", ".parquet", ".csv.gz", ".jpg", ".png", ".tar.gz", ".tfstate", ".pdf", ".zip"]
        self.kms_keys = [_uuid(rng) for _ in range(10)]
        self.kms_aliases = ["alias/aws/s3", "alias/aws/ssm", "alias/aws/secretsmanager",
                            "alias/app-prod", "alias/data-lake", "alias/aws/ebs", "alias/aws/lambda"]
        self.params = [f"/{env}/{app}/{k}" for env in ("prod", "staging") for app in
                       ("api", "worker", "billing", "web") for k in ("db_password", "db_host", "api_key", "feature_flags")]
        self.secrets = [f"{env}/{app}/{k}-{_rid(rng, _ALNUM, 6)}" for env in ("prod", "staging")
                        for app in ("api", "billing") for k in ("rds", "stripe", "github")]
        self.functions = ["image-resizer", "order-events-consumer", "nightly-report", "slack-notifier",
                          "cognito-post-confirm", "s3-virus-scan", "api-authorizer", "etl-partitioner",
                          "cost-anomaly-alert", "kinesis-to-s3"]
        self.log_groups = [f"/aws/lambda/{f}" for f in self.functions] + \
            ["/ecs/api", "/ecs/worker", "/aws/eks/prod/cluster", "/var/log/messages", "/aws/rds/instance/prod-db/postgresql"]
        self.tables = ["orders", "sessions", "users", "inventory", "idempotency-keys", "terraform-locks"]
        self.asgs = [f"eks-prod-{n}-{h(8)}-{h(4)}-{h(4)}-{h(4)}-{h(12)}" for n in
                     ("general", "spot-large", "gpu", "system", "batch")] + ["bastion-asg", "legacy-web-asg"]
        self.launch_configs = ["legacy-web-lc-20170412", "bastion-lc-v3"]
        self.clusters = ["prod", "staging"]
        self.lbs = [f"{n}-{h(8)}" for n in ("k8s-ingress-prod", "api-alb", "internal-nlb", "legacy-elb")]
        self.tgs = [f"k8s-default-{n}-{h(10)}" for n in ("api", "web", "grpc", "admin")]
        self.stacks = ["prod-network", "prod-eks", "prod-rds", "staging-network", "cdk-toolkit", "datadog-integration"]
        self.dbs = ["prod-db", "prod-db-replica-1", "analytics", "staging-db"]
        self.alarms = [f"{s}-{m}" for s in ("api", "worker", "db", "queue") for m in ("cpu-high", "errors", "latency-p99")]
        self.repos = ["api", "worker", "web", "cluster-autoscaler", "base/python", "base/node"]
        self.users = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"]
        self.roles = ["app-api-prod", "app-worker-prod", "eks-node-prod", "eks-cluster-autoscaler",
                      "DatadogIntegrationRole", "terraform-deploy", "lambda-image-resizer",
                      "OrganizationAccountAccessRole", "AWSReservedSSO_AdministratorAccess_6f1d2c3b4a5e6d7c",
                      "AWSReservedSSO_ReadOnlyAccess_0b1c2d3e4f5a6b7c"]

    def arn(self, region: str, svc: str, res: str) -> str:
        return f"arn:aws:{svc}:{region}:{self.account}:{res}"

    def s3_key(self, rng: random.Random) -> str:
        c = rng.choice
        return f"{c(self.object_prefixes)}{rng.randint(2016, 2017)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}/{_rid(rng, _HEX, 12)}{c(self.exts)}"


# --------------------------------------------------------------------------- the APIs

@dataclass
class _Api:
    source: str                       # ec2.amazonaws.com
    name: str                         # DescribeInstances
    ro: bool
    rp: Callable | None = None        # (rng, world, region) -> requestParameters
    re: Callable | None = None        # -> responseElements (success only)
    res: Callable | None = None       # -> resources list
    aed: Callable | None = None       # -> additionalEventData
    errors: tuple = ()                # (errorCode, errorMessage) of ordinary failures
    throttle: tuple = ("ThrottlingException", "Rate exceeded")
    category: str = "Management"      # or "Data"
    event_type: str = "AwsApiCall"
    rid: str = "uuid"                 # requestID style: uuid | s3 | none
    version: str = "1.08"
    api_version: str | None = None
    host: str | None = None           # clientProvidedHostHeader; default <svc>.<region>.amazonaws.com
    global_: bool = False             # IAM & co: logged in us-east-1 only
    nvariants: int = 24

    @property
    def key(self) -> str:
        return f"{self.source.split('.')[0]}:{self.name}"


def _items(key: str, values: list) -> dict:
    return {"items": [{key: v} for v in values]}


def _filter(name: str, *values: str) -> dict:
    return {"name": name, "valueSet": {"items": [{"value": v} for v in values]}}


def _s3_aed(rng, w, region, out=None):
    return {"SignatureVersion": "SigV4", "CipherSuite": "ECDHE-RSA-AES128-GCM-SHA256",
            "bytesTransferredIn": 0 if out is not None else rng.randint(200, 4_000_000),
            "AuthenticationMethod": "AuthHeader",
            "x-amz-id-2": _rid(rng, _ALNUM + "+/", 76) + "=",
            "bytesTransferredOut": out if out is not None else 0}


def _catalog() -> list[_Api]:
    c = random.Random.choice
    R = THROTTLE_CODE
    ec2_thr = (R, "Request limit exceeded.")
    asg_thr = (R, "Rate exceeded")
    denied_ec2 = ("Client.UnauthorizedOperation", "You are not authorized to perform this operation.")

    def ec2(name, ro=True, rp=None, re=None, errors=(), **kw):
        return _Api("ec2.amazonaws.com", name, ro, rp, re, errors=errors or (denied_ec2,), throttle=ec2_thr, **kw)

    def asg(name, ro=True, rp=None, re=None, **kw):
        return _Api("autoscaling.amazonaws.com", name, ro, rp, re, throttle=asg_thr,
                    errors=(("AccessDenied", "User is not authorized to perform autoscaling:" + name),), **kw)

    def ec2_re(rng, w, r, extra=None):
        d = {"requestId": _uuid(rng)}
        d.update(extra or {"_return": True})
        return d

    def run_instances_re(rng, w, r):
        iid = c(rng, w.instances)
        ip = f"10.{rng.randint(0, 3)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        return {"requestId": _uuid(rng), "reservationId": "r-0" + _rid(rng, _HEX, 16), "ownerId": w.account,
                "groupSet": {}, "instancesSet": {"items": [{
                    "instanceId": iid, "imageId": c(rng, w.amis), "currentInstanceBootMode": "legacy-bios",
                    "instanceState": {"code": 0, "name": "pending"},
                    "privateDnsName": f"ip-{ip.replace('.', '-')}.{r}.compute.internal",
                    "amiLaunchIndex": 0, "productCodes": {}, "instanceType": c(rng, ["m5.large", "m5.xlarge", "c5.2xlarge", "t3.medium"]),
                    "launchTime": 1497500000000 + rng.randint(0, 10**8),
                    "placement": {"availabilityZone": r + c(rng, "abc"), "tenancy": "default"},
                    "monitoring": {"state": "disabled"}, "subnetId": c(rng, w.subnets), "vpcId": c(rng, w.vpcs),
                    "privateIpAddress": ip, "stateReason": {"code": "pending", "message": "pending"},
                    "architecture": "x86_64", "rootDeviceType": "ebs", "rootDeviceName": "/dev/xvda",
                    "blockDeviceMapping": {}, "virtualizationType": "hvm", "clientToken": _uuid(rng),
                    "tagSet": {"items": [{"key": "eks:cluster-name", "value": "prod"},
                                         {"key": "aws:autoscaling:groupName", "value": c(rng, w.asgs)}]},
                    "groupSet": _items("groupId", [c(rng, w.sgs)]), "sourceDestCheck": True, "hypervisor": "xen",
                    "networkInterfaceSet": {"items": [{"networkInterfaceId": c(rng, w.enis), "subnetId": c(rng, w.subnets),
                                                       "status": "in-use", "privateIpAddress": ip,
                                                       "attachment": {"attachmentId": "eni-attach-0" + _rid(rng, _HEX, 16),
                                                                      "deviceIndex": 0, "status": "attaching"}}]},
                    "ebsOptimized": False, "enaSupport": True,
                    "cpuOptions": {"coreCount": 1, "threadsPerCore": 2},
                    "capacityReservationSpecification": {"capacityReservationPreference": "open"},
                    "metadataOptions": {"state": "pending", "httpTokens": "optional", "httpPutResponseHopLimit": 2,
                                        "httpEndpoint": "enabled"}}]},
                "requesterId": "940372691376"}

    def s3(name, ro=True, rp=None, data=False, errors=(), out=(0, 2000), res_kind="bucket", **kw):
        def _rp(rng, w, r):
            b = c(rng, w.buckets)
            d = {"bucketName": b, "Host": f"{b}.s3.{r}.amazonaws.com" if rng.random() < 0.7 else f"{b}.s3.amazonaws.com"}
            if res_kind == "object":
                d["key"] = w.s3_key(rng)
            if rp:
                d.update(rp(rng, w, r))
            return d
        return _Api("s3.amazonaws.com", name, ro, _rp, None, errors=errors or (("AccessDenied", "Access Denied"),),
                    throttle=("SlowDown", "Please reduce your request rate."),
                    aed=lambda rng, w, r: _s3_aed(rng, w, r, rng.randint(*out) if ro else None),
                    category="Data" if data else "Management", rid="s3", host="s3", version="1.09", **kw)

    apis = [
        # ---------------------------------------------------------------- EC2
        ec2("DescribeInstances", rp=lambda rng, w, r: (
            {"instancesSet": _items("instanceId", rng.sample(w.instances, rng.randint(1, 4))), "filterSet": {}}
            if rng.random() < 0.5 else
            {"instancesSet": {}, "filterSet": {"items": [_filter("tag:eks:cluster-name", "prod"),
                                                         _filter("instance-state-name", "running", "pending")]}})),
        ec2("DescribeInstanceStatus", rp=lambda rng, w, r: {"instancesSet": {}, "filterSet": {}, "includeAllInstances": False, "maxResults": 1000}),
        ec2("DescribeSecurityGroups", rp=lambda rng, w, r: {"securityGroupSet": {}, "securityGroupIdSet": _items("groupId", rng.sample(w.sgs, rng.randint(1, 3))), "filterSet": {}}),
        ec2("DescribeSubnets", rp=lambda rng, w, r: {"subnetSet": {}, "filterSet": {"items": [_filter("vpc-id", c(rng, w.vpcs))]}}),
        ec2("DescribeVpcs", rp=lambda rng, w, r: {"vpcSet": {}, "filterSet": {}}),
        ec2("DescribeRouteTables", rp=lambda rng, w, r: {"routeTableIdSet": {}, "filterSet": {"items": [_filter("association.subnet-id", c(rng, w.subnets))]}}),
        ec2("DescribeNetworkInterfaces", rp=lambda rng, w, r: {"networkInterfaceIdSet": _items("networkInterfaceId", [c(rng, w.enis)]), "filterSet": {}}),
        ec2("DescribeVolumes", rp=lambda rng, w, r: {"volumeSet": _items("volumeId", [c(rng, w.volumes)]), "filterSet": {}}),
        ec2("DescribeSnapshots", rp=lambda rng, w, r: {"snapshotSet": {}, "ownersSet": _items("owner", ["self"]), "sharedUsersSet": {}, "filterSet": {}}),
        ec2("DescribeImages", rp=lambda rng, w, r: {"executableBySet": {}, "imagesSet": _items("imageId", [c(rng, w.amis)]), "ownersSet": {}, "filterSet": {}}),
        ec2("DescribeTags", rp=lambda rng, w, r: {"filterSet": {"items": [_filter("resource-id", c(rng, w.instances))]}}),
        ec2("DescribeAvailabilityZones", rp=lambda rng, w, r: {"availabilityZoneSet": {}, "availabilityZoneIdSet": {}}),
        ec2("DescribeAccountAttributes", rp=lambda rng, w, r: {"accountAttributeNameSet": _items("attributeName", ["supported-platforms"]), "filterSet": {}}),
        ec2("DescribeLaunchTemplateVersions", rp=lambda rng, w, r: {"DescribeLaunchTemplateVersionsRequest": {"LaunchTemplateId": c(rng, w.launch_templates), "LaunchTemplateVersion": {"content": "$Latest", "tag": 1}}}),
        ec2("DescribeInstanceTypes", rp=lambda rng, w, r: {"DescribeInstanceTypesRequest": {"MaxResults": 100}}),
        ec2("DescribeSpotPriceHistory", rp=lambda rng, w, r: {"availabilityZone": r + c(rng, "abc"), "startTime": 1497484800000, "instanceTypesSet": _items("instanceType", ["m5.large", "c5.xlarge"]), "productDescriptionSet": _items("productDescription", ["Linux/UNIX"])}),
        ec2("CreateTags", ro=False, rp=lambda rng, w, r: {"resourcesSet": _items("resourceId", [c(rng, w.instances)]), "tagSet": {"items": [{"key": c(rng, ["Name", "team", "env", "cost-center"]), "value": c(rng, ["api", "platform", "prod", "1234"])}]}}, re=ec2_re),
        ec2("RunInstances", ro=False, rp=lambda rng, w, r: {"instancesSet": {"items": [{"minCount": 1, "maxCount": 1}]}, "launchTemplate": {"launchTemplateId": c(rng, w.launch_templates), "version": str(rng.randint(1, 9))}, "blockDeviceMapping": {}, "monitoring": {"enabled": False}, "disableApiTermination": False, "disableApiStop": False, "clientToken": _uuid(rng), "tagSpecificationSet": {"items": [{"resourceType": "instance", "tags": [{"key": "aws:autoscaling:groupName", "value": c(rng, w.asgs)}]}]}}, re=run_instances_re, errors=(("Server.InsufficientInstanceCapacity", "We currently do not have sufficient m5.xlarge capacity in the Availability Zone you requested."), denied_ec2), nvariants=12),
        ec2("TerminateInstances", ro=False, rp=lambda rng, w, r: {"instancesSet": _items("instanceId", [c(rng, w.instances)])}, re=lambda rng, w, r: ec2_re(rng, w, r, {"instancesSet": {"items": [{"instanceId": c(rng, w.instances), "currentState": {"code": 32, "name": "shutting-down"}, "previousState": {"code": 16, "name": "running"}}]}})),
        ec2("CreateNetworkInterface", ro=False, rp=lambda rng, w, r: {"subnetId": c(rng, w.subnets), "description": "aws-K8S-" + c(rng, w.instances), "groupSet": _items("groupId", [c(rng, w.sgs)]), "privateIpAddressesSet": {}, "ipv6AddressCount": 0, "clientToken": _uuid(rng)}, re=lambda rng, w, r: ec2_re(rng, w, r, {"networkInterface": {"networkInterfaceId": c(rng, w.enis), "subnetId": c(rng, w.subnets), "vpcId": c(rng, w.vpcs), "availabilityZone": r + "a", "ownerId": w.account, "requesterManaged": False, "status": "pending", "macAddress": ":".join(_rid(rng, _HEX, 2) for _ in range(6)), "sourceDestCheck": True, "interfaceType": "interface"}})),
        ec2("AssignPrivateIpAddresses", ro=False, rp=lambda rng, w, r: {"networkInterfaceId": c(rng, w.enis), "secondaryPrivateIpAddressCount": rng.randint(1, 10)}, re=lambda rng, w, r: ec2_re(rng, w, r, {"_return": True, "networkInterfaceId": c(rng, w.enis)})),
        ec2("AttachVolume", ro=False, rp=lambda rng, w, r: {"volumeId": c(rng, w.volumes), "instanceId": c(rng, w.instances), "device": "/dev/xvdb"}, re=lambda rng, w, r: ec2_re(rng, w, r, {"volumeId": c(rng, w.volumes), "instanceId": c(rng, w.instances), "device": "/dev/xvdb", "status": "attaching", "attachTime": 1497500000000, "deleteOnTermination": False}), errors=(("Client.IncorrectState", "vol is in the 'in-use' state."), denied_ec2)),
        ec2("CreateSnapshot", ro=False, rp=lambda rng, w, r: {"volumeId": c(rng, w.volumes), "description": "Created by AWS Backup"}, re=lambda rng, w, r: ec2_re(rng, w, r, {"snapshotId": c(rng, w.snapshots), "volumeId": c(rng, w.volumes), "status": "pending", "ownerId": w.account, "volumeSize": c(rng, [8, 20, 100, 500]), "encrypted": True})),
        ec2("AuthorizeSecurityGroupIngress", ro=False, rp=lambda rng, w, r: {"groupId": c(rng, w.sgs), "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "groups": {}, "ipRanges": _items("cidrIp", ["10.0.0.0/16"]), "ipv6Ranges": {}, "prefixListIds": {}}]}}, re=ec2_re, errors=(("Client.InvalidPermission.Duplicate", "the specified rule already exists"), denied_ec2)),
        ec2("GetConsoleOutput", rp=lambda rng, w, r: {"instanceId": c(rng, w.instances)}),
        # ---------------------------------------------------------------- Auto Scaling
        asg("DescribeAutoScalingGroups", rp=lambda rng, w, r: (
            {"maxRecords": 100} if rng.random() < 0.5 else
            {"autoScalingGroupNames": rng.sample(w.asgs, rng.randint(1, 5)), "maxRecords": 100}), nvariants=48),
        asg("DescribeAutoScalingInstances", rp=lambda rng, w, r: {"instanceIds": rng.sample(w.instances, rng.randint(1, 6)), "maxRecords": 50}),
        asg("DescribeLaunchConfigurations", rp=lambda rng, w, r: {"launchConfigurationNames": [c(rng, w.launch_configs)], "maxRecords": 50}),
        asg("DescribeScalingActivities", rp=lambda rng, w, r: {"autoScalingGroupName": c(rng, w.asgs), "maxRecords": 20}),
        asg("DescribeTags", rp=lambda rng, w, r: {"filters": [{"name": "auto-scaling-group", "values": [c(rng, w.asgs)]}]}),
        asg("SetDesiredCapacity", ro=False, rp=lambda rng, w, r: {"autoScalingGroupName": c(rng, w.asgs), "desiredCapacity": rng.randint(2, 40), "honorCooldown": False}),
        asg("TerminateInstanceInAutoScalingGroup", ro=False, rp=lambda rng, w, r: {"instanceId": c(rng, w.instances), "shouldDecrementDesiredCapacity": True}, re=lambda rng, w, r: {"activity": {"activityId": _uuid(rng), "autoScalingGroupName": c(rng, w.asgs), "description": "Terminating EC2 instance: " + c(rng, w.instances), "cause": "instance was taken out of service in response to a user request, shrinking the capacity from 5 to 4.", "startTime": "Jun 15, 2017 1:27:13 PM", "statusCode": "InProgress", "progress": 0}}),
        asg("UpdateAutoScalingGroup", ro=False, rp=lambda rng, w, r: {"autoScalingGroupName": c(rng, w.asgs), "minSize": 1, "maxSize": rng.randint(10, 100)}),
        # ---------------------------------------------------------------- S3
        s3("ListBuckets", rp=None, out=(1000, 9000)),
        s3("GetBucketLocation", rp=lambda rng, w, r: {"location": ""}),
        s3("GetBucketAcl", rp=lambda rng, w, r: {"acl": ""}),
        s3("GetBucketPolicy", rp=lambda rng, w, r: {"policy": ""}, errors=(("NoSuchBucketPolicy", "The bucket policy does not exist"),)),
        s3("GetBucketVersioning", rp=lambda rng, w, r: {"versioning": ""}),
        s3("GetBucketEncryption", rp=lambda rng, w, r: {"encryption": ""}, errors=(("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found"),)),
        s3("GetBucketTagging", rp=lambda rng, w, r: {"tagging": ""}, errors=(("NoSuchTagSet", "The TagSet does not exist"),)),
        s3("PutBucketPolicy", ro=False, rp=lambda rng, w, r: {"policy": ""}),
        s3("GetObject", data=True, res_kind="object", out=(100, 5_000_000)),
        s3("HeadObject", data=True, res_kind="object", errors=(("NoSuchKey", "The specified key does not exist."),)),
        s3("PutObject", ro=False, data=True, res_kind="object", rp=lambda rng, w, r: {"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": w.arn(r, "kms", "key/" + c(rng, w.kms_keys))}),
        s3("ListObjects", data=True, rp=lambda rng, w, r: {"list-type": 2, "prefix": c(rng, w.object_prefixes), "delimiter": "/", "encoding-type": "url"}, out=(300, 60000)),
        s3("DeleteObject", ro=False, data=True, res_kind="object"),
        # ---------------------------------------------------------------- IAM (global)
        _Api("iam.amazonaws.com", "GetUser", True, lambda rng, w, r: {"userName": c(rng, w.users)} if rng.random() < 0.6 else None, global_=True, errors=(("NoSuchEntityException", "The user with name mallory cannot be found."),)),
        _Api("iam.amazonaws.com", "GetRole", True, lambda rng, w, r: {"roleName": c(rng, w.roles)}, global_=True),
        _Api("iam.amazonaws.com", "ListRoles", True, lambda rng, w, r: {"maxItems": 100} if rng.random() < 0.5 else None, global_=True),
        _Api("iam.amazonaws.com", "ListUsers", True, None, global_=True),
        _Api("iam.amazonaws.com", "ListAttachedRolePolicies", True, lambda rng, w, r: {"roleName": c(rng, w.roles)}, global_=True),
        _Api("iam.amazonaws.com", "ListRolePolicies", True, lambda rng, w, r: {"roleName": c(rng, w.roles)}, global_=True),
        _Api("iam.amazonaws.com", "GetPolicyVersion", True, lambda rng, w, r: {"policyArn": f"arn:aws:iam::{w.account}:policy/{c(rng, ['eks-autoscaler', 'app-s3-access', 'ci-deploy', 'ReadOnlyBilling'])}", "versionId": f"v{rng.randint(1, 5)}"}, global_=True),
        _Api("iam.amazonaws.com", "ListAccessKeys", True, lambda rng, w, r: {"userName": c(rng, w.users)}, global_=True),
        _Api("iam.amazonaws.com", "CreateAccessKey", False, lambda rng, w, r: {"userName": c(rng, w.users)}, lambda rng, w, r: {"accessKey": {"userName": c(rng, w.users), "accessKeyId": "AKIA" + w.acct_token + _rid(rng, _B32, 8), "status": "Active", "createDate": "Jun 15, 2017 10:11:12 AM"}}, global_=True, errors=(("LimitExceededException", "Cannot exceed quota for AccessKeysPerUser: 2"),)),
        _Api("iam.amazonaws.com", "AttachRolePolicy", False, lambda rng, w, r: {"roleName": c(rng, w.roles), "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}, global_=True),
        # ---------------------------------------------------------------- STS, KMS
        _Api("sts.amazonaws.com", "AssumeRole", True,
             lambda rng, w, r: {"roleArn": f"arn:aws:iam::{w.account}:role/{c(rng, w.roles)}", "roleSessionName": c(rng, ["botocore-session-" + str(rng.randint(1497000000, 1498000000)), "terraform", "aws-go-sdk-" + str(rng.randint(10**18, 10**19)), c(rng, w.instances)]), "durationSeconds": c(rng, [900, 3600])},
             lambda rng, w, r: {"credentials": {"accessKeyId": "ASIA" + w.acct_token + _rid(rng, _B32, 8), "sessionToken": _rid(rng, _ALNUM + "+/", rng.randint(300, 800)) + "=", "expiration": "Jun 15, 2017 2:27:13 PM"}, "assumedRoleUser": {"assumedRoleId": "AROA" + w.acct_token + _rid(rng, _B32, 9) + ":session", "arn": f"arn:aws:sts::{w.account}:assumed-role/{c(rng, w.roles)}/session"}},
             lambda rng, w, r: [{"accountId": w.account, "type": "AWS::IAM::Role", "ARN": f"arn:aws:iam::{w.account}:role/{c(rng, w.roles)}"}],
             errors=(("AccessDenied", "Not authorized to perform sts:AssumeRole"),)),
        _Api("sts.amazonaws.com", "AssumeRoleWithWebIdentity", True,
             lambda rng, w, r: {"roleArn": f"arn:aws:iam::{w.account}:role/{c(rng, w.roles)}", "roleSessionName": "botocore-session-" + str(rng.randint(1497000000, 1498000000)), "durationSeconds": 3600},
             lambda rng, w, r: {"credentials": {"accessKeyId": "ASIA" + w.acct_token + _rid(rng, _B32, 8), "sessionToken": _rid(rng, _ALNUM + "+/", 600) + "=", "expiration": "Jun 15, 2017 2:27:13 PM"}, "subjectFromWebIdentityToken": "system:serviceaccount:kube-system:" + c(rng, ["aws-node", "ebs-csi-controller-sa", "external-dns"]), "audience": "sts.amazonaws.com", "provider": f"arn:aws:iam::{w.account}:oidc-provider/oidc.eks.{r}.amazonaws.com/id/{_rid(rng, '0123456789ABCDEF', 32)}"},
             lambda rng, w, r: [{"accountId": w.account, "type": "AWS::IAM::Role", "ARN": f"arn:aws:iam::{w.account}:role/{c(rng, w.roles)}"}], nvariants=8),
        _Api("sts.amazonaws.com", "GetCallerIdentity", True, None, nvariants=1),
        _Api("kms.amazonaws.com", "Decrypt", True,
             lambda rng, w, r: c(rng, [{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"aws:s3:arn": f"arn:aws:s3:::{c(rng, w.buckets)}/{w.s3_key(rng)}"}},
                                        {"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"PARAMETER_ARN": w.arn(r, "ssm", "parameter" + c(rng, w.params))}},
                                        {"encryptionContext": {"aws:lambda:FunctionArn": w.arn(r, "lambda", "function:" + c(rng, w.functions))}, "encryptionAlgorithm": "SYMMETRIC_DEFAULT"}]),
             None, lambda rng, w, r: [{"accountId": w.account, "type": "AWS::KMS::Key", "ARN": w.arn(r, "kms", "key/" + c(rng, w.kms_keys))}],
             errors=(("InvalidCiphertextException", None), ("AccessDenied", "The ciphertext refers to a customer master key that does not exist")), nvariants=48),
        _Api("kms.amazonaws.com", "GenerateDataKey", True,
             lambda rng, w, r: {"keyId": c(rng, w.kms_aliases), "keySpec": "AES_256", "encryptionContext": {"aws:s3:arn": f"arn:aws:s3:::{c(rng, w.buckets)}"}},
             None, lambda rng, w, r: [{"accountId": w.account, "type": "AWS::KMS::Key", "ARN": w.arn(r, "kms", "key/" + c(rng, w.kms_keys))}]),
        _Api("kms.amazonaws.com", "Encrypt", True,
             lambda rng, w, r: {"keyId": c(rng, w.kms_aliases), "encryptionAlgorithm": "SYMMETRIC_DEFAULT"},
             None, lambda rng, w, r: [{"accountId": w.account, "type": "AWS::KMS::Key", "ARN": w.arn(r, "kms", "key/" + c(rng, w.kms_keys))}]),
        _Api("kms.amazonaws.com", "RotateKey", False, None, None,
             lambda rng, w, r: [{"accountId": w.account, "type": "AWS::KMS::Key", "ARN": w.arn(r, "kms", "key/" + c(rng, w.kms_keys))}],
             aed=lambda rng, w, r: {"keyId": w.arn(r, "kms", "key/" + c(rng, w.kms_keys))}, event_type="AwsServiceEvent", nvariants=4),
        # ---------------------------------------------------------------- SSM, Secrets Manager
        _Api("ssm.amazonaws.com", "UpdateInstanceInformation", False, lambda rng, w, r: {"instanceId": c(rng, w.instances), "agentVersion": c(rng, ["2.0.847.0", "2.0.879.0", "2.2.45.0"]), "agentStatus": "Active", "platformType": "Linux", "platformName": "Amazon Linux AMI", "platformVersion": "2017.03", "iPAddress": f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}", "computerName": f"ip-10-0-{rng.randint(0, 255)}-{rng.randint(1, 254)}.{r}.compute.internal", "agentName": "amazon-ssm-agent", "availabilityZone": r + c(rng, "abc"), "availabilityZoneId": "use1-az" + str(rng.randint(1, 6))}, nvariants=64),
        _Api("ssm.amazonaws.com", "ListInstanceAssociations", True, lambda rng, w, r: {"instanceId": c(rng, w.instances), "maxResults": 20}, nvariants=64),
        _Api("ssm.amazonaws.com", "GetParameter", True, lambda rng, w, r: {"name": c(rng, w.params), "withDecryption": True}, None, lambda rng, w, r: [{"accountId": w.account, "ARN": w.arn(r, "ssm", "parameter" + c(rng, w.params))}], errors=(("ParameterNotFound", None),)),
        _Api("ssm.amazonaws.com", "GetParametersByPath", True, lambda rng, w, r: {"path": c(rng, w.params).rsplit("/", 1)[0], "recursive": True, "withDecryption": True}),
        _Api("ssm.amazonaws.com", "DescribeInstanceInformation", True, lambda rng, w, r: {"maxResults": 50}),
        _Api("secretsmanager.amazonaws.com", "GetSecretValue", True, lambda rng, w, r: {"secretId": w.arn(r, "secretsmanager", "secret:" + c(rng, w.secrets))}, errors=(("ResourceNotFoundException", "Secrets Manager can't find the specified secret."),)),
        _Api("secretsmanager.amazonaws.com", "DescribeSecret", True, lambda rng, w, r: {"secretId": c(rng, w.secrets)}),
        # ---------------------------------------------------------------- Lambda, ECR, EKS, ELB
        _Api("lambda.amazonaws.com", "ListFunctions20150331", True, lambda rng, w, r: {"maxItems": 50} if rng.random() < 0.5 else None, api_version="2015-03-31"),
        _Api("lambda.amazonaws.com", "GetFunction20150331v2", True, lambda rng, w, r: {"functionName": c(rng, w.functions)}, api_version="2015-03-31"),
        _Api("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", False, lambda rng, w, r: {"functionName": c(rng, w.functions), "publish": False, "dryRun": False}, lambda rng, w, r: {"functionName": c(rng, w.functions), "functionArn": w.arn(r, "lambda", "function:" + c(rng, w.functions)), "runtime": c(rng, ["python3.6", "nodejs6.10", "java8"]), "role": f"arn:aws:iam::{w.account}:role/lambda-{c(rng, w.functions)}", "handler": "index.handler", "codeSize": rng.randint(1000, 5 * 10**7), "description": "", "timeout": 30, "memorySize": c(rng, [128, 256, 1024]), "lastModified": "2017-06-15T10:11:12.000+0000", "codeSha256": _rid(rng, _ALNUM + "+/", 43) + "=", "version": "$LATEST", "tracingConfig": {"mode": "PassThrough"}}, api_version="2015-03-31", nvariants=8),
        _Api("ecr.amazonaws.com", "GetAuthorizationToken", True, lambda rng, w, r: {"registryIds": [w.account]} if rng.random() < 0.3 else None),
        _Api("ecr.amazonaws.com", "BatchGetImage", True, lambda rng, w, r: {"repositoryName": c(rng, w.repos), "registryId": w.account, "imageIds": [{"imageTag": c(rng, ["latest", "v1.4.2", "v1.4.3", "sha-" + _rid(rng, _HEX, 7)])}], "acceptedMediaTypes": ["application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json"]}, None, lambda rng, w, r: [{"accountId": w.account, "ARN": w.arn(r, "ecr", "repository/" + c(rng, w.repos))}]),
        _Api("ecr.amazonaws.com", "GetDownloadUrlForLayer", True, lambda rng, w, r: {"repositoryName": c(rng, w.repos), "registryId": w.account, "layerDigest": "sha256:" + _rid(rng, _HEX, 64)}, None, lambda rng, w, r: [{"accountId": w.account, "ARN": w.arn(r, "ecr", "repository/" + c(rng, w.repos))}]),
        _Api("eks.amazonaws.com", "DescribeCluster", True, lambda rng, w, r: {"name": c(rng, w.clusters)}),
        _Api("elasticloadbalancing.amazonaws.com", "DescribeLoadBalancers", True, lambda rng, w, r: {"names": [c(rng, w.lbs)]} if rng.random() < 0.4 else None, throttle=("Throttling", "Rate exceeded")),
        _Api("elasticloadbalancing.amazonaws.com", "DescribeTargetHealth", True, lambda rng, w, r: {"targetGroupArn": w.arn(r, "elasticloadbalancing", f"targetgroup/{c(rng, w.tgs)}/{_rid(rng, _HEX, 16)}")}, throttle=("Throttling", "Rate exceeded")),
        _Api("elasticloadbalancing.amazonaws.com", "RegisterTargets", False, lambda rng, w, r: {"targetGroupArn": w.arn(r, "elasticloadbalancing", f"targetgroup/{c(rng, w.tgs)}/{_rid(rng, _HEX, 16)}"), "targets": [{"id": c(rng, w.instances), "port": c(rng, [80, 8080, 30443])}]}, throttle=("Throttling", "Rate exceeded")),
        # ---------------------------------------------------------------- RDS, CloudWatch, Logs, DynamoDB, CFN, CloudTrail
        _Api("rds.amazonaws.com", "DescribeDBInstances", True, lambda rng, w, r: {"dBInstanceIdentifier": c(rng, w.dbs)} if rng.random() < 0.5 else {"maxRecords": 100}, throttle=("Throttling", "Rate exceeded"), errors=(("DBInstanceNotFound", "DBInstance analytics-old not found."),)),
        _Api("rds.amazonaws.com", "DescribeDBClusters", True, None, throttle=("Throttling", "Rate exceeded"), nvariants=1),
        _Api("monitoring.amazonaws.com", "GetMetricData", True, lambda rng, w, r: {"metricDataQueries": [{"id": f"m{i}", "metricStat": {"metric": {"namespace": c(rng, ["AWS/EC2", "AWS/ELB", "AWS/RDS", "AWS/SQS"]), "metricName": c(rng, ["CPUUtilization", "RequestCount", "Latency", "ApproximateNumberOfMessagesVisible"]), "dimensions": [{"name": "InstanceId", "value": c(rng, w.instances)}]}, "period": 60, "stat": "Average"}, "returnData": True} for i in range(rng.randint(1, 6))], "startTime": "Jun 15, 2017 12:00:00 PM", "endTime": "Jun 15, 2017 12:10:00 PM"}, throttle=("Throttling", "Rate exceeded")),
        _Api("monitoring.amazonaws.com", "DescribeAlarms", True, lambda rng, w, r: {"alarmNames": rng.sample(w.alarms, rng.randint(1, 4))} if rng.random() < 0.5 else {"maxRecords": 100}, throttle=("Throttling", "Rate exceeded")),
        _Api("monitoring.amazonaws.com", "PutMetricAlarm", False, lambda rng, w, r: {"alarmName": c(rng, w.alarms), "metricName": "CPUUtilization", "namespace": "AWS/EC2", "statistic": "Average", "period": 300, "evaluationPeriods": 2, "threshold": 80.0, "comparisonOperator": "GreaterThanThreshold", "alarmActions": [w.arn(r, "sns", "ops-alerts")]}, throttle=("Throttling", "Rate exceeded")),
        _Api("logs.amazonaws.com", "CreateLogStream", False, lambda rng, w, r: {"logGroupName": c(rng, w.log_groups), "logStreamName": f"2017/06/15/[$LATEST]{_rid(rng, _HEX, 32)}"}, errors=(("ResourceAlreadyExistsException", "The specified log stream already exists"),)),
        _Api("logs.amazonaws.com", "DescribeLogGroups", True, lambda rng, w, r: {"logGroupNamePrefix": c(rng, w.log_groups)[:12]} if rng.random() < 0.5 else None),
        _Api("logs.amazonaws.com", "FilterLogEvents", True, lambda rng, w, r: {"logGroupName": c(rng, w.log_groups), "startTime": 1497484800000, "filterPattern": c(rng, ["ERROR", "\"Task timed out\"", "{ $.level = \"error\" }"]), "interleaved": True}),
        _Api("dynamodb.amazonaws.com", "DescribeTable", True, lambda rng, w, r: {"tableName": c(rng, w.tables)}, None, lambda rng, w, r: [{"accountId": w.account, "ARN": w.arn(r, "dynamodb", "table/" + c(rng, w.tables))}], api_version="2012-08-10"),
        _Api("dynamodb.amazonaws.com", "ListTables", True, None, api_version="2012-08-10", nvariants=1),
        _Api("cloudformation.amazonaws.com", "DescribeStacks", True, lambda rng, w, r: {"stackName": c(rng, w.stacks)} if rng.random() < 0.6 else None, errors=(("ValidationError", "Stack with id prod-old does not exist"),)),
        _Api("cloudformation.amazonaws.com", "ListStacks", True, lambda rng, w, r: {"stackStatusFilter": ["CREATE_COMPLETE", "UPDATE_COMPLETE"]}),
        _Api("cloudtrail.amazonaws.com", "LookupEvents", True, lambda rng, w, r: {"maxResults": 50, "lookupAttributes": [{"attributeKey": "EventName", "attributeValue": c(rng, ["ConsoleLogin", "RunInstances", "DeleteBucket"])}]}),
        _Api("cloudtrail.amazonaws.com", "DescribeTrails", True, lambda rng, w, r: {"includeShadowTrails": False}, nvariants=1),
        _Api("health.amazonaws.com", "DescribeEventAggregates", True, lambda rng, w, r: {"aggregateField": "eventTypeCategory", "filter": {"eventStatusCodes": ["open", "upcoming"]}}, nvariants=2),
        # ---------------------------------------------------------------- Sign-in (global)
        _Api("signin.amazonaws.com", "ConsoleLogin", False, None, lambda rng, w, r: {"ConsoleLogin": "Success"},
             aed=lambda rng, w, r: {"LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true", "MobileVersion": "No", "MFAUsed": c(rng, ["Yes", "Yes", "No"])},
             event_type="AwsConsoleSignIn", rid="none", global_=True, host="signin.aws.amazon.com",
             errors=(("Failed authentication", "Failed authentication"),), nvariants=4),
    ]

    # S3 resources depend on the bucket/key of the very variant: fill them in here
    for a in apis:
        if a.source == "s3.amazonaws.com":
            a.res = "s3"
    return apis


# --------------------------------------------------------------------------- actors

@dataclass
class _Actor:
    name: str
    kind: str                        # IAMUser | AssumedRole | AWSService | Root
    arn: str | None
    ident: dict                      # userIdentity; sessionContext.attributes.creationDate set per hour
    ips: list[str]
    agents: list[str]
    mix: dict[str, float]            # api key -> weight
    weight: float                    # share of traffic (per region)
    regions: str = "all"             # all | first
    session: bool = False            # has sessionContext (creationDate refreshed hourly)
    console: bool = False
    tls: int | None = 0              # tlsDetails profile, None = no tlsDetails (AWS-internal calls)
    vpce: str | None = None
    error_rate: float = 0.01
    throttle_scale: float = 1.0      # multiplies each API's base throttle probability
    throttle_override: dict[str, float] = field(default_factory=dict)
    hourly: bool = False             # weight varies hour to hour (bursty)


_TLS = [("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256"), ("TLSv1.3", "TLS_AES_128_GCM_SHA256"),
        ("TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384")]

_MIX_CONSOLE = {"ec2:DescribeInstances": 8, "ec2:DescribeSecurityGroups": 3, "ec2:DescribeVpcs": 2, "ec2:DescribeSubnets": 2,
                "ec2:DescribeVolumes": 2, "ec2:DescribeImages": 1, "ec2:DescribeAvailabilityZones": 1,
                "ec2:DescribeAccountAttributes": 2, "ec2:DescribeTags": 1, "s3:ListBuckets": 3, "s3:GetBucketLocation": 2,
                "s3:GetBucketAcl": 2, "s3:GetBucketPolicy": 1, "s3:GetBucketVersioning": 1, "s3:GetBucketEncryption": 1,
                "s3:GetBucketTagging": 1, "iam:GetUser": 1, "iam:ListRoles": 1, "iam:GetRole": 1, "iam:ListAttachedRolePolicies": 1,
                "iam:ListAccessKeys": 0.5, "iam:ListUsers": 0.5, "monitoring:DescribeAlarms": 2, "monitoring:GetMetricData": 5,
                "logs:DescribeLogGroups": 2, "logs:FilterLogEvents": 2, "cloudformation:DescribeStacks": 2,
                "cloudformation:ListStacks": 1, "rds:DescribeDBInstances": 2, "rds:DescribeDBClusters": 1,
                "lambda:ListFunctions20150331": 1, "lambda:GetFunction20150331v2": 1, "dynamodb:ListTables": 1,
                "dynamodb:DescribeTable": 1, "cloudtrail:LookupEvents": 1, "cloudtrail:DescribeTrails": 0.3,
                "health:DescribeEventAggregates": 2, "autoscaling:DescribeAutoScalingGroups": 1, "eks:DescribeCluster": 1,
                "elasticloadbalancing:DescribeLoadBalancers": 1, "elasticloadbalancing:DescribeTargetHealth": 1,
                "secretsmanager:DescribeSecret": 0.5, "ssm:DescribeInstanceInformation": 0.5, "signin:ConsoleLogin": 0.2,
                "ec2:AuthorizeSecurityGroupIngress": 0.1, "ec2:TerminateInstances": 0.05, "monitoring:PutMetricAlarm": 0.1}
_MIX_CLI = {"sts:GetCallerIdentity": 3, "ec2:DescribeInstances": 4, "s3:ListBuckets": 1, "s3:ListObjects": 4, "s3:GetObject": 4,
            "s3:PutObject": 2, "logs:FilterLogEvents": 2, "ssm:GetParameter": 1, "secretsmanager:GetSecretValue": 0.5,
            "eks:DescribeCluster": 2, "sts:AssumeRole": 1, "iam:GetUser": 0.5, "ecr:GetAuthorizationToken": 1,
            "cloudformation:DescribeStacks": 1, "lambda:UpdateFunctionCode20150331v2": 0.2, "ec2:DescribeSecurityGroups": 1,
            "iam:CreateAccessKey": 0.02, "iam:AttachRolePolicy": 0.02, "kms:Decrypt": 1}
_MIX_TERRAFORM = {"ec2:DescribeVpcs": 3, "ec2:DescribeSubnets": 4, "ec2:DescribeSecurityGroups": 5, "ec2:DescribeRouteTables": 3,
                  "ec2:DescribeInstances": 2, "ec2:DescribeImages": 2, "ec2:DescribeAccountAttributes": 1, "ec2:DescribeTags": 2,
                  "ec2:DescribeLaunchTemplateVersions": 2, "ec2:CreateTags": 1, "ec2:AuthorizeSecurityGroupIngress": 0.3,
                  "ec2:DescribeNetworkInterfaces": 1, "iam:GetRole": 3, "iam:ListAttachedRolePolicies": 2, "iam:ListRolePolicies": 2,
                  "iam:GetPolicyVersion": 2, "s3:GetBucketPolicy": 1, "s3:GetBucketAcl": 1, "s3:GetBucketVersioning": 1,
                  "s3:GetBucketEncryption": 1, "s3:GetBucketTagging": 1, "s3:GetObject": 1, "s3:PutObject": 0.5,
                  "sts:GetCallerIdentity": 1, "eks:DescribeCluster": 1, "autoscaling:DescribeAutoScalingGroups": 1,
                  "autoscaling:UpdateAutoScalingGroup": 0.1, "rds:DescribeDBInstances": 1, "kms:Decrypt": 0.5,
                  "dynamodb:DescribeTable": 0.5, "cloudformation:DescribeStacks": 0.5, "elasticloadbalancing:DescribeLoadBalancers": 1,
                  "lambda:GetFunction20150331v2": 1}
_MIX_APP = {"s3:GetObject": 10, "s3:PutObject": 5, "s3:HeadObject": 3, "s3:ListObjects": 2, "s3:DeleteObject": 0.5,
            "kms:Decrypt": 6, "kms:GenerateDataKey": 3, "ssm:GetParameter": 2, "ssm:GetParametersByPath": 1,
            "secretsmanager:GetSecretValue": 2, "sts:AssumeRole": 0.5, "logs:CreateLogStream": 0.5,
            "monitoring:GetMetricData": 0.2}
_MIX_SSM_AGENT = {"ssm:UpdateInstanceInformation": 3, "ssm:ListInstanceAssociations": 3, "ec2:DescribeTags": 0.2}
_MIX_EKS_NODE = {"ec2:DescribeInstances": 4, "ec2:DescribeNetworkInterfaces": 3, "ec2:CreateNetworkInterface": 0.5,
                 "ec2:AssignPrivateIpAddresses": 1, "ec2:DescribeSubnets": 1, "ec2:DescribeInstanceTypes": 0.5,
                 "ec2:DescribeVolumes": 1, "ec2:AttachVolume": 0.2, "ecr:GetAuthorizationToken": 2, "ecr:BatchGetImage": 2,
                 "ecr:GetDownloadUrlForLayer": 4, "eks:DescribeCluster": 1, "autoscaling:DescribeAutoScalingInstances": 0.3,
                 "sts:AssumeRoleWithWebIdentity": 1, "elasticloadbalancing:DescribeTargetHealth": 1,
                 "elasticloadbalancing:RegisterTargets": 0.3}
_MIX_AUTOSCALER = {"autoscaling:DescribeAutoScalingGroups": 80, "autoscaling:DescribeAutoScalingInstances": 6,
                   "autoscaling:DescribeLaunchConfigurations": 3, "autoscaling:DescribeTags": 3,
                   "autoscaling:SetDesiredCapacity": 0.3, "autoscaling:TerminateInstanceInAutoScalingGroup": 0.2,
                   "ec2:DescribeLaunchTemplateVersions": 4, "ec2:DescribeInstanceTypes": 1, "ec2:DescribeInstances": 2}
_MIX_DATADOG = {"ec2:DescribeInstances": 6, "ec2:DescribeInstanceStatus": 3, "ec2:DescribeVolumes": 2, "ec2:DescribeSecurityGroups": 1,
                "autoscaling:DescribeAutoScalingGroups": 3, "autoscaling:DescribeScalingActivities": 1,
                "elasticloadbalancing:DescribeLoadBalancers": 2, "elasticloadbalancing:DescribeTargetHealth": 1,
                "rds:DescribeDBInstances": 2, "monitoring:GetMetricData": 10, "monitoring:DescribeAlarms": 2,
                "lambda:ListFunctions20150331": 1, "dynamodb:ListTables": 1, "dynamodb:DescribeTable": 1,
                "cloudtrail:DescribeTrails": 0.2, "health:DescribeEventAggregates": 1, "s3:ListBuckets": 0.5,
                "ec2:DescribeSpotPriceHistory": 0.5}
_MIX_CONFIG = {"ec2:DescribeInstances": 2, "ec2:DescribeSecurityGroups": 2, "ec2:DescribeVpcs": 1, "ec2:DescribeSubnets": 1,
               "ec2:DescribeRouteTables": 1, "ec2:DescribeNetworkInterfaces": 1, "ec2:DescribeVolumes": 1, "iam:GetRole": 1,
               "iam:ListAttachedRolePolicies": 1, "s3:GetBucketAcl": 1, "s3:GetBucketPolicy": 1, "s3:GetBucketVersioning": 1,
               "s3:GetBucketEncryption": 1, "rds:DescribeDBInstances": 1, "autoscaling:DescribeAutoScalingGroups": 1,
               "autoscaling:DescribeLaunchConfigurations": 1, "kms:Decrypt": 0.5}
_MIX_LAMBDA = {"s3:GetObject": 4, "s3:PutObject": 3, "kms:Decrypt": 3, "kms:GenerateDataKey": 1, "ssm:GetParameter": 2,
               "secretsmanager:GetSecretValue": 1, "logs:CreateLogStream": 2, "dynamodb:DescribeTable": 0.5}
_MIX_SERVICE = {"sts:AssumeRole": 10, "kms:Decrypt": 4, "kms:GenerateDataKey": 2, "kms:RotateKey": 0.02,
                "ec2:CreateSnapshot": 0.3, "ec2:RunInstances": 0.3, "ec2:TerminateInstances": 0.3, "ec2:CreateNetworkInterface": 0.3}
_MIX_CICD = {"ecr:GetAuthorizationToken": 2, "ecr:BatchGetImage": 2, "eks:DescribeCluster": 2, "sts:GetCallerIdentity": 1,
             "s3:PutObject": 3, "s3:GetObject": 2, "lambda:UpdateFunctionCode20150331v2": 0.5, "cloudformation:DescribeStacks": 2,
             "ec2:DescribeInstances": 0.5}


def _ua_pools() -> dict[str, list[str]]:
    return {
        "cli": ["aws-cli/1.11.83 Python/2.7.12 Linux/4.4.0-1013-aws botocore/1.5.46",
                "aws-cli/1.11.101 Python/3.6.1 Darwin/16.6.0 botocore/1.5.64",
                "aws-cli/1.11.90 Python/2.7.13 Windows/10 botocore/1.5.53",
                "aws-cli/1.11.108 Python/3.5.2 Linux/4.9.27-14.31.amzn1.x86_64 botocore/1.5.71"],
        "console": ["console.amazonaws.com", "AWS Internal", "signin.amazonaws.com",
                    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/59.0.3071.86 Safari/537.36",
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:54.0) Gecko/20100101 Firefox/54.0",
                    "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.11.133 Linux/4.9.28-9.27.amzn1.x86_64 Java_HotSpot(TM)_64-Bit_Server_VM/25.131-b11/1.8.0_131]"],
        "terraform": ["aws-sdk-go/1.8.34 (go1.8.3; linux; amd64) APN/1.0 HashiCorp/1.0 Terraform/0.9.8",
                      "aws-sdk-go/1.10.1 (go1.8.3; darwin; amd64) APN/1.0 HashiCorp/1.0 Terraform/0.9.8"],
        "boto": ["Boto3/1.4.4 Python/3.6.1 Linux/4.9.27-14.31.amzn1.x86_64 Botocore/1.5.62",
                 "Boto3/1.4.4 Python/2.7.12 Linux/4.4.51-40.60.amzn1.x86_64 Botocore/1.5.46",
                 "aws-sdk-java/1.11.132 Linux/4.9.27-14.31.amzn1.x86_64 Java_HotSpot(TM)_64-Bit_Server_VM/25.131-b11/1.8.0_131"],
        "lambda": ["Boto3/1.4.4 Python/3.6.1 Linux/4.9.43-17.38.amzn1.x86_64 exec-env/AWS_Lambda_python3.6 Botocore/1.5.62",
                   "aws-sdk-nodejs/2.59.0 linux/v6.10.3 exec-env/AWS_Lambda_nodejs6.10 callback"],
        "ssm": ["aws-sdk-go/1.8.1 (go1.8; linux; amd64) amazon-ssm-agent/2.0.847.0",
                "aws-sdk-go/1.8.25 (go1.8.3; linux; amd64) amazon-ssm-agent/2.0.879.0"],
        "eks": ["aws-sdk-go/1.10.3 (go1.8.3; linux; amd64) kubernetes/v1.6.4", "amazon-vpc-cni-k8s",
                "aws-sdk-go/1.8.44 (go1.8.3; linux; amd64) kubelet/v1.6.4", "docker-credential-ecr-login/0.5.0"],
        "autoscaler": ["aws-sdk-go/1.8.1 (go1.8.1; linux; amd64) cluster-autoscaler/v0.5.4"],
        "datadog": ["Datadog", "aws-sdk-java/1.11.128 Linux/4.4.0-1017-aws Java_HotSpot(TM)_64-Bit_Server_VM/25.131-b11/1.8.0_131"],
        "ci": ["aws-cli/1.11.98 Python/2.7.12 Linux/4.4.0-79-generic botocore/1.5.61 (jenkins)",
               "aws-sdk-go/1.8.34 (go1.8.3; linux; amd64) docker-ecr-push"],
    }


def _actors(rng: random.Random, w: _World) -> list[_Actor]:
    acct = w.account
    uas = _ua_pools()
    tok = w.acct_token

    def ip_public(first: list[int]) -> str:
        return f"{rng.choice(first)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"

    def aida() -> str:
        return "AIDA" + tok + _rid(rng, _B32, 9)

    def aroa() -> str:
        return "AROA" + tok + _rid(rng, _B32, 9)

    def akia(temp: bool) -> str:
        return ("ASIA" if temp else "AKIA") + tok + _rid(rng, _B32, 8)

    def role_ident(role: str, session: str, path: str = "", invoked_by: str | None = None,
                   ec2_delivery: bool = False, external: str | None = None) -> tuple[str, dict]:
        rid = aroa()
        arn = f"arn:aws:sts::{acct}:assumed-role/{role}/{session}"
        issuer = {"type": "Role", "principalId": rid, "arn": f"arn:aws:iam::{acct}:role/{path}{role}",
                  "accountId": acct, "userName": role}
        sc: dict = {"sessionIssuer": issuer, "webIdFederationData": {},
                    "attributes": {"creationDate": "", "mfaAuthenticated": "false"}}
        if ec2_delivery:
            sc["ec2RoleDelivery"] = "1.0"
        ident = {"type": "AssumedRole", "principalId": f"{rid}:{session}", "arn": arn, "accountId": acct,
                 "accessKeyId": akia(True), "sessionContext": sc}
        if invoked_by:
            ident["invokedBy"] = invoked_by
        return arn, ident

    office = [ip_public([73, 98, 24, 81, 86, 203]) for _ in range(4)]
    actors: list[_Actor] = []

    # humans: console (session creds) and CLI (long-term keys)
    for u in w.users:
        arn = f"arn:aws:iam::{acct}:user/{u}"
        pid = aida()
        home = [rng.choice(office), ip_public([73, 98, 24, 76, 174, 108])]
        actors.append(_Actor(
            f"{u}-console", "IAMUser", arn,
            {"type": "IAMUser", "principalId": pid, "arn": arn, "accountId": acct, "accessKeyId": akia(True),
             "userName": u, "sessionContext": {"sessionIssuer": {}, "webIdFederationData": {},
                                               "attributes": {"creationDate": "", "mfaAuthenticated": "true"}}},
            home, uas["console"], _MIX_CONSOLE, rng.uniform(0.3, 1.2), session=True, console=True,
            tls=rng.choice([0, 1]), error_rate=0.03, hourly=True))
        if rng.random() < 0.6:
            actors.append(_Actor(
                f"{u}-cli", "IAMUser", arn,
                {"type": "IAMUser", "principalId": pid, "arn": arn, "accountId": acct, "accessKeyId": akia(False), "userName": u},
                home, [rng.choice(uas["cli"])], _MIX_CLI, rng.uniform(0.2, 1.0), tls=0, error_rate=0.04, hourly=True))

    ci_arn = f"arn:aws:iam::{acct}:user/ci-deployer"
    actors.append(_Actor("ci", "IAMUser", ci_arn,
                         {"type": "IAMUser", "principalId": aida(), "arn": ci_arn, "accountId": acct, "accessKeyId": akia(False), "userName": "ci-deployer"},
                         [ip_public([35, 34])], uas["ci"], _MIX_CICD, 1.5, tls=2, error_rate=0.01, hourly=True))
    tf_arn, tf_ident = role_ident("terraform-deploy", "terraform")
    actors.append(_Actor("terraform", "AssumedRole", tf_arn, tf_ident, [ip_public([35, 34])], uas["terraform"], _MIX_TERRAFORM,
                         1.5, session=True, tls=0, error_rate=0.02, hourly=True))

    # SSO users
    for u in rng.sample(w.users, 4):
        role = w.roles[8] if rng.random() < 0.5 else w.roles[9]
        arn, ident = role_ident(role, f"{u}@acme.example", path="aws-reserved/sso.amazonaws.com/")
        actors.append(_Actor(f"sso-{u}", "AssumedRole", arn, ident, [rng.choice(office)], uas["console"], _MIX_CONSOLE,
                             0.8, session=True, console=True, tls=1, error_rate=0.03, hourly=True))

    # applications on EC2 (through NAT gateways, some through VPC endpoints)
    nat = [ip_public([52, 54, 34, 18]) for _ in range(3)]
    vpces = ["vpce-0" + _rid(rng, _HEX, 16) for _ in range(3)]
    for role, n in (("app-api-prod", 14), ("app-worker-prod", 10)):
        for i in range(n):
            iid = rng.choice(w.instances)
            arn, ident = role_ident(role, iid, ec2_delivery=True)
            private = rng.random() < 0.35
            ip = f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}" if private else rng.choice(nat)
            actors.append(_Actor(f"{role}-{i}", "AssumedRole", arn, ident, [ip], uas["boto"][:2] if role == "app-api-prod" else uas["boto"][2:],
                                 _MIX_APP, 1.6, session=True, tls=rng.choice([0, 2]), vpce=rng.choice(vpces) if private else None,
                                 error_rate=0.01))
    # SSM agent on every node (very chatty in real logs)
    for i in range(30):
        iid = w.instances[i]
        arn, ident = role_ident("eks-node-prod" if i < 20 else "app-api-prod", iid, ec2_delivery=True)
        actors.append(_Actor(f"ssm-{i}", "AssumedRole", arn, ident, [rng.choice(nat)], [rng.choice(uas["ssm"])],
                             _MIX_SSM_AGENT, 0.5, session=True, tls=0, error_rate=0.002))
    # EKS nodes and controllers (aws-node, kubelet, ebs-csi...)
    for i in range(12):
        iid = w.instances[40 + i]
        arn, ident = role_ident("eks-node-prod", iid, ec2_delivery=True)
        actors.append(_Actor(f"eks-node-{i}", "AssumedRole", arn, ident, [rng.choice(nat)], uas["eks"], _MIX_EKS_NODE, 1.0,
                             session=True, tls=0, error_rate=0.01, throttle_scale=3.0))
    # Lambda functions
    for fn in w.functions:
        arn, ident = role_ident(f"lambda-{fn}", fn)
        actors.append(_Actor(f"lambda-{fn}", "AssumedRole", arn, ident, [ip_public([52, 54, 3, 34])], [rng.choice(uas["lambda"])],
                             _MIX_LAMBDA, rng.uniform(0.3, 2.0), session=True, tls=0, error_rate=0.01, hourly=True))
    # third-party monitoring (cross-account role, polls Describe* across services: throttled now and then)
    for i in range(2):
        arn, ident = role_ident("DatadogIntegrationRole", _rid(rng, "0123456789", 19))
        actors.append(_Actor(f"datadog-{i}", "AssumedRole", arn, ident, [ip_public([3, 34, 52])], uas["datadog"],
                             _MIX_DATADOG, 2.0, session=True, tls=1, error_rate=0.01, throttle_scale=12.0))
    # AWS Config recorder (service-linked role, AWS Internal)
    arn, ident = role_ident("AWSServiceRoleForConfig", "AWSConfig-Describe", path="aws-service-role/config.amazonaws.com/",
                            invoked_by="config.amazonaws.com")
    actors.append(_Actor("config", "AssumedRole", arn, ident, ["config.amazonaws.com"], ["config.amazonaws.com"], _MIX_CONFIG, 1.0,
                         session=True, tls=None, error_rate=0.02, throttle_scale=2.0))
    # AWS services on the account's behalf
    for svc in ("ec2.amazonaws.com", "lambda.amazonaws.com", "autoscaling.amazonaws.com", "s3.amazonaws.com",
                "elasticloadbalancing.amazonaws.com", "eks.amazonaws.com", "ssm.amazonaws.com", "backup.amazonaws.com"):
        actors.append(_Actor(f"svc-{svc}", "AWSService", None, {"type": "AWSService", "invokedBy": svc}, [svc], [svc],
                             _MIX_SERVICE, 0.8, tls=None, error_rate=0.002))
    # root signing in, rarely
    actors.append(_Actor("root", "Root", f"arn:aws:iam::{acct}:root",
                         {"type": "Root", "principalId": acct, "arn": f"arn:aws:iam::{acct}:root", "accountId": acct, "accessKeyId": ""},
                         [rng.choice(office)], uas["console"][3:5], {"signin:ConsoleLogin": 1, "iam:ListAccessKeys": 1, "iam:ListUsers": 1},
                         0.01, tls=1, error_rate=0.0, hourly=True))
    # the culprit: the cluster autoscaler, one node, one IP, first region only
    node = "i-0" + _rid(rng, _HEX, 16)
    arn, ident = role_ident(CULPRIT_ROLE, node, ec2_delivery=True)
    actors.append(_Actor("culprit", "AssumedRole", arn, ident, [rng.choice(nat)], uas["autoscaler"], _MIX_AUTOSCALER, 8.0,
                         regions="first", session=True, tls=0, error_rate=0.003,
                         throttle_override={k: (0.62 if k.startswith("autoscaling:Describe") else 0.15) for k in _MIX_AUTOSCALER}))
    return actors


# --------------------------------------------------------------------------- pools

class _RegionPools:
    """Everything one region's records are assembled from, as bytes."""
    __slots__ = ("actor_parts", "api_parts", "actor_weights", "actor_hourly", "first")


class _Pools:
    def __init__(self, seed: int, account: str, regions: tuple[str, ...], quirks: bool):
        rng = random.Random(f"parthenon-demo|{seed}|{account}|pools")
        self.world = w = _World(rng, account, regions)
        self.apis = apis = _catalog()
        self.api_index = {a.key: i for i, a in enumerate(apis)}
        self.actors = actors = _actors(rng, w)
        self.global_region = "us-east-1" if "us-east-1" in regions else regions[0]
        self.culprit = next(a for a in actors if a.name == "culprit")
        self.regions: dict[str, _RegionPools] = {}
        acct_b = account.encode()
        for ri, region in enumerate(regions):
            rp = _RegionPools()
            rp.first = ri == 0
            hosts_global = region == self.global_region
            # API fragments: per API, a list of variants (mid_ok, mid_err, tail) plus tls / throttle bits
            api_parts = []
            for a in apis:
                if a.global_ and not hosts_global:
                    api_parts.append(None)
                    continue
                aws_region = "us-east-1" if a.global_ else region
                head = (b'","eventSource":"' + a.source.encode() + b'","eventName":"' + a.name.encode()
                        + b'","awsRegion":"' + aws_region.encode() + b'",')
                variants = []
                for _ in range(a.nvariants):
                    rq = a.rp(rng, w, aws_region) if a.rp else None
                    if quirks and rng.random() < 0.05 and isinstance(rq, dict) and rq:
                        k0 = next(iter(rq))
                        rq = dict(rq)
                        rq[k0[0].swapcase() + k0[1:]] = rq[k0]  # keys differing only in case (seen in real logs)
                    rs = a.re(rng, w, aws_region) if a.re else None
                    aed = a.aed(rng, w, aws_region) if a.aed else None
                    if a.res == "s3":
                        b = rq["bucketName"] if rq else None
                        res = [{"accountId": account, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{b}"}] if b else None
                        if rq and "key" in rq:
                            res = [{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{b}/{rq['key']}"}] + res
                    else:
                        res = a.res(rng, w, aws_region) if a.res else None
                    mid_tail = (b',"additionalEventData":' + _j(aed)) if aed is not None else b""
                    if a.event_type == "AwsServiceEvent":
                        mid_ok = (b',"requestParameters":null,"responseElements":null' + mid_tail)
                    else:
                        mid_ok = (b',"requestParameters":' + _j(rq) + b',"responseElements":' + _j(rs) + mid_tail)
                    mid_err = b',"requestParameters":' + _j(rq) + b',"responseElements":null' + mid_tail
                    tail = b'"readOnly":' + (b"true" if a.ro else b"false")
                    if res:
                        tail += b',"resources":' + _j(res)
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
                    tls = [b',"tlsDetails":' + _j({"tlsVersion": v, "cipherSuite": cs, "clientProvidedHostHeader": host})
                           for v, cs in _TLS]
                    variants.append((mid_ok, mid_err, tail, tls))
                cat = b',"eventCategory":"' + a.category.encode() + b'"'
                thr = b',"errorCode":"' + a.throttle[0].encode() + b'","errorMessage":"' + a.throttle[1].encode() + b'"'
                api_parts.append((head, variants, cat, thr, a.version.encode(), a.throttle[0] == THROTTLE_CODE))
            rp.api_parts = api_parts
            # actor fragments
            parts, weights, hourly = [], [], []
            for act in actors:
                if (act.regions == "first" and ri != 0) or not any(
                        api_parts[self.api_index[k]] is not None for k in act.mix):
                    parts.append(None)
                    weights.append(0.0)
                    hourly.append(False)
                    continue
                mix = [(self.api_index[k], wt) for k, wt in act.mix.items()
                       if api_parts[self.api_index[k]] is not None]
                total = sum(wt for _, wt in mix)
                table: list[int] = []
                for ai, wt in mix:  # lottery table: 2000 slots
                    table += [ai] * max(1, round(2000 * wt / total))
                pthr = {}
                perr = {}
                for ai, _ in mix:
                    a = apis[ai]
                    base = 0.005 if a.throttle[0] == THROTTLE_CODE else 0.002
                    p = act.throttle_override.get(a.key, base * act.throttle_scale)
                    pthr[ai] = p
                    perr[ai] = p + act.error_rate * (3.0 if not a.ro else 1.0)
                ipua = [b'"sourceIPAddress":"' + ip.encode() + b'","userAgent":' + _j(ua)
                        for ip in act.ips for ua in act.agents]
                ips = [ip for ip in act.ips for ua in act.agents]
                suffix = b""
                if act.vpce:
                    suffix = b',"vpcEndpointId":"' + act.vpce.encode() + b'"'
                parts.append((act, table, pthr, perr, ipua, ips, suffix))
                weights.append(act.weight)
                hourly.append(act.hourly)
            rp.actor_parts = parts
            rp.actor_weights = weights
            rp.actor_hourly = hourly
            self.regions[region] = rp


_POOL_CACHE: dict[tuple, _Pools] = {}


def _pools(seed: int, account: str, regions: tuple[str, ...], quirks: bool) -> _Pools:
    key = (seed, account, regions, quirks)
    p = _POOL_CACHE.get(key)
    if p is None:
        p = _POOL_CACHE[key] = _Pools(seed, account, regions, quirks)
    return p


# --------------------------------------------------------------------------- one region-hour

def _ident_bytes(act: _Actor, creation: str) -> bytes:
    if not act.session:
        return _j(act.ident)
    ident = dict(act.ident)
    sc = dict(ident["sessionContext"])
    sc["attributes"] = dict(sc["attributes"], creationDate=creation)
    ident["sessionContext"] = sc
    return _j(ident)


def _region_hour(task: tuple) -> dict:
    (root, seed, account, regions, quirks, region, day_iso, hour, hour_bytes, nfiles, first) = task
    pools = _pools(seed, account, regions, quirks)
    rp = pools.regions[region]
    apis = pools.apis
    d = date.fromisoformat(day_iso)
    t0 = datetime(d.year, d.month, d.day, hour, tzinfo=timezone.utc).timestamp()
    yyyy, mm, dd = f"{d.year:04d}", f"{d.month:02d}", f"{d.day:02d}"
    hrng = random.Random(f"{seed}|{account}|{region}|{day_iso}|{hour}")

    # per-hour actor lottery: bursty actors move from hour to hour
    weights = [wt * (hrng.uniform(0.2, 1.8) if hourly else hrng.uniform(0.85, 1.15)) if wt else 0.0
               for wt, hourly in zip(rp.actor_weights, rp.actor_hourly)]
    total = sum(weights)
    actor_table: list[int] = []
    for i, wt in enumerate(weights):
        if wt:
            actor_table += [i] * max(1, round(4000 * wt / total))
    n_act = len(actor_table)
    # identities, refreshed per hour (session creation dates)
    idents: dict[int, bytes] = {}
    for i, p in enumerate(rp.actor_parts):
        if p is not None:
            created = _iso(t0 - hrng.randint(60, 3000))
            idents[i] = (b',"userIdentity":' + _ident_bytes(p[0], created) + b',"eventTime":"')
    hour_prefix = _iso(t0)[:14].encode()  # 2017-06-15T13:
    times = _MMSS

    # file sizes in this hour
    shares = [min(6.0, hrng.lognormvariate(0.0, 0.6)) for _ in range(nfiles)]  # a few big files
    ssum = sum(shares)
    folder = os.path.join(root, "AWSLogs", account, "CloudTrail", region, yyyy, mm, dd)
    os.makedirs(folder, exist_ok=True)
    files, throttles = [], Counter()
    n_records = raw_total = gz_total = 0
    for fi in range(nfiles):
        rng = random.Random(f"{seed}|{account}|{region}|{day_iso}|{hour}|{fi}")
        rand = rng.random
        bits = rng.getrandbits
        target = max(1, int(hour_bytes * shares[fi] / ssum))
        w0 = int(3600 * fi / nfiles)
        w1 = max(w0 + 1, int(3600 * (fi + 1) / nfiles))
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
                err = b',"errorCode":' + _j(code) + ((b',"errorMessage":' + _j(msg)) if msg else b"")
                mid = mid_err
            else:
                err = b""
                mid = mid_ok
            sec = w0 + int(span * (i + rand()) / est)
            if sec >= w1:
                sec = w1 - 1 - int(rand() * min(span, 30))
            eid = b"%032x" % ((bits(128) & _UUID_CLEAR) | _UUID_SET)
            style = apis[api_i].rid
            parts = [b'{"eventVersion":"', ver, b'"', idents[ai], hour_prefix, times[sec], head, iu, err, mid]
            if style == "uuid":
                q = b"%032x" % ((bits(128) & _UUID_CLEAR) | _UUID_SET)
                parts.append(b',"requestID":"' + q[:8] + b"-" + q[8:12] + b"-" + q[12:16] + b"-" + q[16:20] + b"-" + q[20:] + b'"')
            elif style == "s3":
                parts.append(b',"requestID":"%016X"' % bits(64))
            parts += [b',"eventID":"', eid[:8], b"-", eid[8:12], b"-", eid[12:16], b"-", eid[16:20], b"-", eid[20:], b'",', tail]
            if act.kind == "AWSService" and apis[api_i].name == "AssumeRole":
                s = b"%032x" % ((bits(128) & _UUID_CLEAR) | _UUID_SET)
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
        body = b'{"Records":[' + b",".join(recs) + b"]}"
        gz = _gzip(body)
        stamp = datetime.fromtimestamp(t0 + (w1 - 1) // 300 * 300, timezone.utc).strftime("%Y%m%dT%H%MZ")
        name = f"{account}_CloudTrail_{region}_{stamp}_{_rid(rng, _ALNUM, 16)}.json.gz"
        with open(os.path.join(folder, name), "wb") as f:
            f.write(gz)
        files.append((name, hashlib.sha256(body).hexdigest(), _iso(t0 + w0), _iso(t0 + w1 - 1)))
        n_records += len(recs)
        raw_total += len(body)
        gz_total += len(gz)

    digest = _write_digest(root, account, region, regions, seed, t0, files, hrng, first)
    return {"region": region, "day": (yyyy, mm, dd), "files": len(files), "records": n_records,
            "raw": raw_total, "gz": gz_total, "digest": digest,
            "throttles": {(region, yyyy, mm, dd) + k: v for k, v in throttles.items()}}


def _digest_name(account: str, region: str, home: str, end: float) -> tuple[str, str]:
    e = datetime.fromtimestamp(end, timezone.utc)
    folder = f"AWSLogs/{account}/CloudTrail-Digest/{region}/{e:%Y}/{e:%m}/{e:%d}"
    return folder, f"{account}_CloudTrail-Digest_{region}_{TRAIL_NAME}_{home}_{e:%Y%m%dT%H%M%SZ}.json.gz"


def _write_digest(root, account, region, regions, seed, t0, files, hrng, first) -> str:
    """The hourly digest: names and SHA-256 of the hour's (uncompressed) log files. The
    signature and the previous digest's hash are random but stable (nothing here can sign
    like AWS); the first digest of the range has no predecessor, as on a new trail."""
    home = regions[0]
    offset = random.Random(f"{seed}|{region}|digest-offset").randint(60, 3000)
    end = t0 + 3600 + offset
    folder, name = _digest_name(account, region, home, end)
    pfolder, pname = _digest_name(account, region, home, end - 3600)
    bucket = f"acme-cloudtrail-{account}"
    doc = {
        "awsAccountId": account,
        "digestStartTime": _iso(end - 3600), "digestEndTime": _iso(end),
        "digestS3Bucket": bucket, "digestS3Object": f"{folder}/{name}",
        "digestPublicKeyFingerprint": _rid(hrng, _HEX, 32),
        "digestSignatureAlgorithm": "SHA256withRSA",
        "newestEventTime": files[-1][3] if files else None,
        "oldestEventTime": files[0][2] if files else None,
        "previousDigestS3Bucket": bucket,
        "previousDigestS3Object": f"{pfolder}/{pname}",
        "previousDigestHashValue": hashlib.sha256(f"{seed}|{pfolder}/{pname}".encode()).hexdigest(),
        "previousDigestHashAlgorithm": "SHA-256",
        "previousDigestSignature": _rid(hrng, _HEX, 512),
    }
    if first:
        for k in ("previousDigestS3Bucket", "previousDigestS3Object", "previousDigestHashValue",
                  "previousDigestHashAlgorithm", "previousDigestSignature"):
            doc[k] = None
    doc |= {
        "logFiles": [{"s3Bucket": bucket,
                      "s3Object": f"AWSLogs/{account}/CloudTrail/{region}/{n.split('_')[3][:4]}/{n.split('_')[3][4:6]}/{n.split('_')[3][6:8]}/{n}",
                      "hashValue": h, "hashAlgorithm": "SHA-256", "newestEventTime": newest, "oldestEventTime": oldest}
                     for n, h, oldest, newest in files],
    }
    path = os.path.join(root, folder)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, name), "wb") as f:
        f.write(_gzip(_j(doc)))
    return os.path.join(path, name)


# --------------------------------------------------------------------------- the plan

def _hour_weight(hour: int) -> float:
    # business-hours peak around 15-18 UTC (US), trough around 06-09 UTC
    return 1.0 + 0.45 * math.sin((hour - 10) / 24 * 2 * math.pi)


def generate(root: str | os.PathLike, *, account: str = "123456789012",
             regions: tuple[str, ...] | list[str] = ("us-east-1", "us-west-2"),
             start: date = date(2017, 6, 15), days: int = 2, target_bytes: int = 64 * 2**20,
             seed: int = 42, files_per_hour: int | None = None, workers: int | None = None,
             quirks: bool = False) -> GenerationStats:
    """Write synthetic CloudTrail logs (and hourly digests) under `root`.

    target_bytes: uncompressed JSON bytes of all log files together (approximate: each file
    stops at the first record past its share). files_per_hour: log files per region-hour;
    default aims at ~1 MiB per file (1..60 per hour). workers: processes (default
    os.cpu_count(); 1 = in this process). quirks: plant real-world oddities (requestParameters
    keys that differ only in case) that trip naive JSON schema detection.
    """
    t_start = time.perf_counter()
    regions = tuple(regions)
    if not regions or days < 1:
        raise ValueError("need at least one region and one day")
    root = str(Path(root).resolve())
    rng = random.Random(f"parthenon-demo|{seed}|{account}|plan")
    slots = []
    for ri, region in enumerate(regions):
        rw = 1.0 if ri == 0 else rng.uniform(0.35, 0.6)
        for di in range(days):
            dw = rng.uniform(0.85, 1.15)
            for h in range(24):
                slots.append((region, start + timedelta(days=di), h, rw * dw * _hour_weight(h) * rng.uniform(0.9, 1.1)))
    total_w = sum(s[3] for s in slots)
    tasks = []
    for region, d, h, wt in slots:
        hb = target_bytes * wt / total_w
        nf = files_per_hour or min(60, max(1, round(hb / _AVG_FILE_BYTES)))
        tasks.append((root, seed, account, regions, quirks, region, d.isoformat(), h, hb, nf, d == start and h == 0))

    workers = (os.cpu_count() or 1) if workers is None else max(1, workers)
    if workers == 1 or len(tasks) == 1:
        results = [_region_hour(t) for t in tasks]
    else:
        order = sorted(range(len(tasks)), key=lambda i: -tasks[i][8])  # big hours first
        ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with ctx.Pool(workers) as pool:
            out = pool.map(_region_hour, [tasks[i] for i in order], chunksize=1)
        results = [None] * len(tasks)
        for i, r in zip(order, out):
            results[i] = r

    pools = _pools(seed, account, regions, quirks)
    merged: Counter = Counter()
    for r in results:
        for k, v in r["throttles"].items():
            merged[k] += v
    partitions = []
    for region in regions:
        for di in range(days):
            d = start + timedelta(days=di)
            y, m, dd = f"{d.year:04d}", f"{d.month:02d}", f"{d.day:02d}"
            partitions.append((region, y, m, dd, os.path.join(root, "AWSLogs", account, "CloudTrail", region, y, m, dd)))
    culprit = pools.culprit
    return GenerationStats(
        root=root, account=account, regions=regions,
        files=sum(r["files"] for r in results), digest_files=len(results),
        records=sum(r["records"] for r in results),
        uncompressed_bytes=sum(r["raw"] for r in results), compressed_bytes=sum(r["gz"] for r in results),
        seconds=time.perf_counter() - t_start,
        culprit_arn=culprit.arn, culprit_ip=culprit.ips[0], culprit_region=regions[0],
        partitions=partitions, throttle_counts=dict(merged))
