from django.urls import path

from samvirke.evaluation import views

app_name = "evaluation"
P = "p/<slug:slug>/research-data/"
urlpatterns = [
    path(P, views.research_data, name="research_data"),
    path(f"{P}export", views.research_data_file, name="research_data_file"),
    path(f"{P}codebook", views.research_codebook, name="research_codebook"),
]
