from django.urls import path

from laurel.media.views import member, public

app_name = "media"
urlpatterns = [
    path("media/upload/", member.upload, name="upload"),
    path("media/r/<id:pk>/<str:name>.jpg", public.rendition, name="rendition"),
    path("media/s/<str:token>/", public.signed, name="signed"),
]
