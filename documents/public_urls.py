"""Public pages (no login): certificate verification, mounted at ``/verifier/``."""

from django.urls import path

from documents import public_views

app_name = "verification"

urlpatterns = [
    path("", public_views.verify_form, name="form"),
    path("<str:code>/", public_views.verify, name="verify"),
]
