from django.urls import path

from upstream.service.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
