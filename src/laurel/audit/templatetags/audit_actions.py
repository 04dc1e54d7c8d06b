"""``{{ entry.action|action_sentence }}``: an audit action as a sentence, never its code."""

from django import template

from laurel.audit.actions import action_sentence as sentence_of

register = template.Library()


@register.filter
def action_sentence(code: str) -> str:
    return sentence_of(code)
