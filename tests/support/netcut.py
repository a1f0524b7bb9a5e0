"""Running a command with the network cut, and watching every connection it tries.

The command runs in a new network namespace (`unshare -n`, or `unshare -rn` where only user
namespaces are allowed): no interface but a loopback, no route anywhere. It runs under
`strace -f`, which records every connect(), sendto() and sendmsg() of the process and all its
children and threads, including those made from C or Rust code (chromadb, llama.cpp) that a
Python audit hook would not see. An attempt to reach any address other than the loopback, or a
DNS query (port 53) to any address, counts as an outbound attempt.
"""
from __future__ import annotations

import functools
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

TRACED = "trace=connect,sendto,sendmsg"
_CALL = re.compile(r"^\d+\s+(connect|sendto|sendmsg)\((.*)$")
_INET = re.compile(r'sa_family=AF_INET6?, sin6?_port=htons\((\d+)\).*?(?:inet_addr\("([^"]+)"\)|'
                   r'inet_pton\(AF_INET6, "([^"]+)")')


@functools.cache
def namespace() -> list[str]:
    """The prefix that runs a command in a namespace of its own without network."""
    for tool in ("unshare", "strace", "ip"):
        if shutil.which(tool) is None:
            pytest.fail(f"`{tool}` is missing: `make test` installs it (util-linux, strace, iproute2)")
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
            return prefix
    pytest.fail("no network namespace can be created here (unshare -n and unshare -rn both refused)")


@dataclass
class Attempt:
    call: str
    address: str
    port: int
    line: str


def outbound(trace: Path) -> list[Attempt]:
    """Every attempt in the trace to reach beyond the loopback, and every DNS query."""
    attempts = []
    for line in trace.read_text(errors="replace").splitlines():
        call = _CALL.match(line)
        if not call:
            continue
        for port, ipv4, ipv6 in _INET.findall(call.group(2)):
            address = ipv4 or ipv6
            loopback = address.startswith("127.") or address in ("::1", "::ffff:127.0.0.1", "0.0.0.0", "::")
            if not loopback or int(port) == 53:
                attempts.append(Attempt(call.group(1), address, int(port), line))
    return attempts


def connections(trace: Path) -> list[str]:
    """All traced calls that name an IP address (loopback included), for the report."""
    return [line for line in trace.read_text(errors="replace").splitlines()
            if _CALL.match(line) and "AF_INET" in line]


def run_cut(argv: list[str], trace: Path, *, loopback: bool = False, timeout: float = 900,
            **kwargs) -> subprocess.CompletedProcess:
    """Run argv without network (the loopback brought up if asked), every connection traced."""
    traced = ["strace", "-f", "-qq", "--seccomp-bpf", "-e", TRACED, "-e", "signal=none", "-o", str(trace), *argv]
    command = ([*namespace(), "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *traced] if loopback
               else [*namespace(), *traced])
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
