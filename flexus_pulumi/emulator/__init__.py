"""A local, faithful emulation of the Huawei Cloud APIs a Flexus L deployment uses.

One HTTP server serves HCSS (purchase), BSS (orders, renew, unsubscribe, traffic),
Config (listing), ECS (servers, actions, jobs, passwords) and IAM (tokens, projects,
domains) on one port, authenticating requests like the real API gateway
(``SDK-HMAC-SHA256`` signatures or IAM tokens), with asynchronous orders and jobs driven
by an emulated clock, injectable faults and a control API under ``/_emulator/``.

>>> with Emulator(order_seconds=0.3) as emu:   # doctest: +SKIP
...     emu.endpoint, emu.access_key, emu.project_id
"""

from .control_client import EmulatorControl, EmulatorControlError
from .emulator import Emulator
from .faults import FAULT_KINDS, OPERATIONS
from .settings import Settings

__all__ = [
    "FAULT_KINDS",
    "OPERATIONS",
    "Emulator",
    "EmulatorControl",
    "EmulatorControlError",
    "Settings",
]
