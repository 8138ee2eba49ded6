"""Pages of the orders app; its issue adds them here (the app is wired in the root URLconf)."""

app_name = "orders"
urlpatterns: list = []
