"""WSGI entry point, served by gunicorn (``upstream serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstream.service.config.settings")
application = get_wsgi_application()
