"""The centre's standing juror records (issue 15): the college a juror sits in, and for
an employee member the representative union (GDPR art. 9, stored apart in ``JurorUnion``).
Only centre staff who compose juries (``convene_juries``) write or read them. A change is
audited — the trail says *that* the union changed, never which union — and does not rewrite
the seats of earlier sessions: a seat copies the record when the juror is convened."""

from django.db import transaction
from django.utils.translation import gettext as _

from centres import audit
from centres.models import Company
from centres.roles import Role
from centres.selectors import holds_role
from core.services import check_version
from juries.errors import JuryError
from juries.models import College, Juror, JurorUnion, Sex
from juries.services.common import require_convener, stale_session

JUROR_FIELDS = ("college", "union", "sex", "company", "qualified_for_certification")


def normalise_union(value) -> str:
    return " ".join((value or "").split())


def same_union(a, b) -> bool:
    return bool(a) and normalise_union(a).casefold() == normalise_union(b).casefold()


def union_of(juror) -> str:
    """The union an employee juror sits for ("" for an employer, or none recorded)."""
    if juror is None or juror.college != College.EMPLOYEE:
        return ""
    union = JurorUnion.objects.filter(juror=juror).values_list("union", flat=True).first()
    return union or ""


def _snapshot(juror, union) -> dict:
    return {
        "user": juror.user_id,
        "college": juror.college,
        "sex": juror.sex,
        "company": juror.company_id,
        "qualified_for_certification": juror.qualified_for_certification,
        "union_set": bool(union),  # never the union itself (art. 9)
    }


def _clean(centre, fields) -> dict:
    data = {k: v for k, v in fields.items() if k in JUROR_FIELDS}
    if "college" in data and data["college"] not in College.values:
        raise JuryError(_("Collège inconnu."), code="bad_college")
    if "sex" in data:
        data["sex"] = data["sex"] or ""
        if data["sex"] and data["sex"] not in Sex.values:
            raise JuryError(_("Valeur inconnue."), code="bad_sex")
    if "union" in data:
        data["union"] = normalise_union(data["union"])
    company = data.get("company")
    if company is not None and (not isinstance(company, Company) or company.centre_id != centre.pk):
        raise JuryError(_("Entreprise inconnue."), code="bad_company")
    return data


def _require_union(college, union) -> None:
    if college == College.EMPLOYEE and not union:
        raise JuryError(
            _("Un membre du collège salariés siège pour une organisation syndicale : indiquez-la."),
            code="union_required",
        )


def _write_union(juror, union) -> None:
    if juror.college == College.EMPLOYEE and union:
        JurorUnion.objects.update_or_create(juror=juror, defaults={"union": union})
    else:  # an employer keeps no union record
        JurorUnion.objects.filter(juror=juror).delete()


def is_juror(user, centre) -> bool:
    return holds_role(user, centre, Role.JUROR)


def register_juror(centre, user, *, actor, college, **fields) -> Juror:
    """The standing record of a juror of ``centre`` (their role is checked by the caller
    when they are convened). Registering twice is refused: edit the record instead."""
    require_convener(actor, centre)
    data = _clean(centre, {**fields, "college": college})
    union = data.pop("union", "")
    _require_union(data["college"], union)
    with transaction.atomic():
        if not is_juror(user, centre):
            raise JuryError(
                _("Cette personne n'a pas de rôle de juré actif dans le centre."),
                code="not_a_juror",
            )
        if Juror.objects.filter(centre=centre, user=user).exists():
            raise JuryError(
                _("Cette personne a déjà une fiche de juré dans le centre."),
                code="juror_exists",
            )
        juror = Juror.objects.create(centre=centre, user=user, **data)
        _write_union(juror, union)
        audit.record(
            centre=centre,
            actor=actor,
            action="jury.juror_register",
            subject=juror,
            after=_snapshot(juror, union),
        )
    return juror


def update_juror(juror, *, actor, expected_version=None, **fields) -> Juror:
    """Change a juror's standing record (audited). Seats already taken keep their college
    and union: only later convocations read the new record."""
    require_convener(actor, juror.centre)
    data = _clean(juror.centre, fields)
    with transaction.atomic():
        juror = Juror.objects.select_for_update().select_related("centre").get(pk=juror.pk)
        check_version(juror, expected_version, stale=stale_session)
        union_before = union_of(juror)
        college = data.get("college", juror.college)
        union = data.pop("union", union_before) if college == College.EMPLOYEE else ""
        _require_union(college, union)
        changed = [
            name
            for name, value in data.items()
            if getattr(juror, name + ("_id" if name == "company" else ""))
            != (value.pk if name == "company" and value is not None else value)
        ]
        union_changed = normalise_union(union) != normalise_union(union_before)
        if not changed and not union_changed:
            return juror
        before = _snapshot(juror, union_before)
        for name in changed:
            setattr(juror, name, data[name])
        juror.version += 1
        juror.save(update_fields=[*changed, "version", "updated_at"])
        _write_union(juror, union)
        after = _snapshot(juror, union)
        after["union_changed"] = union_changed
        audit.record(
            centre=juror.centre,
            actor=actor,
            action="jury.juror_update",
            subject=juror,
            before=before,
            after=after,
        )
    return juror
