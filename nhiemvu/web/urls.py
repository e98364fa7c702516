from __future__ import annotations

from django.urls import path

from nhiemvu.assignments import views as task_views
from nhiemvu.assignments.reorganisation import views as reorganisation_views
from nhiemvu.directives import views as directive_views
from nhiemvu.directives.legacy import views as legacy_views
from nhiemvu.lib.links import ROUTES
from nhiemvu.orgs import views as org_views
from nhiemvu.reminders import views as reminder_views
from nhiemvu.reports import views as report_views
from nhiemvu.web import ops, pwa, views

urlpatterns = [
    path(ROUTES["home"], views.home, name="home"),
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.metrics_view, name="metrics"),
    # The installable app (issue 32): the worker at the root, so its scope is the whole site.
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("ngoai-tuyen/", pwa.offline, name="offline"),
    path("co-quan/tim/", org_views.organisation_search, name="organisation_search"),
    path("co-quan/sap-xep/", reorganisation_views.reorganisation_list, name="reorganisations"),
    path(
        "co-quan/sap-xep/<str:code>/",
        reorganisation_views.reorganisation_detail,
        name="reorganisation_detail",
    ),
    path("co-quan/<slug:code>/", task_views.organisation_detail, name="organisation_detail"),
    path(ROUTES["task_list"], task_views.task_list, name="task_list"),
    path("nhiem-vu/xuat.csv", task_views.task_list_csv, name="task_list_csv"),
    path("nhiem-vu/xuat.xlsx", task_views.task_list_xlsx, name="task_list_xlsx"),
    path(ROUTES["task_detail"], task_views.task_detail, name="task_detail"),
    path(
        "nhiem-vu/<str:code>/tep/<slug:sha256>/",
        task_views.task_attachment,
        name="task_attachment",
    ),
    path("nhiem-vu/<str:code>/tach/", task_views.subtask_add, name="subtask_add"),
    path("nhiem-vu/<str:code>/ma-giao/", task_views.received_code, name="received_code"),
    path("nhiem-vu/<str:code>/bao-cao-len/", task_views.report_upward, name="report_upward"),
    path(
        "nhiem-vu/<str:code>/bao-cao-len.<str:fmt>",
        report_views.upward_file,
        name="upward_file",
    ),
    path("nhiem-vu/<str:code>/<slug:action>/", task_views.task_action, name="task_action"),
    path("thong-bao/", reminder_views.notification_list, name="notifications"),
    path("thong-bao/da-doc/", reminder_views.notification_read, name="notification_read"),
    path(
        "thong-bao/cai-dat/",
        reminder_views.notification_preferences,
        name="notification_preferences",
    ),
    # Web Push devices (issue 32).
    path("thong-bao/thiet-bi/", reminder_views.push_subscribe, name="push_subscribe"),
    path("thong-bao/thiet-bi/tat/", reminder_views.push_unsubscribe, name="push_unsubscribe"),
    path("don-doc/", reminder_views.urging, name="urging"),
    path(
        "don-doc/<slug:code>/cong-van.docx",
        reminder_views.urging_letter_download,
        name="urging_letter",
    ),
    path(
        "don-doc/<slug:code>/cong-van.pdf",
        reminder_views.urging_letter_pdf_download,
        name="urging_letter_pdf",
    ),
    path(
        "don-doc/<slug:code>/cap-nhat/",
        reminder_views.urging_letter_register,
        name="urging_letter_register",
    ),
    path("bao-cao/", report_views.report, name="report"),
    path("bao-cao/xu-huong/", report_views.report_trend, name="report_trend"),
    path("bao-cao/tai-ve/", report_views.report_download, name="report_download"),
    path("bao-cao/tep/", report_views.report_files, name="report_files"),
    path("bao-cao/tep/<str:code>/", report_views.report_file_download, name="report_file"),
    path("bao-cao/nhap-excel/", directive_views.import_excel, name="import_excel"),
    path("van-ban/chuyen-doi/", legacy_views.legacy_home, name="legacy_home"),
    path("van-ban/chuyen-doi/<str:code>/", legacy_views.legacy_run, name="legacy_run"),
    path("bao-cao/nhap-excel/mau.xlsx", directive_views.import_template, name="import_template"),
    path("van-ban/nhap/", directive_views.directive_import, name="directive_import"),
    path(
        "van-ban/nhap/cau/",
        directive_views.directive_import_sentence,
        name="directive_import_sentence",
    ),
    path(
        "van-ban/dang-doc/<slug:code>/", directive_views.directive_reading, name="directive_reading"
    ),
    path("van-ban/<str:code>/", directive_views.directive_detail, name="directive_detail"),
    path(
        "van-ban/<str:code>/tep/<slug:sha256>/",
        directive_views.directive_attachment,
        name="directive_attachment",
    ),
]
