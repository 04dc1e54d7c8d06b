from django.urls import path

from laurel.orgs.views import console

app_name = "orgs"
urlpatterns = [
    path("console/units/", console.unit_list, name="unit_list"),
    path("console/units/<id:pk>/", console.unit_detail, name="unit_detail"),
    path("console/units/pick/", console.unit_pick, name="unit_pick"),
]
