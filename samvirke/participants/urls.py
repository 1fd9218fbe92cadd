from django.urls import path

from samvirke.participants import views

app_name = "participants"
P = "p/<slug:slug>/participants/"
urlpatterns = [
    path(P, views.participant_list, name="list"),
    path(f"{P}new/", views.participant_new, name="new"),
    path(f"{P}<uuid:public_id>/", views.participant_detail, name="detail"),
    path(f"{P}<uuid:public_id>/identity/", views.participant_identity, name="identity"),
    path(f"{P}<uuid:public_id>/edit/", views.participant_edit, name="edit"),
    path(f"{P}<uuid:public_id>/consents/", views.consent_record, name="consent_record"),
    path(f"{P}<uuid:public_id>/sign-in-access/", views.sign_in_access, name="sign_in_access"),
    path(
        f"{P}<uuid:public_id>/sign-in-access/confirm/",
        views.sign_in_confirm,
        name="sign_in_confirm",
    ),
    path(
        f"{P}<uuid:public_id>/sign-in-access/approve/",
        views.sign_in_approve,
        name="sign_in_approve",
    ),
    path(
        f"{P}<uuid:public_id>/consents/<int:pk>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(f"{P}<uuid:public_id>/export/", views.participant_export, name="export"),
    path(f"{P}<uuid:public_id>/export.json", views.participant_export_file, name="export_file"),
    path(f"{P}erasure-requests/", views.erasure_requests, name="erasure_requests"),
    path(f"{P}<uuid:public_id>/erasure/confirm/", views.erasure_confirm, name="erasure_confirm"),
    path(f"{P}<uuid:public_id>/erasure/refuse/", views.erasure_refuse, name="erasure_refuse"),
    path("p/<slug:slug>/me/", views.my_page, name="me"),
    path("p/<slug:slug>/me/details/", views.my_details, name="my_details"),
    path("p/<slug:slug>/me/my-data/", views.my_data, name="my_data"),
    path("p/<slug:slug>/me/my-data.json", views.my_data_file, name="my_data_file"),
    path("p/<slug:slug>/me/erase/", views.my_erasure, name="my_erasure"),
    path("p/<slug:slug>/me/consents/give/", views.my_consent_give, name="my_consent_give"),
    path(
        "p/<slug:slug>/me/consents/<int:pk>/withdraw/",
        views.my_consent_withdraw,
        name="my_consent_withdraw",
    ),
    path("p/<slug:slug>/me/access-log/", views.my_access_log, name="my_access_log"),
]
