"""The service exceptions are siblings: catching ServiceError never swallows a 403 or a 404."""

import pytest

from seslip.errors import NotFound, PermissionDenied, ServiceError


@pytest.mark.parametrize("kind", [PermissionDenied, NotFound])
def test_permission_and_not_found_pass_a_service_error_handler(kind: type[Exception]) -> None:
    with pytest.raises(kind):
        try:
            raise kind("no")
        except ServiceError:  # what a view writes to show a broken rule beside the form
            pytest.fail(f"{kind.__name__} was caught as a ServiceError")


def test_every_refusal_carries_its_message_and_field() -> None:
    from seslip.errors import Refusal

    for kind in (ServiceError, PermissionDenied, NotFound):
        error = kind("Enter a name.", "name")
        assert isinstance(error, Refusal)
        assert (error.message, error.field) == ("Enter a name.", "name")
