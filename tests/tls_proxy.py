"""TLS in front of a plain Temporal dev server, for tests of Boomerang's TLS settings.

`temporal server start-dev` serves plain gRPC only, so `TlsProxy` terminates TLS (with mTLS
when given a client CA) on a free port of 127.0.0.1 and passes the bytes on to the server.
`Pki` makes a throwaway CA, a server certificate for `SERVER_NAME` only (so a client must be
told that name) and a client certificate, with the machine's `openssl`.
"""

import asyncio
import contextlib
import ssl
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

SERVER_NAME = "temporal.internal"


@dataclass(frozen=True)
class Pki:
    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    stranger_ca: Path  # a CA that signed nothing here


def _openssl(*arguments: str | Path) -> None:
    subprocess.run(["openssl", *map(str, arguments)], check=True, capture_output=True)


def _new_ca(folder: Path, name: str) -> tuple[Path, Path]:
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", key, "-out", cert, "-days", "2", "-subj", f"/CN={name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    return cert, key


def _issue(folder: Path, name: str, ca: tuple[Path, Path], extensions: str) -> tuple[Path, Path]:
    cert, key, request = folder / f"{name}.pem", folder / f"{name}.key", folder / f"{name}.csr"
    _openssl(
        "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", key, "-out", request, "-subj", f"/CN={name}",
    )  # fmt: skip
    extfile = folder / f"{name}.ext"
    extfile.write_text(extensions)
    _openssl(
        "x509", "-req", "-in", request, "-CA", ca[0], "-CAkey", ca[1], "-CAcreateserial",
        "-days", "2", "-out", cert, "-extfile", extfile,
    )  # fmt: skip
    return cert, key


def make_pki(folder: Path) -> Pki:
    ca = _new_ca(folder, "test-ca")
    server = _issue(
        folder, "server", ca, f"subjectAltName=DNS:{SERVER_NAME}\nextendedKeyUsage=serverAuth\n"
    )
    client = _issue(folder, "client", ca, "extendedKeyUsage=clientAuth\n")
    stranger_ca, _ = _new_ca(folder, "stranger-ca")
    return Pki(ca[0], *server, *client, stranger_ca)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, ssl.SSLError):
        pass
    finally:
        writer.close()


@contextlib.asynccontextmanager
async def tls_proxy(pki: Pki, target: str, *, client_ca: Path | None) -> AsyncIterator[str]:
    """The host:port of TLS (HTTP/2 by ALPN, as gRPC asks) on a free port, forwarding to
    `target` (host:port); a client certificate signed by `client_ca` is required when given."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(pki.server_cert, pki.server_key)
    context.set_alpn_protocols(["h2"])
    if client_ca is not None:
        context.load_verify_locations(client_ca)
        context.verify_mode = ssl.CERT_REQUIRED
    host, port = target.rsplit(":", 1)
    connections: set[asyncio.Task[None]] = set()

    async def serve(from_client: asyncio.StreamReader, to_client: asyncio.StreamWriter) -> None:
        from_server, to_server = await asyncio.open_connection(host, int(port))
        await asyncio.gather(_pipe(from_client, to_server), _pipe(from_server, to_client))

    def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.ensure_future(serve(reader, writer))
        connections.add(task)
        task.add_done_callback(connections.discard)

    server = await asyncio.start_server(on_connection, "127.0.0.1", 0, ssl=context)
    try:
        listening = server.sockets[0].getsockname()
        yield f"127.0.0.1:{listening[1]}"
    finally:
        server.close()
        for task in list(connections):
            task.cancel()
        await asyncio.gather(*connections, return_exceptions=True)
        await server.wait_closed()
