"""The caller: the token a request came with."""

from pydantic import BaseModel

from engine.service.auth import Role


class Caller(BaseModel):
    """The token a request came with."""

    token_id: str
    name: str
    role: Role
