from django.urls import path

from samvirke.mapping import views

app_name = "mapping"
urlpatterns = [
    path("occupations/search/", views.occupation_search, name="occupation_search"),
]
