from __future__ import annotations

from django.urls import path

from nhiemvu.assignments import views as task_views
from nhiemvu.directives import views as directive_views
from nhiemvu.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("nhiem-vu/", task_views.task_list, name="task_list"),
    path("nhiem-vu/<str:code>/", task_views.task_detail, name="task_detail"),
    path("nhiem-vu/<str:code>/<slug:action>/", task_views.task_action, name="task_action"),
    path("van-ban/nhap/", directive_views.directive_import, name="directive_import"),
    path("van-ban/<str:code>/", directive_views.directive_detail, name="directive_detail"),
]
