"""Walk every route of the project with every kind of visitor (see tests/permission_matrix.py)."""

import pytest

from tests import permission_matrix as matrix

ROUTES = matrix.route_keys()


def test_every_route_has_a_permission_rule():
    assert matrix.routes_without_rules() == []


def test_every_rule_names_an_existing_route():
    assert matrix.rules_without_routes() == []


def test_a_route_added_without_a_rule_is_reported():
    assert matrix.routes_without_rules("tests.urls_with_unruled_route") == ["unruled"]


@pytest.mark.django_db
def test_a_response_that_differs_from_its_rule_is_reported(client, login_as, monkeypatch):
    login_as(matrix.STAFF)
    # A wrong rule: it claims staff may manage users.
    monkeypatch.setitem(matrix.RULES, "accounts:user_list", matrix.page(matrix.STAFF))
    expected, actual = matrix.check(client, "accounts:user_list", matrix.STAFF)
    assert (expected, actual) == (200, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", matrix.VISITORS)
@pytest.mark.parametrize("route", ROUTES)
def test_route_answers_each_visitor_as_declared(client, login_as, route, visitor):
    if route not in matrix.all_rules():
        pytest.fail(f"route {route!r} has no permission rule in tests/permission_matrix.py")
    login_as(visitor)
    expected, actual = matrix.check(client, route, visitor)
    assert actual == expected, f"{route} as {visitor}: expected {expected}, got {actual}"
