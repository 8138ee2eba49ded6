"""Pages of the stock app; its issue adds them here (the app is wired in the root URLconf)."""

app_name = "stock"
urlpatterns: list = []
