"""The cast: every caller of the simulated account (people on the console and the CLI, CI,
Terraform, SSO users, applications on EC2, SSM agents, EKS nodes, Lambda functions, a
third-party monitor, AWS Config, AWS services, root) and, last, the planted culprit."""
from __future__ import annotations

import random

from .culprit import culprit_actor
from .encoding import HEX, random_id
from .identities import Actor, Identities, user_agents
from .mixes import (MIX_APP, MIX_CICD, MIX_CLI, MIX_CONFIG, MIX_CONSOLE,
                    MIX_DATADOG, MIX_EKS_NODE, MIX_LAMBDA, MIX_SERVICE, MIX_SSM_AGENT,
                    MIX_TERRAFORM)
from .world import World


def cast(rng: random.Random, w: World) -> list[Actor]:
    """All the actors, drawn from `rng` after the world (the order of draws is the output)."""
    acct = w.account
    uas = user_agents()
    ids = Identities(rng, acct, w.acct_token)

    office = [ids.ip_public([73, 98, 24, 81, 86, 203]) for _ in range(4)]
    actors: list[Actor] = []

    # humans: console (session creds) and CLI (long-term keys)
    for u in w.users:
        arn = f"arn:aws:iam::{acct}:user/{u}"
        pid = ids.aida()
        home = [rng.choice(office), ids.ip_public([73, 98, 24, 76, 174, 108])]
        actors.append(Actor(
            f"{u}-console", "IAMUser", arn,
            {"type": "IAMUser", "principalId": pid, "arn": arn, "accountId": acct, "accessKeyId": ids.akia(True),
             "userName": u, "sessionContext": {"sessionIssuer": {}, "webIdFederationData": {},
                                               "attributes": {"creationDate": "", "mfaAuthenticated": "true"}}},
            home, uas["console"], MIX_CONSOLE, rng.uniform(0.3, 1.2), session=True, console=True,
            tls=rng.choice([0, 1]), error_rate=0.03, hourly=True))
        if rng.random() < 0.6:
            actors.append(Actor(
                f"{u}-cli", "IAMUser", arn,
                {"type": "IAMUser", "principalId": pid, "arn": arn, "accountId": acct, "accessKeyId": ids.akia(False), "userName": u},
                home, [rng.choice(uas["cli"])], MIX_CLI, rng.uniform(0.2, 1.0), tls=0, error_rate=0.04, hourly=True))

    ci_arn = f"arn:aws:iam::{acct}:user/ci-deployer"
    actors.append(Actor("ci", "IAMUser", ci_arn,
                        {"type": "IAMUser", "principalId": ids.aida(), "arn": ci_arn, "accountId": acct, "accessKeyId": ids.akia(False), "userName": "ci-deployer"},
                        [ids.ip_public([35, 34])], uas["ci"], MIX_CICD, 1.5, tls=2, error_rate=0.01, hourly=True))
    tf_arn, tf_ident = ids.role("terraform-deploy", "terraform")
    actors.append(Actor("terraform", "AssumedRole", tf_arn, tf_ident, [ids.ip_public([35, 34])], uas["terraform"], MIX_TERRAFORM,
                        1.5, session=True, tls=0, error_rate=0.02, hourly=True))

    # SSO users
    for u in rng.sample(w.users, 4):
        role = w.roles[8] if rng.random() < 0.5 else w.roles[9]
        arn, ident = ids.role(role, f"{u}@acme.example", path="aws-reserved/sso.amazonaws.com/")
        actors.append(Actor(f"sso-{u}", "AssumedRole", arn, ident, [rng.choice(office)], uas["console"], MIX_CONSOLE,
                            0.8, session=True, console=True, tls=1, error_rate=0.03, hourly=True))

    # applications on EC2 (through NAT gateways, some through VPC endpoints)
    nat = [ids.ip_public([52, 54, 34, 18]) for _ in range(3)]
    vpces = ["vpce-0" + random_id(rng, HEX, 16) for _ in range(3)]
    for role, n in (("app-api-prod", 14), ("app-worker-prod", 10)):
        for i in range(n):
            iid = rng.choice(w.instances)
            arn, ident = ids.role(role, iid, ec2_delivery=True)
            private = rng.random() < 0.35
            ip = f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}" if private else rng.choice(nat)
            actors.append(Actor(f"{role}-{i}", "AssumedRole", arn, ident, [ip], uas["boto"][:2] if role == "app-api-prod" else uas["boto"][2:],
                                MIX_APP, 1.6, session=True, tls=rng.choice([0, 2]), vpce=rng.choice(vpces) if private else None,
                                error_rate=0.01))
    # SSM agent on every node (very chatty in real logs)
    for i in range(30):
        iid = w.instances[i]
        arn, ident = ids.role("eks-node-prod" if i < 20 else "app-api-prod", iid, ec2_delivery=True)
        actors.append(Actor(f"ssm-{i}", "AssumedRole", arn, ident, [rng.choice(nat)], [rng.choice(uas["ssm"])],
                            MIX_SSM_AGENT, 0.5, session=True, tls=0, error_rate=0.002))
    # EKS nodes and controllers (aws-node, kubelet, ebs-csi...)
    for i in range(12):
        iid = w.instances[40 + i]
        arn, ident = ids.role("eks-node-prod", iid, ec2_delivery=True)
        actors.append(Actor(f"eks-node-{i}", "AssumedRole", arn, ident, [rng.choice(nat)], uas["eks"], MIX_EKS_NODE, 1.0,
                            session=True, tls=0, error_rate=0.01, throttle_scale=3.0))
    # Lambda functions
    for fn in w.functions:
        arn, ident = ids.role(f"lambda-{fn}", fn)
        actors.append(Actor(f"lambda-{fn}", "AssumedRole", arn, ident, [ids.ip_public([52, 54, 3, 34])], [rng.choice(uas["lambda"])],
                            MIX_LAMBDA, rng.uniform(0.3, 2.0), session=True, tls=0, error_rate=0.01, hourly=True))
    # third-party monitoring (cross-account role, polls Describe* across services: throttled now and then)
    for i in range(2):
        arn, ident = ids.role("DatadogIntegrationRole", random_id(rng, "0123456789", 19))
        actors.append(Actor(f"datadog-{i}", "AssumedRole", arn, ident, [ids.ip_public([3, 34, 52])], uas["datadog"],
                            MIX_DATADOG, 2.0, session=True, tls=1, error_rate=0.01, throttle_scale=12.0))
    # AWS Config recorder (service-linked role, AWS Internal)
    arn, ident = ids.role("AWSServiceRoleForConfig", "AWSConfig-Describe", path="aws-service-role/config.amazonaws.com/",
                          invoked_by="config.amazonaws.com")
    actors.append(Actor("config", "AssumedRole", arn, ident, ["config.amazonaws.com"], ["config.amazonaws.com"], MIX_CONFIG, 1.0,
                        session=True, tls=None, error_rate=0.02, throttle_scale=2.0))
    # AWS services on the account's behalf
    for svc in ("ec2.amazonaws.com", "lambda.amazonaws.com", "autoscaling.amazonaws.com", "s3.amazonaws.com",
                "elasticloadbalancing.amazonaws.com", "eks.amazonaws.com", "ssm.amazonaws.com", "backup.amazonaws.com"):
        actors.append(Actor(f"svc-{svc}", "AWSService", None, {"type": "AWSService", "invokedBy": svc}, [svc], [svc],
                            MIX_SERVICE, 0.8, tls=None, error_rate=0.002))
    # root signing in, rarely
    actors.append(Actor("root", "Root", f"arn:aws:iam::{acct}:root",
                        {"type": "Root", "principalId": acct, "arn": f"arn:aws:iam::{acct}:root", "accountId": acct, "accessKeyId": ""},
                        [rng.choice(office)], uas["console"][3:5], {"signin:ConsoleLogin": 1, "iam:ListAccessKeys": 1, "iam:ListUsers": 1},
                        0.01, tls=1, error_rate=0.0, hourly=True))
    # the culprit: the cluster autoscaler, one node, one IP, first region only
    actors.append(culprit_actor(ids, nat, uas["autoscaler"]))
    return actors
