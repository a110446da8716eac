"""``/oruk/``: the open directory API (Open Referral UK / HSDS 3.0). Paths as the HSDS 3.0
OpenAPI document names them, without trailing slashes; anything else is a JSON 404."""

from django.urls import path, re_path

from upstream.service.directory.oruk import views

app_name = "oruk"
urlpatterns = [
    path("", views.root, name="root"),
    path("openapi.json", views.openapi, name="openapi"),
    path("services", views.services, name="services"),
    path("services/<str:service_id>", views.service, name="service"),
    path("service_at_locations", views.services_at_locations, name="services_at_locations"),
    path("service_at_locations/<str:service_at_location_id>", views.service_at_location,
         name="service_at_location"),
    path("organizations", views.organizations, name="organizations"),
    path("organizations/<str:organization_id>", views.organization, name="organization"),
    path("taxonomies", views.taxonomies, name="taxonomies"),
    path("taxonomies/<str:taxonomy_id>", views.taxonomy, name="taxonomy"),
    path("taxonomy_terms", views.taxonomy_terms, name="taxonomy_terms"),
    path("taxonomy_terms/<str:taxonomy_term_id>", views.taxonomy_term, name="taxonomy_term"),
    re_path(r"^.+$", views.unknown, name="unknown"),
]
