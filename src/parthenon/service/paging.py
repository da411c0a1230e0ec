"""NextToken and MaxResults as the list actions take them: the token is an opaque,
base64-wrapped offset; an out-of-range MaxResults is AWS's validation error.
Also the Batch* actions' split of requested keys into found and unprocessed."""
from __future__ import annotations

import base64
from typing import Callable, Iterable

from .errors import InvalidRequest


def next_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"parthenon:{offset}".encode()).decode()


def offset(token: str | None) -> int:
    """The offset a NextToken stands for; 0 without one."""
    if not token:
        return 0
    try:
        prefix, _, n = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        if prefix == "parthenon" and int(n) >= 0:
            return int(n)
    except (ValueError, UnicodeDecodeError):
        pass
    raise InvalidRequest("Invalid NextToken", code="INVALID_INPUT")


def max_results(params: dict, default: int, maximum: int, minimum: int = 1) -> int:
    n = params.get("MaxResults", default)
    if not isinstance(n, int) or not minimum <= n <= maximum:
        raise InvalidRequest(f"1 validation error detected: Value '{n}' at 'maxResults' failed to "
                             f"satisfy constraint: Member must have value "
                             f"{'less than or equal to ' + str(maximum) if isinstance(n, int) and n > maximum else 'greater than or equal to ' + str(minimum)}")
    return n


def page(items: list, params: dict, default: int, maximum: int) -> tuple[list, dict]:
    """One page of a list held in full, and the NextToken member when more follow."""
    start = offset(params.get("NextToken"))
    size = max_results(params, default, maximum)
    extra = {"NextToken": next_token(start + size)} if start + size < len(items) else {}
    return items[start:start + size], extra


def batch_get(keys: Iterable[str], lookup: Callable[[str], object | None], key_field: str,
              what: str) -> tuple[list[dict], list[dict]]:
    """(found items as API dicts, unprocessed entries) for a Batch* action's keys."""
    found, missing = [], []
    for key in keys or []:
        item = lookup(key)
        if item is None:
            missing.append({key_field: key, "ErrorCode": "INVALID_INPUT",
                            "ErrorMessage": f"{what} {key} was not found"})
        else:
            found.append(item.to_api())
    return found, missing
