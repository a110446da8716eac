from django.urls import path

from upstream.service.people import views

app_name = "people"
urlpatterns = [
    path("<int:person_id>/", views.detail, name="detail"),
    path("<int:person_id>/edit/", views.edit, name="edit"),
]
