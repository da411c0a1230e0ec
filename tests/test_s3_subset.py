"""The S3 subset on the server's port (`parthenon serve --s3-bucket NAME=FOLDER`): boto3's
s3 client against a real server, with no other S3 (no moto): objects, ranges, listings,
S3's errors, refusal of anything outside the mapped folders, signatures; and PyAthena's
Pandas cursor reading its results through it."""
from __future__ import annotations

import datetime
import io

import boto3
import botocore
import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials
import botocore.exceptions
import pytest
import urllib3

from parthenon.storage import bucket_folders
from test_server_support import start_server, stop_server

ACCESS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
          "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture
def results(tmp_path):
    folder = tmp_path / "results-folder"
    folder.mkdir()
    return folder


@pytest.fixture
def server(parthenon_home, results, monkeypatch):
    for name, value in {**ACCESS, "PARTHENON_ACCESS_KEYS": "testing:testing"}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_ATHENA"):
        monkeypatch.delenv(name, raising=False)
    data = results.parent / "data"
    data.mkdir()
    server = start_server(parthenon_home, s3_buckets={"results": results}, data_roots=[str(data)])
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)      # athena, glue and s3: one endpoint
    yield server
    stop_server(server)
    bucket_folders.configure({})        # the mapping is the process's: leave none behind


@pytest.fixture
def s3(server):
    return boto3.client("s3")


def code_of(call, **kw):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call(**kw)
    r = e.value.response
    return r["ResponseMetadata"]["HTTPStatusCode"], r["Error"]["Code"], r["Error"].get("Message")


def test_objects_and_ranges(s3, results):
    s3.put_object(Bucket="results", Key="q/1.csv", Body=b"0123456789")
    assert (results / "q" / "1.csv").read_bytes() == b"0123456789"
    s3.upload_fileobj(io.BytesIO(b"x" * 70_000), "results", "q/big.bin")   # boto3's streaming upload
    assert (results / "q" / "big.bin").read_bytes() == b"x" * 70_000
    head = s3.head_object(Bucket="results", Key="q/1.csv")
    assert (head["ContentLength"], head["ContentType"], head["AcceptRanges"]) == (10, "text/csv", "bytes")
    got = s3.get_object(Bucket="results", Key="q/1.csv")
    assert got["Body"].read() == b"0123456789" and got["ETag"] == head["ETag"]

    def ranged(spec):
        r = s3.get_object(Bucket="results", Key="q/1.csv", Range=spec)
        return r["Body"].read(), r["ContentRange"], r["ResponseMetadata"]["HTTPStatusCode"]
    assert ranged("bytes=2-4") == (b"234", "bytes 2-4/10", 206)
    assert ranged("bytes=7-") == (b"789", "bytes 7-9/10", 206)
    assert ranged("bytes=-3") == (b"789", "bytes 7-9/10", 206)
    assert ranged("bytes=8-100") == (b"89", "bytes 8-9/10", 206)
    assert code_of(s3.get_object, Bucket="results", Key="q/1.csv", Range="bytes=10-") == \
        (416, "InvalidRange", "The requested range is not satisfiable")
    assert s3.download_fileobj("results", "q/big.bin", buf := io.BytesIO()) is None
    assert buf.getvalue() == b"x" * 70_000

    s3.delete_object(Bucket="results", Key="q/1.csv")
    s3.delete_object(Bucket="results", Key="q/1.csv")               # S3: no error for a missing key
    assert code_of(s3.get_object, Bucket="results", Key="q/1.csv") == \
        (404, "NoSuchKey", "The specified key does not exist.")
    assert code_of(s3.head_object, Bucket="results", Key="q/1.csv")[:2] == (404, "404")
    deleted = s3.delete_objects(Bucket="results", Delete={"Objects": [{"Key": "q/big.bin"},
                                                                      {"Key": "never"}]})
    assert sorted(d["Key"] for d in deleted["Deleted"]) == ["never", "q/big.bin"]
    assert list(results.iterdir()) == []                             # emptied folders go too


def test_listing(s3, results):
    for key in ("a/1.csv", "a/2.csv", "a/sub/3.csv", "b.txt", "c/4.csv", "a.csv"):
        (results / key).parent.mkdir(parents=True, exist_ok=True)
        (results / key).write_text(key)
    (results / "a" / ".x.csv.0123.tmp").write_text("half written")  # a PUT in progress
    listed = s3.list_objects_v2(Bucket="results")
    assert [(o["Key"], o["Size"]) for o in listed["Contents"]] == [
        ("a.csv", 5), ("a/1.csv", 7), ("a/2.csv", 7), ("a/sub/3.csv", 11), ("b.txt", 5),
        ("c/4.csv", 7)]
    top = s3.list_objects_v2(Bucket="results", Delimiter="/")
    assert [o["Key"] for o in top["Contents"]] == ["a.csv", "b.txt"]
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["a/", "c/"]
    under = s3.list_objects_v2(Bucket="results", Prefix="a/", Delimiter="/")
    assert [o["Key"] for o in under["Contents"]] == ["a/1.csv", "a/2.csv"]
    assert [p["Prefix"] for p in under["CommonPrefixes"]] == ["a/sub/"]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="results", Prefix="a")["Contents"]] == \
        ["a.csv", "a/1.csv", "a/2.csv", "a/sub/3.csv"]
    assert s3.list_objects_v2(Bucket="results", Prefix="zzz")["KeyCount"] == 0
    pages = list(s3.get_paginator("list_objects_v2").paginate(
        Bucket="results", Delimiter="/", PaginationConfig={"PageSize": 1}))
    assert [[*(o["Key"] for o in p.get("Contents", [])), *(c["Prefix"] for c in p.get("CommonPrefixes", []))]
            for p in pages] == [["a.csv"], ["a/"], ["b.txt"], ["c/"]]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="results", StartAfter="a/2.csv")["Contents"]] == \
        ["a/sub/3.csv", "b.txt", "c/4.csv"]
    s3.head_bucket(Bucket="results")


def test_refusals_outside_the_mapped_folders(s3, results, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not served")
    (results / "link").symlink_to(tmp_path)             # a way out of the folder
    (results / "leak.txt").symlink_to(secret)
    assert code_of(s3.get_object, Bucket="other", Key="x") == \
        (404, "NoSuchBucket", "The specified bucket does not exist")
    assert code_of(s3.list_objects_v2, Bucket="other")[:2] == (404, "NoSuchBucket")
    assert code_of(s3.put_object, Bucket="other", Key="x", Body=b"1")[:2] == (404, "NoSuchBucket")
    for key in ("../secret.txt", "link/secret.txt", "leak.txt", "a/../../secret.txt"):
        assert code_of(s3.get_object, Bucket="results", Key=key) == (403, "AccessDenied", "Access Denied")
    assert code_of(s3.put_object, Bucket="results", Key="link/new.txt", Body=b"1")[:2] == \
        (403, "AccessDenied")
    assert not (tmp_path / "new.txt").exists()
    assert s3.list_objects_v2(Bucket="results").get("Contents") is None   # symlinks are not listed
    assert s3.list_objects_v2(Bucket="results", Prefix="link/").get("Contents") is None
    assert code_of(s3.create_multipart_upload, Bucket="results", Key="m")[:2] == (501, "NotImplemented")


def test_signatures(server, results):
    (results / "f.txt").write_text("x")

    def client(**kw):
        return boto3.client("s3", endpoint_url=server.url, region_name="us-east-1", **kw)
    wrong = client(aws_access_key_id="testing", aws_secret_access_key="wrong")
    assert code_of(wrong.get_object, Bucket="results", Key="f.txt")[:2] == (403, "SignatureDoesNotMatch")
    stranger = client(aws_access_key_id="nobody", aws_secret_access_key="x")
    assert code_of(stranger.list_objects_v2, Bucket="results") == (
        403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
    anonymous = client(config=botocore.config.Config(signature_version=botocore.UNSIGNED))
    assert code_of(anonymous.get_object, Bucket="results", Key="f.txt") == \
        (403, "AccessDenied", "Access Denied")
    # signed for another service: the scope must be s3
    request = botocore.awsrequest.AWSRequest(method="GET", url=f"{server.url}/results/f.txt")
    botocore.auth.S3SigV4Auth(botocore.credentials.Credentials("testing", "testing"),
                              "athena", "us-east-1").add_auth(request)
    prepared = request.prepare()
    response = urllib3.request("GET", prepared.url, headers=dict(prepared.headers))
    assert response.status == 403
    assert b"<Code>SignatureDoesNotMatch</Code><Message>Credential should be scoped to correct " \
           b"service: 's3'.</Message>" in response.data
    signed_body = client(config=botocore.config.Config(s3={"payload_signing_enabled": True}))
    signed_body.put_object(Bucket="results", Key="signed.txt", Body=b"hashed")   # a real payload hash
    assert (results / "signed.txt").read_bytes() == b"hashed"


def test_pyathena_pandas_cursor_reads_results_through_the_subset(server, results, tmp_path):
    """With only AWS_ENDPOINT_URL set, PyAthena runs the query through Parthenon's Athena API
    and reads the CSV from s3://results/, which Parthenon wrote into the mapped folder."""
    data = tmp_path / "data"           # the server's data root
    (data / "part.csv").write_text("1,alice\n2,bob\n3,carol\n")
    from pyathena import connect
    from pyathena.pandas.cursor import PandasCursor
    with connect(s3_staging_dir="s3://results/pyathena/", region_name="us-east-1",
                 schema_name="default", cursor_class=PandasCursor) as conn:
        cur = conn.cursor()
        cur.execute("CREATE EXTERNAL TABLE people (id int, name string) ROW FORMAT DELIMITED "
                    f"FIELDS TERMINATED BY ',' LOCATION '{data}/'")
        df = cur.execute("SELECT id, name, id * 1.5 AS x FROM people WHERE id > 1 ORDER BY id").as_pandas()
        query_id = cur.query_id
        unloaded = conn.cursor(unload=True).execute(          # Parquet through the subset
            "SELECT name FROM people WHERE id < 3 ORDER BY id").as_pandas()
    assert sorted(unloaded["name"]) == ["alice", "bob"]
    assert df.to_dict("list") == {"id": [2, 3], "name": ["bob", "carol"], "x": [3.0, 4.5]}
    assert str(df["id"].dtype) == "Int64"          # PyAthena reads an Athena integer so
    assert (results / "pyathena" / f"{query_id}.csv").read_text() == \
        '"id","name","x"\n"2","bob","3.0"\n"3","carol","4.5"\n'
    assert (results / "pyathena" / f"{query_id}.csv.metadata").exists()


def test_pyarrow_reaches_the_subset(server, results, monkeypatch):
    """pyarrow's S3FileSystem constructor ignores AWS_ENDPOINT_URL*: it takes the endpoint as
    endpoint_override (with scheme='http'); FileSystem.from_uri reads AWS_ENDPOINT_URL_S3."""
    from pyarrow import fs
    (results / "r.csv").write_bytes(b"a,b\n1,2\n")
    host = server.url.removeprefix("http://")
    s3fs = fs.S3FileSystem(endpoint_override=host, scheme="http", region="us-east-1",
                           access_key="testing", secret_key="testing")
    assert [i.path for i in s3fs.get_file_info(fs.FileSelector("results/", recursive=True))] == \
        ["results/r.csv"]
    with s3fs.open_input_file("results/r.csv") as f:
        assert f.read() == b"a,b\n1,2\n"
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", server.url)
    uri_fs, path = fs.FileSystem.from_uri("s3://results/r.csv?region=us-east-1")
    with uri_fs.open_input_file(path) as f:
        assert f.read() == b"a,b\n1,2\n"


def test_awswrangler_reads_results_and_lists_through_the_subset(server, results):
    wr = pytest.importorskip("awswrangler")
    df = wr.athena.read_sql_query("SELECT 1 AS a, 'x' AS b, DATE '2024-02-29' AS d",
                                  database="default", ctas_approach=False,
                                  s3_output="s3://results/wr/")
    assert df.to_dict("list") == {"a": [1], "b": ["x"], "d": [datetime.date(2024, 2, 29)]}
    listed = wr.s3.list_objects("s3://results/wr/")
    assert len(listed) == 2 and all(k.startswith("s3://results/wr/") for k in listed)
    assert sorted(k.rsplit(".", 1)[-1] for k in listed) == ["csv", "metadata"]
    wr.s3.delete_objects("s3://results/wr/")
    assert wr.s3.list_objects("s3://results/") == []


def test_awswrangler_ctas_and_unload_through_glue_and_the_subset(server, results):
    """awswrangler's defaults: CTAS to a temporary Glue table, its Parquet read through the
    subset, then the table dropped through Glue and (keep_files=False) the files deleted."""
    wr = pytest.importorskip("awswrangler")
    sql = "SELECT x AS n, CAST(x AS varchar) AS s FROM UNNEST(sequence(1, 3)) AS t(x)"
    df = wr.athena.read_sql_query(sql, database="default", s3_output="s3://results/ctas/",
                                  keep_files=False)
    assert df.sort_values("n").to_dict("list") == {"n": [1, 2, 3], "s": ["1", "2", "3"]}
    assert wr.catalog.tables(database="default").empty            # the temporary table is gone
    assert not any(p.suffix == ".parquet" for p in results.rglob("*"))
    df = wr.athena.read_sql_query(sql, database="default", ctas_approach=False,
                                  unload_approach=True, s3_output="s3://results/unload/")
    assert sorted(df["n"].tolist()) == [1, 2, 3]
    assert [p.name.endswith(".parquet") for p in (results / "unload").iterdir()].count(True) == 1


def test_policies_govern_s3_and_glue(parthenon_home, results, tmp_path, monkeypatch):
    """Per-key policies (policy.py) apply to the S3 subset (s3:<Action> on
    arn:aws:s3:::bucket/key) and to Glue (glue:<Action> on catalog, database, table)."""
    import json
    for name, value in {**ACCESS, "PARTHENON_ACCESS_KEYS": "admin:admin,reader:reader"}.items():
        monkeypatch.setenv(name, value)
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"Users": {
        "admin": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
        "reader": {"Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
             "Resource": ["arn:aws:s3:::results", "arn:aws:s3:::results/public/*"]},
            {"Effect": "Allow", "Action": "glue:Get*", "Resource": "*"}]}}}))
    server = start_server(parthenon_home, s3_buckets={"results": results}, policy_file=str(policy))
    try:
        def client(service, key):
            return boto3.client(service, endpoint_url=server.url, region_name="us-east-1",
                                aws_access_key_id=key, aws_secret_access_key=key)
        admin, reader = client("s3", "admin"), client("s3", "reader")
        admin.put_object(Bucket="results", Key="public/a.csv", Body=b"a")
        admin.put_object(Bucket="results", Key="private/b.csv", Body=b"b")
        assert reader.get_object(Bucket="results", Key="public/a.csv")["Body"].read() == b"a"
        assert [o["Key"] for o in reader.list_objects_v2(Bucket="results")["Contents"]] == \
            ["private/b.csv", "public/a.csv"]
        assert code_of(reader.get_object, Bucket="results", Key="private/b.csv") == \
            (403, "AccessDenied", "Access Denied")
        assert code_of(reader.put_object, Bucket="results", Key="public/c.csv", Body=b"c") == \
            (403, "AccessDenied", "Access Denied")
        result = reader.delete_objects(Bucket="results", Delete={"Objects": [{"Key": "public/a.csv"}]})
        assert result["Errors"] == [{"Key": "public/a.csv", "Code": "AccessDenied",
                                     "Message": "Access Denied"}]
        glue = client("glue", "reader")
        assert [d["Name"] for d in glue.get_databases()["DatabaseList"]] == ["default"]
        code, message = code_of(glue.create_database, DatabaseInput={"Name": "mine"})[1:]
        assert code == "AccessDeniedException" and message.startswith(
            "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: "
            "glue:CreateDatabase on resource: arn:aws:glue:us-east-1:123456789012:catalog")
        client("glue", "admin").create_database(DatabaseInput={"Name": "mine"})
    finally:
        stop_server(server)
        bucket_folders.configure({})


def test_output_check_uses_the_mapped_folder_not_an_s3(server, results, monkeypatch):
    """A mapped bucket is a local folder: StartQueryExecution's output check must not ask an
    S3 about it (the JDBC driver's first query at connect, with no S3 anywhere)."""
    from parthenon.storage import s3 as s3_storage
    from test_server_support import run
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9")     # no S3 answers there
    s3_storage._client_for.cache_clear()
    athena = boto3.client("athena", endpoint_url=server.url)
    try:
        qid, q = run(athena, "SELECT 1", output="s3://results/checked/")
        assert q["Status"]["State"] == "SUCCEEDED"
        assert (results / "checked" / f"{qid}.csv").read_text() == '"_col0"\n"1"\n'
        with pytest.raises(athena.exceptions.InvalidRequestException) as e:
            athena.start_query_execution(QueryString="SELECT 1",
                                         ResultConfiguration={"OutputLocation": "s3://unmapped/x/"})
        assert e.value.response["Error"]["Message"] == "Unable to verify/create output bucket unmapped"
    finally:
        s3_storage._client_for.cache_clear()
