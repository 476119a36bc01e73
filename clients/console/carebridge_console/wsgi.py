"""The WSGI entry point: gunicorn 'carebridge_console.wsgi:app'."""
from .app import create_app

app = create_app()
