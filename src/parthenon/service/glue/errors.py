"""Glue's exceptions, as values `server.glue_responses` renders: AWS JSON 1.1 bodies with
`__type` and `Message` (the member botocore's glue model names), status 400."""
from __future__ import annotations

from ..errors import ServiceError


class EntityNotFound(ServiceError):
    type = "EntityNotFoundException"
    status = 400


class AlreadyExists(ServiceError):
    type = "AlreadyExistsException"
    status = 400


class InvalidInput(ServiceError):
    type = "InvalidInputException"
    status = 400


def entry_error(exc: ServiceError) -> dict:
    """The ErrorDetail a Batch* action reports for one failed entry."""
    return {"ErrorCode": exc.type, "ErrorMessage": exc.message}
