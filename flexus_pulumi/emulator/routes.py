"""Which handler serves which method and path, under which operation name and service."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import bss, bss_resources, config_rms, ecs, hcss, iam
from .backend import Backend
from .wire import Reply, Request

Handler = Callable[[Backend, Request], Reply]

_SEG = r"(?P<{}>[^/]+)"


@dataclass(frozen=True)
class Route:
    """One API: ``method`` + ``path`` pattern (``{name}`` for a path segment)."""

    method: str
    path: str
    operation: str
    service: str
    handler: Handler
    authenticated: bool = True

    @property
    def pattern(self) -> re.Pattern[str]:
        """The compiled path pattern."""
        regex = re.sub(r"\{(\w+)\}", lambda m: _SEG.format(m.group(1)), self.path)
        return re.compile(f"^{regex}$")


ROUTES: tuple[Route, ...] = (
    Route("POST", "/v1/light-instances", "purchase", "hcss", hcss.purchase),
    Route("GET", "/v2/orders/customer-orders", "order_list", "bss", bss.list_orders),
    Route(
        "GET",
        "/v2/orders/customer-orders/details/{order_id}",
        "order_details",
        "bss",
        bss.order_details,
    ),
    Route(
        "GET",
        "/v1/resource-manager/domains/{domain_id}/all-resources",
        "config_list",
        "config",
        config_rms.list_resources,
    ),
    Route(
        "GET",
        "/v1/resource-manager/domains/{domain_id}/all-resources/{resource_id}",
        "config_get",
        "config",
        config_rms.show_resource,
    ),
    Route(
        "PUT",
        "/v1/{project_id}/cloudservers/os-reset-passwords",
        "ecs_reset_password",
        "ecs",
        ecs.reset_passwords,
    ),
    Route("POST", "/v1/{project_id}/cloudservers/action", "ecs_action", "ecs", ecs.batch_action),
    # before show-server, whose {server_id} would match "detail"
    Route("GET", "/v1/{project_id}/cloudservers/detail", "ecs_list", "ecs", ecs.list_servers),
    Route("GET", "/v1/{project_id}/cloudservers/{server_id}", "ecs_get", "ecs", ecs.show_server),
    Route(
        "PUT", "/v1/{project_id}/cloudservers/{server_id}", "ecs_modify", "ecs", ecs.update_server
    ),
    Route("GET", "/v1/{project_id}/jobs/{job_id}", "ecs_job", "ecs", ecs.show_job),
    Route(
        "POST",
        "/v2/payments/free-resources/usages/details/query",
        "traffic_usage",
        "bss",
        bss.traffic_usage,
    ),
    Route("POST", "/v2/orders/subscriptions/resources/renew", "renew", "bss", bss.renew),
    Route(
        "POST",
        "/v2/orders/suscriptions/resources/query",
        "customer_resources",
        "bss",
        bss_resources.list_customer_resources,
    ),
    Route(
        "POST",
        "/v2/orders/subscriptions/resources/unsubscribe",
        "unsubscribe",
        "bss",
        bss.unsubscribe,
    ),
    Route("POST", "/v3/auth/tokens", "iam_token", "iam", iam.create_token, authenticated=False),
    Route("GET", "/v3/projects", "iam_projects", "iam", iam.list_projects),
    Route("GET", "/v3/auth/domains", "iam_domains", "iam", iam.list_domains),
)

_COMPILED = [(route, route.pattern) for route in ROUTES]


def match(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """The route serving ``method path`` and its path parameters, or None."""
    for route, pattern in _COMPILED:
        if route.method == method:
            found = pattern.match(path)
            if found:
                return route, found.groupdict()
    return None
