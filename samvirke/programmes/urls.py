from django.urls import path

from samvirke.programmes import views

app_name = "programmes"
urlpatterns = [
    path("p/<slug:slug>/", views.dashboard, name="dashboard"),
    path("p/<slug:slug>/edit/", views.programme_edit, name="edit"),
    path("p/<slug:slug>/partners/", views.partners, name="partners"),
    path("p/<slug:slug>/partners/add/", views.partner_add, name="partner_add"),
    path("p/<slug:slug>/partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("p/<slug:slug>/partners/<int:pk>/remove/", views.partner_remove, name="partner_remove"),
    path("p/<slug:slug>/organisations/new/", views.organisation_new, name="organisation_new"),
    path(
        "p/<slug:slug>/organisations/<int:pk>/edit/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path("p/<slug:slug>/subprojects/", views.subprojects, name="subprojects"),
    path("p/<slug:slug>/subprojects/new/", views.subproject_new, name="subproject_new"),
    path("p/<slug:slug>/subprojects/<int:pk>/", views.subproject_detail, name="subproject"),
    path("p/<slug:slug>/subprojects/<int:pk>/edit/", views.subproject_edit, name="subproject_edit"),
    path("p/<slug:slug>/project-group/", views.project_group, name="project_group"),
    path("p/<slug:slug>/project-group/add/", views.project_group_add, name="project_group_add"),
    path(
        "p/<slug:slug>/project-group/<int:pk>/remove/",
        views.project_group_remove,
        name="project_group_remove",
    ),
    path("p/<slug:slug>/goals/", views.goals, name="goals"),
    path("p/<slug:slug>/goals/new/", views.goal_new, name="goal_new"),
    path("p/<slug:slug>/goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("p/<slug:slug>/indicators/new/", views.indicator_new, name="indicator_new"),
    path("p/<slug:slug>/indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("p/<slug:slug>/milestones/new/", views.milestone_new, name="milestone_new"),
    path("p/<slug:slug>/milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("p/<slug:slug>/members/", views.members, name="members"),
    path("p/<slug:slug>/members/add/", views.member_add, name="member_add"),
    path("p/<slug:slug>/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("p/<slug:slug>/search/", views.search, name="search"),
    path("p/<slug:slug>/calendar/", views.calendar_settings, name="calendar_settings"),
]
