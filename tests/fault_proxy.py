"""A fault-injecting TCP proxy between the service and PostgreSQL, for the database-fault tests.

The shared PostgreSQL is never stopped: the service connects to this proxy instead, and a test
makes the proxy misbehave the ways a database does while it is unreachable, shutting down,
starting up or full. The proxy runs its own event loop in a thread, so a test (synchronous, or
on another loop) controls it with plain method calls.

Faults:
- `refuse()`: stop listening, so connecting is refused (ECONNREFUSED), as when nothing listens.
- `reset()`: reset every open connection (TCP RST) and every new one.
- `stall()`: keep connections open but forward nothing, as a dead host or a full network does.
- `reject_startup(sqlstate, message)`: answer each new connection's startup packet with a FATAL
  ErrorResponse, as PostgreSQL does while starting up or shutting down (57P03) or when full
  (53300).
- `terminate()`: send every open connection a FATAL ErrorResponse 57P01 ("terminating
  connection due to administrator command") and close it, as `pg_terminate_backend` or a fast
  shutdown does.
- `heal()`: back to forwarding faithfully.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

# The first message of a connection: an SSL or GSSAPI encryption request, else the startup packet.
SSL_REQUEST_CODE = 80877103
GSSENC_REQUEST_CODE = 80877104
SHUTTING_DOWN = ("57P03", "the database system is shutting down")
STARTING_UP = ("57P03", "the database system is starting up")
TOO_MANY_CONNECTIONS = ("53300", "sorry, too many clients already")
ADMIN_SHUTDOWN = ("57P01", "terminating connection due to administrator command")


def error_response(sqlstate: str, message: str, severity: str = "FATAL") -> bytes:
    """A PostgreSQL ErrorResponse message ('E'), as the server sends it."""
    fields = b""
    for tag, value in (("S", severity), ("V", severity), ("C", sqlstate), ("M", message)):
        fields += tag.encode() + value.encode() + b"\x00"
    fields += b"\x00"
    return b"E" + struct.pack("!I", len(fields) + 4) + fields


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST instead of an orderly FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.transport.abort()


class _StatementReader:
    """Splits what a client sends into protocol messages and yields the SQL it runs.

    Simple queries ('Q') and parses of extended-protocol statements ('P') carry SQL; a bind
    ('B') runs a statement parsed earlier, named. The first messages (encryption requests and
    the startup packet) have no type byte.
    """

    def __init__(self) -> None:
        self.buffer = b""
        self.started = False
        self.prepared: dict[bytes, str] = {}

    def feed(self, data: bytes) -> list[str]:
        self.buffer += data
        statements: list[str] = []
        while True:
            header = 4 if not self.started else 5
            if len(self.buffer) < header:
                return statements
            if not self.started:
                length = struct.unpack("!I", self.buffer[:4])[0]
                if len(self.buffer) < length:
                    return statements
                code = struct.unpack("!I", self.buffer[4:8])[0]
                self.started = code not in (SSL_REQUEST_CODE, GSSENC_REQUEST_CODE)
                self.buffer = self.buffer[length:]
                continue
            kind = self.buffer[:1]
            length = struct.unpack("!I", self.buffer[1:5])[0]
            if len(self.buffer) < length + 1:
                return statements
            body = self.buffer[5 : length + 1]
            self.buffer = self.buffer[length + 1 :]
            if kind == b"Q":
                statements.append(body.split(b"\x00", 1)[0].decode("utf-8", "replace"))
            elif kind == b"P":
                name, query = body.split(b"\x00", 2)[:2]
                self.prepared[name] = query.decode("utf-8", "replace")
                statements.append(self.prepared[name])
            elif kind == b"B":
                # Running a statement prepared earlier on this connection: no SQL is sent again.
                statement_name = body.split(b"\x00", 2)[1]
                statements.append(self.prepared.get(statement_name, ""))


@dataclass(frozen=True)
class _QueryTrap:
    """Terminate the connection that runs a statement starting with `prefix`, or stall all."""

    prefix: str
    sqlstate: str = ADMIN_SHUTDOWN[0]
    message: str = ADMIN_SHUTDOWN[1]
    forward: bool = False
    stall: bool = False

    def matches(self, statement: str) -> bool:
        return statement.lstrip().upper().startswith(self.prefix.upper())


@dataclass(eq=False)
class _Link:
    """One client connection and its upstream connection."""

    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter
    reader: _StatementReader = field(default_factory=_StatementReader)
    # While muted, what PostgreSQL answers is not passed on to the client.
    muted: bool = False
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


class FaultProxy:
    """Forwards 127.0.0.1:<port> to PostgreSQL until told to fail."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self.connections_accepted = 0
        self._mode = "forward"
        self._startup_error: tuple[str, str] | None = None
        self._query_trap: _QueryTrap | None = None
        self._links: set[_Link] = set()
        self._server: asyncio.Server | None = None
        self._loop = asyncio.new_event_loop()
        self._flowing: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    # -- life cycle ---------------------------------------------------------------------------

    def start(self) -> int:
        """Start listening on a free loopback port; returns the port."""
        self._thread.start()
        self._call(self._start())
        return self.port

    def close(self) -> None:
        """Stop listening, drop every connection, end the thread."""
        self._call(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    # -- faults -------------------------------------------------------------------------------

    def heal(self) -> None:
        """Forward faithfully again (listening again if refusing)."""
        self._call(self._heal())

    def refuse(self) -> None:
        """Stop listening: new connections are refused; open ones are reset too."""
        self._call(self._refuse())

    def reset(self) -> None:
        """Reset open connections, and every new one as soon as it is accepted."""
        self._call(self._reset_all())

    def stall(self) -> None:
        """Forward nothing in either direction, on open connections and new ones."""
        self._call(self._stall())

    def reject_startup(self, sqlstate: str, message: str) -> None:
        """Answer new connections' startup packets with a FATAL ErrorResponse.

        Open connections keep working, as they do while PostgreSQL is shutting down in "smart"
        mode or when it has no connection slot left for newcomers.
        """
        self._call(self._reject_startup(sqlstate, message))

    def terminate(self, sqlstate: str = ADMIN_SHUTDOWN[0], message: str = ADMIN_SHUTDOWN[1]) -> int:
        """Send each open connection a FATAL ErrorResponse and close it; returns how many."""
        return self._call(self._terminate(sqlstate, message))

    def terminate_on_query(
        self,
        prefix: str,
        *,
        forward: bool = False,
        sqlstate: str = ADMIN_SHUTDOWN[0],
        message: str = ADMIN_SHUTDOWN[1],
    ) -> None:
        """Terminate the connection that next sends a statement starting with `prefix` (once).

        The statement is dropped, or with `forward` passed on first, so that PostgreSQL runs it
        (a COMMIT, say) and the connection dies before its answer: the client cannot know.
        """
        self._call(self._arm(_QueryTrap(prefix, sqlstate, message, forward)))

    def stall_on_query(self, prefix: str) -> None:
        """Stall everything from the moment a statement starting with `prefix` is sent (once).

        The statement is held, as a network that stops mid-transaction holds it; heal() lets
        it through, to a transaction its client has given up on by then.
        """
        self._call(self._arm(_QueryTrap(prefix, stall=True)))

    @property
    def trap_sprung(self) -> bool:
        """Whether the statement armed by terminate_on_query or stall_on_query was seen."""
        return self._call(self._trap_state())

    @property
    def open_connections(self) -> int:
        return self._call(self._count())

    # -- the loop's side ----------------------------------------------------------------------

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    async def _start(self) -> None:
        self._flowing = asyncio.Event()
        self._flowing.set()
        await self._listen()

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(
            self._accept, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop_listening(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    async def _close(self) -> None:
        await self._stop_listening()
        for link in list(self._links):
            self._drop(link)

    async def _heal(self) -> None:
        self._mode = "forward"
        self._startup_error = None
        assert self._flowing is not None
        self._flowing.set()
        if self._server is None:
            await self._listen()

    async def _refuse(self) -> None:
        self._mode = "refuse"
        await self._stop_listening()
        for link in list(self._links):
            self._drop(link, reset=True)

    async def _reset_all(self) -> None:
        self._mode = "reset"
        for link in list(self._links):
            self._drop(link, reset=True)

    async def _stall(self) -> None:
        self._mode = "stall"
        assert self._flowing is not None
        self._flowing.clear()

    async def _reject_startup(self, sqlstate: str, message: str) -> None:
        self._mode = "reject"
        self._startup_error = (sqlstate, message)

    async def _terminate(self, sqlstate: str, message: str) -> int:
        links = list(self._links)
        for link in links:
            link.client.write(error_response(sqlstate, message))
            self._drop(link)
        return len(links)

    async def _arm(self, trap: _QueryTrap) -> None:
        self._query_trap = trap

    async def _trap_state(self) -> bool:
        return self._query_trap is None

    async def _count(self) -> int:
        return len(self._links)

    def _drop(self, link: _Link, *, reset: bool = False) -> None:
        self._links.discard(link)
        for task in link.tasks:
            task.cancel()
        if reset:
            _reset(link.client)
        else:
            link.client.close()
        # Closing the upstream side makes PostgreSQL's backend end and roll back whatever
        # transaction it had open, exactly as when a client vanishes.
        _reset(link.upstream)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections_accepted += 1
        if self._mode == "reset":
            _reset(writer)
            return
        if self._mode == "reject" and self._startup_error is not None:
            await self._answer_startup_with_error(reader, writer, *self._startup_error)
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            _reset(writer)
            return
        link = _Link(client=writer, upstream=up_writer)
        self._links.add(link)
        link.tasks = [
            asyncio.create_task(self._pump(reader, up_writer, link, from_client=True)),
            asyncio.create_task(self._pump(up_reader, writer, link)),
        ]

    async def _answer_startup_with_error(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        sqlstate: str,
        message: str,
    ) -> None:
        try:
            while True:
                length = struct.unpack("!I", await reader.readexactly(4))[0]
                body = await reader.readexactly(length - 4)
                code = struct.unpack("!I", body[:4])[0]
                if code in (SSL_REQUEST_CODE, GSSENC_REQUEST_CODE):
                    writer.write(b"N")  # no encryption here: the client sends the startup next
                    continue
                break
            writer.write(error_response(sqlstate, message))
            await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def _pump(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        link: _Link,
        *,
        from_client: bool = False,
    ) -> None:
        assert self._flowing is not None
        try:
            while data := await reader.read(65536):
                await self._flowing.wait()
                trap = self._query_trap
                statements = link.reader.feed(data) if from_client else []
                if trap is not None and any(trap.matches(q) for q in statements):
                    self._query_trap = None
                    if trap.stall:
                        self._mode = "stall"
                        self._flowing.clear()
                        await self._flowing.wait()
                        writer.write(data)
                        await writer.drain()
                        continue
                    if trap.forward:
                        link.muted = True
                        writer.write(data)
                        await writer.drain()
                        # Let PostgreSQL act on it before the connection dies.
                        await asyncio.sleep(0.2)
                    link.client.write(error_response(trap.sqlstate, trap.message))
                    break
                if link.muted and not from_client:
                    continue
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        if link in self._links:
            self._drop(link)
