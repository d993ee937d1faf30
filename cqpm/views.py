"""Referential pages: catalogue of CQPMs, referential detail, criteria search, print view."""

from django.db.models import Count, Q
from django.shortcuts import render

from .models import Qualification, ReferentialVersion


def catalogue(request):
    qualifications = Qualification.objects.annotate(
        published_versions=Count(
            "versions", filter=Q(versions__status=ReferentialVersion.Status.PUBLISHED)
        )
    ).order_by("title")
    return render(request, "cqpm/catalogue.html", {"qualifications": qualifications})
