"""Pages of the suppliers app; its issue adds them here (the app is wired in the root URLconf)."""

app_name = "suppliers"
urlpatterns: list = []
