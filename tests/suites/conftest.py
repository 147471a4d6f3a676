"""Fixtures shared by the suites. Each suite builds its own CA(s) with the real CLI; the CAs use
EC P-256 keys (fast) unless a test is about key types."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import Inkan, inkan_bin  # noqa: E402


@pytest.fixture(scope="session")
def bin_path() -> str:
    return inkan_bin()


@pytest.fixture(scope="session")
def make_inkan(tmp_path_factory, bin_path):
    """Factory: a fresh, not yet initialised data directory with its own passphrase file."""
    def make(label: str = "ca") -> Inkan:
        return Inkan(tmp_path_factory.mktemp(label))
    return make


@pytest.fixture
def fresh(tmp_path, bin_path) -> Inkan:
    """A per-test data directory (not initialised)."""
    return Inkan(tmp_path / "env")


@pytest.fixture(scope="module")
def ca(make_inkan, request) -> Inkan:
    """The serve suites' CA: initialised, with the tenant acme (a module may define its own)."""
    inkan = make_inkan(request.module.__name__.removeprefix("test_").replace("_", "-"))
    inkan.init()
    inkan.tenant_add("acme", "Acme Care")
    return inkan


@pytest.fixture(scope="module")
def server(ca):
    """`inkan serve` on the module's CA, on loopback; stopped after the module."""
    from serve_support import Server
    s = Server(ca)
    yield s
    s.stop()
