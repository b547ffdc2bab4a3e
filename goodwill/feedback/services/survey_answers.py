"""Answering a survey on its public page: thumbs, a 0–10 score and a comment, recorded once per
link even when two submissions race; every unusable link fails the same way."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.commerce.services import journey_note_score
from goodwill.core.errors import Conflict, Invalid
from goodwill.feedback.models import MAX_SCORE, MAX_TEXT, Feedback, Survey
from goodwill.feedback.selectors.surveys import survey_get_by_token
from goodwill.timeline.models import Interaction
from goodwill.timeline.services import interaction_log

PROMOTER_FROM = 9
DETRACTOR_UPTO = 6
SUMMARY_CHARS = 200
PUBLIC_LINK = "public survey link"


def survey_already_answered() -> Conflict:
    """A survey link that has been answered: it takes no second answer."""
    return Conflict(_("Thanks, we already have your answer."))


def _validated(
    thumbs_up: object, score: object, comment: object
) -> tuple[bool | None, int | None, str]:
    """The answer's values checked: a thumb, a whole score 0–10 and a comment of at most 2000
    characters, each optional, but not all three empty."""
    if thumbs_up is not None and not isinstance(thumbs_up, bool):
        raise Invalid.field("thumbs_up", _("Choose thumbs up or thumbs down."))
    if score is not None and (
        isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= MAX_SCORE
    ):
        raise Invalid.field("score", _("Choose a number from 0 to 10."))
    text = comment.strip() if isinstance(comment, str) else ""
    if len(text) > MAX_TEXT:
        raise Invalid.field("comment", _("At most %(n)d characters.") % {"n": MAX_TEXT})
    if thumbs_up is None and score is None and not text:
        message = _("Choose a thumb or a number, or write a few words.")
        raise Invalid(message, fields={"__all__": [message]})
    return thumbs_up, score, text


def sentiment_of(thumbs_up: bool | None, score: int | None) -> str:
    """Positive for 9–10 or a thumb up, negative for 0–6 or a thumb down (where they disagree
    the score decides; a 7 or 8 goes by the thumb), neutral otherwise."""
    if score is not None and score >= PROMOTER_FROM:
        return Feedback.Sentiment.POSITIVE
    if score is not None and score <= DETRACTOR_UPTO:
        return Feedback.Sentiment.NEGATIVE
    if thumbs_up is None:
        return Feedback.Sentiment.NEUTRAL
    return Feedback.Sentiment.POSITIVE if thumbs_up else Feedback.Sentiment.NEGATIVE


def _summary(thumbs_up: bool | None, score: int | None) -> str:
    """The timeline's line for an answer: "Survey: 9/10 👍"."""
    parts = [] if score is None else [f"{score}/10"]
    if thumbs_up is not None:
        parts.append("👍" if thumbs_up else "👎")
    if not parts:
        return _("Survey answer")
    return _("Survey: %(answer)s") % {"answer": " ".join(parts)}


def _record(survey: Survey, feedback: Feedback, now: dt.datetime) -> None:
    """Claim the survey for this answer: a conditional update that must touch exactly one row,
    so of two racing submissions only one is kept (the other's transaction rolls back)."""
    claimed = Survey.objects.filter(pk=survey.pk, answered_at=None).update(
        answered_at=now, answer=feedback
    )
    if claimed != 1:
        raise survey_already_answered()
    survey.answered_at, survey.answer = now, feedback


def survey_answer(
    *,
    token: str,
    thumbs_up: bool | None,
    score: int | None,
    comment: str,
    now: dt.datetime | None = None,
    survey: Survey | None = None,
) -> Survey:
    """Record the answer to a survey link (anyone holding it: the public): a ``survey``
    Feedback for the manager's inbox, an inbound touch on the person's timeline, and their best
    score for the journey. NotFound for an unknown or expired link, Conflict once answered.

    ``survey``: the link's survey as ``survey_get_by_token`` has just read it for this token
    (the public page has), so it is not read twice; the claim below still takes it only if it
    is unanswered."""
    now = now or timezone.now()
    with transaction.atomic():
        if survey is None:
            survey = survey_get_by_token(token=token, now=now)
        if survey.answered_at is not None:
            raise survey_already_answered()
        thumbs_up, score, text = _validated(thumbs_up, score, comment)
        person = survey.person
        feedback = Feedback.objects.create(
            source=Feedback.Source.SURVEY,
            text=text,
            category=Feedback.Category.OTHER,
            sentiment=sentiment_of(thumbs_up, score),
            person=person,
            heard_at=now,
            score=score,
            thumbs_up=thumbs_up,
            served_by_id=survey.purchase.created_by_id if survey.purchase else None,
            bought=survey.purchase.category if survey.purchase else "",
        )
        _record(survey, feedback, now)
        audit_record(
            actor=None,
            actor_label=PUBLIC_LINK,
            action="survey.answer",
            target=survey,
            person_id=person.pk,
            changes={
                "answer": [None, feedback.pk],
                "score": [None, score],
                "thumbs_up": [None, thumbs_up],
                "by": PUBLIC_LINK,
            },
        )
        interaction_log(
            actor=None,
            person=person,
            kind=Interaction.Kind.FEEDBACK,
            summary=_summary(thumbs_up, score),
            direction=Interaction.Direction.INBOUND,
            channel=Feedback.Source.SURVEY,
            occurred_at=now,
            body=text,
        )
        if score is not None:
            journey_note_score(person=person, score=score, at=now)
    return survey
