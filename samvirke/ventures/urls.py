from django.urls import path

from samvirke.ventures import views, work_views

app_name = "ventures"
urlpatterns = [
    path("p/<slug:slug>/ventures/", views.venture_list, name="list"),
    path("p/<slug:slug>/ventures/board/", views.venture_board, name="board"),
    path("p/<slug:slug>/ventures/new/", views.venture_new, name="new"),
    path("p/<slug:slug>/ventures/pipeline/", views.pipeline, name="pipeline"),
    path("p/<slug:slug>/ventures/team-formation/", views.formation, name="formation"),
    path(
        "p/<slug:slug>/ventures/team-formation/<uuid:public_id>/",
        views.formation_run,
        name="formation_run",
    ),
    path(
        "p/<slug:slug>/ventures/proposals/<uuid:public_id>/decide/",
        views.proposal_decide,
        name="proposal_decide",
    ),
    path("p/<slug:slug>/ventures/checklists/", work_views.checklist_templates, name="checklists"),
    path(
        "p/<slug:slug>/ventures/checklists/defaults/",
        work_views.checklist_templates_seed,
        name="checklists_seed",
    ),
    path(
        "p/<slug:slug>/ventures/checklists/new/",
        work_views.checklist_template_new,
        name="checklist_template_new",
    ),
    path(
        "p/<slug:slug>/ventures/checklists/<int:pk>/edit/",
        work_views.checklist_template_edit,
        name="checklist_template_edit",
    ),
    path(
        "p/<slug:slug>/ventures/checklists/<int:pk>/change/",
        work_views.checklist_template_action,
        name="checklist_template_action",
    ),
    path("p/<slug:slug>/ventures/<uuid:public_id>/", views.venture_detail, name="detail"),
    path(
        "p/<slug:slug>/ventures/<uuid:public_id>/checklist/<int:pk>/",
        work_views.checklist_tick,
        name="checklist_tick",
    ),
    path(
        "p/<slug:slug>/ventures/<uuid:public_id>/tasks/new/", work_views.task_new, name="task_new"
    ),
    path(
        "p/<slug:slug>/ventures/<uuid:public_id>/tasks/<int:pk>/edit/",
        work_views.task_edit,
        name="task_edit",
    ),
    path(
        "p/<slug:slug>/ventures/<uuid:public_id>/tasks/<int:pk>/done/",
        work_views.task_done,
        name="task_done",
    ),
    path(
        "p/<slug:slug>/ventures/<uuid:public_id>/documents/new/",
        work_views.document_new,
        name="document_new",
    ),
    path(
        "p/<slug:slug>/ventures/<uuid:public_id>/documents/<uuid:document_id>/",
        work_views.document_download,
        name="document_download",
    ),
    path(
        "p/<slug:slug>/ventures/<uuid:public_id>/documents/<uuid:document_id>/delete/",
        work_views.document_delete,
        name="document_delete",
    ),
    path("p/<slug:slug>/ventures/<uuid:public_id>/edit/", views.venture_edit, name="edit"),
    path("p/<slug:slug>/ventures/<uuid:public_id>/move/", views.venture_move, name="move"),
    path(
        "p/<slug:slug>/ventures/<uuid:public_id>/members/new/",
        views.member_add,
        name="member_add",
    ),
    path("p/<slug:slug>/ventures/<uuid:public_id>/needs/new/", views.need_add, name="need_add"),
    path("p/<slug:slug>/ventures/<uuid:public_id>/outcome/", views.outcome, name="outcome"),
    path("p/<slug:slug>/ventures/<uuid:public_id>/canvas/", views.canvas, name="canvas"),
    path("p/<slug:slug>/my-team-proposals/", views.my_proposals, name="my_proposals"),
    path(
        "p/<slug:slug>/my-team-proposals/<uuid:public_id>/decline/",
        views.my_proposal_decline,
        name="my_proposal_decline",
    ),
]
