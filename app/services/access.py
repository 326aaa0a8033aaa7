"""Who may act: the admin-only rule every service shares."""

from app.common.errors import PermissionDeniedError
from app.models.user import User


def require_admin(actor: User, action: str) -> None:
    """Refuse anyone but an admin.

    Raises:
        PermissionDeniedError: naming the action only an admin may take.
    """
    if not actor.is_admin:
        raise PermissionDeniedError(f"Only an admin may {action}.")
