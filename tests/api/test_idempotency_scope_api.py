"""Whose key is it: users, anonymous addresses, and real bearer tokens."""

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.models.idempotency_key import IdempotencyKey
from tests.api.widget_api import (
    PROBLEM,
    URL,
    count_widgets,
    install_widget_api,
    post,
    widget_client,
)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return widget_client(app)


def test_different_users_with_the_same_key_do_not_collide(client):
    first = post(client, "k-1", {"name": "a"}, user=1)
    second = post(client, "k-1", {"name": "a"}, user=2)

    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second.headers
    assert second.get_json()["data"]["id"] != first.get_json()["data"]["id"]
    assert count_widgets() == 2


def test_anonymous_keys_are_scoped_by_client_address(client):
    client.post(URL, json={"name": "a"}, headers={"Idempotency-Key": "k-1"})
    same_address = client.post(URL, json={"name": "a"}, headers={"Idempotency-Key": "k-1"})
    other_address = client.post(
        URL,
        json={"name": "a"},
        headers={"Idempotency-Key": "k-1"},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )

    assert same_address.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in other_address.headers
    assert count_widgets() == 2


def test_an_overlong_client_address_still_gets_a_scope_that_fits(client, session):
    def attempt():
        return client.post(
            URL,
            json={"name": "a"},
            headers={"Idempotency-Key": "k-1"},
            environ_base={"REMOTE_ADDR": "x" * 300},
        )

    attempt()
    second = attempt()

    assert second.headers["Idempotent-Replayed"] == "true"
    assert len(session.scalar(select(IdempotencyKey.scope)) or "") <= 100


@pytest.fixture
def real_auth_client(app: Flask) -> FlaskClient:
    install_widget_api(app)
    return app.test_client()


def test_with_real_tokens_a_key_belongs_to_the_signed_in_user(
    real_auth_client, admin_headers, manager_headers
):
    keyed = {"Idempotency-Key": "k-1"}
    first = real_auth_client.post(URL, json={"name": "a"}, headers=admin_headers | keyed)
    other_user = real_auth_client.post(URL, json={"name": "a"}, headers=manager_headers | keyed)
    retry = real_auth_client.post(URL, json={"name": "a"}, headers=admin_headers | keyed)

    assert first.status_code == other_user.status_code == 201
    assert "Idempotent-Replayed" not in other_user.headers
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert count_widgets() == 2


def test_the_signed_in_user_is_still_usable_after_the_key_is_claimed(
    real_auth_client, admin_headers
):
    headers = admin_headers | {"Idempotency-Key": "k-1"}

    response = real_auth_client.post(f"{URL}/admin-only", json={"name": "a"}, headers=headers)

    assert response.status_code == 201


def test_an_anonymous_post_to_a_protected_route_is_401_and_claims_nothing(
    real_auth_client, session
):
    response = real_auth_client.post(URL, json={"name": "a"}, headers={"Idempotency-Key": "k"})

    assert response.status_code == 401
    assert response.mimetype == PROBLEM
    assert session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0
