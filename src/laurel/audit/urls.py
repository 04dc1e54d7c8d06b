from django.urls import path

from laurel.audit.views import console

app_name = "audit"
urlpatterns = [
    path("console/audit/", console.entry_list, name="entry_list"),
    path("console/audit/<id:pk>/", console.entry_detail, name="entry_detail"),
]
