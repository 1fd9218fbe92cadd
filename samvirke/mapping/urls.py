from django.urls import path

from samvirke.mapping import views

app_name = "mapping"
P = "p/<slug:slug>/participants/<uuid:public_id>/mapping/"
urlpatterns = [
    path("occupations/search/", views.occupation_search, name="occupation_search"),
    path(P, views.participant_mapping, name="participant"),
    path(f"{P}new/", views.mapping_new, name="new"),
    path("p/<slug:slug>/me/mapping/", views.my_mapping, name="mine"),
    path("p/<slug:slug>/me/mapping/new/", views.my_mapping_new, name="my_new"),
    path("p/<slug:slug>/resource-map/", views.resource_map, name="resource_map"),
    path(
        "p/<slug:slug>/resource-map/team-candidates/",
        views.team_candidates,
        name="team_candidates",
    ),
    path("p/<slug:slug>/member-import/", views.member_import, name="import"),
    path(
        "p/<slug:slug>/member-import/template/",
        views.member_import_template,
        name="import_template",
    ),
    path(
        "p/<slug:slug>/member-import/<uuid:public_id>/",
        views.member_import_batch,
        name="import_batch",
    ),
]
