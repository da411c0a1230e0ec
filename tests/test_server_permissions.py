"""Permissions per access key through a real server and boto3: a policy file in IAM's
shape decides, per workgroup, what each key sees and does; refusals are AWS's
AccessDeniedException with its message."""
from __future__ import annotations

import json

import boto3
import pytest

from parthenon.server.policy import Policies, PolicyError, Principal, Statement
from test_server_support import BUCKET, stop_server, wait

ACCOUNT = "123456789012"
WG = f"arn:aws:athena:us-east-1:{ACCOUNT}:workgroup/"
POLICY = {"Users": {
    "admin": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
    "alice": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "athena:*", "Resource": "arn:aws:athena:*:*:workgroup/alice*"}]},
    "bob": {"Statement": [
        {"Effect": "Allow", "Action": ["athena:*"], "Resource": [WG + "bob"]},
        {"Effect": "Allow", "Action": "athena:Get*", "Resource": WG + "shared"},
        {"Effect": "Deny", "Action": "athena:DeleteWorkGroup", "Resource": "*"}]},
}}


def denied(key, action, resource, explicit=False):
    why = ("with an explicit deny in an identity-based policy" if explicit else
           f"because no identity-based policy allows the athena:{action} action")
    return (f"User: arn:aws:iam::{ACCOUNT}:user/{key} is not authorized to perform: "
            f"athena:{action} on resource: {resource} {why}")


@pytest.fixture
def team(parthenon_home, s3, monkeypatch, tmp_path):
    """A server with four keys (carol has no entry in the policy file), and a client per key."""
    from parthenon.server.serve import make_server
    import threading
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "admin:a-secret,alice:b-secret,bob:c-secret,carol:d-secret")
    s3.create_bucket(Bucket=BUCKET)
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(POLICY))
    server = make_server("127.0.0.1", 0, home=parthenon_home, policy_file=str(policy))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    secrets = {"admin": "a-secret", "alice": "b-secret", "bob": "c-secret", "carol": "d-secret"}
    clients = {k: boto3.client("athena", endpoint_url=server.url, region_name="us-east-1",
                               aws_access_key_id=k, aws_secret_access_key=v) for k, v in secrets.items()}
    for name in ("alice-wg", "bob", "shared"):
        clients["admin"].create_work_group(Name=name)
    yield clients
    stop_server(server)


def refused(call, **kw):
    with pytest.raises(Exception) as e:
        call(**kw)
    err = e.value.response["Error"]
    assert err["Code"] == "AccessDeniedException"
    return err["Message"]


def alice_query(alice):
    qid = alice.start_query_execution(QueryString="SELECT 1 AS x", WorkGroup="alice-wg",
                                      ResultConfiguration={"OutputLocation": f"s3://{BUCKET}/alice/"}
                                      )["QueryExecutionId"]
    assert wait(alice, qid)["Status"]["State"] == "SUCCEEDED"
    return qid


def test_bob_cannot_see_or_touch_alices_queries(team):
    alice, bob = team["alice"], team["bob"]
    qid = alice_query(alice)
    assert alice.get_query_results(QueryExecutionId=qid)["ResultSet"]["Rows"][1] == {"Data": [{"VarCharValue": "1"}]}
    for call, kw, action in (
            (bob.get_query_results, {"QueryExecutionId": qid}, "GetQueryResults"),
            (bob.get_query_execution, {"QueryExecutionId": qid}, "GetQueryExecution"),
            (bob.get_query_runtime_statistics, {"QueryExecutionId": qid}, "GetQueryRuntimeStatistics"),
            (bob.stop_query_execution, {"QueryExecutionId": qid}, "StopQueryExecution"),
            (bob.batch_get_query_execution, {"QueryExecutionIds": [qid]}, "BatchGetQueryExecution"),
            (bob.list_query_executions, {"WorkGroup": "alice-wg"}, "ListQueryExecutions"),
            (bob.start_query_execution, {"QueryString": "SELECT 2", "WorkGroup": "alice-wg"},
             "StartQueryExecution")):
        assert refused(call, **kw) == denied("bob", action, WG + "alice-wg")
    # his own workgroup works, and lists only his own queries
    own = bob.start_query_execution(QueryString="SELECT 2", WorkGroup="bob",
                                    ResultConfiguration={"OutputLocation": f"s3://{BUCKET}/bob/"})["QueryExecutionId"]
    assert bob.list_query_executions(WorkGroup="bob")["QueryExecutionIds"] == [own]
    # a batch mixing his query with alice's is refused as a whole
    assert refused(bob.batch_get_query_execution, QueryExecutionIds=[own, qid]) == \
        denied("bob", "BatchGetQueryExecution", WG + "alice-wg")
    # `primary` is nobody's but the admin's
    assert refused(bob.start_query_execution, QueryString="SELECT 3") == \
        denied("bob", "StartQueryExecution", WG + "primary")


def test_bob_cannot_delete_alices_workgroup_and_deny_wins(team):
    alice, bob, admin = team["alice"], team["bob"], team["admin"]
    assert refused(bob.delete_work_group, WorkGroup="alice-wg") == \
        denied("bob", "DeleteWorkGroup", WG + "alice-wg", explicit=True)
    # athena:* on his own workgroup, but the Deny on every resource wins
    assert refused(bob.delete_work_group, WorkGroup="bob") == \
        denied("bob", "DeleteWorkGroup", WG + "bob", explicit=True)
    assert refused(bob.update_work_group, WorkGroup="alice-wg", Description="mine") == \
        denied("bob", "UpdateWorkGroup", WG + "alice-wg")
    assert alice.get_work_group(WorkGroup="alice-wg")["WorkGroup"]["Name"] == "alice-wg"
    assert {w["Name"] for w in admin.list_work_groups()["WorkGroups"]} == {"primary", "alice-wg", "bob", "shared"}


def test_wildcard_resources_and_listing_filtered(team):
    alice, bob = team["alice"], team["bob"]
    alice.create_work_group(Name="alice-2")          # workgroup/alice* matches a new name too
    assert refused(alice.create_work_group, Name="bobby") == denied("alice", "CreateWorkGroup", WG + "bobby")
    assert [w["Name"] for w in alice.list_work_groups()["WorkGroups"]] == ["alice-2", "alice-wg"]
    # bob's Allow on `shared` is Get* only: he may read it, not list or use it
    assert bob.get_work_group(WorkGroup="shared")["WorkGroup"]["Name"] == "shared"
    assert [w["Name"] for w in bob.list_work_groups()["WorkGroups"]] == ["bob"]
    assert refused(bob.start_query_execution, QueryString="SELECT 1", WorkGroup="shared") == \
        denied("bob", "StartQueryExecution", WG + "shared")


def test_named_queries_and_prepared_statements_follow_their_workgroup(team):
    alice, bob = team["alice"], team["bob"]
    nq = alice.create_named_query(Name="mine", Database="default", QueryString="SELECT 1",
                                  WorkGroup="alice-wg")["NamedQueryId"]
    alice.create_prepared_statement(StatementName="ps", WorkGroup="alice-wg", QueryStatement="SELECT ?")
    assert alice.get_named_query(NamedQueryId=nq)["NamedQuery"]["Name"] == "mine"
    for call, kw, action in (
            (bob.get_named_query, {"NamedQueryId": nq}, "GetNamedQuery"),
            (bob.batch_get_named_query, {"NamedQueryIds": [nq]}, "BatchGetNamedQuery"),
            (bob.delete_named_query, {"NamedQueryId": nq}, "DeleteNamedQuery"),
            (bob.list_named_queries, {"WorkGroup": "alice-wg"}, "ListNamedQueries"),
            (bob.get_prepared_statement, {"StatementName": "ps", "WorkGroup": "alice-wg"}, "GetPreparedStatement"),
            (bob.list_prepared_statements, {"WorkGroup": "alice-wg"}, "ListPreparedStatements"),
            (bob.delete_prepared_statement, {"StatementName": "ps", "WorkGroup": "alice-wg"},
             "DeletePreparedStatement")):
        assert refused(call, **kw) == denied("bob", action, WG + "alice-wg")
    assert alice.batch_get_named_query(NamedQueryIds=[nq])["NamedQueries"][0]["NamedQueryId"] == nq


def test_a_key_the_policy_does_not_name_may_do_nothing(team):
    carol = team["carol"]
    assert refused(carol.list_work_groups) == denied("carol", "ListWorkGroups", "*")
    assert refused(carol.get_work_group, WorkGroup="primary") == denied("carol", "GetWorkGroup", WG + "primary")
    assert refused(carol.list_databases, CatalogName="AwsDataCatalog") == denied(
        "carol", "ListDatabases", f"arn:aws:athena:us-east-1:{ACCOUNT}:datacatalog/AwsDataCatalog")


def test_region_of_the_request_is_the_region_of_the_arn(team, parthenon_home):
    # bob's Allow names us-east-1 exactly; signed for another region, his own workgroup is refused
    eu = boto3.client("athena", endpoint_url=team["bob"].meta.endpoint_url, region_name="eu-west-1",
                      aws_access_key_id="bob", aws_secret_access_key="c-secret")
    assert refused(eu.get_work_group, WorkGroup="bob") == denied(
        "bob", "GetWorkGroup", f"arn:aws:athena:eu-west-1:{ACCOUNT}:workgroup/bob")


# -- the evaluation itself, and the file's checks

def test_evaluation_is_iams():
    allow_get = Statement("Allow", ("athena:get*",), ("arn:aws:athena:*:1:workgroup/a?",))
    p = Principal("k", "1", (allow_get,))
    assert p.decision("athena:GetQueryResults", "arn:aws:athena:r:1:workgroup/ab") == "Allow"
    assert p.decision("athena:GetQueryResults", "arn:aws:athena:r:1:workgroup/abc") == "NoAllow"
    assert p.decision("athena:StartQueryExecution", "arn:aws:athena:r:1:workgroup/ab") == "NoAllow"
    not_delete = Statement("Allow", ("athena:Delete*",), ("*",), not_action=True)
    deny_b = Statement("Deny", ("*",), ("arn:aws:athena:*:*:workgroup/b",))
    p = Principal("k", "1", (not_delete, deny_b))
    assert p.decision("athena:DeleteWorkGroup", "arn:aws:athena:r:1:workgroup/a") == "NoAllow"
    assert p.decision("glue:GetTable", "arn:aws:glue:r:1:table/db/t") == "Allow"
    assert p.decision("athena:GetWorkGroup", "arn:aws:athena:r:1:workgroup/b") == "Deny"
    assert Principal("k").decision("anything:AtAll", "*") == "Allow"     # no policy file: administrator


@pytest.mark.parametrize("doc, message", [
    ({"Users": {"k": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*",
                                     "Condition": {}}]}}},
     "policy: Users.k.Statement[0]: unsupported key(s) ['Condition']"),
    ({"Users": {"k": {"Statement": [{"Effect": "allow", "Action": "*", "Resource": "*"}]}}},
     "policy: Users.k.Statement[0]: Effect must be Allow or Deny"),
    ({"Users": {"k": {"Statement": [{"Effect": "Allow", "Action": "StartQueryExecution", "Resource": "*"}]}}},
     "policy: Users.k.Statement[0].Action: 'StartQueryExecution' is not service:Action"),
    ({"Users": {"k": {"Statement": [{"Effect": "Allow", "Action": "athena:*"}]}}},
     "policy: Users.k.Statement[0]: want exactly one of Action/NotAction and one of Resource/NotResource"),
    ({"k": {}}, 'policy: want {"Users": {"<access key id>": <policy>, ...}}'),
    ({"Users": {}, "Account": "12"}, "policy: Account must be 12 digits, got '12'"),
])
def test_policy_file_mistakes_are_refused(doc, message):
    with pytest.raises(PolicyError) as e:
        Policies.parse(doc)
    assert str(e.value) == message


def test_glue_actions_are_checked_on_catalog_database_and_table():
    from parthenon.server import glue_access
    from parthenon.server.policy import AccessDenied
    g = "arn:aws:glue:us-east-1:123456789012:"
    p = Policies.parse({"Users": {"k": {"Statement": [
        {"Effect": "Allow", "Action": "glue:Get*", "Resource": "*"},
        {"Effect": "Allow", "Action": "glue:CreateTable", "Resource": [g + "catalog", g + "database/logs",
                                                                       g + "table/logs/*"]},
        {"Effect": "Deny", "Action": "glue:*", "Resource": g + "table/logs/secret"}]}}}).principal("k")
    assert glue_access.resources("GetTable", {"DatabaseName": "logs", "Name": "t"}, p) == [
        g + "catalog", g + "database/logs", g + "table/logs/t"]
    assert glue_access.resources("GetDatabase", {"Name": "logs"}, p) == [g + "catalog", g + "database/logs"]
    assert glue_access.resources("GetDatabases", {}, p) == [g + "catalog"]
    glue_access.authorize("GetTable", {"DatabaseName": "logs", "Name": "t"}, p)
    glue_access.authorize("CreateTable", {"DatabaseName": "logs", "TableInput": {"Name": "new"}}, p)
    with pytest.raises(AccessDenied) as e:
        glue_access.authorize("CreateTable", {"DatabaseName": "other", "TableInput": {"Name": "new"}}, p)
    assert e.value.message == (
        "User: arn:aws:iam::123456789012:user/k is not authorized to perform: glue:CreateTable on "
        f"resource: {g}database/other because no identity-based policy allows the glue:CreateTable action")
    with pytest.raises(AccessDenied) as e:
        glue_access.authorize("GetTable", {"DatabaseName": "logs", "Name": "secret"}, p)
    assert e.value.message.endswith(f"on resource: {g}table/logs/secret with an explicit deny in an "
                                    "identity-based policy")
    with pytest.raises(AccessDenied):
        glue_access.authorize("DeleteTable", {"DatabaseName": "logs", "Name": "t"}, p)


def test_glue_api_follows_the_policy(team, parthenon_home):
    """The Glue JSON API on the same port: alice's policy names no glue action, admin's is `*`."""
    url = team["admin"].meta.endpoint_url

    def glue(key, secret):
        return boto3.client("glue", endpoint_url=url, region_name="us-east-1",
                            aws_access_key_id=key, aws_secret_access_key=secret)
    admin, alice = glue("admin", "a-secret"), glue("alice", "b-secret")
    admin.create_database(DatabaseInput={"Name": "logs"})
    assert "logs" in [d["Name"] for d in admin.get_databases()["DatabaseList"]]
    assert refused(alice.get_database, Name="logs") == (
        "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: glue:GetDatabase on "
        "resource: arn:aws:glue:us-east-1:123456789012:catalog because no identity-based policy allows "
        "the glue:GetDatabase action")
    assert refused(alice.delete_database, Name="logs").startswith(
        "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: glue:DeleteDatabase")
    assert admin.get_database(Name="logs")["Database"]["Name"] == "logs"
