"""AWS Signature Version 4, verified on the server side.

The client signs with botocore; we rebuild the canonical request from what
arrived, using exactly the headers the client says it signed (SignedHeaders),
and compare signatures in constant time.  Refusals use AWS's error types:
- no Authorization header: MissingAuthenticationTokenException (what AWS answers
  an unsigned JSON request);
- an access key we don't know: UnrecognizedClientException;
- a wrong signature, a wrong body hash, or a timestamp more than 5 minutes off:
  InvalidSignatureException (AWS's own message texts);
- a credential scope naming another service than the route called (routes.py),
  or X-Amz-Content-SHA256: UNSIGNED-PAYLOAD on a route other than S3's:
  InvalidSignatureException.  (Unsigned payloads would let a captured request be
  replayed with any other body while its signature is fresh.)

Keys come from PARTHENON_ACCESS_KEYS ("ID:SECRET,ID:SECRET"), --access-keys-file
(one ID:SECRET a line), or a pair generated on first start and kept in
PARTHENON_HOME/access-keys (mode 0600).
"""
from __future__ import annotations

import datetime
import hashlib
import hmac
import os
import re
import secrets
import string
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..service.errors import ServiceError

MAX_SKEW = datetime.timedelta(minutes=5)
_AUTH = re.compile(r"AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request,\s*"
                   r"SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})")


class AuthError(ServiceError):
    status = 400

    def __init__(self, type_: str, message: str, status: int = 400):
        super().__init__(message)
        self.type, self.status = type_, status

    def body(self) -> dict:
        return {"__type": self.type, "message": self.message}


def parse_keys(text: str) -> dict[str, str]:
    keys = {}
    for item in re.split(r"[,\n]", text):
        item = item.strip()
        if item and not item.startswith("#"):
            key_id, sep, secret = item.partition(":")
            if not sep or not key_id or not secret:
                raise ValueError(f"bad access key entry (want KEYID:SECRET): {item[:20]!r}")
            keys[key_id.strip()] = secret.strip()
    return keys


def load_keys(home: Path, keys_file: str | None = None) -> tuple[dict[str, str], str | None]:
    """The server's keys, and a message to print when a pair was just generated."""
    if os.environ.get("PARTHENON_ACCESS_KEYS"):
        return parse_keys(os.environ["PARTHENON_ACCESS_KEYS"]), None
    if keys_file:
        return parse_keys(Path(keys_file).read_text()), None
    path = home / "access-keys"
    if path.exists():
        return parse_keys(path.read_text()), None
    key_id = "AKPT" + "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(16))
    secret = secrets.token_urlsafe(30)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(f"{key_id}:{secret}\n")
    return {key_id: secret}, (f"Generated an access key pair (stored in {path}):\n"
                              f"  AWS_ACCESS_KEY_ID={key_id}\n  AWS_SECRET_ACCESS_KEY={secret}")


def _sign(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def _canonical_query(query: str) -> str:
    pairs = []
    for part in query.split("&") if query else []:
        k, _, v = part.partition("=")
        pairs.append((quote(_unquote(k), safe="-_.~"), quote(_unquote(v), safe="-_.~")))
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


def _unquote(s: str) -> str:
    from urllib.parse import unquote
    return unquote(s)


@dataclass
class Credential:
    """What the headers of a SigV4 request say, checked as far as headers allow."""
    key_id: str
    secret: str
    day: str
    region: str
    service: str
    signed: str
    signature: str
    amz_date: str
    claimed: str | None        # X-Amz-Content-SHA256 as sent (a hash, or UNSIGNED-PAYLOAD for S3)
    verified: bool = False     # the signature already checked against the claimed hash


_UNSIGNED = ("UNSIGNED-PAYLOAD", "STREAMING-")   # S3's payload modes that don't hash the body
_SHA256 = re.compile(r"[0-9a-f]{64}")


class Verifier:
    """Checks a request in two steps, so a bad request is refused before its body is read:
    `check_headers` (key, date, scope, payload mode and, when the body hash is in the
    headers, the signature itself), then `check_body` (the body against the signature)."""

    def __init__(self, keys: dict[str, str]):
        self.keys = keys

    def verify(self, method: str, path: str, headers, body: bytes, service: str = "athena",
               unsigned_payload: bool = False, now=None) -> str:
        """The caller's access key id, or AuthError."""
        cred = self.check_headers(method, path, headers, service, unsigned_payload, now)
        return self.check_body(cred, method, path, headers, body)

    def check_headers(self, method: str, path: str, headers, service: str | None,
                      unsigned_payload: bool = False, now=None) -> Credential:
        auth = headers.get("Authorization")
        if not auth:
            raise AuthError("MissingAuthenticationTokenException", "Missing Authentication Token", 403)
        m = _AUTH.fullmatch(auth.strip())
        if not m:
            raise AuthError("IncompleteSignatureException",
                            "Authorization header requires 'Credential', 'Signature' and "
                            "'SignedHeaders' parameters in the AWS4-HMAC-SHA256 form.")
        key_id, day, region, scope_service, signed, signature = m.groups()
        secret = self.keys.get(key_id)
        if secret is None:
            raise AuthError("UnrecognizedClientException",
                            "The security token included in the request is invalid.")
        amz_date = headers.get("X-Amz-Date") or ""
        try:
            when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            raise AuthError("IncompleteSignatureException",
                            "Authorization header requires existence of either a 'X-Amz-Date' "
                            "or a 'Date' header.") from None
        now = now or datetime.datetime.now(datetime.timezone.utc)
        if abs(now - when) > MAX_SKEW:
            stamp = "%Y%m%dT%H%M%SZ"
            raise AuthError("InvalidSignatureException",
                            f"Signature expired: {amz_date} is now earlier than "
                            f"{(now - MAX_SKEW).strftime(stamp)} ({now.strftime(stamp)} - 5 min.)"
                            if when < now else
                            f"Signature not yet current: {amz_date} is still later than "
                            f"{(now + MAX_SKEW).strftime(stamp)} ({now.strftime(stamp)} + 5 min.)")
        if service is not None and scope_service != service:
            raise AuthError("InvalidSignatureException",
                            f"Credential should be scoped to correct service: '{service}'.")
        if day != amz_date[:8]:
            raise AuthError("InvalidSignatureException", "Credential should be scoped to a valid date.")
        names = signed.split(";")
        if "host" not in names:
            raise AuthError("InvalidSignatureException", "'Host' must be a signed header")
        claimed = headers.get("X-Amz-Content-SHA256")
        if claimed is not None and not _SHA256.fullmatch(claimed):
            if not (unsigned_payload and claimed.startswith(_UNSIGNED)):
                # a captured request could be replayed with any other body for 5 minutes
                raise AuthError("InvalidSignatureException",
                                f"x-amz-content-sha256 must be the SHA-256 of the request body for "
                                f"this API ({claimed[:40]!r} is accepted by S3 only).")
        cred = Credential(key_id, secret, day, region, scope_service, signed, signature,
                          amz_date, claimed)
        if claimed is not None:      # the signature covers the claimed hash: check it now
            self._check_signature(cred, method, path, headers, claimed)
            cred.verified = True
        return cred

    def check_body(self, cred: Credential, method: str, path: str, headers, body: bytes) -> str:
        """The caller's access key id once the body matches what was signed, or AuthError."""
        if cred.claimed is not None and cred.claimed.startswith(_UNSIGNED):
            return cred.key_id       # allowed by check_headers for S3 routes only
        body_hash = hashlib.sha256(body).hexdigest()
        if cred.claimed is not None and cred.claimed != body_hash:
            raise AuthError("InvalidSignatureException",
                            "The provided 'x-amz-content-sha256' header does not match what was computed.")
        if not cred.verified:
            self._check_signature(cred, method, path, headers, body_hash)
        return cred.key_id

    def _check_signature(self, cred: Credential, method: str, path: str, headers, payload_hash: str) -> None:
        canonical_headers = "".join(
            f"{n}:{' '.join((headers.get(n) or '').split())}\n" for n in cred.signed.split(";"))
        raw_path, _, query = path.partition("?")
        canonical = "\n".join([method, quote(raw_path, safe="/-_.~%"), _canonical_query(query),
                               canonical_headers, cred.signed, payload_hash])
        scope = f"{cred.day}/{cred.region}/{cred.service}/aws4_request"
        to_sign = "\n".join(["AWS4-HMAC-SHA256", cred.amz_date, scope,
                             hashlib.sha256(canonical.encode()).hexdigest()])
        k = _sign(_sign(_sign(_sign(("AWS4" + cred.secret).encode(), cred.day), cred.region),
                        cred.service), "aws4_request")
        expected = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, cred.signature):
            raise AuthError("InvalidSignatureException",
                            "The request signature we calculated does not match the signature you "
                            "provided. Check your AWS Secret Access Key and signing method. Consult "
                            "the service documentation for details.")
