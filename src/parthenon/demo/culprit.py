"""The planted problem: an EKS cluster autoscaler (assumed role `eks-cluster-autoscaler`,
one node, one source IP) hammers `autoscaling:DescribeAutoScalingGroups` in the first
region and is throttled (`errorCode = 'RequestLimitExceeded'`) most of the time. Other
callers are throttled too, far less often, so "who is burning our API rate limit?" has
one clear answer per day of the first region."""
from __future__ import annotations

from .encoding import HEX, random_id
from .identities import Actor, Identities

CULPRIT_ROLE = "eks-cluster-autoscaler"
CULPRIT_EVENT_NAME = "DescribeAutoScalingGroups"
THROTTLE_CODE = "RequestLimitExceeded"

MIX_AUTOSCALER = {"autoscaling:DescribeAutoScalingGroups": 80, "autoscaling:DescribeAutoScalingInstances": 6,
                  "autoscaling:DescribeLaunchConfigurations": 3, "autoscaling:DescribeTags": 3,
                  "autoscaling:SetDesiredCapacity": 0.3, "autoscaling:TerminateInstanceInAutoScalingGroup": 0.2,
                  "ec2:DescribeLaunchTemplateVersions": 4, "ec2:DescribeInstanceTypes": 1, "ec2:DescribeInstances": 2}


def culprit_actor(ids: Identities, nat: list[str], agents: list[str]) -> Actor:
    """The cluster autoscaler: one node, one IP, first region only, throttled on most of
    its Describe calls."""
    node = "i-0" + random_id(ids.rng, HEX, 16)
    arn, ident = ids.role(CULPRIT_ROLE, node, ec2_delivery=True)
    return Actor("culprit", "AssumedRole", arn, ident, [ids.rng.choice(nat)], agents, MIX_AUTOSCALER, 8.0,
                 regions="first", session=True, tls=0, error_rate=0.003,
                 throttle_override={k: (0.62 if k.startswith("autoscaling:Describe") else 0.15) for k in MIX_AUTOSCALER})
