from django.urls import path

from samvirke.measures import views

app_name = "measures"
urlpatterns = [
    # The service map (tjenestekart / tjänstekarta)
    path("p/<slug:slug>/services/", views.service_list, name="services"),
    path("p/<slug:slug>/services/new/", views.service_new, name="service_new"),
    path(
        "p/<slug:slug>/services/publication/",
        views.service_map_publication,
        name="service_map_publication",
    ),
    path("p/<slug:slug>/services/<int:pk>/", views.service_detail, name="service"),
    path("p/<slug:slug>/services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("p/<slug:slug>/pathways/", views.pathway_list, name="pathways"),
    path("p/<slug:slug>/pathways/new/", views.pathway_new, name="pathway_new"),
    path(
        "p/<slug:slug>/pathways/compare/<slug:situation>/",
        views.pathway_compare,
        name="pathway_compare",
    ),
    path("p/<slug:slug>/pathways/<int:pk>/", views.pathway_detail, name="pathway"),
    path("p/<slug:slug>/pathways/<int:pk>/edit/", views.pathway_edit, name="pathway_edit"),
    path(
        "p/<slug:slug>/pathways/<int:pk>/steps/new/",
        views.pathway_step_new,
        name="pathway_step_new",
    ),
    path(
        "p/<slug:slug>/pathway-steps/<int:pk>/edit/",
        views.pathway_step_edit,
        name="pathway_step_edit",
    ),
    path(
        "p/<slug:slug>/pathway-steps/<int:pk>/remove/",
        views.pathway_step_remove,
        name="pathway_step_remove",
    ),
    # Measures (tiltak / insatser), enrolment and attendance
    path("p/<slug:slug>/measures/", views.measure_list, name="measures"),
    path("p/<slug:slug>/measures/new/", views.measure_new, name="measure_new"),
    path("p/<slug:slug>/measures/export/", views.measures_export, name="measures_export"),
    path("p/<slug:slug>/measures/import/", views.measures_import, name="measures_import"),
    path(
        "p/<slug:slug>/measures/import/template/",
        views.measures_import_template,
        name="measures_import_template",
    ),
    path("p/<slug:slug>/measures/<int:pk>/", views.measure_detail, name="measure"),
    path("p/<slug:slug>/measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path(
        "p/<slug:slug>/measures/<int:pk>/plan-sessions/",
        views.measure_plan_sessions,
        name="plan_sessions",
    ),
    path("p/<slug:slug>/measures/<int:pk>/enrol/", views.measure_enrol, name="enrol"),
    path(
        "p/<slug:slug>/measures/<int:pk>/export/enrolments/",
        views.enrolments_export,
        name="enrolments_export",
    ),
    path(
        "p/<slug:slug>/measures/<int:pk>/export/attendance/",
        views.attendance_export,
        name="attendance_export",
    ),
    path("p/<slug:slug>/measures/<int:pk>/import/", views.measure_import, name="measure_import"),
    path(
        "p/<slug:slug>/measures/<int:pk>/import/template/",
        views.measure_import_template,
        name="measure_import_template",
    ),
    path(
        "p/<slug:slug>/measure-sessions/<int:pk>/attendance/",
        views.session_attendance,
        name="attendance",
    ),
    path("p/<slug:slug>/enrolments/<uuid:public_id>/", views.enrolment_detail, name="enrolment"),
    path(
        "p/<slug:slug>/enrolments/<uuid:public_id>/status/",
        views.enrolment_status,
        name="enrolment_status",
    ),
    path(
        "p/<slug:slug>/enrolments/<uuid:public_id>/notes/",
        views.enrolment_notes,
        name="notes",
    ),
    path(
        "p/<slug:slug>/participants/<uuid:public_id>/journey/",
        views.participant_journey,
        name="journey",
    ),
    path("p/<slug:slug>/me/journey/", views.my_journey, name="my_journey"),
    # Referrals across subprojects
    path(
        "p/<slug:slug>/participants/<uuid:public_id>/referrals/",
        views.participant_referrals,
        name="referrals",
    ),
    path(
        "p/<slug:slug>/referrals/<uuid:public_id>/withdraw/",
        views.referral_withdraw,
        name="referral_withdraw",
    ),
    path(
        "p/<slug:slug>/referrals/<uuid:public_id>/answer/",
        views.referral_answer,
        name="referral_answer",
    ),
    path(
        "p/<slug:slug>/measures/<int:pk>/referrals/",
        views.measure_referrals,
        name="measure_referrals",
    ),
    # The published, read-only service map
    path("public/<slug:slug>/services/", views.public_service_list, name="public_services"),
    path(
        "public/<slug:slug>/services/<int:pk>/",
        views.public_service_detail,
        name="public_service",
    ),
    path("public/<slug:slug>/pathways/", views.public_pathway_list, name="public_pathways"),
    path(
        "public/<slug:slug>/pathways/<int:pk>/",
        views.public_pathway_detail,
        name="public_pathway",
    ),
    path(
        "public/<slug:slug>/pathways/compare/<slug:situation>/",
        views.public_pathway_compare,
        name="public_pathway_compare",
    ),
]
