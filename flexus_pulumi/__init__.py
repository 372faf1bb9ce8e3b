"""flexus-pulumi: Huawei Cloud Flexus L instances as code with Pulumi.

The names below are imported on first use, so that ``flexus_pulumi.catalog`` or the
emulator do not pull in the Pulumi SDK::

    from flexus_pulumi import Instance, InstanceArgs, ImageArgs, Server, Renewal
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "Instance": "flexus_pulumi.providers.instance",
    "InstanceArgs": "flexus_pulumi.providers.instance",
    "ImageArgs": "flexus_pulumi.providers.instance",
    "InstanceGroup": "flexus_pulumi.providers.group",
    "InstanceGroupArgs": "flexus_pulumi.providers.group",
    "Renewal": "flexus_pulumi.providers.renewal",
    "DataDisk": "flexus_pulumi.providers.extras",
    "BackupVault": "flexus_pulumi.providers.extras",
    "HostSecurity": "flexus_pulumi.providers.extras",
    "Server": "flexus_pulumi.components.server",
    "Fleet": "flexus_pulumi.components.fleet",
    "FleetSpec": "flexus_pulumi.components.fleet_spec",
    "get_traffic": "flexus_pulumi.functions",
    "get_traffic_output": "flexus_pulumi.functions",
    "get_server_details": "flexus_pulumi.functions",
    "get_server_details_output": "flexus_pulumi.functions",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'flexus_pulumi' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
