from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.gitrepo import Repo

# Property tests must be deterministic like every other test, and must not fail because the machine was
# slow for a moment: the same examples on every run, and no timing-based checks (deadlines, slow draws).
settings.register_profile(
    "almanac", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("almanac")



@pytest.fixture(autouse=True, scope="session")
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test may depend on the developer's git configuration, time zone or caches."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        patch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        patch.delenv("CI", raising=False)
        patch.delenv("GITHUB_ACTIONS", raising=False)
        patch.delenv("GITLAB_CI", raising=False)
        # Base models' cards are looked up in the Hugging Face cache: never the developer's own.
        patch.setenv("HF_HUB_CACHE", str(tmp_path_factory.getbasetemp() / "hf-hub-cache"))
        if "ALMANAC_CACHE_DIR" not in os.environ:  # CI shares one cache across runs through this variable
            patch.setenv("ALMANAC_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "almanac-cache"))
        yield


@pytest.fixture(autouse=True, scope="session")
def _loopback_only() -> Iterator[None]:
    """Tests never touch the network: a connection to anything but this machine fails loudly."""
    import ipaddress
    import socket

    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def check(sock: socket.socket, address: object) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
            host = str(address[0])
            try:
                loopback = ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = host == "localhost"
            if not loopback:
                raise OSError(f"tests may not connect to {host}: not loopback")

    def connect(sock: socket.socket, address: object) -> None:
        check(sock, address)
        real_connect(sock, address)  # type: ignore[arg-type]

    def connect_ex(sock: socket.socket, address: object) -> int:
        check(sock, address)
        return real_connect_ex(sock, address)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", connect)
        patch.setattr(socket.socket, "connect_ex", connect_ex)
        for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
            patch.delenv(proxy, raising=False)
        yield


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")
