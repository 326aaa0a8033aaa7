"""Who may act: the acting user as services see it, and the admin-only rule they share.

Services ask an actor only who it is and which roles it holds. Both a `User` (the
dashboard's, loaded by the ORM) and a `Caller` (the API's, read by the token check
without the ORM) answer that.
"""

from dataclasses import dataclass
from typing import Protocol

from app.common.errors import PermissionDeniedError
from app.models.role import ADMIN


class Actor(Protocol):
    """Whoever acts: a user id and the roles it holds."""

    @property
    def id(self) -> int:
        """The acting user's id."""
        ...

    @property
    def is_admin(self) -> bool:
        """Whether the acting user holds the admin role."""
        ...

    def has_role(self, name: str) -> bool:
        """Tell whether the acting user holds the role called `name`."""
        ...


@dataclass(frozen=True, slots=True)
class Caller:
    """The signed-in API caller: their user id and roles, and the access token they sent."""

    id: int
    token_id: int
    pair_id: str
    roles: frozenset[str]

    @property
    def user_id(self) -> int:
        """The id of the user the token belongs to (the caller's own id)."""
        return self.id

    @property
    def is_admin(self) -> bool:
        """Whether the caller holds the admin role."""
        return ADMIN in self.roles

    def has_role(self, name: str) -> bool:
        """Tell whether the caller holds the role called `name`."""
        return name in self.roles


def require_admin(actor: Actor, action: str) -> None:
    """Refuse anyone but an admin.

    Raises:
        PermissionDeniedError: naming the action only an admin may take.
    """
    if not actor.is_admin:
        raise PermissionDeniedError(f"Only an admin may {action}.")
