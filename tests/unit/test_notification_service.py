"""What a notification mail is about, read as plain data; gone or inactive rows give None."""

from sqlalchemy.orm import Session

from app.services import notification_service
from app.services.notification_service import Recipient, StoreFacts
from tests.factories import StoreFactory, UserFactory


def test_a_manager_change_names_the_recipient_and_the_store(session: Session) -> None:
    user = UserFactory(email="ann@example.com", name="Ann")
    store = StoreFactory(
        name="Main", address="1 High Road", city="Springfield", state="IL", zip_code="62701"
    )

    change = notification_service.get_manager_change(session, store.id, user.id)

    assert change is not None
    assert change.recipient == Recipient(email="ann@example.com", name="Ann")
    assert change.store == StoreFacts(
        id=store.id,
        name="Main",
        address="1 High Road",
        city="Springfield",
        state="IL",
        zip_code="62701",
    )


def test_an_unknown_store_gives_no_manager_change(session: Session) -> None:
    user = UserFactory()

    assert notification_service.get_manager_change(session, 999, user.id) is None


def test_an_unknown_user_gives_no_manager_change(session: Session) -> None:
    store = StoreFactory()

    assert notification_service.get_manager_change(session, store.id, 999) is None


def test_an_inactive_user_is_no_recipient(session: Session) -> None:
    user = UserFactory(is_active=False)

    assert notification_service.get_recipient(session, user.id) is None
