"""The seed's tables, as data: counts and values straight from the reference."""

from __future__ import annotations

import pytest

from flexus_pulumi import catalog
from flexus_pulumi.catalog import IMAGES, PLAN_SPECS, REGIONS


def test_six_regions() -> None:
    assert set(REGIONS) == {
        "ap-southeast-1",
        "ap-southeast-3",
        "ap-southeast-2",
        "tr-west-1",
        "sa-brazil-1",
        "me-east-1",
    }


def test_seven_linux_and_five_windows_specs() -> None:
    assert len(catalog.LINUX_SPECS) == 7
    assert len(catalog.WINDOWS_SPECS) == 5
    assert all(s.code.endswith(".linux") for s in catalog.LINUX_SPECS)
    assert all(s.code.endswith(".byol") for s in catalog.WINDOWS_SPECS)


@pytest.mark.parametrize(
    ("code", "vcpus", "mem", "disk", "bw", "traffic"),
    [
        ("hf.large.025.30m.linux", 2, 0.5, 20, 30, 1024),
        ("hf.large.05.30m.linux", 2, 1, 40, 30, 2048),
        ("hf.large.1.30m.linux", 2, 2, 60, 30, 3072),
        ("hf.large.2.30m.linux", 2, 4, 80, 30, 4096),
        ("hf.large.4.30m.linux", 2, 8, 160, 30, 5120),
        ("hf.xlarge.2.30m.linux", 4, 8, 240, 30, 6144),
        ("hf.xlarge.4.30m.linux", 4, 16, 320, 30, 7168),
        ("hf.large.1.30m.byol", 2, 2, 60, 30, 3072),
        ("hf.large.2.30m.byol", 2, 4, 80, 30, 4096),
        ("hf.large.4.30m.byol", 2, 8, 160, 30, 5120),
        ("hf.xlarge.2.30m.byol", 4, 8, 240, 30, 6144),
        ("hf.xlarge.4.30m.byol", 4, 16, 320, 30, 7168),
    ],
)
def test_spec_sizes(code: str, vcpus: int, mem: float, disk: int, bw: int, traffic: int) -> None:
    spec = PLAN_SPECS[code]
    assert (spec.vcpus, spec.memory_gib, spec.system_disk_gib) == (vcpus, mem, disk)
    assert (spec.bandwidth_mbps, spec.traffic_gb) == (bw, traffic)


def test_seventeen_app_images_with_one_version_each() -> None:
    assert len(catalog.APP_IMAGES) == 17
    versions = {i.name: i.versions for i in catalog.APP_IMAGES}
    assert versions["BT"] == ("6.8.35",)
    assert versions["GitLab"] == ("16.9.3",)
    assert versions["Nodejs"] == ("21",)
    assert versions["SRS"] == ("6.0.101",)


@pytest.mark.parametrize(
    ("image", "smallest"),
    [
        ("GitLab", "hf.large.4.30m.linux"),
        ("Superset", "hf.large.4.30m.linux"),
        ("Nextcloud", "hf.large.2.30m.linux"),
        ("SRS", "hf.large.2.30m.linux"),
        ("WordPress", "hf.large.1.30m.linux"),
    ],
)
def test_app_image_smallest_spec(image: str, smallest: str) -> None:
    img = IMAGES[image]
    assert img.specs_for(img.versions[0], None)[0] == smallest
    assert all(s.endswith(".linux") for s in img.specs_for(img.versions[0], None))


def test_four_system_images_and_versions() -> None:
    assert {i.name for i in catalog.SYSTEM_IMAGES} == {
        "Ubuntu",
        "Huawei Cloud EulerOS",
        "CentOS",
        "Debian",
    }
    assert IMAGES["Ubuntu"].versions == ("22.04", "20.04", "18.04", "16.04")
    assert len(IMAGES["CentOS"].versions) == 11
    assert IMAGES["Debian"].versions == ("11.1", "9.0")


@pytest.mark.parametrize(
    ("image", "version", "region", "has_025"),
    [
        ("Ubuntu", "22.04", "ap-southeast-1", False),
        ("Huawei Cloud EulerOS", "2.0", "ap-southeast-1", True),
        ("Huawei Cloud EulerOS", "2.0", "ap-southeast-3", True),
        ("Huawei Cloud EulerOS", "2.0", "ap-southeast-2", False),
        ("CentOS", "7.6", "ap-southeast-3", True),
        ("CentOS", "7.9", "ap-southeast-3", False),
        ("CentOS", "7.6", "sa-brazil-1", False),
        ("Debian", "11.1", "ap-southeast-1", True),
        ("Debian", "9.0", "ap-southeast-1", False),
    ],
)
def test_025_spec_exceptions(image: str, version: str, region: str, has_025: bool) -> None:
    specs = catalog.allowed_specs(image, version, region)
    assert ("hf.large.025.30m.linux" in specs) is has_025
    assert "hf.large.05.30m.linux" in specs


@pytest.mark.parametrize("region", ["tr-west-1", "me-east-1"])
def test_centos_versions_missing_in_istanbul_and_riyadh(region: str) -> None:
    offered = IMAGES["CentOS"].versions_in(region)
    assert offered == ("7.9", "7.8", "7.7", "7.6", "7.5", "7.4")
    assert catalog.allowed_specs("CentOS", "8.2", region) == ()


def test_private_image_specs() -> None:
    assert len(catalog.PRIVATE_LINUX_SPECS) == 7
    assert tuple(s.code for s in catalog.WINDOWS_SPECS) == catalog.PRIVATE_WINDOWS_SPECS
