"""Wire models of users."""

from __future__ import annotations

from datetime import datetime

from shared.schemas import ApiModel


class UserRead(ApiModel):
    id: str
    name: str
    email: str
    email_verified: bool
    image: str | None
    created_at: datetime
    updated_at: datetime
