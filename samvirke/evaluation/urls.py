from django.urls import path

from samvirke.evaluation import views

app_name = "evaluation"
P = "p/<slug:slug>/research-data/"
urlpatterns = [
    path(P, views.research_data, name="research_data"),
    path(f"{P}export", views.research_data_file, name="research_data_file"),
    path(f"{P}codebook", views.research_codebook, name="research_codebook"),
    path(f"{P}exports/<uuid:public_id>/", views.research_export, name="research_export"),
    path(
        f"{P}exports/<uuid:public_id>/progress",
        views.research_export_progress,
        name="research_export_progress",
    ),
    path(
        f"{P}exports/<uuid:public_id>/download",
        views.research_export_download,
        name="research_export_download",
    ),
]

from samvirke.evaluation import entry_views, questionnaire_views, response_views  # noqa: E402

Q = "p/<slug:slug>/me/questionnaires/"
urlpatterns += [
    path(Q, questionnaire_views.my_questionnaires, name="my_questionnaires"),
    path(f"{Q}<uuid:public_id>/", questionnaire_views.my_questionnaire, name="my_questionnaire"),
    path(
        f"{Q}<uuid:public_id>/send/",
        questionnaire_views.my_questionnaire_submit,
        name="my_questionnaire_submit",
    ),
    path(
        "p/<slug:slug>/questionnaires/<uuid:public_id>/",
        response_views.response_page,
        name="response",
    ),
    path(
        "p/<slug:slug>/questionnaires/<uuid:public_id>/enter/",
        entry_views.questionnaire_enter,
        name="questionnaire_enter",
    ),
    path(
        "p/<slug:slug>/questionnaires/alerts/<uuid:public_id>/followed-up/",
        entry_views.safety_alert_followed_up,
        name="safety_alert_followed_up",
    ),
    path(
        "p/<slug:slug>/questionnaires/import/",
        entry_views.questionnaire_import,
        name="questionnaire_import",
    ),
    path(
        "p/<slug:slug>/questionnaires/import/<slug:instrument>-template",
        entry_views.questionnaire_import_template,
        name="questionnaire_import_template",
    ),
    path(
        "p/<slug:slug>/questionnaires/due/",
        questionnaire_views.questionnaires_due,
        name="questionnaires_due",
    ),
]

from samvirke.evaluation import instrument_views  # noqa: E402

urlpatterns += [
    path("p/<slug:slug>/instruments/", instrument_views.instruments, name="instruments"),
    path("p/<slug:slug>/instruments/new/", instrument_views.instrument_new, name="instrument_new"),
]

from samvirke.evaluation import analysis_views  # noqa: E402

E = "p/<slug:slug>/evaluation/"
urlpatterns += [
    path(E, analysis_views.evaluation, name="evaluation"),
    path(f"{E}run", analysis_views.evaluation_start, name="evaluation_start"),
    path(f"{E}progress", analysis_views.evaluation_progress, name="evaluation_progress"),
    path(f"{E}<uuid:public_id>/report", analysis_views.evaluation_report, name="evaluation_report"),
    path(
        f"{E}<uuid:public_id>/report.pdf",
        analysis_views.evaluation_report_pdf,
        name="evaluation_report_pdf",
    ),
    path(
        f"{E}<uuid:public_id>/chart/<slug:code>/<slug:chart>.svg",
        analysis_views.evaluation_chart,
        name="evaluation_chart",
    ),
    path(
        f"{E}<uuid:public_id>/chart/<slug:code>/<slug:chart>.png",
        analysis_views.evaluation_chart,
        {"fmt": "png"},
        name="evaluation_chart_png",
    ),
]
