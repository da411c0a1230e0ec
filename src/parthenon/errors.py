"""Athena-style errors.

Every error a user can cause is a ParthenonError carrying Athena's error code
(the name Athena prints before the message, e.g. ``TABLE_NOT_FOUND``) and, for
SQL, the line and column it points at.  ``str(err)`` is what a user sees:
``TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.foo' does not exist``.
"""
from __future__ import annotations

USER = 2    # AthenaError.ErrorCategory: 1 system, 2 user, 3 other
SYSTEM = 1


class ParthenonError(Exception):
    code = "GENERIC_USER_ERROR"
    category = USER

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = f"line {self.line}:{self.column}: " if self.line is not None else ""
        return f"{self.code}: {where}{self.message}"


class SqlSyntaxError(ParthenonError):
    code = "SYNTAX_ERROR"


class NotSupported(ParthenonError):
    code = "NOT_SUPPORTED"


class SchemaNotFound(ParthenonError):
    code = "SCHEMA_NOT_FOUND"


class TableNotFound(ParthenonError):
    code = "TABLE_NOT_FOUND"


class ColumnNotFound(ParthenonError):
    code = "COLUMN_NOT_FOUND"


def missing_column(name: str, line: int | None = None, column: int | None = None) -> ColumnNotFound:
    """Trino's COLUMN_NOT_FOUND: the name as Trino's QualifiedName prints it, in lower case
    (``"Bucket"`` or ``Bucket`` is 'bucket'), wherever the miss is found."""
    return ColumnNotFound(f"Column '{name.lower()}' cannot be resolved", line, column)


class AmbiguousName(ParthenonError):
    code = "AMBIGUOUS_NAME"


class TypeMismatch(ParthenonError):
    code = "TYPE_MISMATCH"


class DivisionByZero(ParthenonError):
    code = "DIVISION_BY_ZERO"


class InvalidCastArgument(ParthenonError):
    code = "INVALID_CAST_ARGUMENT"


class InvalidLiteral(ParthenonError):
    code = "INVALID_LITERAL"


class InvalidFunctionArgument(ParthenonError):
    code = "INVALID_FUNCTION_ARGUMENT"


class NumericValueOutOfRange(ParthenonError):
    code = "NUMERIC_VALUE_OUT_OF_RANGE"


class NestedAggregation(ParthenonError):
    code = "NESTED_AGGREGATION"


class ExpressionNotScalar(ParthenonError):
    code = "EXPRESSION_NOT_SCALAR"


class InvalidColumnReference(ParthenonError):
    code = "INVALID_COLUMN_REFERENCE"


class MismatchedSetColumnTypes(ParthenonError):
    code = "MISMATCHED_SET_COLUMN_TYPES"


class MismatchedColumnAliases(ParthenonError):
    code = "MISMATCHED_COLUMN_ALIASES"


class TypeNotFound(ParthenonError):
    code = "TYPE_NOT_FOUND"


class InvalidParameterUsage(ParthenonError):
    code = "INVALID_PARAMETER_USAGE"


class ExpressionNotAggregate(ParthenonError):
    code = "EXPRESSION_NOT_AGGREGATE"


class AlreadyExists(ParthenonError):
    code = "ALREADY_EXISTS"


class TableAlreadyExists(ParthenonError):
    code = "TABLE_ALREADY_EXISTS"


class InvalidDdl(ParthenonError):
    """A DDL statement that parses but makes no sense (bad partition key, ...)."""
    code = "INVALID_DDL"


class InvalidTableProperty(ParthenonError):
    """A CTAS / UNLOAD property that does not exist or has a bad value."""
    code = "INVALID_TABLE_PROPERTY"


class PathAlreadyExists(ParthenonError):
    """A CTAS or UNLOAD target that already holds data (Athena never overwrites)."""
    code = "HIVE_PATH_ALREADY_EXISTS"


class QueryCancelled(ParthenonError):
    code = "USER_CANCELLED"


class PermissionDenied(ParthenonError):
    """The query tries to reach something outside the catalog's tables."""
    code = "PERMISSION_DENIED"


class FunctionNotFound(PermissionDenied):
    """A function that Trino (and so Athena) does not know."""
    code = "FUNCTION_NOT_FOUND"


class InvalidLocation(ParthenonError):
    code = "HIVE_INVALID_METADATA"


class StorageError(ParthenonError):
    """An object that is listed but cannot be opened or read."""
    code = "HIVE_CANNOT_OPEN_SPLIT"


class BadData(ParthenonError):
    code = "HIVE_BAD_DATA"


class ResourcesExhausted(ParthenonError):
    """The engine ran out of its memory limit (after spilling what it could)."""
    code = "EXCEEDED_LOCAL_MEMORY_LIMIT"
    category = SYSTEM


class QueryTimeout(ParthenonError):
    """The query ran longer than its workgroup allows."""
    code = "EXCEEDED_TIME_LIMIT"


class QueryFailed(ParthenonError):
    """The engine rejected or failed a query for a reason not mapped above."""
    code = "GENERIC_INTERNAL_ERROR"
    category = SYSTEM


class TooManyArguments(ParthenonError):
    """A call with more arguments than Trino allows (``check_argument_count``)."""
    code = "TOO_MANY_ARGUMENTS"


MAX_ARGUMENTS = 127     # Trino's limit on any function call's arguments


def check_argument_count(function: str, count: int, line: int | None = None,
                         column: int | None = None) -> None:
    """TOO_MANY_ARGUMENTS for a call of ``function`` with more than Trino's 127 arguments."""
    if count > MAX_ARGUMENTS:
        raise TooManyArguments(f"Too many arguments for function call {function}()", line, column)


MAX_ARRAY_ELEMENTS = 254     # Trino's array constructor takes at most this many elements


def check_array_elements(count: int, line: int | None = None, column: int | None = None) -> None:
    """NOT_SUPPORTED for ``ARRAY[...]`` of more than Trino's 254 elements."""
    if count > MAX_ARRAY_ELEMENTS:
        raise NotSupported("Too many arguments for array constructor", line, column)


class OperatorNotFound(ParthenonError):
    """An operator Trino has not for those types (``array_join`` of arrays: no cast of an
    array to varchar)."""
    code = "OPERATOR_NOT_FOUND"


class AmbiguousFunctionCall(ParthenonError):
    """A call more than one of Trino's signatures fits (``ARRAY[ARRAY[1]] || ARRAY[NULL]``:
    [[1], NULL] or [[1], [NULL]])."""
    code = "AMBIGUOUS_FUNCTION_CALL"


class ExpressionNotInDistinct(ParthenonError):
    """An aggregate's DISTINCT ordered by what is not among its arguments
    (``array_agg(DISTINCT x ORDER BY y)``): the order of the distinct values is undefined."""
    code = "EXPRESSION_NOT_IN_DISTINCT"
