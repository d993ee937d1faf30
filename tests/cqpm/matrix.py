from cqpm.models import Criterion
from tests.matrix import ALL_ROLES, Entry

from .factories import SEED_SLUG, load_seed

# The referential is national, public data: anyone may browse it, pages and API alike.


def _slug(world):
    load_seed()
    return {"slug": SEED_SLUG}


def _version(world):
    load_seed()
    return {"slug": SEED_SLUG, "number": 1}


def _version_pk(world):
    return {"pk": load_seed().pk}


def _criterion_pk(world):
    version = load_seed()
    return {"pk": Criterion.objects.filter(competence__version=version).first().pk}


ENTRIES = [
    Entry("cqpm:catalogue", allowed=ALL_ROLES, public=True),
    Entry("cqpm:referential", allowed=ALL_ROLES, public=True, kwargs=_slug),
    Entry("cqpm:version", allowed=ALL_ROLES, public=True, kwargs=_version),
    Entry("cqpm:criteria", allowed=ALL_ROLES, public=True, kwargs=_version, query="?q=securite"),
    Entry("cqpm:print", allowed=ALL_ROLES, public=True, kwargs=_version),
    Entry("api:qualification-list", allowed=ALL_ROLES, public=True),
    Entry("api:qualification-detail", allowed=ALL_ROLES, public=True, kwargs=_slug),
    Entry("api:referential-version-list", allowed=ALL_ROLES, public=True),
    Entry("api:referential-version-detail", allowed=ALL_ROLES, public=True, kwargs=_version_pk),
    Entry("api:referential-version-export", allowed=ALL_ROLES, public=True, kwargs=_version_pk),
    Entry("api:criterion-list", allowed=ALL_ROLES, public=True, query="?q=securite"),
    Entry("api:criterion-detail", allowed=ALL_ROLES, public=True, kwargs=_criterion_pk),
    # POST credentials → token; anonymous by design (no body here: 400).
    Entry("api:auth-token", allowed=(), public=True, method="post", status=400),
]
