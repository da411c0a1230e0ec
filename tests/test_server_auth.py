"""SigV4 on the server: signed clients pass; unsigned, unknown-key, wrong-signature and
stale requests are refused with AWS's error types and run nothing."""
from __future__ import annotations

import datetime
import json
import urllib.request

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest

from parthenon.server.auth import Verifier, load_keys
from test_server_support import athena, athena_server  # noqa: F401

TARGET = {"X-Amz-Target": "AmazonAthena.ListWorkGroups",
          "Content-Type": "application/x-amz-json-1.1"}


def post(url, headers, body=b"{}"):
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def signed_headers(url, key_id, secret, body=b"{}", when=None):
    req = botocore.awsrequest.AWSRequest("POST", url, data=body, headers=dict(TARGET))
    signer = botocore.auth.SigV4Auth(botocore.credentials.Credentials(key_id, secret), "athena", "us-east-1")
    if when is None:
        signer.add_auth(req)
    else:   # botocore stamps "now"; sign as if at another time
        import unittest.mock
        with unittest.mock.patch("botocore.auth.get_current_datetime", return_value=when):
            signer.add_auth(req)
    return dict(req.headers.items())


def test_signed_boto3_client_is_accepted(athena):
    assert athena.list_work_groups()["WorkGroups"][0]["Name"] == "primary"


def test_unsigned_request_is_refused(athena_server):
    status, body = post(athena_server.url, TARGET)
    assert (status, body["__type"]) == (403, "MissingAuthenticationTokenException")


def test_unknown_key_and_wrong_secret(athena_server):
    for key_id, secret, expected in (("AKIDUNKNOWN", "testing", "UnrecognizedClientException"),
                                     ("testing", "wrong", "InvalidSignatureException")):
        client = boto3.client("athena", endpoint_url=athena_server.url, region_name="us-east-1",
                              aws_access_key_id=key_id, aws_secret_access_key=secret)
        with pytest.raises(client.exceptions.ClientError) as e:
            client.start_query_execution(QueryString="CREATE DATABASE should_not_exist")
        assert e.value.response["Error"]["Code"] == expected
    assert "should_not_exist" not in [d.name for d in athena_server.service.catalog.list_databases()]
    assert athena_server.service.store.list_execution_ids("primary", 0, 10) == []


def test_tampered_body_is_refused(athena_server):
    headers = signed_headers(athena_server.url, "testing", "testing", b'{"MaxResults": 1}')
    status, body = post(athena_server.url, headers, b'{"MaxResults": 2}')
    assert body["__type"] == "InvalidSignatureException"


def test_stale_timestamp_is_refused(athena_server):
    old = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(minutes=20)
    headers = signed_headers(athena_server.url, "testing", "testing", when=old)
    status, body = post(athena_server.url, headers)
    assert body["__type"] == "InvalidSignatureException"
    assert body["message"].startswith("Signature expired: ")
    ok = signed_headers(athena_server.url, "testing", "testing")
    assert post(athena_server.url, ok)[0] == 200


def test_keys_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("PARTHENON_ACCESS_KEYS", raising=False)
    keys, message = load_keys(tmp_path)
    (key_id, secret), = keys.items()
    assert key_id in message and secret in message
    assert (tmp_path / "access-keys").stat().st_mode & 0o777 == 0o600
    assert load_keys(tmp_path) == (keys, None)
    keyfile = tmp_path / "keys.txt"
    keyfile.write_text("A:1\nB:2\n")
    assert load_keys(tmp_path, str(keyfile))[0] == {"A": "1", "B": "2"}
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "X:y,Z:w")
    assert load_keys(tmp_path)[0] == {"X": "y", "Z": "w"}


def test_verifier_matches_botocore_signatures():
    v = Verifier({"K": "S"})
    url = "http://127.0.0.1:9/"
    headers = signed_headers(url, "K", "S")
    headers["Host"] = "127.0.0.1:9"
    assert v.verify("POST", "/", _CI(headers), b"{}") == "K"


class _CI(dict):
    """Case-insensitive header lookup, like http.server's message object."""
    def get(self, key, default=None):
        for k, v in self.items():
            if k.lower() == key.lower():
                return v
        return default
