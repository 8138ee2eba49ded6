"""Fixtures shared by every test: users per role and signing in as them."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory

# The four kinds of visitor every page and endpoint states an expectation for.
ANONYMOUS = "anonymous"
VISITORS = (ANONYMOUS, "staff", "manager", "admin")
ROLE_OF_VISITOR = {"staff": Role.STAFF, "manager": Role.MANAGER, "admin": Role.ADMIN}


@pytest.fixture
def make_user(db):
    """Create a user in a role: make_user(Role.STAFF, username="ana")."""

    def make(role: Role | str | None = None, **fields):
        return UserFactory(role=role, **fields)

    return make


@pytest.fixture
def login_as(client, make_user):
    """Sign the test client in as a visitor ("staff", "manager", "admin", or "anonymous").

    Return the signed-in user (None for anonymous).
    """

    def login(visitor: str, **fields):
        if visitor == ANONYMOUS:
            client.logout()
            return None
        user = make_user(ROLE_OF_VISITOR[visitor], **fields)
        client.force_login(user)
        return user

    return login


@pytest.fixture
def staff_user(make_user):
    return make_user(Role.STAFF, username="staffer")


@pytest.fixture
def manager_user(make_user):
    return make_user(Role.MANAGER, username="boss")


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMIN, username="root")


def pytest_collection_modifyitems(items):
    """Run the browser tests last: they need settings no other test should run under."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Turn a skipped test into a failure: every test in this suite must run (house rule)."""
    report = yield
    if report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped tests are not allowed in this suite: {report.longrepr}"
    return report
