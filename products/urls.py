"""Pages of the products app; its issue adds them here (the app is wired in the root URLconf)."""

app_name = "products"
urlpatterns: list = []
