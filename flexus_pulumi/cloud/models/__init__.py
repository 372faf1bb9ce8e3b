"""Typed (pydantic) models of every request and answer the client handles."""

from .base import RequestModel, WireModel
from .bss import (
    FailResourceInfo,
    FreeResourceUsage,
    RenewResult,
    SubscriptionResult,
    UnsubscribeResult,
)
from .config import (
    Attribute,
    BundleResource,
    ConfigPage,
    ConfigResource,
    ExtraInfo,
    PageInfo,
    ResourceProperties,
)
from .ecs import (
    POWER_RUNNING,
    POWER_SHUTDOWN,
    Address,
    Flavor,
    Job,
    JobEntities,
    JobStatus,
    ServerDetails,
    ServerStatus,
    ServerUpdate,
    SubJob,
    SubJobEntities,
)
from .iam import Domain, Project
from .orders import OrderDetails, OrderInfo, OrderStatus, OrderType, status_label
from .purchase import ExtraResource, ExtraType, ImageRef, PurchaseRequest, PurchaseResult, Tag

__all__ = [
    "POWER_RUNNING",
    "POWER_SHUTDOWN",
    "Address",
    "Attribute",
    "BundleResource",
    "ConfigPage",
    "ConfigResource",
    "Domain",
    "ExtraInfo",
    "ExtraResource",
    "ExtraType",
    "FailResourceInfo",
    "Flavor",
    "FreeResourceUsage",
    "ImageRef",
    "Job",
    "JobEntities",
    "JobStatus",
    "OrderDetails",
    "OrderInfo",
    "OrderStatus",
    "OrderType",
    "PageInfo",
    "Project",
    "PurchaseRequest",
    "PurchaseResult",
    "RenewResult",
    "RequestModel",
    "ResourceProperties",
    "ServerDetails",
    "ServerStatus",
    "ServerUpdate",
    "SubJob",
    "SubJobEntities",
    "SubscriptionResult",
    "Tag",
    "UnsubscribeResult",
    "WireModel",
    "status_label",
]
