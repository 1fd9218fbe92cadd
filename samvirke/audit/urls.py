from django.urls import path

from samvirke.audit import views

app_name = "audit"
urlpatterns = [
    path("p/<slug:slug>/audit/", views.audit_log, name="log"),
    path("p/<slug:slug>/audit/export/", views.audit_export, name="export"),
]
