"""A loopback TCP proxy to PostgreSQL that counts what clients send, message by message.

Statements are the Query (`Q`, simple protocol: BEGIN, COMMIT) and Execute (`E`, a prepared
statement run) messages; round trips are Query and Sync (`S`) messages, after each of which the
client waits for the server. Counting on the wire sees every statement whichever layer sent it.
`drop_connections()` cuts every open connection, as a database restart or an idle timeout in a
proxy would. Used by the statement-count tests and tests/benchmarks/side_by_side.py.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
from collections import Counter

# SSLRequest and GSSENCRequest: untyped messages a client may send before its startup message.
_PRE_STARTUP_CODES = {80877103, 80877104}


class WireCounter:
    """Message counts, shared between the proxy's thread and the test."""

    def __init__(self) -> None:
        self._messages: Counter[str] = Counter()
        self._lock = threading.Lock()

    def add(self, kind: str, connection: int) -> None:
        with self._lock:
            self._messages[kind] += 1
            self._messages[f"connection {connection}"] += 1

    def snapshot(self) -> Counter[str]:
        with self._lock:
            return Counter(self._messages)


def statements(spent: Counter[str]) -> int:
    """Statements in a difference of two snapshots."""
    return spent["Q"] + spent["E"]


def round_trips(spent: Counter[str]) -> int:
    """Round trips in a difference of two snapshots."""
    return spent["Q"] + spent["S"]


def connections(spent: Counter[str]) -> int:
    """How many connections sent anything, in a difference of two snapshots."""
    return sum(1 for key in spent if key.startswith("connection "))


async def _count_client_messages(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, counter: WireCounter, number: int
) -> None:
    try:
        started = False
        while not started:
            head = await reader.readexactly(8)
            length, code = struct.unpack("!ii", head)
            writer.write(head + await reader.readexactly(length - 8))
            await writer.drain()
            started = code not in _PRE_STARTUP_CODES
        while True:
            head = await reader.readexactly(5)
            payload = await reader.readexactly(struct.unpack("!i", head[1:])[0] - 4)
            kind = chr(head[0])
            if kind in "QES":
                counter.add(kind, number)
            writer.write(head + payload)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def _copy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


class CountingProxy:
    """127.0.0.1:<port> -> upstream, in a daemon thread with its own event loop."""

    def __init__(self, upstream: tuple[str, int] = ("127.0.0.1", 5432)) -> None:
        self.upstream = upstream
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port: int = sock.getsockname()[1]
        self.counter = WireCounter()
        self._writers: set[asyncio.StreamWriter] = set()
        self._opened = 0
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        if not ready.wait(10):
            raise RuntimeError("the counting proxy did not start")

    def url(self, database: str) -> str:
        """A PostgreSQL URL for `database` through this proxy."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _serve(self, ready: threading.Event) -> None:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self._opened += 1
            number = self._opened
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
            self._writers.update((writer, up_writer))
            try:
                await asyncio.gather(
                    _count_client_messages(reader, up_writer, self.counter, number),
                    _copy(up_reader, writer),
                )
            finally:
                self._writers.difference_update((writer, up_writer))

        async def main() -> None:
            await asyncio.start_server(handle, "127.0.0.1", self.port)
            ready.set()
            await asyncio.Event().wait()

        self._loop.run_until_complete(main())

    def drop_connections(self) -> None:
        """Cut every connection open through the proxy (new ones are still accepted)."""

        def cut() -> None:
            for writer in list(self._writers):
                writer.transport.abort()

        done = threading.Event()
        self._loop.call_soon_threadsafe(lambda: (cut(), done.set()))
        done.wait(10)
