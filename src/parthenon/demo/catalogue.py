"""The event catalogue: every CloudTrail event the demo writes (service, event name,
read-only or not, request parameters, response elements, resources, errors and the
throttling error of its service), as a list of `Api`."""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable

from .culprit import THROTTLE_CODE
from .encoding import ALNUM, B32, HEX, random_id, random_uuid


@dataclass
class Api:
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
            "x-amz-id-2": random_id(rng, ALNUM + "+/", 76) + "=",
            "bytesTransferredOut": out if out is not None else 0}


def catalogue() -> list[Api]:
    """Every API of the demo; the request parameters etc. are drawn later, per variant."""
    c = random.Random.choice
    R = THROTTLE_CODE
    ec2_thr = (R, "Request limit exceeded.")
    asg_thr = (R, "Rate exceeded")
    denied_ec2 = ("Client.UnauthorizedOperation", "You are not authorized to perform this operation.")

    def ec2(name, ro=True, rp=None, re=None, errors=(), **kw):
        return Api("ec2.amazonaws.com", name, ro, rp, re, errors=errors or (denied_ec2,), throttle=ec2_thr, **kw)

    def asg(name, ro=True, rp=None, re=None, **kw):
        return Api("autoscaling.amazonaws.com", name, ro, rp, re, throttle=asg_thr,
                   errors=(("AccessDenied", "User is not authorized to perform autoscaling:" + name),), **kw)

    def ec2_re(rng, w, r, extra=None):
        d = {"requestId": random_uuid(rng)}
        d.update(extra or {"_return": True})
        return d

    def run_instances_re(rng, w, r):
        iid = c(rng, w.instances)
        ip = f"10.{rng.randint(0, 3)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        return {"requestId": random_uuid(rng), "reservationId": "r-0" + random_id(rng, HEX, 16), "ownerId": w.account,
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
                    "blockDeviceMapping": {}, "virtualizationType": "hvm", "clientToken": random_uuid(rng),
                    "tagSet": {"items": [{"key": "eks:cluster-name", "value": "prod"},
                                         {"key": "aws:autoscaling:groupName", "value": c(rng, w.asgs)}]},
                    "groupSet": _items("groupId", [c(rng, w.sgs)]), "sourceDestCheck": True, "hypervisor": "xen",
                    "networkInterfaceSet": {"items": [{"networkInterfaceId": c(rng, w.enis), "subnetId": c(rng, w.subnets),
                                                       "status": "in-use", "privateIpAddress": ip,
                                                       "attachment": {"attachmentId": "eni-attach-0" + random_id(rng, HEX, 16),
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
        return Api("s3.amazonaws.com", name, ro, _rp, None, errors=errors or (("AccessDenied", "Access Denied"),),
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
        ec2("RunInstances", ro=False, rp=lambda rng, w, r: {"instancesSet": {"items": [{"minCount": 1, "maxCount": 1}]}, "launchTemplate": {"launchTemplateId": c(rng, w.launch_templates), "version": str(rng.randint(1, 9))}, "blockDeviceMapping": {}, "monitoring": {"enabled": False}, "disableApiTermination": False, "disableApiStop": False, "clientToken": random_uuid(rng), "tagSpecificationSet": {"items": [{"resourceType": "instance", "tags": [{"key": "aws:autoscaling:groupName", "value": c(rng, w.asgs)}]}]}}, re=run_instances_re, errors=(("Server.InsufficientInstanceCapacity", "We currently do not have sufficient m5.xlarge capacity in the Availability Zone you requested."), denied_ec2), nvariants=12),
        ec2("TerminateInstances", ro=False, rp=lambda rng, w, r: {"instancesSet": _items("instanceId", [c(rng, w.instances)])}, re=lambda rng, w, r: ec2_re(rng, w, r, {"instancesSet": {"items": [{"instanceId": c(rng, w.instances), "currentState": {"code": 32, "name": "shutting-down"}, "previousState": {"code": 16, "name": "running"}}]}})),
        ec2("CreateNetworkInterface", ro=False, rp=lambda rng, w, r: {"subnetId": c(rng, w.subnets), "description": "aws-K8S-" + c(rng, w.instances), "groupSet": _items("groupId", [c(rng, w.sgs)]), "privateIpAddressesSet": {}, "ipv6AddressCount": 0, "clientToken": random_uuid(rng)}, re=lambda rng, w, r: ec2_re(rng, w, r, {"networkInterface": {"networkInterfaceId": c(rng, w.enis), "subnetId": c(rng, w.subnets), "vpcId": c(rng, w.vpcs), "availabilityZone": r + "a", "ownerId": w.account, "requesterManaged": False, "status": "pending", "macAddress": ":".join(random_id(rng, HEX, 2) for _ in range(6)), "sourceDestCheck": True, "interfaceType": "interface"}})),
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
        asg("TerminateInstanceInAutoScalingGroup", ro=False, rp=lambda rng, w, r: {"instanceId": c(rng, w.instances), "shouldDecrementDesiredCapacity": True}, re=lambda rng, w, r: {"activity": {"activityId": random_uuid(rng), "autoScalingGroupName": c(rng, w.asgs), "description": "Terminating EC2 instance: " + c(rng, w.instances), "cause": "instance was taken out of service in response to a user request, shrinking the capacity from 5 to 4.", "startTime": "Jun 15, 2017 1:27:13 PM", "statusCode": "InProgress", "progress": 0}}),
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
        Api("iam.amazonaws.com", "GetUser", True, lambda rng, w, r: {"userName": c(rng, w.users)} if rng.random() < 0.6 else None, global_=True, errors=(("NoSuchEntityException", "The user with name mallory cannot be found."),)),
        Api("iam.amazonaws.com", "GetRole", True, lambda rng, w, r: {"roleName": c(rng, w.roles)}, global_=True),
        Api("iam.amazonaws.com", "ListRoles", True, lambda rng, w, r: {"maxItems": 100} if rng.random() < 0.5 else None, global_=True),
        Api("iam.amazonaws.com", "ListUsers", True, None, global_=True),
        Api("iam.amazonaws.com", "ListAttachedRolePolicies", True, lambda rng, w, r: {"roleName": c(rng, w.roles)}, global_=True),
        Api("iam.amazonaws.com", "ListRolePolicies", True, lambda rng, w, r: {"roleName": c(rng, w.roles)}, global_=True),
        Api("iam.amazonaws.com", "GetPolicyVersion", True, lambda rng, w, r: {"policyArn": f"arn:aws:iam::{w.account}:policy/{c(rng, ['eks-autoscaler', 'app-s3-access', 'ci-deploy', 'ReadOnlyBilling'])}", "versionId": f"v{rng.randint(1, 5)}"}, global_=True),
        Api("iam.amazonaws.com", "ListAccessKeys", True, lambda rng, w, r: {"userName": c(rng, w.users)}, global_=True),
        Api("iam.amazonaws.com", "CreateAccessKey", False, lambda rng, w, r: {"userName": c(rng, w.users)}, lambda rng, w, r: {"accessKey": {"userName": c(rng, w.users), "accessKeyId": "AKIA" + w.acct_token + random_id(rng, B32, 8), "status": "Active", "createDate": "Jun 15, 2017 10:11:12 AM"}}, global_=True, errors=(("LimitExceededException", "Cannot exceed quota for AccessKeysPerUser: 2"),)),
        Api("iam.amazonaws.com", "AttachRolePolicy", False, lambda rng, w, r: {"roleName": c(rng, w.roles), "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}, global_=True),
        # ---------------------------------------------------------------- STS, KMS
        Api("sts.amazonaws.com", "AssumeRole", True,
            lambda rng, w, r: {"roleArn": f"arn:aws:iam::{w.account}:role/{c(rng, w.roles)}", "roleSessionName": c(rng, ["botocore-session-" + str(rng.randint(1497000000, 1498000000)), "terraform", "aws-go-sdk-" + str(rng.randint(10**18, 10**19)), c(rng, w.instances)]), "durationSeconds": c(rng, [900, 3600])},
            lambda rng, w, r: {"credentials": {"accessKeyId": "ASIA" + w.acct_token + random_id(rng, B32, 8), "sessionToken": random_id(rng, ALNUM + "+/", rng.randint(300, 800)) + "=", "expiration": "Jun 15, 2017 2:27:13 PM"}, "assumedRoleUser": {"assumedRoleId": "AROA" + w.acct_token + random_id(rng, B32, 9) + ":session", "arn": f"arn:aws:sts::{w.account}:assumed-role/{c(rng, w.roles)}/session"}},
            lambda rng, w, r: [{"accountId": w.account, "type": "AWS::IAM::Role", "ARN": f"arn:aws:iam::{w.account}:role/{c(rng, w.roles)}"}],
            errors=(("AccessDenied", "Not authorized to perform sts:AssumeRole"),)),
        Api("sts.amazonaws.com", "AssumeRoleWithWebIdentity", True,
            lambda rng, w, r: {"roleArn": f"arn:aws:iam::{w.account}:role/{c(rng, w.roles)}", "roleSessionName": "botocore-session-" + str(rng.randint(1497000000, 1498000000)), "durationSeconds": 3600},
            lambda rng, w, r: {"credentials": {"accessKeyId": "ASIA" + w.acct_token + random_id(rng, B32, 8), "sessionToken": random_id(rng, ALNUM + "+/", 600) + "=", "expiration": "Jun 15, 2017 2:27:13 PM"}, "subjectFromWebIdentityToken": "system:serviceaccount:kube-system:" + c(rng, ["aws-node", "ebs-csi-controller-sa", "external-dns"]), "audience": "sts.amazonaws.com", "provider": f"arn:aws:iam::{w.account}:oidc-provider/oidc.eks.{r}.amazonaws.com/id/{random_id(rng, '0123456789ABCDEF', 32)}"},
            lambda rng, w, r: [{"accountId": w.account, "type": "AWS::IAM::Role", "ARN": f"arn:aws:iam::{w.account}:role/{c(rng, w.roles)}"}], nvariants=8),
        Api("sts.amazonaws.com", "GetCallerIdentity", True, None, nvariants=1),
        Api("kms.amazonaws.com", "Decrypt", True,
            lambda rng, w, r: c(rng, [{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"aws:s3:arn": f"arn:aws:s3:::{c(rng, w.buckets)}/{w.s3_key(rng)}"}},
                                      {"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"PARAMETER_ARN": w.arn(r, "ssm", "parameter" + c(rng, w.params))}},
                                      {"encryptionContext": {"aws:lambda:FunctionArn": w.arn(r, "lambda", "function:" + c(rng, w.functions))}, "encryptionAlgorithm": "SYMMETRIC_DEFAULT"}]),
            None, lambda rng, w, r: [{"accountId": w.account, "type": "AWS::KMS::Key", "ARN": w.arn(r, "kms", "key/" + c(rng, w.kms_keys))}],
            errors=(("InvalidCiphertextException", None), ("AccessDenied", "The ciphertext refers to a customer master key that does not exist")), nvariants=48),
        Api("kms.amazonaws.com", "GenerateDataKey", True,
            lambda rng, w, r: {"keyId": c(rng, w.kms_aliases), "keySpec": "AES_256", "encryptionContext": {"aws:s3:arn": f"arn:aws:s3:::{c(rng, w.buckets)}"}},
            None, lambda rng, w, r: [{"accountId": w.account, "type": "AWS::KMS::Key", "ARN": w.arn(r, "kms", "key/" + c(rng, w.kms_keys))}]),
        Api("kms.amazonaws.com", "Encrypt", True,
            lambda rng, w, r: {"keyId": c(rng, w.kms_aliases), "encryptionAlgorithm": "SYMMETRIC_DEFAULT"},
            None, lambda rng, w, r: [{"accountId": w.account, "type": "AWS::KMS::Key", "ARN": w.arn(r, "kms", "key/" + c(rng, w.kms_keys))}]),
        Api("kms.amazonaws.com", "RotateKey", False, None, None,
            lambda rng, w, r: [{"accountId": w.account, "type": "AWS::KMS::Key", "ARN": w.arn(r, "kms", "key/" + c(rng, w.kms_keys))}],
            aed=lambda rng, w, r: {"keyId": w.arn(r, "kms", "key/" + c(rng, w.kms_keys))}, event_type="AwsServiceEvent", nvariants=4),
        # ---------------------------------------------------------------- SSM, Secrets Manager
        Api("ssm.amazonaws.com", "UpdateInstanceInformation", False, lambda rng, w, r: {"instanceId": c(rng, w.instances), "agentVersion": c(rng, ["2.0.847.0", "2.0.879.0", "2.2.45.0"]), "agentStatus": "Active", "platformType": "Linux", "platformName": "Amazon Linux AMI", "platformVersion": "2017.03", "iPAddress": f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}", "computerName": f"ip-10-0-{rng.randint(0, 255)}-{rng.randint(1, 254)}.{r}.compute.internal", "agentName": "amazon-ssm-agent", "availabilityZone": r + c(rng, "abc"), "availabilityZoneId": "use1-az" + str(rng.randint(1, 6))}, nvariants=64),
        Api("ssm.amazonaws.com", "ListInstanceAssociations", True, lambda rng, w, r: {"instanceId": c(rng, w.instances), "maxResults": 20}, nvariants=64),
        Api("ssm.amazonaws.com", "GetParameter", True, lambda rng, w, r: {"name": c(rng, w.params), "withDecryption": True}, None, lambda rng, w, r: [{"accountId": w.account, "ARN": w.arn(r, "ssm", "parameter" + c(rng, w.params))}], errors=(("ParameterNotFound", None),)),
        Api("ssm.amazonaws.com", "GetParametersByPath", True, lambda rng, w, r: {"path": c(rng, w.params).rsplit("/", 1)[0], "recursive": True, "withDecryption": True}),
        Api("ssm.amazonaws.com", "DescribeInstanceInformation", True, lambda rng, w, r: {"maxResults": 50}),
        Api("secretsmanager.amazonaws.com", "GetSecretValue", True, lambda rng, w, r: {"secretId": w.arn(r, "secretsmanager", "secret:" + c(rng, w.secrets))}, errors=(("ResourceNotFoundException", "Secrets Manager can't find the specified secret."),)),
        Api("secretsmanager.amazonaws.com", "DescribeSecret", True, lambda rng, w, r: {"secretId": c(rng, w.secrets)}),
        # ---------------------------------------------------------------- Lambda, ECR, EKS, ELB
        Api("lambda.amazonaws.com", "ListFunctions20150331", True, lambda rng, w, r: {"maxItems": 50} if rng.random() < 0.5 else None, api_version="2015-03-31"),
        Api("lambda.amazonaws.com", "GetFunction20150331v2", True, lambda rng, w, r: {"functionName": c(rng, w.functions)}, api_version="2015-03-31"),
        Api("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", False, lambda rng, w, r: {"functionName": c(rng, w.functions), "publish": False, "dryRun": False}, lambda rng, w, r: {"functionName": c(rng, w.functions), "functionArn": w.arn(r, "lambda", "function:" + c(rng, w.functions)), "runtime": c(rng, ["python3.6", "nodejs6.10", "java8"]), "role": f"arn:aws:iam::{w.account}:role/lambda-{c(rng, w.functions)}", "handler": "index.handler", "codeSize": rng.randint(1000, 5 * 10**7), "description": "", "timeout": 30, "memorySize": c(rng, [128, 256, 1024]), "lastModified": "2017-06-15T10:11:12.000+0000", "codeSha256": random_id(rng, ALNUM + "+/", 43) + "=", "version": "$LATEST", "tracingConfig": {"mode": "PassThrough"}}, api_version="2015-03-31", nvariants=8),
        Api("ecr.amazonaws.com", "GetAuthorizationToken", True, lambda rng, w, r: {"registryIds": [w.account]} if rng.random() < 0.3 else None),
        Api("ecr.amazonaws.com", "BatchGetImage", True, lambda rng, w, r: {"repositoryName": c(rng, w.repos), "registryId": w.account, "imageIds": [{"imageTag": c(rng, ["latest", "v1.4.2", "v1.4.3", "sha-" + random_id(rng, HEX, 7)])}], "acceptedMediaTypes": ["application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json"]}, None, lambda rng, w, r: [{"accountId": w.account, "ARN": w.arn(r, "ecr", "repository/" + c(rng, w.repos))}]),
        Api("ecr.amazonaws.com", "GetDownloadUrlForLayer", True, lambda rng, w, r: {"repositoryName": c(rng, w.repos), "registryId": w.account, "layerDigest": "sha256:" + random_id(rng, HEX, 64)}, None, lambda rng, w, r: [{"accountId": w.account, "ARN": w.arn(r, "ecr", "repository/" + c(rng, w.repos))}]),
        Api("eks.amazonaws.com", "DescribeCluster", True, lambda rng, w, r: {"name": c(rng, w.clusters)}),
        Api("elasticloadbalancing.amazonaws.com", "DescribeLoadBalancers", True, lambda rng, w, r: {"names": [c(rng, w.lbs)]} if rng.random() < 0.4 else None, throttle=("Throttling", "Rate exceeded")),
        Api("elasticloadbalancing.amazonaws.com", "DescribeTargetHealth", True, lambda rng, w, r: {"targetGroupArn": w.arn(r, "elasticloadbalancing", f"targetgroup/{c(rng, w.tgs)}/{random_id(rng, HEX, 16)}")}, throttle=("Throttling", "Rate exceeded")),
        Api("elasticloadbalancing.amazonaws.com", "RegisterTargets", False, lambda rng, w, r: {"targetGroupArn": w.arn(r, "elasticloadbalancing", f"targetgroup/{c(rng, w.tgs)}/{random_id(rng, HEX, 16)}"), "targets": [{"id": c(rng, w.instances), "port": c(rng, [80, 8080, 30443])}]}, throttle=("Throttling", "Rate exceeded")),
        # ---------------------------------------------------------------- RDS, CloudWatch, Logs, DynamoDB, CFN, CloudTrail
        Api("rds.amazonaws.com", "DescribeDBInstances", True, lambda rng, w, r: {"dBInstanceIdentifier": c(rng, w.dbs)} if rng.random() < 0.5 else {"maxRecords": 100}, throttle=("Throttling", "Rate exceeded"), errors=(("DBInstanceNotFound", "DBInstance analytics-old not found."),)),
        Api("rds.amazonaws.com", "DescribeDBClusters", True, None, throttle=("Throttling", "Rate exceeded"), nvariants=1),
        Api("monitoring.amazonaws.com", "GetMetricData", True, lambda rng, w, r: {"metricDataQueries": [{"id": f"m{i}", "metricStat": {"metric": {"namespace": c(rng, ["AWS/EC2", "AWS/ELB", "AWS/RDS", "AWS/SQS"]), "metricName": c(rng, ["CPUUtilization", "RequestCount", "Latency", "ApproximateNumberOfMessagesVisible"]), "dimensions": [{"name": "InstanceId", "value": c(rng, w.instances)}]}, "period": 60, "stat": "Average"}, "returnData": True} for i in range(rng.randint(1, 6))], "startTime": "Jun 15, 2017 12:00:00 PM", "endTime": "Jun 15, 2017 12:10:00 PM"}, throttle=("Throttling", "Rate exceeded")),
        Api("monitoring.amazonaws.com", "DescribeAlarms", True, lambda rng, w, r: {"alarmNames": rng.sample(w.alarms, rng.randint(1, 4))} if rng.random() < 0.5 else {"maxRecords": 100}, throttle=("Throttling", "Rate exceeded")),
        Api("monitoring.amazonaws.com", "PutMetricAlarm", False, lambda rng, w, r: {"alarmName": c(rng, w.alarms), "metricName": "CPUUtilization", "namespace": "AWS/EC2", "statistic": "Average", "period": 300, "evaluationPeriods": 2, "threshold": 80.0, "comparisonOperator": "GreaterThanThreshold", "alarmActions": [w.arn(r, "sns", "ops-alerts")]}, throttle=("Throttling", "Rate exceeded")),
        Api("logs.amazonaws.com", "CreateLogStream", False, lambda rng, w, r: {"logGroupName": c(rng, w.log_groups), "logStreamName": f"2017/06/15/[$LATEST]{random_id(rng, HEX, 32)}"}, errors=(("ResourceAlreadyExistsException", "The specified log stream already exists"),)),
        Api("logs.amazonaws.com", "DescribeLogGroups", True, lambda rng, w, r: {"logGroupNamePrefix": c(rng, w.log_groups)[:12]} if rng.random() < 0.5 else None),
        Api("logs.amazonaws.com", "FilterLogEvents", True, lambda rng, w, r: {"logGroupName": c(rng, w.log_groups), "startTime": 1497484800000, "filterPattern": c(rng, ["ERROR", "\"Task timed out\"", "{ $.level = \"error\" }"]), "interleaved": True}),
        Api("dynamodb.amazonaws.com", "DescribeTable", True, lambda rng, w, r: {"tableName": c(rng, w.tables)}, None, lambda rng, w, r: [{"accountId": w.account, "ARN": w.arn(r, "dynamodb", "table/" + c(rng, w.tables))}], api_version="2012-08-10"),
        Api("dynamodb.amazonaws.com", "ListTables", True, None, api_version="2012-08-10", nvariants=1),
        Api("cloudformation.amazonaws.com", "DescribeStacks", True, lambda rng, w, r: {"stackName": c(rng, w.stacks)} if rng.random() < 0.6 else None, errors=(("ValidationError", "Stack with id prod-old does not exist"),)),
        Api("cloudformation.amazonaws.com", "ListStacks", True, lambda rng, w, r: {"stackStatusFilter": ["CREATE_COMPLETE", "UPDATE_COMPLETE"]}),
        Api("cloudtrail.amazonaws.com", "LookupEvents", True, lambda rng, w, r: {"maxResults": 50, "lookupAttributes": [{"attributeKey": "EventName", "attributeValue": c(rng, ["ConsoleLogin", "RunInstances", "DeleteBucket"])}]}),
        Api("cloudtrail.amazonaws.com", "DescribeTrails", True, lambda rng, w, r: {"includeShadowTrails": False}, nvariants=1),
        Api("health.amazonaws.com", "DescribeEventAggregates", True, lambda rng, w, r: {"aggregateField": "eventTypeCategory", "filter": {"eventStatusCodes": ["open", "upcoming"]}}, nvariants=2),
        # ---------------------------------------------------------------- Sign-in (global)
        Api("signin.amazonaws.com", "ConsoleLogin", False, None, lambda rng, w, r: {"ConsoleLogin": "Success"},
            aed=lambda rng, w, r: {"LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true", "MobileVersion": "No", "MFAUsed": c(rng, ["Yes", "Yes", "No"])},
            event_type="AwsConsoleSignIn", rid="none", global_=True, host="signin.aws.amazon.com",
            errors=(("Failed authentication", "Failed authentication"),), nvariants=4),
    ]

    # S3 resources depend on the bucket/key of the very variant: fill them in here
    for a in apis:
        if a.source == "s3.amazonaws.com":
            a.res = "s3"
    return apis
