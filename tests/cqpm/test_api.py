"""Read-only referential API (public) and the token endpoint."""

import hashlib

import pytest
from django.urls import reverse

from centres.models import ApiToken
from tests.factories import DEFAULT_PASSWORD, UserFactory

from .factories import SEED_SLUG, load_small, seed_document

pytestmark = pytest.mark.django_db


def ok(response):
    assert response.status_code == 200, response.content[:500]
    return response.json()


class TestQualifications:
    def test_list_shape(self, api_client, referential):
        data = ok(api_client.get(reverse("api:qualification-list")))
        assert data["count"] == 1
        item = data["results"][0]
        assert item["slug"] == SEED_SLUG
        assert item["title"] == "Manager de secteur d'activités"
        assert (item["code"], item["rncp_code"], item["level"]) == ("", "", "")
        assert item["rncp_registered"] is True
        assert item["versions"] == [
            {
                "id": referential.pk,
                "qualification": SEED_SLUG,
                "number": 1,
                "status": "published",
                "status_label": "Publiée",
                "published_at": item["versions"][0]["published_at"],
                "competence_credit_months": 24,
                "bloc_credit_months": 60,
            }
        ]
        assert "description" not in item

    def test_detail_by_slug(self, api_client, referential):
        data = ok(api_client.get(reverse("api:qualification-detail", kwargs={"slug": SEED_SLUG})))
        assert data["description"].startswith("Le manager de secteur d'activités est")
        missing = api_client.get(reverse("api:qualification-detail", kwargs={"slug": "inconnu"}))
        assert missing.status_code == 404

    def test_drafts_are_listed_for_national_administrators_only(self, api_client, referential):
        load_small(slug=SEED_SLUG, version=2, status="draft")
        data = ok(api_client.get(reverse("api:qualification-list")))
        assert [v["number"] for v in data["results"][0]["versions"]] == [1]
        api_client.force_authenticate(UserFactory(is_national_admin=True))
        data = ok(api_client.get(reverse("api:qualification-list")))
        assert [v["number"] for v in data["results"][0]["versions"]] == [2, 1]

    @pytest.mark.parametrize("extra", [0, 8])
    def test_query_count_is_constant(self, api_client, django_assert_num_queries, extra):
        load_small()
        for i in range(extra):
            load_small(slug=f"cqpm-{i}", title=f"CQPM {i}")
            load_small(slug=f"cqpm-{i}", title=f"CQPM {i}", version=2)
        with django_assert_num_queries(3):  # count, page, versions
            ok(api_client.get(reverse("api:qualification-list")))


class TestVersions:
    def test_list_and_filters(self, api_client, referential):
        load_small(slug="autre", status="draft")
        load_small(slug="autre", version=2)
        data = ok(api_client.get(reverse("api:referential-version-list")))
        assert {(v["qualification"], v["number"]) for v in data["results"]} == {
            (SEED_SLUG, 1),
            ("autre", 2),
        }
        data = ok(
            api_client.get(reverse("api:referential-version-list"), {"qualification": "autre"})
        )
        assert [v["number"] for v in data["results"]] == [2]
        api_client.force_authenticate(UserFactory(is_national_admin=True))
        data = ok(api_client.get(reverse("api:referential-version-list"), {"status": "draft"}))
        assert [(v["qualification"], v["number"]) for v in data["results"]] == [("autre", 1)]

    def test_detail_is_the_full_tree(self, api_client, referential):
        url = reverse("api:referential-version-detail", kwargs={"pk": referential.pk})
        data = ok(api_client.get(url))
        assert data["qualification"]["slug"] == SEED_SLUG
        assert [m["code"] for m in data["modalities"]] == ["real_work", "project_presentation"]
        assert [b["code"] for b in data["blocs"]] == ["B1", "B2", "B3"]
        competences = [c for b in data["blocs"] for c in b["competences"]]
        assert [c["code"] for c in competences] == [f"C{n}" for n in range(1, 9)]
        criteria = [cr for c in competences for cr in c["criteria"]]
        assert len(criteria) == 103
        assert sum(1 for cr in criteria if cr["conditional"] == "handicap") == 10
        assert {cr["conditional"] for cr in criteria} == {None, "handicap"}
        assert sum(len(c["conditions"]) for c in competences) == 26
        assert sum(len(c["expected_results"]) for c in competences) == 17
        assert sum(len(c["knowledge"]) for c in competences) == 54
        first = criteria[0]
        assert first["category"] == "methods"
        assert first["category_label"] == "Méthodes utilisées"
        assert competences[0]["conditions"][1] == (
            "A partir des informations transmises par les responsables d'équipes."
        )

    def test_export_is_the_file_format(self, api_client, referential):
        url = reverse("api:referential-version-export", kwargs={"pk": referential.pk})
        assert ok(api_client.get(url)) == seed_document()

    def test_a_draft_is_a_404_for_the_public(self, api_client, referential):
        draft = load_small(slug=SEED_SLUG, version=2, status="draft")
        for name in ("api:referential-version-detail", "api:referential-version-export"):
            assert api_client.get(reverse(name, kwargs={"pk": draft.pk})).status_code == 404

    @pytest.mark.parametrize("size", ["small", "seed"])
    @pytest.mark.parametrize(
        ("name", "queries"),
        [("api:referential-version-detail", 8), ("api:referential-version-export", 8)],
    )
    def test_tree_query_count_is_constant(
        self, api_client, django_assert_num_queries, request, size, name, queries
    ):
        if size == "seed":
            version = request.getfixturevalue("referential")
        else:
            version = load_small(criteria_per_competence=1)
        with django_assert_num_queries(queries):  # version + 7 prefetches
            ok(api_client.get(reverse(name, kwargs={"pk": version.pk})))

    @pytest.mark.parametrize("extra", [0, 10])
    def test_list_query_count_is_constant(self, api_client, django_assert_num_queries, extra):
        load_small()
        for i in range(extra):
            load_small(slug=f"cqpm-{i}")
        with django_assert_num_queries(2):  # count, page
            ok(api_client.get(reverse("api:referential-version-list")))


class TestCriteria:
    def test_shape(self, api_client, referential):
        data = ok(api_client.get(reverse("api:criterion-list")))
        assert data["count"] == 103
        assert len(data["results"]) == 50 and data["next"]
        first = data["results"][0]
        assert first["competence"]["code"] == "C1"
        assert first["version"] == {
            "id": referential.pk,
            "qualification": SEED_SLUG,
            "number": 1,
            "status": "published",
        }
        detail = ok(api_client.get(reverse("api:criterion-detail", kwargs={"pk": first["id"]})))
        assert detail == first

    @pytest.mark.parametrize(
        ("params", "count"),
        [
            ({"q": "SECURITE"}, 12),
            ({"q": "handicap déclaré tâches"}, 1),
            ({"category": "constraints", "competence": "C1"}, 5),
            ({"competence": "C8"}, 7),
            ({"q": "securite", "competence": "C4"}, 2),
            ({"category": "means"}, 26),
        ],
    )
    def test_filters(self, api_client, referential, params, count):
        data = ok(api_client.get(reverse("api:criterion-list"), params))
        assert data["count"] == count

    def test_version_and_qualification_filters(self, api_client, referential):
        other = load_small(slug="autre", criteria_per_competence=3)
        assert ok(api_client.get(reverse("api:criterion-list")))["count"] == 109
        data = ok(api_client.get(reverse("api:criterion-list"), {"version": other.pk}))
        assert data["count"] == 6
        data = ok(api_client.get(reverse("api:criterion-list"), {"qualification": SEED_SLUG}))
        assert data["count"] == 103

    def test_unknown_category_is_a_400(self, api_client, referential):
        response = api_client.get(reverse("api:criterion-list"), {"category": "foo"})
        assert response.status_code == 400
        assert "category" in response.json()

    def test_criteria_of_drafts_are_hidden_from_the_public(self, api_client, referential):
        load_small(slug="brouillon", status="draft")
        assert ok(api_client.get(reverse("api:criterion-list")))["count"] == 103

    @pytest.mark.parametrize("size", ["small", "seed"])
    def test_query_count_is_constant(self, api_client, django_assert_num_queries, request, size):
        if size == "seed":
            request.getfixturevalue("referential")
        else:
            load_small(criteria_per_competence=1)
        with django_assert_num_queries(2):  # count, page (with competence, version, CQPM)
            ok(api_client.get(reverse("api:criterion-list"), {"q": "securite"}))


def test_schema_documents_the_referential_endpoints(api_client):
    response = api_client.get(reverse("api:api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/qualifications/",
        "/api/v1/qualifications/{slug}/",
        "/api/v1/referential-versions/",
        "/api/v1/referential-versions/{id}/",
        "/api/v1/referential-versions/{id}/export/",
        "/api/v1/criteria/",
        "/api/v1/criteria/{id}/",
    ):
        assert path in paths, path
    params = {p["name"] for p in paths["/api/v1/criteria/"]["get"]["parameters"]}
    assert {"q", "category", "competence", "version", "page"} <= params
    schemas = response.json()["components"]["schemas"]
    assert schemas["ReferentialVersionStatusEnum"]["enum"] == ["draft", "published", "archived"]
    assert schemas["CriterionCategoryEnum"]["enum"] == [
        "methods",
        "means",
        "relations",
        "constraints",
    ]


@pytest.mark.usefixtures("clear_throttle_cache")
class TestToken:
    url = "/api/v1/auth/token/"

    def test_good_credentials_give_a_token(self, api_client):
        user = UserFactory(username="claire")
        response = api_client.post(
            self.url, {"username": "claire", "password": DEFAULT_PASSWORD}, format="json"
        )
        assert response.status_code == 200
        token = response.json()["token"]
        stored = ApiToken.objects.get(user=user)
        assert stored.key_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in (stored.key_hash, stored.prefix)  # never kept in clear
        # Each call is a new token (the key is only known to the caller).
        again = api_client.post(self.url, {"username": "claire", "password": DEFAULT_PASSWORD})
        assert again.json()["token"] != token
        assert ApiToken.objects.filter(user=user).count() == 2
        assert reverse("api:auth-token") == self.url

    def test_the_token_authenticates(self, api_client, referential):
        UserFactory(username="gtp", is_national_admin=True)
        load_small(slug=SEED_SLUG, version=2, status="draft")
        token = api_client.post(
            self.url, {"username": "gtp", "password": DEFAULT_PASSWORD}, format="json"
        ).json()["token"]
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        data = ok(api_client.get(reverse("api:qualification-list")))
        assert [v["number"] for v in data["results"][0]["versions"]] == [2, 1]

    @pytest.mark.parametrize(
        "body",
        [
            {"username": "claire", "password": "mauvais-mot-de-passe"},
            {"username": "personne", "password": DEFAULT_PASSWORD},
            {"username": "claire"},
            {},
        ],
    )
    def test_bad_credentials_are_a_400_without_token(self, api_client, body):
        UserFactory(username="claire")
        response = api_client.post(self.url, body, format="json")
        assert response.status_code == 400
        assert "token" not in response.json()
        assert not ApiToken.objects.exists()

    def test_an_inactive_user_gets_no_token(self, api_client):
        UserFactory(username="parti", is_active=False)
        response = api_client.post(
            self.url, {"username": "parti", "password": DEFAULT_PASSWORD}, format="json"
        )
        assert response.status_code == 400

    def test_throttled(self, api_client):
        statuses = [api_client.post(self.url, {}, format="json").status_code for _ in range(21)]
        assert statuses[:20] == [400] * 20
        assert statuses[20] == 429

    def test_repeated_failures_lock_the_account_out(self, api_client, settings):
        UserFactory(username="claire")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            api_client.post(self.url, {"username": "claire", "password": "faux"}, format="json")
        response = api_client.post(
            self.url, {"username": "claire", "password": DEFAULT_PASSWORD}, format="json"
        )
        assert response.status_code == 400  # axes refuses: same answer as bad credentials
        assert "token" not in response.json()
        assert not ApiToken.objects.exists()
