"""The second wall against outbound requests: a process that may not open network sockets.

`deny_network()` installs a seccomp filter (Linux, x86_64 and aarch64) on the calling process and
every thread and child it makes afterwards: `socket()` for any address family other than AF_UNIX
fails with EPERM, and so does `io_uring_setup` (io_uring could open sockets without a `socket()`
call). Local pipes and Unix sockets, which the query workers use to talk to the service, keep
working. The filter cannot be removed once installed (PR_SET_NO_NEW_PRIVS also keeps a setuid
program from getting rid of it), and it needs no privileges.

Where seccomp is not available (another OS, another architecture, a kernel without it), the
function returns False and the caller logs that only the parse-level check (service/sparql_guard.py)
stands; an operator can then put the service in a network namespace or behind an egress firewall.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
AF_UNIX = 1
X32_SYSCALL_BIT = 0x40000000

# (audit architecture, socket, io_uring_setup) per machine
_ARCHES = {
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}

# Classic BPF opcodes used below
_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K
# Offsets in struct seccomp_data: nr, arch, instruction pointer, args[6] (64-bit each)
_NR, _ARCH, _ARG0_LOW = 0, 4, 16


def supported() -> bool:
    """Whether this machine can have the filter (Linux on a known architecture)."""
    return sys.platform.startswith("linux") and platform.machine() in _ARCHES


def _program(arch: int, nr_socket: int, nr_io_uring: int, is_x86_64: bool) -> list[tuple[int, int, int, int]]:
    deny = SECCOMP_RET_ERRNO | errno.EPERM
    prog = [
        (_LD_W_ABS, 0, 0, _ARCH),
        (_JEQ_K, 1, 0, arch),  # another ABI (e.g. 32-bit): deny everything below
        (_RET_K, 0, 0, deny),
        (_LD_W_ABS, 0, 0, _NR),
    ]
    if is_x86_64:  # x32 system calls reach the same kernel code under other numbers
        prog += [(_JGE_K, 0, 1, X32_SYSCALL_BIT), (_RET_K, 0, 0, deny)]
    prog += [
        (_JEQ_K, 0, 3, nr_socket),  # not socket(): on to the io_uring check
        (_LD_W_ABS, 0, 0, _ARG0_LOW),  # the address family
        (_JEQ_K, 3, 0, AF_UNIX),  # a Unix socket: allowed
        (_RET_K, 0, 0, deny),
        (_JEQ_K, 0, 1, nr_io_uring),
        (_RET_K, 0, 0, deny),
        (_RET_K, 0, 0, SECCOMP_RET_ALLOW),
    ]
    return prog


def deny_network() -> bool:
    """Forbid this process (and what it starts later) to open network sockets. True when the
    filter is in place, False where the system does not allow it (see the module docstring)."""
    if not supported():
        return False
    arch, nr_socket, nr_io_uring = _ARCHES[platform.machine()]
    prog = _program(arch, nr_socket, nr_io_uring, platform.machine() == "x86_64")
    code = b"".join(struct.pack("=HBBI", *ins) for ins in prog)
    buffer = ctypes.create_string_buffer(code, len(code))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(len(prog), ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0) != 0:
        return False
    return True
