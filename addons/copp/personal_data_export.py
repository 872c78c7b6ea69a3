"""Exports and prints of personal data land in copp.personal_data.log.

Registered with `[register_mixin]` (tryton.cfg):

- on every ModelStorage, `export_data` (and `export_data_domain`, which
  calls it) follows the columns of the export (`party/snils`,
  `student/party/identifiers/code`) and registers, per model reached, the
  records whose personal data fields were exported (action «export»);
- on every Report, `execute` registers the printed records of a model with
  personal data and the persons and students they name (a contract: its
  student and payer; an order: the students of its lines), action «print»,
  with the report's name as the fields.

Both log on behalf of a user only (RPC); one INSERT per model.
"""
from collections import defaultdict

from trytond.model import Model
from trytond.pool import Pool
from trytond.transaction import without_check_access

from .personal_data import user_access_checked

RELATIONAL = {'many2one', 'one2many', 'many2many', 'one2one', 'reference'}


def _field_name(name):
    "The field of an export column part: `party.rec_name`, `name:lang=ru`"
    return name.split('.', 1)[0].split(':lang=', 1)[0]


def _is_personal(Model_):
    return bool(getattr(Model_, '_personal_data_fields', None))


def _targets(records, name):
    "The records the relational field `name` of `records` points to"
    by_model = defaultdict(dict)
    for record in records:
        value = getattr(record, name, None)
        if value is None:
            continue
        if isinstance(value, Model):
            value = [value]
        for target in value:
            if isinstance(target, Model) and target.id is not None \
                    and target.id >= 0:
                by_model[target.__name__][target.id] = target
    return {m: list(r.values()) for m, r in by_model.items()}


def collect_export(Model_, records, paths, collected):
    """Add to `collected` ({model: (ids, fields)}) the personal data that
    the export `paths` (lists of field names) reads from `records`"""
    pool = Pool()
    children = defaultdict(list)
    for path in paths:
        name = _field_name(path[0])
        field = Model_._fields.get(name)
        if field is None:
            continue
        if name in getattr(Model_, '_personal_data_fields', ()):
            ids, names = collected[Model_.__name__]
            ids.update(r.id for r in records)
            names.add(name)
        if field._type in RELATIONAL:
            # The last column of a path exports the target's name.
            children[name].append(path[1:] or ['rec_name'])
    for name, subpaths in children.items():
        for model_name, targets in _targets(records, name).items():
            Target = pool.get(model_name)
            if subpaths == [['rec_name']] and not _is_personal(Target):
                continue
            collect_export(Target, targets, subpaths, collected)


def register_collected(collected, action, fields_names=None):
    pool = Pool()
    Log = pool.get('copp.personal_data.log')
    for model_name, (ids, names) in collected.items():
        if ids:
            Log.register(model_name, ids, fields_names or names,
                action=action)


class PersonalDataExportMixin:
    "Registers the personal data exported (export_data)"
    __slots__ = ()

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        result = super().export_data(records, fields_names, header=header)
        if records and user_access_checked():
            collected = defaultdict(lambda: (set(), set()))
            with without_check_access():
                collect_export(cls, records,
                    [n.split('/') for n in fields_names], collected)
            register_collected(collected, 'export')
        return result


def printed_personal_data(Model_, records, lines=True):
    """{model: ids} of the personal data a document about `records` shows:
    the records themselves when personal, the personal records their
    relational fields name, and those named by their lines (one level)"""
    pool = Pool()
    found = defaultdict(set)
    if _is_personal(Model_):
        found[Model_.__name__].update(r.id for r in records)
    for name, field in Model_._fields.items():
        if (field._type not in {'many2one', 'one2many', 'many2many'}
                or name in {'create_uid', 'write_uid'}):
            continue
        Target = field.get_target()
        if _is_personal(Target):
            for model_name, targets in _targets(records, name).items():
                found[model_name].update(t.id for t in targets)
        elif lines and field._type == 'one2many':
            # The lines of a document: an order's lines name students.
            for model_name, targets in _targets(records, name).items():
                below = printed_personal_data(
                    pool.get(model_name), targets, lines=False)
                for model, ids in below.items():
                    found[model].update(ids)
    return found


class PersonalDataReportMixin:
    "Registers the personal data of the printed documents (Report.execute)"
    __slots__ = ()

    @classmethod
    def execute(cls, ids, data):
        result = super().execute(ids, data)
        if ids and user_access_checked():
            cls._register_printed(ids, data)
        return result

    @classmethod
    def _register_printed(cls, ids, data):
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        Log = pool.get('copp.personal_data.log')
        with without_check_access():
            model = data.get('model')
            if not model:
                action_id = data.get('action_id')
                if action_id is not None:
                    model = ActionReport(action_id).model
                else:
                    actions = ActionReport.search([
                            ('report_name', '=', cls.__name__)], limit=1)
                    model = actions[0].model if actions else None
            try:
                Model_ = pool.get(model) if model else None
            except KeyError:
                Model_ = None
            if Model_ is None:
                return
            records = Model_.browse([int(i) for i in ids])
            found = printed_personal_data(Model_, records)
        for model_name, record_ids in found.items():
            if record_ids:
                Log.register(model_name, record_ids, [cls.__name__],
                    action='print')

