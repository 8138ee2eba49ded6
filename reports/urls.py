"""Pages of the reports app; its issue adds them here (the app is wired in the root URLconf)."""

app_name = "reports"
urlpatterns: list = []
