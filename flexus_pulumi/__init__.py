"""flexus-pulumi: Huawei Cloud Flexus L instances as code with Pulumi.

Every public name is imported from here::

    from flexus_pulumi import ImageArgs, Instance, InstanceArgs, Server, Renewal

They are loaded on first use, so that the catalog, the cloud client and the emulator do
not pull in the Pulumi SDK; type checkers see the real classes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

if TYPE_CHECKING:
    from .args import ImageArgs, InstanceArgs, InstanceGroupArgs
    from .components.fleet import Fleet, members_table
    from .components.fleet_spec import FleetSpec, FleetSpecError
    from .components.server import Server
    from .functions import (
        ServerInfo,
        TrafficUsage,
        get_server_details,
        get_server_details_output,
        get_traffic,
        get_traffic_output,
    )
    from .providers.extras import BackupVault, DataDisk, HostSecurity
    from .providers.group import InstanceGroup
    from .providers.instance import Instance
    from .providers.renewal import Renewal

_EXPORTS: dict[str, str] = {
    "ImageArgs": "flexus_pulumi.args",
    "InstanceArgs": "flexus_pulumi.args",
    "InstanceGroupArgs": "flexus_pulumi.args",
    "Instance": "flexus_pulumi.providers.instance",
    "InstanceGroup": "flexus_pulumi.providers.group",
    "Renewal": "flexus_pulumi.providers.renewal",
    "DataDisk": "flexus_pulumi.providers.extras",
    "BackupVault": "flexus_pulumi.providers.extras",
    "HostSecurity": "flexus_pulumi.providers.extras",
    "Server": "flexus_pulumi.components.server",
    "Fleet": "flexus_pulumi.components.fleet",
    "members_table": "flexus_pulumi.components.fleet",
    "FleetSpec": "flexus_pulumi.components.fleet_spec",
    "FleetSpecError": "flexus_pulumi.components.fleet_spec",
    "ServerInfo": "flexus_pulumi.functions",
    "TrafficUsage": "flexus_pulumi.functions",
    "get_traffic": "flexus_pulumi.functions",
    "get_traffic_output": "flexus_pulumi.functions",
    "get_server_details": "flexus_pulumi.functions",
    "get_server_details_output": "flexus_pulumi.functions",
}

__all__ = [
    "BackupVault",
    "DataDisk",
    "Fleet",
    "FleetSpec",
    "FleetSpecError",
    "HostSecurity",
    "ImageArgs",
    "Instance",
    "InstanceArgs",
    "InstanceGroup",
    "InstanceGroupArgs",
    "Renewal",
    "Server",
    "ServerInfo",
    "TrafficUsage",
    "__version__",
    "get_server_details",
    "get_server_details_output",
    "get_traffic",
    "get_traffic_output",
    "members_table",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'flexus_pulumi' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
