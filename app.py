"""Entry point: `flask --app app run` or `gunicorn 'app:create_app()'`."""

from seslip.factory import create_app

app = create_app()
