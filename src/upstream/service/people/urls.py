from django.urls import path

from upstream.service.people import flag_views, views

app_name = "people"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("<int:person_id>/", views.detail, name="detail"),
    path("<int:person_id>/edit/", views.edit, name="edit"),
    path("<int:person_id>/flags/", flag_views.flags, name="flags"),
    path("flags/<int:safety_flag_id>/resolve/", flag_views.resolve_flag, name="resolve_flag"),
]
