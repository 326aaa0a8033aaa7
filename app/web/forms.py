"""The dashboard's forms: shape checks only (the services hold every business rule).

Each form carries the CSRF token (Flask-WTF). A domain `ValidationError` from a service
lands on the fields it names through `show_domain_errors`, so nothing typed is lost.
"""

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional

from app.common.errors import StockroomError, ValidationError
from app.schemas.user_schema import NAME_MAX

REQUIRED = "Fill this in."
NOT_THE_SAME = "Type the same new password twice."
EMAIL_MAX = 254
ROLE_CHOICES = [
    SelectChoice("", "No role"),
    SelectChoice("manager", "Manager"),
    SelectChoice("admin", "Admin"),
]


def _optional_int(value: Any) -> int | None:
    """Coerce a select's value to an int; blank (no choice) is None."""
    if value in (None, "", "None"):
        return None
    return int(value)


class SignInForm(FlaskForm):  # type: ignore[misc]
    """Email and password."""

    email = EmailField("Email", validators=[DataRequired(REQUIRED)])
    password = PasswordField("Password", validators=[DataRequired(REQUIRED)])


class StoreForm(FlaskForm):  # type: ignore[misc]
    """A store's five fields."""

    name = StringField("Name", validators=[DataRequired(REQUIRED)])
    address = StringField("Address", validators=[DataRequired(REQUIRED)])
    city = StringField("City", validators=[DataRequired(REQUIRED)])
    state = StringField("State", validators=[DataRequired(REQUIRED)])
    zip_code = StringField("ZIP code", validators=[DataRequired(REQUIRED)])


class StockAddForm(FlaskForm):  # type: ignore[misc]
    """Start stocking a product, by SKU."""

    sku = StringField("Product SKU", validators=[DataRequired(REQUIRED)])
    quantity = IntegerField("Quantity", default=0, validators=[InputRequired(REQUIRED)])


class QuantityForm(FlaskForm):  # type: ignore[misc]
    """Set a quantity, or adjust it by a delta (the +/- buttons)."""

    quantity = IntegerField("Quantity", validators=[Optional()])
    delta = IntegerField("Change by", validators=[Optional()])


class ManagerForm(FlaskForm):  # type: ignore[misc]
    """Choose a user to make a store's manager."""

    user_id = SelectField("New manager", coerce=int, validators=[InputRequired(REQUIRED)])


class ProductForm(FlaskForm):  # type: ignore[misc]
    """A product's fields; categories by id."""

    sku = StringField("SKU", validators=[DataRequired(REQUIRED)])
    name = StringField("Name", validators=[DataRequired(REQUIRED)])
    price = DecimalField(
        "Price",
        places=None,
        validators=[InputRequired(REQUIRED)],
        render_kw={"inputmode": "decimal"},
    )
    description = TextAreaField("Description", validators=[Optional()])
    categories = SelectMultipleField("Categories", coerce=int, validators=[Optional()])


class CatalogFilterForm(FlaskForm):  # type: ignore[misc]
    """The catalog's search and filters (a GET form: no CSRF token needed)."""

    class Meta:
        """No CSRF token: the form only reads."""

        csrf = False

    q = StringField("Search", validators=[Optional()])
    category = SelectField("Category", coerce=_optional_int, validators=[Optional()])
    min_price = DecimalField("Min price", places=None, validators=[Optional(), NumberRange(0)])
    max_price = DecimalField("Max price", places=None, validators=[Optional(), NumberRange(0)])


class NewUserForm(FlaskForm):  # type: ignore[misc]
    """An account an admin creates."""

    email = EmailField("Email", validators=[DataRequired(REQUIRED)])
    name = StringField("Name", validators=[Optional()])
    password = PasswordField("Password", validators=[DataRequired(REQUIRED)])
    role = SelectField("Role", choices=ROLE_CHOICES, validators=[Optional()])


class EditUserForm(FlaskForm):  # type: ignore[misc]
    """An admin's edit of an account: name, role, active."""

    name = StringField("Name", validators=[Optional()])
    role = SelectField("Role", choices=ROLE_CHOICES, validators=[Optional()])
    is_active = BooleanField("Active (may sign in)")


class ImportForm(FlaskForm):  # type: ignore[misc]
    """A CSV of products, or of one store's stock, to import in the background."""

    kind = SelectField(
        "The file holds",
        choices=[SelectChoice("products", "Products"), SelectChoice("stock", "A store's stock")],
    )
    store_id = SelectField("Store (for stock)", coerce=_optional_int, validators=[Optional()])
    skip_invalid = BooleanField("Write the good rows and list the bad ones")
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file.")])


class PasswordResetRequestForm(FlaskForm):  # type: ignore[misc]
    """The email of an account whose password is forgotten."""

    email = EmailField("Email", validators=[DataRequired(REQUIRED), Length(max=EMAIL_MAX)])


class PasswordResetForm(FlaskForm):  # type: ignore[misc]
    """A new password, twice; the link's token rides along in a hidden field."""

    token = HiddenField()
    new_password = PasswordField("New password", validators=[DataRequired(REQUIRED)])
    confirm_password = PasswordField(
        "Confirm new password",
        validators=[DataRequired(REQUIRED), EqualTo("new_password", NOT_THE_SAME)],
    )


class ProfileForm(FlaskForm):  # type: ignore[misc]
    """Your own name, and optionally a new password (which needs the current one)."""

    name = StringField("Name", validators=[Optional(), Length(max=NAME_MAX)])
    current_password = PasswordField("Current password", validators=[Optional()])
    password = PasswordField("New password", validators=[Optional()])
    confirm_password = PasswordField(
        "Confirm new password", validators=[EqualTo("password", NOT_THE_SAME)]
    )


class ConfirmForm(FlaskForm):  # type: ignore[misc]
    """A button that changes something (delete, sign out, remove): only the CSRF token."""


def show_domain_errors(form: Any, error: StockroomError) -> None:
    """Put a service's error on the fields it names; anything else becomes a form error."""
    field_errors = error.errors if isinstance(error, ValidationError) else {}
    unplaced = []
    for name, messages in field_errors.items():
        field = form._fields.get(name)
        if field is None:
            unplaced.extend(messages)
        else:
            field.errors = [*field.errors, *messages]
    if unplaced or not field_errors:
        form.form_errors.extend(unplaced or [error.detail])


def page_status(form: Any) -> int:
    """The status of a form page: 200, 409 for a clash with stored data, else 422."""
    if not form.errors:
        return 200
    return 409 if form.form_errors else 422
