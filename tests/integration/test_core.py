from flask.testing import FlaskClient

from tests.support.factories import login, make_user


def test_health_answers_when_database_answers(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_home_requires_login(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_signed_in_person_sees_home(client: FlaskClient) -> None:
    user = make_user(name="Ada Lovelace")
    login(client, user)
    page = client.get("/").get_data(as_text=True)
    assert "Welcome, Ada Lovelace" in page
    assert 'href="#main-content"' in page


def test_htmx_request_without_session_gets_401_not_redirect(client: FlaskClient) -> None:
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 401
