"""Permissions per access key, in the shape of IAM identity policies.

The policy file (`parthenon serve --policy-file FILE`) is JSON:

    {"Account": "123456789012",
     "Users": {
       "AKIDALICE": {"Version": "2012-10-17", "Statement": [
           {"Effect": "Allow", "Action": "athena:*",
            "Resource": "arn:aws:athena:*:*:workgroup/alice*"}]},
       "AKIDBOB": {"Statement": [
           {"Effect": "Allow", "Action": ["athena:StartQueryExecution", "athena:Get*"],
            "Resource": "arn:aws:athena:*:*:workgroup/bob"},
           {"Effect": "Deny", "Action": "glue:Delete*", "Resource": "*"}]}}}

Evaluation is IAM's: an explicit Deny wins, then an Allow, otherwise the request is
denied.  `Action`/`NotAction` and `Resource`/`NotResource` take a string or a list,
with `*` and `?` wildcards; actions compare case-insensitively, resources exactly.
A key the file does not name may do nothing.  Without a policy file every key is
an administrator (today's behaviour: one key, one operator).  Conditions and
principals are not supported and refused when the file is read, rather than
silently ignored.  The account (default 123456789012, or PARTHENON_ACCOUNT_ID)
appears in every ARN: users `arn:aws:iam::<account>:user/<key id>`, workgroups
`arn:aws:athena:<region>:<account>:workgroup/<name>`, Glue's
`arn:aws:glue:<region>:<account>:catalog|database/<db>|table/<db>/<table>`.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..service import ServiceError

DEFAULT_ACCOUNT = "123456789012"     # AWS's documentation account, as moto uses
_STATEMENT_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource"}


class AccessDenied(ServiceError):
    type = "AccessDeniedException"
    status = 400


class PolicyError(ValueError):
    """A policy file that cannot be used; the message says where."""


@lru_cache(maxsize=1024)
def _pattern(glob: str, ignore_case: bool) -> re.Pattern:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    return re.compile(regex, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def _matches(globs: tuple[str, ...], value: str, ignore_case: bool) -> bool:
    return any(_pattern(g, ignore_case).fullmatch(value) for g in globs)


@dataclass(frozen=True)
class Statement:
    effect: str                      # "Allow" | "Deny"
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    not_action: bool = False
    not_resource: bool = False

    def applies(self, action: str, resource: str) -> bool:
        return (_matches(self.actions, action, True) != self.not_action
                and _matches(self.resources, resource, False) != self.not_resource)

    def names_action(self, action: str) -> bool:
        return _matches(self.actions, action, True) != self.not_action


@dataclass(frozen=True)
class Principal:
    """Who is calling: an access key id and what its policy allows (None: administrator)."""
    key_id: str
    account: str = DEFAULT_ACCOUNT
    statements: tuple[Statement, ...] | None = None
    region: str = "us-east-1"     # of the request: the region its credential scope names

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{self.account}:user/{self.key_id}"

    def decision(self, action: str, resource: str) -> str:
        """"Allow", "Deny" (an explicit Deny) or "NoAllow"."""
        if self.statements is None:
            return "Allow"
        applying = [s.effect for s in self.statements if s.applies(action, resource)]
        return "Deny" if "Deny" in applying else "Allow" if applying else "NoAllow"

    def allowed(self, action: str, resource: str) -> bool:
        return self.decision(action, resource) == "Allow"

    def may_ever(self, action: str) -> bool:
        """Whether some Allow names this action (for list actions that AWS checks on no
        resource: they are allowed, and their answer filtered to what may be used)."""
        if self.statements is None:
            return True
        return any(s.effect == "Allow" and s.names_action(action) for s in self.statements) and \
            not any(s.effect == "Deny" and s.applies(action, "*") for s in self.statements)

    def require(self, action: str, resource: str) -> None:
        decision = self.decision(action, resource)
        if decision != "Allow":
            why = ("with an explicit deny in an identity-based policy" if decision == "Deny" else
                   f"because no identity-based policy allows the {action} action")
            raise AccessDenied(f"User: {self.arn} is not authorized to perform: {action} "
                               f"on resource: {resource} {why}")


class Policies:
    """The principals of a server: from the policy file, or every key an administrator."""

    def __init__(self, users: dict[str, tuple[Statement, ...]] | None = None,
                 account: str | None = None):
        self.users = users
        self.account = account or os.environ.get("PARTHENON_ACCOUNT_ID") or DEFAULT_ACCOUNT

    @classmethod
    def load(cls, path: str | Path | None) -> "Policies":
        if path is None:
            return cls()
        try:
            doc = json.loads(Path(path).read_text())
        except (OSError, UnicodeDecodeError) as e:
            raise PolicyError(f"cannot read the policy file {path}: {e}") from None
        except json.JSONDecodeError as e:
            raise PolicyError(f"{path}: not JSON: {e}") from None
        return cls.parse(doc, str(path))

    @classmethod
    def parse(cls, doc, where: str = "policy") -> "Policies":
        if not isinstance(doc, dict) or not isinstance(doc.get("Users"), dict):
            raise PolicyError(f'{where}: want {{"Users": {{"<access key id>": <policy>, ...}}}}')
        unknown = set(doc) - {"Account", "Users"}
        if unknown:
            raise PolicyError(f"{where}: unknown top-level key(s) {sorted(unknown)}")
        account = doc.get("Account")
        if account is not None and not re.fullmatch(r"\d{12}", str(account)):
            raise PolicyError(f"{where}: Account must be 12 digits, got {account!r}")
        users = {}
        for key_id, policies in doc["Users"].items():
            docs = policies if isinstance(policies, list) else [policies]
            users[key_id] = tuple(s for d in docs for s in _statements(d, f"{where}: Users.{key_id}"))
        return cls(users, str(account) if account is not None else None)

    @property
    def administrators_only(self) -> bool:
        return self.users is None

    def principal(self, key_id: str, region: str = "us-east-1") -> Principal:
        statements = None if self.users is None else self.users.get(key_id, ())
        return Principal(key_id, self.account, statements, region)


def _strings(value, where: str) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise PolicyError(f"{where}: want a string or a list of strings")
    return tuple(values)


def _statements(doc, where: str) -> list[Statement]:
    if not isinstance(doc, dict) or "Statement" not in doc:
        raise PolicyError(f'{where}: want a policy document {{"Statement": [...]}}')
    raw = doc["Statement"]
    out = []
    for i, st in enumerate(raw if isinstance(raw, list) else [raw]):
        at = f"{where}.Statement[{i}]"
        if not isinstance(st, dict):
            raise PolicyError(f"{at}: want an object")
        unknown = set(st) - _STATEMENT_KEYS
        if unknown:   # Condition, Principal...: refusing beats granting more than was meant
            raise PolicyError(f"{at}: unsupported key(s) {sorted(unknown)}")
        if st.get("Effect") not in ("Allow", "Deny"):
            raise PolicyError(f"{at}: Effect must be Allow or Deny")
        if ("Action" in st) == ("NotAction" in st) or ("Resource" in st) == ("NotResource" in st):
            raise PolicyError(f"{at}: want exactly one of Action/NotAction and one of "
                              f"Resource/NotResource")
        action_key = "Action" if "Action" in st else "NotAction"
        actions = _strings(st[action_key], f"{at}.{action_key}")
        for a in actions:
            if a != "*" and not re.fullmatch(r"[a-z0-9-]+:[A-Za-z0-9*?]+", a):
                raise PolicyError(f"{at}.{action_key}: {a!r} is not service:Action")
        resource_key = "Resource" if "Resource" in st else "NotResource"
        out.append(Statement(st["Effect"], actions, _strings(st[resource_key], f"{at}.{resource_key}"),
                             action_key == "NotAction", resource_key == "NotResource"))
    return out
