from django.urls import path

from laurel.web.views import console, public

app_name = "web"
urlpatterns = [
    path("", public.home, name="home"),
    path("console/", console.console, name="console"),
]
