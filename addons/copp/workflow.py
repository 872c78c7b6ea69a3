"""Buttons and defaults shared by the workflows of the suite's models.

A workflow button is shown only in some states of its record: one helper
writes its `_buttons` entry, so that the models (events, cohorts, …) do
not each spell out the same dictionary of PYSON, icon and depends."""
from trytond.model import ModelView, Workflow
from trytond.pyson import Eval
from trytond.transaction import Transaction


def state_button(icon, shown_in=None, hidden_in=None, depends=(), **extra):
    """The `_buttons` entry of a button shown only in the states `shown_in`
    (or hidden in the states `hidden_in`); `extra` adds other keys, e.g.
    'readonly', whose fields go in `depends`"""
    assert (shown_in is None) != (hidden_in is None)
    state = Eval('state')
    # One state compares with != or ==: the shorter PYSON, as models wrote it
    if shown_in is not None:
        invisible = (state != shown_in[0] if len(shown_in) == 1
            else ~state.in_(list(shown_in)))
    else:
        invisible = (state == hidden_in[0] if len(hidden_in) == 1
            else state.in_(list(hidden_in)))
    return {
        'invisible': invisible,
        'icon': icon,
        'depends': ['state', *depends],
        **extra,
        }


class DraftCompanyMixin:
    """A workflow record of an organization: created as a draft of the
    organization the user works in, and put back to draft by the button
    `draft` (the model lists the transitions and the button)"""
    __slots__ = ()

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, records):
        pass
