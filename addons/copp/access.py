"""Record rules checked in SQL where trytond checks them otherwise.

Registered with `[register_mixin]` (tryton.cfg) on every ModelStorage of a
database where `copp` is activated:

- `export_data` evaluates the record rules of each exported record in
  Python (`eval_domain`), which takes a rule inherited from a parent
  through `__access__` (`('event', 'where', …)`) or a dotted path
  (`('student.group.curator', …)`) as satisfied: a clerk exported another
  organizer's registrations. Here every exported record, and every record
  reached through a relational column of the export, is checked by
  `ir.rule` in SQL first (a query per model and level, not per record).
- `copy` reads the originals without access checks, then creates the
  copies as the user: a clerk copied another college's student, with their
  personal data, into their own college (`default={'company': …}`). The
  originals must be readable by the user.
- `history_revisions` checks the model access only: the versions of the
  records the user may read, only.
- `write` and `delete` run the model's business checks (`check_modification`,
  which name the record: «Нельзя удалить подписанный договор №…») before
  the record rules: a user of another college learnt that a record exists,
  and its name. When a business check refuses, the record rules are checked
  first, so a forbidden record gets the access refusal instead.
"""
from collections import defaultdict

from trytond.exceptions import UserError
from trytond.model import Model, ModelSQL
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.transaction import Transaction


def _field_name(name):
    "The field of an export column part: `party.rec_name`, `name:lang=ru`"
    return name.split('.', 1)[0].split(':lang=', 1)[0]


def check_export_rules(Model_, records, paths):
    """Check the read rules of `records` of `Model_` and of every record
    reached through the relational fields of `paths` (lists of field names)"""
    pool = Pool()
    Rule = pool.get('ir.rule')
    ids = list({r.id for r in records if r.id is not None and r.id >= 0})
    if not ids:
        return
    if issubclass(Model_, ModelSQL):
        # The same SQL check and refusal (naming the rules) as a read
        Model_.read(ids, ['id'])
    else:
        Rule.check(Model_.__name__, ids, 'read')
    children = defaultdict(list)
    for path in paths:
        if len(path) > 1:
            children[_field_name(path[0])].append(path[1:])
    for name, subpaths in children.items():
        field = Model_._fields.get(name)
        if field is None or not hasattr(field, 'get_target'):
            continue
        targets = defaultdict(dict)
        for record in records:
            value = getattr(record, name)
            if value is None:
                continue
            if isinstance(value, Model):
                value = [value]
            for target in value:
                targets[target.__name__][target.id] = target
        for model_name, by_id in targets.items():
            check_export_rules(
                pool.get(model_name), list(by_id.values()), subpaths)


def _user_checked():
    transaction = Transaction()
    return bool(transaction.user and transaction.check_access)


class AccessRuleMixin:
    __slots__ = ()

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        if _user_checked():
            check_export_rules(
                cls, records, [n.split('/') for n in fields_names])
        return super().export_data(records, fields_names, header=header)

    @classmethod
    def copy(cls, records, default=None):
        if _user_checked() and issubclass(cls, ModelSQL):
            # trytond reads the originals without access checks: a clerk
            # copied another college's student into their own college.
            cls.read([r.id for r in records
                    if r.id is not None and r.id >= 0], ['id'])
        return super().copy(records, default=default)

    @classmethod
    def history_revisions(cls, ids):
        if _user_checked():
            # trytond checks the model access only: the versions (dates and
            # authors) of another college's records were listed
            cls.read(ids, ['id'])
        return super().history_revisions(ids)

    @classmethod
    def _before_write(cls, *args):
        try:
            return super()._before_write(*args)
        except UserError as exception:
            if not isinstance(exception, AccessError):
                cls._check_rule_first(
                    [r for records in args[::2] for r in records], 'write')
            raise

    @classmethod
    def _before_delete(cls, records):
        try:
            return super()._before_delete(records)
        except UserError as exception:
            if not isinstance(exception, AccessError):
                cls._check_rule_first(records, 'delete')
            raise

    @classmethod
    def _check_rule_first(cls, records, mode):
        "Raise the access refusal if `mode` on `records` is forbidden"
        pool = Pool()
        Rule = pool.get('ir.rule')
        if not _user_checked() or callable(getattr(cls, 'table_query', None)):
            return
        ids = [r.id for r in records if r.id is not None and r.id >= 0]
        if ids:
            Rule.check(cls.__name__, ids, mode)
