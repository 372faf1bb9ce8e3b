"""flexus-pulumi: Huawei Cloud Flexus L instances as code with Pulumi."""

__version__ = "0.1.0"
