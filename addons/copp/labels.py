"""Translated labels of selection values as fields the client can read.

sao's graphs put the raw value of their x field on the axis and in the
legend: for a selection that is its key (`budget`, `master_class`). A graph
names instead a `<selection>_label` field, declared with selection_label()
on a model that inherits SelectionLabelMixin: the label of the value in the
user's language («Бюджет», «Мастер-класс»).
"""
from trytond.model import fields

SUFFIX = '_label'


def selection_label(string):
    "A Function Char field: the label of the selection named like it"
    return fields.Function(fields.Char(string), 'get_selection_label')


class SelectionLabelMixin:
    __slots__ = ()

    @classmethod
    def get_selection_label(cls, records, name):
        field_name = name.removesuffix(SUFFIX)
        labels = dict(
            cls.fields_get([field_name])[field_name]['selection'])
        return {r.id: labels.get(getattr(r, field_name)) for r in records}


def college_label(string):
    """A Function Char field `<many2one>_label`: the name of the record it
    names, with its college when the records come from several colleges"""
    return fields.Function(fields.Char(string), 'get_college_label')


class CollegeLabelMixin:
    """Names that repeat between colleges (the groups «ИСП-11» of two
    colleges) told apart: a graph adds up the bars of equal x values"""
    __slots__ = ()

    @classmethod
    def get_college_label(cls, records, name):
        field_name = name.removesuffix(SUFFIX)
        several = len({r.company.id for r in records if r.company}) > 1
        result = {}
        for record in records:
            value = getattr(record, field_name)
            text = value.rec_name if value else None
            if text and several and record.company:
                text = f'{text} ({record.company.rec_name})'
            result[record.id] = text
        return result
