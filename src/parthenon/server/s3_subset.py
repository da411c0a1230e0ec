"""A subset of the S3 REST API on the server's port, for the buckets the operator maps to
local folders (`storage.bucket_folders`), so that clients reading Athena results by their
s3:// URL (PyAthena's Pandas and Arrow cursors, awswrangler) need no other S3.

Served, path-style (`/bucket/key`), SigV4 header auth scoped to `s3` (payload hash real,
UNSIGNED-PAYLOAD or streaming; checked by the server before the handler, `routes.py`):
HeadBucket, GetBucketLocation,
ListObjectsV2 (prefix, delimiter, max-keys, start-after, continuation) and ListObjects,
HeadObject, GetObject (one byte range), PutObject (written under a temporary name, then
renamed), DeleteObject, DeleteObjects.  Answers and errors are S3's XML (NoSuchBucket,
NoSuchKey, AccessDenied, InvalidRange, SignatureDoesNotMatch, ...).  Not served: any
bucket that is not mapped (NoSuchBucket), keys that would leave their folder
(AccessDenied), multipart uploads, copies, versions, ACLs, tags, presigned URLs.
"""
from __future__ import annotations

import base64
import datetime
import email.utils
import hashlib
import logging
import mimetypes
import os
import re
import uuid
from pathlib import Path
from urllib.parse import parse_qsl, unquote
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from ..storage import bucket_folders
from .routes import Request, Response

log = logging.getLogger(__name__)
NS = "http://s3.amazonaws.com/doc/2006-03-01/"
REGION = "us-east-1"
MAX_BODY = 1 << 30           # an object PUT or GET in one request (held in memory)
MAX_DELETE_BODY = 4 << 20


class S3Error(Exception):
    def __init__(self, status: int, code: str, message: str, **fields: str):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields


def route(request: Request) -> Response:
    """The S3 route's handler (`routes.ROUTES`): one request, signature already checked."""
    try:
        return _route(request)
    except S3Error as e:
        return _error_response(e, request.request_id)
    except OSError as e:           # the folder itself: unreadable, full disk, ...
        log.warning("S3 subset: %s %s: %s", request.method, request.path, e)
        return _error_response(S3Error(500, "InternalError", "We encountered an internal error. "
                                       "Please try again."), request.request_id)


def render_error(status: int, type_: str, message: str, request_id: str) -> tuple[int, bytes, str]:
    """A refusal decided before the handler (signature, Content-Length), in S3's XML."""
    code, status, fixed = _REFUSALS.get(type_, ("InvalidRequest", status, None))
    body = _error_xml(S3Error(status, code, fixed or message), request_id)
    return status, body, "application/xml"


# The server's refusals in S3's words: S3 answers 403 with its own codes, not the JSON APIs'.
_REFUSALS = {
    "MissingAuthenticationTokenException": ("AccessDenied", 403, "Access Denied"),
    "UnrecognizedClientException": ("InvalidAccessKeyId", 403, "The AWS Access Key Id you "
                                    "provided does not exist in our records."),
    "IncompleteSignatureException": ("AuthorizationHeaderMalformed", 400, None),
    "InvalidSignatureException": ("SignatureDoesNotMatch", 403, None),
    "LengthRequiredException": ("MissingContentLength", 411, None),
    "RequestEntityTooLargeException": ("EntityTooLarge", 400, None),
    "RequestTimeoutException": ("RequestTimeout", 400, None),
}


def _error_xml(e: S3Error, request_id: str) -> bytes:
    return _xml("Error", [("Code", e.code), ("Message", e.message), *e.fields.items(),
                          ("RequestId", request_id)], namespace=False)


def _error_response(e: S3Error, request_id: str) -> Response:
    return Response(e.status, _error_xml(e, request_id), "application/xml",
                    {"x-amz-request-id": request_id})


def _route(request: Request) -> Response:
    params = dict(parse_qsl(request.query, keep_blank_values=True))
    bucket, _, key = unquote(request.path.lstrip("/")).partition("/")
    method, rid = request.method, request.request_id
    root = bucket_folders.folder(bucket)
    if root is None:
        raise S3Error(404, "NoSuchBucket", "The specified bucket does not exist",
                      BucketName=bucket)
    allow = _permission(request.principal)
    if not key:
        if method == "HEAD":
            allow("s3:ListBucket", bucket)
            return _answer(200, b"", {"x-amz-bucket-region": REGION}, rid)
        if method == "GET" and "location" in params:
            allow("s3:GetBucketLocation", bucket)
            return _answer(200, _xml("LocationConstraint", [], text=""), _XML, rid)
        if method == "GET":
            allow("s3:ListBucket", bucket)
            return _answer(200, _list(bucket, root, params), _XML, rid)
        if method == "POST" and "delete" in params:
            return _answer(200, _delete_many(bucket, request.body, allow), _XML, rid)
        raise S3Error(405, "MethodNotAllowed", "The specified method is not allowed against "
                      "this resource.")
    if any(p in params for p in ("uploads", "uploadId", "acl", "tagging", "versionId")) or \
            request.headers.get("x-amz-copy-source"):
        raise S3Error(501, "NotImplemented", "Parthenon's S3 subset serves GET, HEAD, PUT and "
                      "DELETE of whole objects only (no multipart uploads, copies, ACLs, tags "
                      "or versions)")
    if method in ("GET", "HEAD"):
        allow("s3:GetObject", f"{bucket}/{key}")
        return _get(request, _path(bucket, key), key)
    if method == "PUT":
        allow("s3:PutObject", f"{bucket}/{key}")
        return _put(_path(bucket, key), key, _payload(request), rid)
    if method == "DELETE":
        allow("s3:DeleteObject", f"{bucket}/{key}")
        _delete(bucket, key)
        return _answer(204, b"", {}, rid)
    raise S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this "
                  "resource.")


def _permission(principal):
    """allow(action, "bucket[/key]"): AccessDenied unless the caller's policy (policy.py)
    allows the S3 action on `arn:aws:s3:::bucket[/key]`, as IAM would."""
    def allow(action: str, resource: str) -> None:
        if principal is not None and not principal.allowed(action, f"arn:aws:s3:::{resource}"):
            raise S3Error(403, "AccessDenied", "Access Denied")
    return allow


def _answer(status: int, body: bytes, headers: dict, request_id: str) -> Response:
    headers = {"x-amz-request-id": request_id, **headers}
    return Response(status, body, headers.pop("Content-Type", "application/xml"), headers)


_XML = {"Content-Type": "application/xml"}


# -- objects -----------------------------------------------------------------------------------

def _path(bucket: str, key: str) -> Path:
    try:
        return bucket_folders.path_of(bucket, key)
    except bucket_folders.OutsideFolder:
        raise S3Error(403, "AccessDenied", "Access Denied") from None


def _etag(st: os.stat_result) -> str:
    # Not the content's MD5 (that would read every file a listing names): stable for an
    # unchanged file, different after a rewrite, which is what readers compare.
    return '"' + hashlib.md5(f"{st.st_size}-{st.st_mtime_ns}".encode()).hexdigest() + '"'


def _object_headers(path: Path, st: os.stat_result) -> dict[str, str]:
    return {"Content-Type": mimetypes.guess_type(path.name)[0] or "application/octet-stream",
            "ETag": _etag(st), "Last-Modified": email.utils.formatdate(st.st_mtime, usegmt=True),
            "Accept-Ranges": "bytes"}


def _get(request: Request, path: Path, key: str) -> Response:
    try:
        st = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        st = None
    if st is None or not path.is_file():
        raise S3Error(404, "NoSuchKey", "The specified key does not exist.", Key=key)
    headers = _object_headers(path, st)
    start, end, status = 0, st.st_size - 1, 200
    spec = request.headers.get("Range")
    if spec:
        start, end = _byte_range(spec, st.st_size)
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end}/{st.st_size}"
    length = max(0, end - start + 1)
    if length > MAX_BODY:
        raise S3Error(400, "InvalidRequest", f"Objects over {MAX_BODY} bytes are served in "
                      "ranges only: ask for a Range")
    body = b""
    if request.method == "GET":
        with open(path, "rb") as f:
            f.seek(start)
            body = f.read(length)
    headers["Content-Length"] = str(length)     # HEAD too: the size a GET would send
    return _answer(status, body, headers, request.request_id)


def _byte_range(spec: str, size: int) -> tuple[int, int]:
    """One `bytes=a-b`, `bytes=a-` or `bytes=-n` range, clipped to the object (S3's rules)."""
    m = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", spec)
    if not m or m.groups() == ("", ""):
        return 0, size - 1                 # S3 ignores a Range it cannot read
    first, last = m.groups()
    if first == "":
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start >= size or (last and first and int(last) < start) or (first == "" and int(last) == 0):
        raise S3Error(416, "InvalidRange", "The requested range is not satisfiable",
                      RangeRequested=spec.strip(), ActualObjectSize=str(size))
    return start, end


def _put(path: Path, key: str, body: bytes, request_id: str) -> Response:
    if key.endswith("/"):                  # a "folder" marker: the folder itself
        if body:
            raise S3Error(400, "InvalidArgument", "A key ending in '/' names a folder here "
                          "and cannot hold data")
        path.mkdir(parents=True, exist_ok=True)
        return _answer(200, b"", {"ETag": '"d41d8cd98f00b204e9800998ecf8427e"'}, request_id)
    if path.is_dir():
        raise S3Error(409, "InvalidArgument", f"Key {key} is a folder of other keys here")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_bytes(body)
    os.replace(tmp, path)                  # readers see no object or the whole object
    return _answer(200, b"", {"ETag": _etag(path.stat())}, request_id)


def _delete(bucket: str, key: str) -> None:
    """S3 deletes a missing key without complaint; emptied folders go too (S3 has none)."""
    path, root = _path(bucket, key), bucket_folders.folder(bucket)
    try:
        path.rmdir() if key.endswith("/") else path.unlink()
    except (FileNotFoundError, NotADirectoryError):
        return
    except IsADirectoryError:
        raise S3Error(409, "InvalidArgument", f"Key {key} is a folder of other keys here") from None
    except OSError:          # a folder marker over a folder that still holds keys
        return
    parent = path.parent
    while parent != root and root in parent.parents:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


def _delete_many(bucket: str, body: bytes, allow) -> bytes:
    if len(body) > MAX_DELETE_BODY:
        raise S3Error(400, "MalformedXML", "The XML you provided was not well-formed")
    try:
        doc = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        raise S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did "
                      "not validate against our published schema") from None
    ns = {"s3": NS} if doc.tag.startswith("{") else {}
    find = (lambda el, tag: el.findall(f"s3:{tag}", ns)) if ns else (lambda el, tag: el.findall(tag))
    quiet = any((q.text or "").strip().lower() == "true" for q in find(doc, "Quiet"))
    done, failed = [], []
    for obj in find(doc, "Object"):
        keys = find(obj, "Key")
        key = keys[0].text if keys and keys[0].text else ""
        try:
            allow("s3:DeleteObject", f"{bucket}/{key}")
            _delete(bucket, key)
            done.append(("Deleted", [("Key", key)]))
        except S3Error as e:
            failed.append(("Error", [("Key", key), ("Code", e.code), ("Message", e.message)]))
    return _xml("DeleteResult", ([] if quiet else done) + failed)


# -- listings ----------------------------------------------------------------------------------

def _keys(root: Path, prefix: str):
    """(key, stat) of every file under root whose key starts with prefix, in S3's key order.
    Half-written files (the `.name.<hex>.tmp` of a PUT in progress) are not objects yet."""
    start_dir = prefix.rsplit("/", 1)[0] if "/" in prefix else ""
    base = root.joinpath(*[p for p in start_dir.split("/") if p]) if start_dir else root
    real = os.path.realpath(base)
    if real != str(root) and not real.startswith(str(root) + os.sep):
        return

    def walk(folder: str, rel: str):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in sorted(entries, key=lambda e: e.name + ("/" if e.is_dir() else "")):
            key = rel + entry.name
            if entry.is_dir(follow_symlinks=False):
                if (key + "/").startswith(prefix) or prefix.startswith(key + "/"):
                    yield from walk(entry.path, key + "/")
            elif entry.is_file(follow_symlinks=False) and key.startswith(prefix) and \
                    not (entry.name.startswith(".") and entry.name.endswith(".tmp")):
                yield key, entry.stat()
    yield from walk(str(base), start_dir + "/" if start_dir else "")


def _list(bucket: str, root: Path, params: dict) -> bytes:
    v2 = params.get("list-type") == "2"
    prefix, delimiter = params.get("prefix", ""), params.get("delimiter", "")
    try:
        max_keys = min(1000, int(params.get("max-keys", "1000")))
        if max_keys < 0:
            raise ValueError
    except ValueError:
        raise S3Error(400, "InvalidArgument", "Provided max-keys not an integer or within "
                      "integer range", ArgumentName="max-keys") from None
    token = params.get("continuation-token")
    after = params.get("start-after", "") if v2 else params.get("marker", "")
    if token:
        try:
            after = base64.urlsafe_b64decode(token.encode()).decode()
        except ValueError:
            raise S3Error(400, "InvalidArgument", "The continuation token provided is incorrect",
                          ArgumentName="continuation-token") from None
    contents, prefixes, truncated, last = [], [], False, ""
    for key, st in _keys(root, prefix):
        if key <= after or (after.endswith(delimiter or "\0") and delimiter and key.startswith(after)):
            continue
        rest = key[len(prefix):]
        common = prefix + rest[:rest.index(delimiter) + len(delimiter)] \
            if delimiter and delimiter in rest else None
        if common is not None and prefixes and prefixes[-1] == common:
            continue
        if len(contents) + len(prefixes) >= max_keys:
            truncated = True
            break
        if common is not None:
            prefixes.append(common)
            last = common
        else:
            contents.append((key, st))
            last = key
    fields = [("Name", bucket), ("Prefix", prefix)]
    if v2:
        if token:
            fields.append(("ContinuationToken", token))
        if params.get("start-after"):
            fields.append(("StartAfter", params["start-after"]))
        fields.append(("KeyCount", str(len(contents) + len(prefixes))))
    else:
        fields.append(("Marker", params.get("marker", "")))
    fields.append(("MaxKeys", str(max_keys)))
    if delimiter:
        fields.append(("Delimiter", delimiter))
    fields.append(("IsTruncated", "true" if truncated else "false"))
    if truncated and v2:
        fields.append(("NextContinuationToken", base64.urlsafe_b64encode(last.encode()).decode()))
    elif truncated and delimiter:
        fields.append(("NextMarker", last))
    for key, st in contents:
        fields.append(("Contents", [
            ("Key", key), ("LastModified", _iso(st.st_mtime)), ("ETag", _etag(st)),
            ("Size", str(st.st_size)), ("StorageClass", "STANDARD")]))
    for common in prefixes:
        fields.append(("CommonPrefixes", [("Prefix", common)]))
    return _xml("ListBucketResult", fields)


# -- wire --------------------------------------------------------------------------------------

def _iso(epoch: float) -> str:
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _xml(root: str, fields: list, namespace: bool = True, text: str | None = None) -> bytes:
    def render(items) -> str:
        out = []
        for name, value in items:
            inner = render(value) if isinstance(value, list) else escape(value)
            out.append(f"<{name}>{inner}</{name}>")
        return "".join(out)
    attr = f' xmlns="{NS}"' if namespace else ""
    inner = escape(text) if text is not None else render(fields)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}{attr}>{inner}</{root}>'.encode()


def _payload(request: Request) -> bytes:
    """The object's bytes: aws-chunked bodies (boto3's streaming uploads) unwrapped."""
    sha = request.headers.get("X-Amz-Content-SHA256") or ""
    if sha.startswith("STREAMING-") or "aws-chunked" in (request.headers.get("Content-Encoding") or ""):
        return _dechunk(request.body)
    return request.body


def _dechunk(data: bytes) -> bytes:
    """aws-chunked: `<hex size>[;chunk-signature=...]\\r\\n<bytes>\\r\\n` ... `0` then trailers."""
    out, pos = bytearray(), 0
    while True:
        eol = data.find(b"\r\n", pos)
        if eol < 0:
            raise S3Error(400, "IncompleteBody", "The request body is not valid aws-chunked data")
        try:
            size = int(data[pos:eol].split(b";")[0], 16)
        except ValueError:
            raise S3Error(400, "IncompleteBody", "The request body is not valid aws-chunked data") \
                from None
        if size == 0:
            return bytes(out)
        out += data[eol + 2:eol + 2 + size]
        pos = eol + 2 + size + 2
