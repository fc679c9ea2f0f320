"""The HTTP server's own settings (where it listens, who may call it, how much it takes on),
typed and validated once; and the rule that it never listens beyond loopback without a key.
"""

from __future__ import annotations

import ipaddress

from pydantic import BaseModel, ConfigDict, Field

MIB = 1024 * 1024


class ServeSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = Field("127.0.0.1", description="address to listen on; loopback by default")
    port: int = Field(8808, ge=0, le=65535)
    api_key: str | None = Field(None, description="when set, every request needs this bearer key")
    max_body_bytes: int = Field(MIB, ge=1024, description="largest request body accepted")
    concurrency: int = Field(1, ge=1, le=64, description="runs at once")
    queue: int = Field(4, ge=0, le=1000, description="runs waiting beyond those; then 429")
    max_seconds: float = Field(900.0, gt=0, description="wall-clock budget of one run")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name could resolve anywhere


def bind_problem(settings: ServeSettings) -> str | None:
    """Why the server must not start with these settings, or None."""
    if not is_loopback(settings.host) and not settings.api_key:
        return (f"refusing to listen on {settings.host} without an API key: anyone who can reach "
                "it could spend your model budget. Set MICROAGENT_API_KEY (or --api-key), or "
                "listen on 127.0.0.1.")
    return None
