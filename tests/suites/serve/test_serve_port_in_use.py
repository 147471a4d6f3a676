"""A port another `inkan serve` already listens on is an error, not a second listener (issue 16, 2).

cpp-httplib's default socket options set SO_REUSEPORT, with which Linux lets a second process
bind the same address: both said "listening" and the kernel split connections between them."""
from __future__ import annotations

import socket
import subprocess
import time

from helpers import clean_env
from serve_support import Server, curl

EXIT_IO = 9  # docs/cli.md: a port already in use is an I/O error


def serve_cmd(ca, port: int) -> list[str]:
    return [str(c) for c in ca.cmd("serve", "--listen", f"127.0.0.1:{port}")]


def test_second_serve_on_the_same_port_is_refused(ca):
    first = Server(ca)
    try:
        second = subprocess.run(serve_cmd(ca, first.port), capture_output=True, text=True, timeout=20,
                                env=clean_env(), cwd=ca.root)
        assert second.returncode == EXIT_IO, second
        assert f"cannot listen on 127.0.0.1:{first.port}" in second.stderr
        assert "listening" not in second.stderr + second.stdout
        assert curl(first, "/ca.pem").status == 200  # the first one is untouched
    finally:
        first.stop()


def test_the_port_is_free_again_right_after_a_stop(ca):
    """SO_REUSEADDR stays: a restart does not wait for the old connections' TIME_WAIT."""
    first = Server(ca)
    assert curl(first, "/ca.pem").status == 200  # leaves a connection in TIME_WAIT
    first.stop()
    log = open(ca.root / "restart.log", "w")
    restarted = subprocess.Popen(serve_cmd(ca, first.port), stdout=log, stderr=log, env=clean_env(),
                                 cwd=ca.root)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert restarted.poll() is None, (ca.root / "restart.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", first.port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the restarted server did not listen within 60 s")
    finally:
        restarted.terminate()
        assert restarted.wait(timeout=30) == 0
