"""stock_service on a plain SQLite Session: adding, setting, adjusting, removing stock."""

import pytest
from sqlalchemy import event, select, text

from app.common.errors import (
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    ValidationError,
)
from app.models.product import Product
from app.models.stock_item import MAX_QUANTITY, StockItem
from app.services import stock_service
from app.services.stock_service import QuantityChange, StockKey
from tests.factories import ProductFactory, StockItemFactory, StoreFactory, UserFactory


@pytest.fixture
def store(manager):
    return StoreFactory(managers=[manager])


def _quantity(session, key: StockKey) -> int | None:
    session.expire_all()
    return session.scalar(
        select(StockItem.quantity).where(
            StockItem.store_id == key.store_id, StockItem.product_id == key.product_id
        )
    )


def _stocked(store, quantity: int = 10) -> StockKey:
    item = StockItemFactory(store=store, quantity=quantity)
    return StockKey(store.id, item.product_id)


def test_a_manager_adds_a_product_with_quantity_zero_by_default(session, manager, store) -> None:
    product = ProductFactory()

    line = stock_service.add_stock(session, manager, StockKey(store.id, product.id))

    assert (line.product, line.quantity, line.version) == (product, 0, 1)


def test_an_admin_adds_a_product_to_any_store_with_a_quantity(session, admin) -> None:
    key = StockKey(StoreFactory().id, ProductFactory().id)

    stock_service.add_stock(session, admin, key, 12)

    assert _quantity(session, key) == 12


def test_adding_a_product_twice_is_a_conflict(session, manager, store) -> None:
    key = _stocked(store, 4)

    with pytest.raises(ConflictError, match="already stocks"):
        stock_service.add_stock(session, manager, key, 9)

    assert _quantity(session, key) == 4


def test_a_product_stocked_by_a_concurrent_request_is_a_conflict(session, admin, store) -> None:
    key = StockKey(store.id, ProductFactory().id)

    def someone_else_stocks_it_first(*_args: object) -> None:
        with session.get_bind().connect() as other:
            other.execute(
                text(
                    "INSERT INTO stock_items (store_id, product_id, quantity, created_at, "
                    "updated_at, version) VALUES (:s, :p, 5, '2026-01-01', '2026-01-01', 1)"
                ),
                {"s": key.store_id, "p": key.product_id},
            )
            other.commit()

    event.listen(session, "before_flush", someone_else_stocks_it_first, once=True)

    with pytest.raises(ConflictError, match="already stocks"):
        stock_service.add_stock(session, admin, key, 9)

    assert _quantity(session, key) == 5


def test_a_manager_of_another_store_cannot_add_stock(session, store) -> None:
    stranger = UserFactory(roles=["manager"])
    StoreFactory(managers=[stranger])

    with pytest.raises(PermissionDeniedError):
        stock_service.add_stock(session, stranger, StockKey(store.id, ProductFactory().id))


@pytest.mark.parametrize(("unknown", "match"), [("store", "no store"), ("product", "no product")])
def test_adding_to_an_unknown_store_or_product_is_not_found(
    session, admin, store, unknown, match
) -> None:
    product_id = ProductFactory().id
    key = StockKey(999, product_id) if unknown == "store" else StockKey(store.id, 999)

    with pytest.raises(NotFoundError, match=match):
        stock_service.add_stock(session, admin, key)


@pytest.mark.parametrize("quantity", [-1, MAX_QUANTITY + 1])
def test_adding_a_quantity_out_of_range_is_refused(session, admin, store, quantity) -> None:
    with pytest.raises(ValidationError):
        stock_service.add_stock(session, admin, StockKey(store.id, ProductFactory().id), quantity)


@pytest.mark.parametrize("case", [(10, 5, 15), (10, -3, 7), (10, -10, 0)], ids=str)
def test_a_delta_adjusts_the_quantity(session, manager, store, case) -> None:
    start, delta, result = case
    key = _stocked(store, start)

    line = stock_service.change_stock(session, manager, key, QuantityChange(delta=delta))

    assert line.quantity == result
    assert _quantity(session, key) == result
    assert line.version == 2


@pytest.mark.parametrize(("start", "delta"), [(10, -11), (0, -1), (MAX_QUANTITY, 1)])
def test_a_delta_never_takes_the_quantity_out_of_range(
    session, manager, store, start, delta
) -> None:
    key = _stocked(store, start)

    with pytest.raises(ConflictError, match="never drops below zero"):
        stock_service.change_stock(session, manager, key, QuantityChange(delta=delta))

    assert _quantity(session, key) == start


def test_a_quantity_sets_the_stock(session, manager, store) -> None:
    key = _stocked(store, 10)

    line = stock_service.change_stock(session, manager, key, QuantityChange(quantity=3))

    assert (line.quantity, _quantity(session, key)) == (3, 3)


@pytest.mark.parametrize(
    "change",
    [QuantityChange(), QuantityChange(quantity=1, delta=1), QuantityChange(quantity=-1)],
)
def test_a_change_needs_exactly_one_valid_value(session, admin, store, change) -> None:
    key = _stocked(store)

    with pytest.raises(ValidationError):
        stock_service.change_stock(session, admin, key, change)


def test_changing_an_unstocked_product_is_not_found(session, admin, store) -> None:
    key = StockKey(store.id, ProductFactory().id)

    with pytest.raises(NotFoundError, match="does not stock"):
        stock_service.change_stock(session, admin, key, QuantityChange(delta=1))


def test_a_change_against_an_old_version_fails_its_precondition(session, admin, store) -> None:
    key = _stocked(store, 10)
    stock_service.change_stock(session, admin, key, QuantityChange(delta=1))

    with pytest.raises(PreconditionFailedError):
        stock_service.change_stock(session, admin, key, QuantityChange(delta=1, expected_version=1))

    assert _quantity(session, key) == 11


def test_a_change_at_the_current_version_succeeds(session, admin, store) -> None:
    key = _stocked(store, 10)

    line = stock_service.change_stock(
        session, admin, key, QuantityChange(quantity=0, expected_version=1)
    )

    assert (line.quantity, line.version) == (0, 2)


def test_a_manager_of_another_store_cannot_change_its_stock(session, store) -> None:
    key = _stocked(store, 10)
    stranger = UserFactory()

    with pytest.raises(PermissionDeniedError):
        stock_service.change_stock(session, stranger, key, QuantityChange(delta=-1))

    assert _quantity(session, key) == 10


def test_removing_stock_deletes_the_row(session, manager, store) -> None:
    key = _stocked(store)

    stock_service.remove_stock(session, manager, key)

    assert _quantity(session, key) is None


def test_removing_an_unstocked_product_is_not_found(session, manager, store) -> None:
    with pytest.raises(NotFoundError):
        stock_service.remove_stock(session, manager, StockKey(store.id, 999))


def test_a_removal_against_an_old_version_fails_its_precondition(session, admin, store) -> None:
    key = _stocked(store)

    with pytest.raises(PreconditionFailedError):
        stock_service.remove_stock(session, admin, key, expected_version=2)

    assert _quantity(session, key) == 10


def test_deleting_a_product_removes_its_stock_rows(session, store) -> None:
    key = _stocked(store)
    session.delete(session.get(Product, key.product_id))
    session.commit()

    assert _quantity(session, key) is None


def test_stock_is_listed_by_product_id_one_page_at_a_time(session, store) -> None:
    keys = [_stocked(store, quantity) for quantity in range(5)]
    _stocked(StoreFactory())

    first = stock_service.list_stock(session, store.id, 2, None)
    rest = stock_service.list_stock(session, store.id, 5, first.next_cursor)

    assert [line.product.id for line in first.items] == [key.product_id for key in keys[:2]]
    assert [line.quantity for line in rest.items] == [2, 3, 4]
    assert rest.next_cursor is None


def test_an_empty_store_lists_no_stock(session, store) -> None:
    assert list(stock_service.list_stock(session, store.id, 20, None).items) == []


def test_the_stock_of_an_unknown_store_is_not_found(session) -> None:
    with pytest.raises(NotFoundError):
        stock_service.list_stock(session, 999, 20, None)


def test_a_garbled_stock_cursor_is_a_bad_request(session, store) -> None:
    with pytest.raises(BadRequestError):
        stock_service.list_stock(session, store.id, 20, "garbled")


def test_one_stocked_product_is_found_with_its_product(session, store) -> None:
    key = _stocked(store, 6)

    line = stock_service.get_stock_line(session, key)

    assert (line.product.id, line.quantity) == (key.product_id, 6)


@pytest.mark.parametrize(("store_id", "match"), [(None, "does not stock"), (999, "no store")])
def test_a_missing_stock_line_is_not_found(session, store, store_id, match) -> None:
    with pytest.raises(NotFoundError, match=match):
        stock_service.get_stock_line(session, StockKey(store_id or store.id, 999))
