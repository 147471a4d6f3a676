"""Helpers for the two-node suite (issue 22 item 3): several `inkan serve` processes on one data
directory, a small HTTPS client over Python's ssl/http.client that can present a client
certificate and talk to any node, and the CLI's view of lineage. Nothing here reads the database
file: what is checked goes through the CLI, so the same suite holds on any backend."""
from __future__ import annotations

import http.client
import json
import signal
import ssl
import threading
from pathlib import Path

from serve_support import Server


class Node(Server):
    """An `inkan serve` of an installation that other nodes share; kill() is `kill -9`."""

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)


def start_nodes(inkan, count: int, *extra) -> list[Node]:
    """`count` nodes started at the same moment (each races the others for the first server
    certificate, CRL and form secret of a fresh installation)."""
    nodes: list[Node | None] = [None] * count
    errors: list[BaseException] = []

    def start(i):
        try:
            nodes[i] = Node(inkan, *extra)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=start, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        for n in nodes:
            if n:
                n.kill()
        raise errors[0]
    return nodes  # type: ignore[return-value]


def tls_context(node: Server, cert: tuple[Path, Path] | None = None) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(node.ca_file))
    if cert:
        ctx.load_cert_chain(str(cert[0]), str(cert[1]))
    return ctx


def request(node: Server, method: str, path: str, *, ctx: ssl.SSLContext, body: bytes | None = None,
            headers: dict | None = None, timeout: float = 120) -> tuple[int, bytes]:
    """One request on a new connection: (status, body). Connection errors propagate."""
    conn = http.client.HTTPSConnection("127.0.0.1", node.port, context=ctx, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"Connection": "close", **(headers or {})})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def api_renew(node: Server, ctx: ssl.SSLContext) -> tuple[int, dict]:
    status, body = request(node, "POST", "/api/v1/renew", ctx=ctx, body=b"{}",
                           headers={"Content-Type": "application/json"})
    try:
        return status, json.loads(body)
    except json.JSONDecodeError:
        return status, {"raw": body.decode("utf-8", "replace")[:300]}


def peer_certificate(node: Server) -> bytes:
    """The DER server certificate the node presents."""
    ctx = tls_context(node)
    with ssl.create_connection(("127.0.0.1", node.port), timeout=30) as sock:
        with ctx.wrap_socket(sock, server_hostname="localhost") as tls:
            return tls.getpeercert(binary_form=True)


def successors_by_predecessor(inkan, tenant: str) -> dict[str, list[str]]:
    """Every certificate's successors, from `inkan list --format json`."""
    out: dict[str, list[str]] = {}
    for c in inkan.json("list", "--tenant", tenant, "--format", "json"):
        if c.get("predecessor"):
            out.setdefault(c["predecessor"].upper(), []).append(c["serial"].upper())
    return out


# "Try again" answers of POST /api/v1/renew: a concurrent renewal of the same certificate still
# running (409 conflict) or the store busy (503).
def is_try_again(status: int, body: dict) -> bool:
    return (status == 409 and body.get("error") == "conflict") or status == 503
