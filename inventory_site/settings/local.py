"""Quick start and development: debug on, console email, embedded database unless configured."""

from .base import *
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# runserver serves static files from the finders; no collectstatic needed for the quick start.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
