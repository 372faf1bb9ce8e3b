"""What every group of calls shares: region, credentials, transport, and the account ids."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..catalog import Problem
from .auth import AkSkAuth, TokenAuth
from .clock import SYSTEM_CLOCK, Clock
from .credentials import Credentials
from .endpoints import Endpoints
from .errors import InvalidRequest, UnexpectedResponse
from .transport import Call, Reply, Transport
from .waiters import DurationHistory

M = TypeVar("M", bound=BaseModel)


def id_problems(field: str, value: object) -> list[Problem]:
    """An id that goes into a URL path: a non-empty string without ``/``, ``?`` or ``#``."""
    if not isinstance(value, str) or not value.strip():
        return [Problem(field, "required", "is required")]
    if any(c in value for c in "/?#") or value in (".", ".."):
        return [Problem(field, "pattern", f"{value!r} is not an id")]
    return []


class ClientBase:
    """Holds the client's state. The call groups (:mod:`.hcss`, :mod:`.bss`, :mod:`.rms`,
    :mod:`.ecs`, :mod:`.iam`) build on it; :class:`~flexus_pulumi.cloud.FlexusClient`
    combines them."""

    region: str
    credentials: Credentials
    endpoints: Endpoints
    transport: Transport
    auth: AkSkAuth | TokenAuth
    #: What every wait of this client measures time and sleeps with.
    clock: Clock = SYSTEM_CLOCK

    def __init__(self) -> None:
        #: How long this client's orders and ECS jobs took: waiters poll once more then.
        self.order_history = DurationHistory()
        self.job_history = DurationHistory()
        self._ids_lock = threading.RLock()
        self._project_id: str | None = None
        self._domain_id: str | None = None

    # --- account ids ---------------------------------------------------------------------

    @property
    def project_id(self) -> str:
        """The project id of the client's region: as given, or looked up in IAM once."""
        with self._ids_lock:
            if self._project_id is None:
                self._project_id = self._lookup_project_id()
            return self._project_id

    @property
    def domain_id(self) -> str:
        """The account (domain) id: as given, or looked up in IAM once."""
        with self._ids_lock:
            if self._domain_id is None:
                self._domain_id = self._lookup_domain_id()
            return self._domain_id

    def _lookup_project_id(self) -> str:
        raise NotImplementedError

    def _lookup_domain_id(self) -> str:
        raise NotImplementedError

    # --- helpers -------------------------------------------------------------------------

    def _send(self, call: Call) -> Reply:
        return self.transport.send(call)

    @staticmethod
    def _check(operation: str, problems: list[Problem]) -> None:
        """Raise :class:`InvalidRequest` when there are problems."""
        if problems:
            raise InvalidRequest(operation, problems)

    @staticmethod
    def _object(reply: Reply, key: str | None = None) -> Mapping[str, Any]:
        body = reply.json_object()
        if key is None:
            return body
        inner = body.get(key)
        return inner if isinstance(inner, Mapping) else {}

    @staticmethod
    def _parse(model: type[M], data: Any, operation: str, reply: Reply) -> M:
        """``data`` as ``model``, or :class:`UnexpectedResponse` naming what is missing."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            raise UnexpectedResponse(
                operation, f"{where}: {first['msg']}", request_id=reply.request_id
            ) from None
