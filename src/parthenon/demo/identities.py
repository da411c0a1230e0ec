"""Who calls: the `Actor` model (a principal with its userIdentity, addresses, user agents
and mix of API calls), the user-agent strings of each kind of client, and `Identities`,
which draws the account's principal ids, addresses and assumed-role identities."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from .encoding import B32, random_id


@dataclass
class Actor:
    """One caller: a principal as userIdentity shows it, where it calls from, with which
    clients, what it calls and how often it fails."""
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


def user_agents() -> dict[str, list[str]]:
    """userAgent strings by kind of client (a fresh dict per call)."""
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


class Identities:
    """Ids and addresses of the account's principals, drawn from `rng` in call order (so the
    order of the calls is part of the output)."""

    def __init__(self, rng: random.Random, account: str, token: str):
        self.rng = rng
        self.account = account
        self.token = token  # the account's part in AKIA/AIDA ids

    def ip_public(self, first: list[int]) -> str:
        rng = self.rng
        return f"{rng.choice(first)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"

    def aida(self) -> str:
        return "AIDA" + self.token + random_id(self.rng, B32, 9)

    def aroa(self) -> str:
        return "AROA" + self.token + random_id(self.rng, B32, 9)

    def akia(self, temp: bool) -> str:
        return ("ASIA" if temp else "AKIA") + self.token + random_id(self.rng, B32, 8)

    def role(self, role: str, session: str, path: str = "", invoked_by: str | None = None,
             ec2_delivery: bool = False) -> tuple[str, dict]:
        """(arn, userIdentity) of a session of an assumed role."""
        acct = self.account
        role_id = self.aroa()
        arn = f"arn:aws:sts::{acct}:assumed-role/{role}/{session}"
        issuer = {"type": "Role", "principalId": role_id, "arn": f"arn:aws:iam::{acct}:role/{path}{role}",
                  "accountId": acct, "userName": role}
        sc: dict = {"sessionIssuer": issuer, "webIdFederationData": {},
                    "attributes": {"creationDate": "", "mfaAuthenticated": "false"}}
        if ec2_delivery:
            sc["ec2RoleDelivery"] = "1.0"
        ident = {"type": "AssumedRole", "principalId": f"{role_id}:{session}", "arn": arn, "accountId": acct,
                 "accessKeyId": self.akia(True), "sessionContext": sc}
        if invoked_by:
            ident["invokedBy"] = invoked_by
        return arn, ident
