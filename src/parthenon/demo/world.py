"""The simulated account's named resources (instances, buckets, roles, ...), drawn once
from the seed; request parameters and responses pick from them."""
from __future__ import annotations

import random

from .encoding import ALNUM, B32, HEX, random_id, random_uuid


class World:
    """Named resources of the simulated account, drawn once from the seed."""

    def __init__(self, rng: random.Random, account: str, regions: tuple[str, ...]):
        self.rng = rng
        self.account = account
        self.regions = regions
        h = lambda n: random_id(rng, HEX, n)  # noqa: E731
        self.acct_token = random_id(rng, B32, 8)          # the account's part in AKIA/AIDA ids
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
        self.kms_keys = [random_uuid(rng) for _ in range(10)]
        self.kms_aliases = ["alias/aws/s3", "alias/aws/ssm", "alias/aws/secretsmanager",
                            "alias/app-prod", "alias/data-lake", "alias/aws/ebs", "alias/aws/lambda"]
        self.params = [f"/{env}/{app}/{k}" for env in ("prod", "staging") for app in
                       ("api", "worker", "billing", "web") for k in ("db_password", "db_host", "api_key", "feature_flags")]
        self.secrets = [f"{env}/{app}/{k}-{random_id(rng, ALNUM, 6)}" for env in ("prod", "staging")
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
        return f"{c(self.object_prefixes)}{rng.randint(2016, 2017)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}/{random_id(rng, HEX, 12)}{c(self.exts)}"
