"""The online questionnaire: the report's closed items and two open questions.

Every item may stay unanswered (a missing answer, counted apart in the reports); at least one
must be answered. The open answers are refused when they hold identifying data.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from directory.core.identifying import NoIdentifyingData
from directory.evaluations import labels
from directory.evaluations.codes import (
    BENEFITS,
    ITEMS,
    ON_FILE_ONLY,
    OUTCOMES,
    SATISFACTION,
    SCALES,
)

OPEN_ANSWER_MAX = 2000
NO_ANSWER = _l("Sans réponse")

# The form's sections, in the questionnaire's order.
SECTIONS = (
    (_l("Effets de la rencontre"), OUTCOMES),
    (_l("Ce que la rencontre vous a apporté"), BENEFITS),
    (_l("Déroulement de la rencontre : votre satisfaction"), SATISFACTION),
    (_l("Divergences"), ("divergence",)),
)


def _item(code: str) -> RadioField:
    choices = [SelectChoice("", NO_ANSWER)]
    choices += [SelectChoice(answer, labels.ANSWERS[answer]) for answer in SCALES[code]]
    return RadioField(labels.QUESTIONS[code], choices=choices, default="", validators=[Optional()])


def _open_question(label: str) -> TextAreaField:
    return TextAreaField(
        label,
        [Length(max=OPEN_ANSWER_MAX), NoIdentifyingData()],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )


class QuestionnaireForm(FlaskForm):
    helped = _open_question(_l("Qu'est-ce qui a facilité la rencontre ?"))
    difficult = _open_question(_l("Qu'est-ce qui a été difficile ?"))

    def __init__(self, *args: Any, on_file: bool, **kwargs: Any) -> None:  # noqa: ANN401 - FlaskForm's
        super().__init__(*args, **kwargs)
        if not on_file:  # `practice` is asked of the practitioners on the file only
            for code in ON_FILE_ONLY:
                del self[code]

    def item_fields(self, codes: tuple[str, ...]) -> list[Field]:
        return [self[code] for code in codes if code in self]

    def answers(self) -> dict[str, str | None]:
        return {code: (self[code].data or None) if code in self else None for code in ITEMS}

    def validate(self, extra_validators: Any = None) -> bool:  # noqa: ANN401 - WTForms'
        valid = super().validate(extra_validators)
        if (
            valid
            and not any(self.answers().values())
            and not (self.helped.data or self.difficult.data)
        ):
            self.form_errors.append(_l("Répondez à au moins une question avant d'envoyer."))
            return False
        return valid


for _code in ITEMS:
    setattr(QuestionnaireForm, _code, _item(_code))
