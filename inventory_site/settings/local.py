"""Quick start and development: debug on, console email, embedded database unless configured."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
