"""The project's URLs plus one route nobody wrote a permission rule for (used by a test)."""

from django.http import HttpResponse
from django.urls import path

from inventory_site.urls import urlpatterns as project_urlpatterns


def unruled(request):
    return HttpResponse("anyone?")


urlpatterns = [*project_urlpatterns, path("unruled/", unruled, name="unruled")]
