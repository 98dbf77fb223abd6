"""One Ray session for the whole test run — and only on a loopback-only network.

Ray's start-up probes a cloud metadata address and binds to the machine's network address; nothing may leave
this machine, so the Ray tests run only inside a network namespace that has nothing but loopback:

    RAY_USAGE_STATS_ENABLED=0 RAY_AUTH_MODE=disabled unshare -n sh -c 'ip link set lo up && exec make test'

(`.ci/run` does this). Elsewhere they skip with that message.
"""

from __future__ import annotations

import importlib.util
import os
import socket
from collections.abc import Iterator

import pytest


def ray_installed() -> bool:
    """Ray itself, not this folder: with tests/ on the path, ``find_spec("ray")`` finds ``tests/ray`` as a
    namespace package (origin None) where Ray is not installed."""
    spec = importlib.util.find_spec("ray")
    return spec is not None and spec.origin is not None


def loopback_only() -> bool:
    try:
        return [name for _i, name in socket.if_nameindex()] == ["lo"]
    except OSError:
        return False


@pytest.fixture(scope="session")
def ray_address() -> Iterator[str]:
    if not ray_installed():
        pytest.skip("the Ray tests need the ray extra: pip install -e '.[ray]'")
    if not loopback_only():
        pytest.skip("the Ray tests run only in a loopback-only network namespace: RAY_USAGE_STATS_ENABLED=0 "
                    "RAY_AUTH_MODE=disabled unshare -n sh -c 'ip link set lo up && exec make test'")
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    from bantin import ray_engine

    import ray

    ray_engine.init(num_cpus=2)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()
