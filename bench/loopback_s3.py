"""An S3 server of our own on 127.0.0.1 (moto's server mode, pinned in requirements-dev.txt) and an admin
handle on it that may create buckets: what the release tests and `bench capacity` publish to."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from pyarrow import fs as pafs

KEY = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1"}


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """http://127.0.0.1:<free port> of a moto S3 server, stopped on exit. ImportError without moto."""
    import moto.server as server_mod

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    server = server_mod.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def admin(endpoint: str) -> pafs.S3FileSystem:
    """A handle on the server that may create buckets (the code under test may not)."""
    return pafs.S3FileSystem(
        access_key=KEY["AWS_ACCESS_KEY_ID"],
        secret_key=KEY["AWS_SECRET_ACCESS_KEY"],
        region=KEY["AWS_REGION"],
        scheme="http",
        endpoint_override=endpoint.removeprefix("http://"),
        allow_bucket_creation=True,
    )
