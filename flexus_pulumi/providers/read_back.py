"""What a refresh hands back to the engine: inputs it cannot read from the cloud are kept.

The engine gives a dynamic provider's ``read`` only the old *outputs* (the Python provider
server drops the old inputs it is sent), and inputs ``read`` returns replace the stored ones
wholesale (pkg/resource/deploy/step.go ``RefreshStep.Apply``). So:

- the outputs carry every input the cloud cannot show back — ``admin_password``, which
  registration keeps secret in outputs (``additional_secret_outputs``), so that the state
  holds it encrypted as it holds the input;
- a refresh returns inputs only when the cloud shows something to write back (drift);
  otherwise it returns none and the engine keeps the stored inputs exactly as they were.

A refresh that dropped the password would make the next preview show
``+ admin_password: [secret]`` and the pull-request comment announce a password reset
that ``up`` never makes.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import Any

from .purchase import SECRET_INPUTS


def carried_inputs(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The secret inputs ``inputs`` sets (the cloud cannot show them back), to repeat in
    outputs: registration marks them secret there."""
    return {k: inputs[k] for k in SECRET_INPUTS if inputs.get(k) is not None}


def recorded_inputs(props: Mapping[str, Any], names: Container[str]) -> dict[str, Any]:
    """The inputs recorded in a resource's outputs ``props``: the inputs ``names`` (secrets
    carried included) and the provider's own ``__`` keys, without ``__provider``."""
    return {
        k: v for k, v in props.items() if (k in names or k.startswith("__")) and k != "__provider"
    }


def refreshed_inputs(
    recorded: Mapping[str, Any], observed: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The inputs a refresh returns: ``recorded`` with what the cloud shows (``observed``)
    when any of it differs, else None — the engine then keeps its stored inputs."""
    if all(recorded.get(k) == v for k, v in observed.items()):
        return None
    return {**recorded, **observed}


__all__ = ["carried_inputs", "recorded_inputs", "refreshed_inputs"]
