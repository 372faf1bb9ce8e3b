"""The Flexus L cloud client: signed, retrying, typed access to every API the providers use.

All HTTP, authentication, retry and waiting logic lives here::

    from flexus_pulumi.cloud import FlexusClient, PurchaseRequest

    with FlexusClient.from_env() as client:           # HW_ACCESS_KEY, HW_REGION_NAME, …
        bought = client.purchase(PurchaseRequest(...))
        client.wait_for_order(bought.order_id, progress=print)
        for instance in client.find_order_instances(bought.order_id, len(bought.instance_ids)):
            print(instance.id, instance.server_id, instance.public_ip)
"""

from .auth import AkSkAuth, IssuedToken, TokenAuth, TokenScope
from .client import FlexusClient
from .clock import SYSTEM_CLOCK, Clock, ManualClock, SystemClock
from .credentials import Credentials
from .endpoints import ENV_ENDPOINT, Endpoints, Service
from .errors import (
    ApiError,
    AuthError,
    BadRequest,
    ConfigurationError,
    ConflictError,
    FlexusError,
    InvalidRequest,
    JobFailed,
    NotFoundError,
    OrderError,
    OrderFailed,
    OrderPendingPayment,
    OutcomeUnknown,
    PermissionDenied,
    ServerError,
    ThrottledError,
    TransportError,
    UnexpectedResponse,
    WaitError,
    WaitTimeout,
    parse_error_body,
)
from .hcss import new_client_request_id
from .models import (
    ConfigPage,
    ConfigResource,
    ExtraInfo,
    ExtraResource,
    FreeResourceUsage,
    ImageRef,
    Job,
    JobStatus,
    OrderDetails,
    OrderInfo,
    OrderStatus,
    OrderType,
    PrepaidResource,
    PrepaidResourcePage,
    PurchaseRequest,
    PurchaseResult,
    RenewResult,
    ServerDetails,
    ServerStatus,
    Tag,
    UnsubscribeResult,
)
from .retry import NO_RETRY, CallKind, RetryPolicy
from .signer import sign
from .transport import Call, Reply, Transport
from .waiters import (
    JOB_POLLING,
    LISTING_POLLING,
    ORDER_POLLING,
    DurationHistory,
    JobWaiter,
    OrderInstancesWaiter,
    OrderWaiter,
    Poller,
    PollingPolicy,
    Progress,
    Watch,
)

__all__ = [
    "ENV_ENDPOINT",
    "JOB_POLLING",
    "LISTING_POLLING",
    "NO_RETRY",
    "ORDER_POLLING",
    "SYSTEM_CLOCK",
    "AkSkAuth",
    "ApiError",
    "AuthError",
    "BadRequest",
    "Call",
    "CallKind",
    "Clock",
    "ConfigPage",
    "ConfigResource",
    "ConfigurationError",
    "ConflictError",
    "Credentials",
    "DurationHistory",
    "Endpoints",
    "ExtraInfo",
    "ExtraResource",
    "FlexusClient",
    "FlexusError",
    "FreeResourceUsage",
    "ImageRef",
    "InvalidRequest",
    "IssuedToken",
    "Job",
    "JobFailed",
    "JobStatus",
    "JobWaiter",
    "ManualClock",
    "NotFoundError",
    "OrderDetails",
    "OrderError",
    "OrderFailed",
    "OrderInfo",
    "OrderInstancesWaiter",
    "OrderPendingPayment",
    "OrderStatus",
    "OrderType",
    "OrderWaiter",
    "OutcomeUnknown",
    "PermissionDenied",
    "Poller",
    "PollingPolicy",
    "PrepaidResource",
    "PrepaidResourcePage",
    "Progress",
    "PurchaseRequest",
    "PurchaseResult",
    "RenewResult",
    "Reply",
    "RetryPolicy",
    "ServerDetails",
    "ServerError",
    "ServerStatus",
    "Service",
    "SystemClock",
    "Tag",
    "ThrottledError",
    "TokenAuth",
    "TokenScope",
    "Transport",
    "TransportError",
    "UnexpectedResponse",
    "UnsubscribeResult",
    "WaitError",
    "WaitTimeout",
    "Watch",
    "new_client_request_id",
    "parse_error_body",
    "sign",
]
