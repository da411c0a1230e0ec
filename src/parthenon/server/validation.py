"""Request members checked against botocore's own service model, before any action runs.

AWS's front end refuses a malformed request before the service sees it; so do we,
with the model the clients themselves are generated from
(`botocore.loaders.Loader().load_service_model(<api>, "service-2")`): JSON types,
required members, string and list lengths, number ranges, enums and patterns.
Refusals are InvalidRequestException in AWS's own wording, members named the way
AWS names them (lower camel case, dotted, list items as `<list>.<n>.member`):

    1 validation error detected: Value '5' at 'executionParameters' failed to satisfy
    constraint: Member must be a list

Members the model does not know are ignored, as AWS does.
"""
from __future__ import annotations

import re
from functools import lru_cache

import orjson

from ..service.errors import InvalidRequest

_MAX_SHOWN = 100      # characters of a refused value echoed back
_MAX_ERRORS = 10


@lru_cache(maxsize=None)
def _model(api: str) -> dict | None:
    import botocore.exceptions
    import botocore.loaders
    try:
        return botocore.loaders.Loader().load_service_model(api, "service-2")
    except botocore.exceptions.DataNotFoundError:
        return None


@lru_cache(maxsize=None)
def _pattern(java: str) -> re.Pattern | None:
    # Java writes characters beyond the BMP as surrogate pairs; Python wants the code points
    python = java.replace(r"\uD800\uDC00-\uDBFF\uDFFF", r"\U00010000-\U0010FFFF")
    try:
        return re.compile(python)
    except re.error:
        return None


def validate(api: str, action: str, params: dict) -> None:
    """InvalidRequest if `params` do not fit the input shape of `api`'s `action`."""
    model = _model(api)
    op = model and model["operations"].get(action)
    if not op or "input" not in op:
        return
    errors: list[str] = []
    _structure(model["shapes"], model["shapes"][op["input"]["shape"]], params, "", errors)
    if errors:
        n = len(errors)
        raise InvalidRequest(f"{n} validation error{'s' if n > 1 else ''} detected: "
                             + "; ".join(errors[:_MAX_ERRORS]))


def _name(member: str) -> str:
    return member[:1].lower() + member[1:]


def _shown(value) -> str:
    text = value if isinstance(value, str) else orjson.dumps(value).decode()
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "..."


def _fail(errors: list, value, at: str, constraint: str) -> None:
    shown = "null" if value is None else f"'{_shown(value)}'"
    errors.append(f"Value {shown} at '{at}' failed to satisfy constraint: Member must {constraint}")


def _structure(shapes: dict, shape: dict, value: dict, at: str, errors: list) -> None:
    for member in shape.get("required", []):
        if value.get(member) is None:
            _fail(errors, None, at + _name(member), "not be null")
    for member, ref in shape.get("members", {}).items():
        if value.get(member) is not None:
            _value(shapes, ref["shape"], value[member], at + _name(member), errors)


_TYPES = {   # JSON types each model type accepts, and how AWS's constraint names them
    "structure": ((dict,), "be an object"), "map": ((dict,), "be an object"),
    "list": ((list,), "be a list"), "string": ((str,), "be a string"),
    "blob": ((str,), "be a base64-encoded string"), "boolean": ((bool,), "be a boolean"),
    "integer": ((int,), "be an integer"), "long": ((int,), "be an integer"),
    "double": ((int, float), "be a number"), "float": ((int, float), "be a number"),
    "timestamp": ((int, float, str), "be a timestamp"),
}


def _value(shapes: dict, name: str, value, at: str, errors: list) -> None:
    shape = shapes[name]
    kind = shape["type"]
    accepted, wording = _TYPES.get(kind, ((object,), ""))
    if not isinstance(value, accepted) or (isinstance(value, bool) and kind != "boolean"):
        _fail(errors, value, at, wording)
        return
    if kind == "structure":
        _structure(shapes, shape, value, at + ".", errors)
    elif kind == "list":
        _length(shape, value, at, errors)
        for i, item in enumerate(value, 1):
            if item is not None:
                _value(shapes, shape["member"]["shape"], item, f"{at}.{i}.member", errors)
    elif kind == "map":
        _length(shape, value, at, errors)
        for key, item in value.items():
            _value(shapes, shape["key"]["shape"], key, f"{at}.{key}.key", errors)
            if item is not None:
                _value(shapes, shape["value"]["shape"], item, f"{at}.{key}.value", errors)
    elif kind == "string":
        if not _length(shape, value, at, errors):
            return
        if "enum" in shape and value not in shape["enum"]:
            _fail(errors, value, at, f"satisfy enum value set: [{', '.join(shape['enum'])}]")
        elif "pattern" in shape:
            pattern = _pattern(shape["pattern"])
            if pattern is not None and not pattern.fullmatch(value):
                _fail(errors, value, at, f"satisfy regular expression pattern: {shape['pattern']}")
    elif kind in ("integer", "long", "double", "float"):
        if "min" in shape and value < shape["min"]:
            _fail(errors, value, at, f"have value greater than or equal to {shape['min']}")
        elif "max" in shape and value > shape["max"]:
            _fail(errors, value, at, f"have value less than or equal to {shape['max']}")


def _length(shape: dict, value, at: str, errors: list) -> bool:
    # AWS counts a string's length in UTF-16 code units (Java's String.length())
    n = len(value.encode("utf-16-le", "surrogatepass")) // 2 if isinstance(value, str) else len(value)
    if "min" in shape and n < shape["min"]:
        _fail(errors, value, at, f"have length greater than or equal to {shape['min']}")
    elif "max" in shape and n > shape["max"]:
        _fail(errors, value, at, f"have length less than or equal to {shape['max']}")
    else:
        return True
    return False
