"""API mixes: for each kind of caller, the relative weight of each API it calls
("service:EventName" -> weight). The planted culprit's mix is in culprit.py."""

MIX_CONSOLE = {"ec2:DescribeInstances": 8, "ec2:DescribeSecurityGroups": 3, "ec2:DescribeVpcs": 2, "ec2:DescribeSubnets": 2,
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
MIX_CLI = {"sts:GetCallerIdentity": 3, "ec2:DescribeInstances": 4, "s3:ListBuckets": 1, "s3:ListObjects": 4, "s3:GetObject": 4,
           "s3:PutObject": 2, "logs:FilterLogEvents": 2, "ssm:GetParameter": 1, "secretsmanager:GetSecretValue": 0.5,
           "eks:DescribeCluster": 2, "sts:AssumeRole": 1, "iam:GetUser": 0.5, "ecr:GetAuthorizationToken": 1,
           "cloudformation:DescribeStacks": 1, "lambda:UpdateFunctionCode20150331v2": 0.2, "ec2:DescribeSecurityGroups": 1,
           "iam:CreateAccessKey": 0.02, "iam:AttachRolePolicy": 0.02, "kms:Decrypt": 1}
MIX_TERRAFORM = {"ec2:DescribeVpcs": 3, "ec2:DescribeSubnets": 4, "ec2:DescribeSecurityGroups": 5, "ec2:DescribeRouteTables": 3,
                 "ec2:DescribeInstances": 2, "ec2:DescribeImages": 2, "ec2:DescribeAccountAttributes": 1, "ec2:DescribeTags": 2,
                 "ec2:DescribeLaunchTemplateVersions": 2, "ec2:CreateTags": 1, "ec2:AuthorizeSecurityGroupIngress": 0.3,
                 "ec2:DescribeNetworkInterfaces": 1, "iam:GetRole": 3, "iam:ListAttachedRolePolicies": 2, "iam:ListRolePolicies": 2,
                 "iam:GetPolicyVersion": 2, "s3:GetBucketPolicy": 1, "s3:GetBucketAcl": 1, "s3:GetBucketVersioning": 1,
                 "s3:GetBucketEncryption": 1, "s3:GetBucketTagging": 1, "s3:GetObject": 1, "s3:PutObject": 0.5,
                 "sts:GetCallerIdentity": 1, "eks:DescribeCluster": 1, "autoscaling:DescribeAutoScalingGroups": 1,
                 "autoscaling:UpdateAutoScalingGroup": 0.1, "rds:DescribeDBInstances": 1, "kms:Decrypt": 0.5,
                 "dynamodb:DescribeTable": 0.5, "cloudformation:DescribeStacks": 0.5, "elasticloadbalancing:DescribeLoadBalancers": 1,
                 "lambda:GetFunction20150331v2": 1}
MIX_APP = {"s3:GetObject": 10, "s3:PutObject": 5, "s3:HeadObject": 3, "s3:ListObjects": 2, "s3:DeleteObject": 0.5,
           "kms:Decrypt": 6, "kms:GenerateDataKey": 3, "ssm:GetParameter": 2, "ssm:GetParametersByPath": 1,
           "secretsmanager:GetSecretValue": 2, "sts:AssumeRole": 0.5, "logs:CreateLogStream": 0.5,
           "monitoring:GetMetricData": 0.2}
MIX_SSM_AGENT = {"ssm:UpdateInstanceInformation": 3, "ssm:ListInstanceAssociations": 3, "ec2:DescribeTags": 0.2}
MIX_EKS_NODE = {"ec2:DescribeInstances": 4, "ec2:DescribeNetworkInterfaces": 3, "ec2:CreateNetworkInterface": 0.5,
                "ec2:AssignPrivateIpAddresses": 1, "ec2:DescribeSubnets": 1, "ec2:DescribeInstanceTypes": 0.5,
                "ec2:DescribeVolumes": 1, "ec2:AttachVolume": 0.2, "ecr:GetAuthorizationToken": 2, "ecr:BatchGetImage": 2,
                "ecr:GetDownloadUrlForLayer": 4, "eks:DescribeCluster": 1, "autoscaling:DescribeAutoScalingInstances": 0.3,
                "sts:AssumeRoleWithWebIdentity": 1, "elasticloadbalancing:DescribeTargetHealth": 1,
                "elasticloadbalancing:RegisterTargets": 0.3}
MIX_DATADOG = {"ec2:DescribeInstances": 6, "ec2:DescribeInstanceStatus": 3, "ec2:DescribeVolumes": 2, "ec2:DescribeSecurityGroups": 1,
               "autoscaling:DescribeAutoScalingGroups": 3, "autoscaling:DescribeScalingActivities": 1,
               "elasticloadbalancing:DescribeLoadBalancers": 2, "elasticloadbalancing:DescribeTargetHealth": 1,
               "rds:DescribeDBInstances": 2, "monitoring:GetMetricData": 10, "monitoring:DescribeAlarms": 2,
               "lambda:ListFunctions20150331": 1, "dynamodb:ListTables": 1, "dynamodb:DescribeTable": 1,
               "cloudtrail:DescribeTrails": 0.2, "health:DescribeEventAggregates": 1, "s3:ListBuckets": 0.5,
               "ec2:DescribeSpotPriceHistory": 0.5}
MIX_CONFIG = {"ec2:DescribeInstances": 2, "ec2:DescribeSecurityGroups": 2, "ec2:DescribeVpcs": 1, "ec2:DescribeSubnets": 1,
              "ec2:DescribeRouteTables": 1, "ec2:DescribeNetworkInterfaces": 1, "ec2:DescribeVolumes": 1, "iam:GetRole": 1,
              "iam:ListAttachedRolePolicies": 1, "s3:GetBucketAcl": 1, "s3:GetBucketPolicy": 1, "s3:GetBucketVersioning": 1,
              "s3:GetBucketEncryption": 1, "rds:DescribeDBInstances": 1, "autoscaling:DescribeAutoScalingGroups": 1,
              "autoscaling:DescribeLaunchConfigurations": 1, "kms:Decrypt": 0.5}
MIX_LAMBDA = {"s3:GetObject": 4, "s3:PutObject": 3, "kms:Decrypt": 3, "kms:GenerateDataKey": 1, "ssm:GetParameter": 2,
              "secretsmanager:GetSecretValue": 1, "logs:CreateLogStream": 2, "dynamodb:DescribeTable": 0.5}
MIX_SERVICE = {"sts:AssumeRole": 10, "kms:Decrypt": 4, "kms:GenerateDataKey": 2, "kms:RotateKey": 0.02,
               "ec2:CreateSnapshot": 0.3, "ec2:RunInstances": 0.3, "ec2:TerminateInstances": 0.3, "ec2:CreateNetworkInterface": 0.3}
MIX_CICD = {"ecr:GetAuthorizationToken": 2, "ecr:BatchGetImage": 2, "eks:DescribeCluster": 2, "sts:GetCallerIdentity": 1,
            "s3:PutObject": 3, "s3:GetObject": 2, "lambda:UpdateFunctionCode20150331v2": 0.5, "cloudformation:DescribeStacks": 2,
            "ec2:DescribeInstances": 0.5}
