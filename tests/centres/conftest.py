import pytest


@pytest.fixture
def admin_a(world):
    return world.user("centre_admin")


@pytest.fixture
def admin_b(world):
    return world.user("centre_admin", "b")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """``with on_commit(): ...`` runs the ``transaction.on_commit`` callbacks (e-mails) of
    the block when it exits, as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
