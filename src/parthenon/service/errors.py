"""The Athena API's exceptions, as values the HTTP layer can render.

Kept free of HTTP: the service raises these, `server.responses` turns them into
AWS JSON 1.1 error bodies (`__type`, `Message`, plus each type's own fields).
"""
from __future__ import annotations


class ServiceError(Exception):
    type = "InternalServerException"
    status = 500

    def __init__(self, message: str, **fields):
        super().__init__(message)
        self.message = message
        self.fields = fields      # e.g. AthenaErrorCode, Reason, ResourceName

    def body(self) -> dict:
        return {"__type": self.type, "Message": self.message, **self.fields}


class InvalidRequest(ServiceError):
    type = "InvalidRequestException"
    status = 400

    def __init__(self, message: str, code: str = "INVALID_INPUT", **fields):
        super().__init__(message, AthenaErrorCode=code, **fields)


class ResourceNotFound(ServiceError):
    type = "ResourceNotFoundException"
    status = 400


class TooManyRequests(ServiceError):
    type = "TooManyRequestsException"
    status = 400

    def __init__(self, message: str):
        super().__init__(message, Reason="CONCURRENT_QUERY_LIMIT_EXCEEDED")


class MetadataError(ServiceError):
    type = "MetadataException"
    status = 400
