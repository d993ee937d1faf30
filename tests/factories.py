"""factory-boy factories shared by every test package."""

import factory
from django.contrib.auth import get_user_model

from centres.models import Centre, Company, Membership
from centres.roles import Role

DEFAULT_PASSWORD = "motdepasse-de-test-42"


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"UIMM Territoriale {n}")
    slug = factory.Sequence(lambda n: f"centre-{n}")
    region = "Auvergne-Rhône-Alpes"
    city = "Lyon"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Entreprise {n}")
    siret = factory.Sequence(lambda n: f"{40000000000000 + n}")
    city = "Grenoble"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    centre = factory.SubFactory(CentreFactory)
    role = Role.STAFF
    company = factory.LazyAttribute(
        lambda m: CompanyFactory(centre=m.centre) if m.role == Role.COMPANY_REP else None
    )


def user_with_role(centre, role, *, username=None, company=None, **membership_kwargs):
    user = UserFactory(**({"username": username} if username else {}))
    if role == Role.COMPANY_REP and company is None:
        company = CompanyFactory(centre=centre)
    MembershipFactory(user=user, centre=centre, role=role, company=company, **membership_kwargs)
    return user


def api_key(user) -> str:
    """A new API token for ``user``: its key (stored hashed, known only here)."""
    from accounts.tokens import create_token

    return create_token(user)[1]
