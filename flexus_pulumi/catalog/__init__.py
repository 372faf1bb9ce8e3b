"""The vendor reference's tables as data, and its rules as functions.

One source of truth: the providers' ``check`` and the emulator both validate with these.
Every ``check_*`` function returns a list of :class:`Problem` (empty when valid), never
raises on bad input, and reports every broken rule at once.
"""

from .bss_rules import (
    PERIOD_CODES,
    check_free_resource_query,
    check_renew,
    check_resource_query,
    check_unsubscribe,
)
from .ecs_rules import (
    PASSWORD_SPECIALS,
    check_hostname,
    check_password,
    check_server_description,
    check_server_ids,
    check_server_name,
)
from .images import (
    APP_IMAGES,
    IMAGES,
    PRIVATE_IMAGE_SPECS,
    PRIVATE_LINUX_SPECS,
    PRIVATE_WINDOWS_SPECS,
    SYSTEM_IMAGES,
    Image,
    SpecRule,
)
from .problems import Problem, as_int, describe, suggest
from .purchase_rules import (
    EXTRA_SIZE_RANGE,
    EXTRA_TYPES,
    PERIOD_RANGES,
    QUANTITY_RANGE,
    allowed_specs,
    check_client_request_id,
    check_extra_resources,
    check_extra_size,
    check_image_and_spec,
    check_instance_name,
    check_length,
    check_period,
    check_purchase,
    check_quantity,
    check_region,
    check_tags,
)
from .regions import REGIONS, Region
from .specs import LINUX_SPECS, PLAN_SPECS, WINDOWS_SPECS, PlanSpec, spec_details

#: Config (RMS) resource type of a Flexus L instance.
L_INSTANCE_TYPE = "hcss.l-instance"
#: Config listing page size: allowed range and default.
CONFIG_LIMIT_RANGE = (1, 200)
CONFIG_DEFAULT_LIMIT = 100

__all__ = [
    "APP_IMAGES",
    "CONFIG_DEFAULT_LIMIT",
    "CONFIG_LIMIT_RANGE",
    "EXTRA_SIZE_RANGE",
    "EXTRA_TYPES",
    "IMAGES",
    "LINUX_SPECS",
    "L_INSTANCE_TYPE",
    "PASSWORD_SPECIALS",
    "PERIOD_CODES",
    "PERIOD_RANGES",
    "PLAN_SPECS",
    "PRIVATE_IMAGE_SPECS",
    "PRIVATE_LINUX_SPECS",
    "PRIVATE_WINDOWS_SPECS",
    "QUANTITY_RANGE",
    "REGIONS",
    "SYSTEM_IMAGES",
    "WINDOWS_SPECS",
    "Image",
    "PlanSpec",
    "Problem",
    "Region",
    "SpecRule",
    "allowed_specs",
    "as_int",
    "check_client_request_id",
    "check_extra_resources",
    "check_extra_size",
    "check_free_resource_query",
    "check_hostname",
    "check_image_and_spec",
    "check_instance_name",
    "check_length",
    "check_password",
    "check_period",
    "check_purchase",
    "check_quantity",
    "check_region",
    "check_renew",
    "check_resource_query",
    "check_server_description",
    "check_server_ids",
    "check_server_name",
    "check_tags",
    "check_unsubscribe",
    "describe",
    "spec_details",
    "suggest",
]
