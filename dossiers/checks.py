"""A system check on the legal data (data/legal_bases.json), run by ``manage.py check``,
``migrate``, ``runserver`` and the deploy: a wrong date in the file (two texts prescribing
forms or dossier codes on one day, a day with none, a text without its effective date, a
template that does not exist) stops the deploy with a Vietnamese message, instead of
reaching the counter on the first day the bad rule would apply.

Which texts are in force only changes on a text's first day or the day after its last, so
checking those days covers every day from the first text on.
"""

from datetime import date, timedelta

from django.core import checks
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from . import legal
from .services.errors import WorkflowError
from .services.numbering import RULE as CODE_RULE
from .services.numbering import code_rule


def _day(key: str, text: dict, field: str) -> date | None:
    value = text.get(field)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise legal.LegalBasisError(
            f"Văn bản {key}: ngày '{value}' ({field}) không hợp lệ, phải có dạng YYYY-MM-DD."
        ) from exc


def _boundaries(data: dict, rule: str) -> list[date]:
    """The days on which the texts having ``rule`` in force may change."""
    days = set()
    for key, text in data.items():
        if rule not in text.get("rules", {}):
            continue
        start, end = _day(key, text, "in_force"), _day(key, text, "until")
        if start:
            days.add(start)
        if end:
            days.add(end + timedelta(days=1))
    return sorted(days)


def legal_data_problems(data: dict | None = None) -> list[str]:
    """Every problem of the legal data, in Vietnamese (empty: the file is sound)."""
    data = legal.texts() if data is None else data
    try:
        bases = legal.forms_bases(data)
        form_days, code_days = _boundaries(data, "forms"), _boundaries(data, CODE_RULE)
    except legal.LegalBasisError as exc:
        return [exc.message]
    problems = []
    for basis in bases.values():
        for form in basis.forms.values():
            try:
                get_template(f"dossiers/documents/{form.template}")
            except TemplateDoesNotExist:
                problems.append(
                    f"Văn bản {basis.key}: không có tệp mẫu in {form.template} "
                    f"(Mẫu {form.number} · {form.title})."
                )
    for day in form_days:
        try:
            legal.forms_basis(day, data)
        except legal.LegalBasisError as exc:
            problems.append(exc.message)
    for day in code_days:
        for centralised in (False, True):
            try:
                code_rule(day, centralised=centralised, among=data)
            except WorkflowError as exc:
                problems.append(exc.message)
    return list(dict.fromkeys(problems))  # a gap seen for both scopes is said once


@checks.register()
def check_legal_bases(app_configs=None, **kwargs):
    return [
        checks.Error(problem, hint="Sửa dossiers/data/legal_bases.json.", id="dossiers.E017")
        for problem in legal_data_problems()
    ]
