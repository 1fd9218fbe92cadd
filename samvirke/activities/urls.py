from django.urls import path

from samvirke.activities import views

app_name = "activities"
urlpatterns = [
    path("p/<slug:slug>/activities/", views.activity_list, name="list"),
    path("p/<slug:slug>/activities/new/", views.activity_new, name="new"),
    path("p/<slug:slug>/activities/<uuid:public_id>/", views.activity_detail, name="detail"),
    path("p/<slug:slug>/activities/<uuid:public_id>/edit/", views.activity_edit, name="edit"),
    path(
        "p/<slug:slug>/activities/<uuid:public_id>/register/",
        views.register_self,
        name="register",
    ),
    path("p/<slug:slug>/activities/<uuid:public_id>/cancel/", views.cancel_self, name="cancel"),
    path(
        "p/<slug:slug>/activities/<uuid:public_id>/register-person/",
        views.register_person,
        name="register_person",
    ),
    path(
        "p/<slug:slug>/activities/<uuid:public_id>/attendance/",
        views.attendance,
        name="attendance",
    ),
    path(
        "p/<slug:slug>/activities/<uuid:public_id>/decisions/new/",
        views.decision_new,
        name="decision_new",
    ),
    path(
        "p/<slug:slug>/activities/<uuid:public_id>/actions/new/",
        views.action_new,
        name="action_new",
    ),
    path("p/<slug:slug>/actions/", views.action_list, name="actions"),
    path("p/<slug:slug>/actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("p/<slug:slug>/calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
