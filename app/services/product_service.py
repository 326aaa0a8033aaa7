"""Products: anyone signed in lists, searches and reads them; only admins change them."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.common.errors import ConflictError, NotFoundError, StockroomError, ValidationError
from app.common.pagination import Page
from app.models.category import Category
from app.models.product import Product
from app.repositories import category_repository, product_repository
from app.services.access import Actor, require_admin
from app.services.keyset_cursor import cursor_after
from app.services.product_listing import ProductListing, plan_listing
from app.services.versioning import check_version, commit_unique, commit_versioned

_TAKEN = "A product with this SKU already exists."
_CATEGORY_GONE = "A category was deleted while the product was being created; try again."
CENT = Decimal("0.01")
FIELDS = frozenset({"sku", "name", "description", "price", "categories"})
REQUIRED = frozenset({"sku", "name", "price"})


@dataclass(frozen=True, slots=True)
class CategoryName:
    """A category as a new product lists it: its id and name."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class NewProduct:
    """A product just created, as written: the fields given and the columns generated."""

    id: int
    sku: str
    name: str
    description: str | None
    price: Decimal
    categories: list[CategoryName]
    version: int
    created_at: datetime
    updated_at: datetime


def list_products(session: Session, listing: ProductListing) -> Page[Product]:
    """Return one page of products, filtered, searched (ranked) and sorted.

    Raises:
        ValidationError: the sort is not allowed, or `q` has no words to search for.
        BadRequestError: the cursor is unreadable.
    """
    plan = plan_listing(listing)
    rows, has_more = product_repository.list_page(
        session, plan.filters, plan.field, descending=plan.descending, seek=plan.seek
    )
    next_cursor = cursor_after(plan.token, rows[-1][1], rows[-1][0].id) if has_more else None
    return Page(items=[product for product, _ in rows], next_cursor=next_cursor)


def get_product(session: Session, product_id: int) -> Product:
    """Return one product with its categories.

    Raises:
        NotFoundError: no product has this id.
    """
    product = product_repository.get_by_id(session, product_id)
    if product is None:
        raise NotFoundError(f"No product with id {product_id}.")
    return product


def create_product(session: Session, actor: Actor, fields: Mapping[str, Any]) -> NewProduct:
    """Create a product (admins only) from sku, name, price, description?, categories?.

    One INSERT ... RETURNING and, with categories, one batched insert of the links; the
    answer is built from what was written, so nothing is read back.

    Raises:
        PermissionDeniedError: the actor is not an admin.
        ValidationError: a field is missing, unknown or invalid, or a category is unknown.
        ConflictError: another product has this SKU.
    """
    require_admin(actor, "change products")
    _check_field_names(fields, required=REQUIRED)
    sku = _clean_text("sku", fields["sku"])
    name = _clean_text("name", fields["name"])
    description = fields.get("description")
    price = _clean_price(fields["price"])
    categories = [
        CategoryName(category.id, category.name)
        for category in _existing_categories(session, fields.get("categories") or [])
    ]
    inserted = _insert_new(
        session,
        {"sku": sku, "name": name, "description": description, "price": price},
        [category.id for category in categories],
    )
    return NewProduct(
        id=inserted.id,
        sku=sku,
        name=name,
        description=description,
        price=price,
        categories=categories,
        version=inserted.version,
        created_at=inserted.created_at,
        updated_at=inserted.updated_at,
    )


def update_product(
    session: Session,
    actor: Actor,
    product_id: int,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> Product:
    """Change some of a product's fields (admins only); `categories` replaces the set.

    Raises:
        PermissionDeniedError: the actor is not an admin.
        NotFoundError: no product has this id.
        PreconditionFailedError: the product is not at `expected_version`.
        ValidationError: a field is unknown or invalid, or a category is unknown.
        ConflictError: another product has the new SKU.
    """
    require_admin(actor, "change products")
    _check_field_names(changes, required=frozenset())
    product = get_product(session, product_id)
    check_version(product.version, expected_version)
    _apply(session, product, changes)
    commit_unique(session, _TAKEN)
    return product


def delete_product(
    session: Session, actor: Actor, product_id: int, expected_version: int | None = None
) -> None:
    """Delete a product (admins only); its category links go with it.

    Raises:
        PermissionDeniedError: the actor is not an admin.
        NotFoundError: no product has this id.
        PreconditionFailedError: the product is not at `expected_version`.
    """
    require_admin(actor, "change products")
    product = get_product(session, product_id)
    check_version(product.version, expected_version)
    product_repository.delete(session, product)
    commit_versioned(session)


def _check_field_names(fields: Mapping[str, Any], required: frozenset[str]) -> None:
    errors = {name: ["Unknown field."] for name in sorted(set(fields) - FIELDS)}
    errors.update({name: ["Field required."] for name in sorted(required - set(fields))})
    errors.update(
        {
            name: ["May not be null."]
            for name in sorted(REQUIRED & set(fields))
            if fields[name] is None
        }
    )
    if errors:
        raise ValidationError("The product has fields that are missing or invalid.", errors)


def _apply(session: Session, product: Product, fields: Mapping[str, Any]) -> None:
    """Copy the given fields onto `product`, normalised and checked; undo all if one fails."""
    try:
        with session.no_autoflush:
            _apply_fields(session, product, fields)
    except StockroomError:
        session.rollback()
        raise


def _apply_fields(session: Session, product: Product, fields: Mapping[str, Any]) -> None:
    if "sku" in fields:
        sku = _clean_text("sku", fields["sku"])
        if sku != product.sku:
            _ensure_sku_free(session, sku)
            product.sku = sku
    if "name" in fields:
        product.name = _clean_text("name", fields["name"])
    if "description" in fields:
        product.description = fields["description"]
    if "price" in fields:
        product.price = _clean_price(fields["price"])
    if "categories" in fields:
        _set_categories(session, product, fields["categories"] or [])


def _clean_text(field: str, value: object) -> str:
    cleaned = value.strip() if isinstance(value, str) else ""
    if not cleaned:
        raise ValidationError(f"The {field} is blank.", {field: ["May not be blank."]})
    return cleaned


def _clean_price(value: object) -> Decimal:
    price = value if isinstance(value, Decimal) else Decimal(str(value))
    if not price.is_finite() or price < 0 or price != price.quantize(CENT):
        raise ValidationError(
            "The price is invalid.", {"price": ["A price is 0 or more, with at most 2 decimals."]}
        )
    return price.quantize(CENT)


def _set_categories(session: Session, product: Product, category_ids: Sequence[int]) -> None:
    found = _existing_categories(session, category_ids)
    if [category.id for category in product.categories] != [category.id for category in found]:
        product.categories = found
        # Links live in another table; touching the row bumps `version`, so the ETag moves.
        product.updated_at = utcnow()


def _existing_categories(session: Session, category_ids: Sequence[int]) -> list[Category]:
    """Return the categories with these ids, by id.

    Raises:
        ValidationError: an id names no category.
    """
    wanted = sorted(set(category_ids))
    found = category_repository.list_by_ids(session, wanted)
    missing = sorted(set(wanted) - {category.id for category in found})
    if missing:
        listed = ", ".join(str(category_id) for category_id in missing)
        raise ValidationError(
            "A category does not exist.", {"categories": [f"Unknown category id(s): {listed}."]}
        )
    return found


def _insert_new(
    session: Session, values: Mapping[str, Any], category_ids: Sequence[int]
) -> product_repository.Generated:
    """Insert the product and its links and commit; all or nothing.

    The SKU's unique constraint is the check: no SELECT first, and a race lost to another
    writer is the same 409 as a SKU taken long ago.

    Raises:
        ConflictError: another product has this SKU, or a category was deleted meanwhile.
    """
    inserted = None
    try:
        inserted = product_repository.insert_one(session, values)
        product_repository.link_many(session, [(inserted.id, each) for each in category_ids])
        session.commit()
    except IntegrityError as error:
        session.rollback()
        taken = f"A product with SKU {values['sku']!r} already exists."
        raise ConflictError(_CATEGORY_GONE if inserted else taken) from error
    except BaseException:
        session.rollback()
        raise
    return inserted


def _ensure_sku_free(session: Session, sku: str) -> None:
    if product_repository.get_by_sku(session, sku) is not None:
        raise ConflictError(f"A product with SKU {sku!r} already exists.")
