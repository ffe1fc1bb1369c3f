"""
WSGI config for trackify project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'trackify.settings')

application = get_wsgi_application()

# Import the URLconf (every view module and what it imports: the gateways, the PDF renderer,
# the task queue) now, while the server loads the app, not in each worker's first request. With
# gunicorn's --preload the workers fork with it already imported; without it, a worker pays for
# it while booting, before it accepts a connection. No database connection is opened here.
_ROUTES = get_resolver().url_patterns
