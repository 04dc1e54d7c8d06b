from django.urls import path

from laurel.awards.views import console, console_documents, console_seals, member, public

app_name = "awards"
urlpatterns = [
    # public (contract: results and exhibition URLs)
    path("contests/<slug:slug>/results/", public.results, name="public_results"),
    path("contests/<slug:slug>/results/winners.pdf", public.winners_list, name="winners_list"),
    path("contests/<slug:slug>/exhibition/", public.exhibition, name="exhibition"),
    path(
        "contests/<slug:slug>/exhibition/<str:code>/",
        public.exhibition_work,
        name="exhibition_work",
    ),
    path("certificates/", public.certificate_check, name="certificate_check"),
    path("certificates/<str:number>/", public.certificate_verify, name="certificate_verify"),
    # members: their own certificates
    path("me/certificates/<str:number>.pdf", member.certificate_pdf, name="my_certificate_pdf"),
    # console: organisers decide and publish
    path("console/contests/<slug:slug>/results/", console.results, name="console_results"),
    path(
        "console/contests/<slug:slug>/results/method/",
        console.results_method,
        name="console_results_method",
    ),
    path(
        "console/contests/<slug:slug>/results/propose/",
        console.awards_propose,
        name="console_awards_propose",
    ),
    path(
        "console/contests/<slug:slug>/results/unit-prizes/propose/",
        console.unit_awards_propose,
        name="console_unit_awards_propose",
    ),
    path(
        "console/contests/<slug:slug>/results/unit-prizes/",
        console.unit_award_set,
        name="console_unit_award_set",
    ),
    path(
        "console/contests/<slug:slug>/results/publish/",
        console.results_publish,
        name="console_results_publish",
    ),
    path(
        "console/contests/<slug:slug>/results/<id:number>/",
        console.result_entry,
        name="console_result_entry",
    ),
    path(
        "console/contests/<slug:slug>/results/<id:number>/award/",
        console.award_set,
        name="console_award_set",
    ),
    # console: documents (certificates, exports, the winners' originals)
    path(
        "console/contests/<slug:slug>/certificates/",
        console_documents.certificates,
        name="console_certificates",
    ),
    path(
        "console/contests/<slug:slug>/certificates/all/",
        console_documents.certificates_all,
        name="console_certificates_all",
    ),
    path(
        "console/certificates/<str:number>.pdf",
        console_documents.certificate_pdf,
        name="console_certificate_pdf",
    ),
    path(
        "console/contests/<slug:slug>/exports/<str:kind>.xlsx",
        console_documents.export_xlsx,
        name="console_export",
    ),
    path(
        "console/contests/<slug:slug>/exports/originals.zip",
        console_documents.originals_zip,
        name="console_originals_zip",
    ),
    # console: the issuing bodies' seals stamped on certificates
    path("console/seals/", console_seals.seals, name="console_seals"),
    path("console/seals/<id:pk>.png", console_seals.seal_image, name="console_seal_image"),
    path("console/seals/<id:pk>/remove/", console_seals.seal_remove, name="console_seal_remove"),
]
