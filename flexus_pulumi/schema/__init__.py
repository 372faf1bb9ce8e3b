"""Every resource's inputs, declared once (see :mod:`.fields`), and what comes from them:
check (:mod:`.validate`, :mod:`.instance_rules`), the typed specs (:mod:`.specs`), and the
generated Args classes and README tables (:mod:`.codegen`). Imports nothing from Pulumi.
"""

from .fields import Effect, Field, Kind, Schema
from .instance import GROUP_SCHEMA, IDENTITY_FIELDS, INSTANCE_SCHEMA
from .others import HOST_SECURITY_SCHEMA, RENEWAL_SCHEMA, SIZED_EXTRA_SCHEMA

__all__ = [
    "GROUP_SCHEMA",
    "HOST_SECURITY_SCHEMA",
    "IDENTITY_FIELDS",
    "INSTANCE_SCHEMA",
    "RENEWAL_SCHEMA",
    "SIZED_EXTRA_SCHEMA",
    "Effect",
    "Field",
    "Kind",
    "Schema",
]
