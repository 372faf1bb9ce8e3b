"""Component resources: ``Server`` (an instance with its extras) and ``Fleet``."""

from .fleet import FLEET_TYPE, Fleet, members_table
from .fleet_fields import ImageSpec, MemberDefaults
from .fleet_spec import FleetSpec, FleetSpecError, GroupSpec, SpecProblem, parse_fleet_spec
from .server import SERVER_TYPE, Server

__all__ = [
    "FLEET_TYPE",
    "SERVER_TYPE",
    "Fleet",
    "FleetSpec",
    "FleetSpecError",
    "GroupSpec",
    "ImageSpec",
    "MemberDefaults",
    "Server",
    "SpecProblem",
    "members_table",
    "parse_fleet_spec",
]
