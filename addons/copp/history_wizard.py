"""The back office's versions of a record («Восстановить версию», from the
record) and its deleted records («Удалённые записи», by model): see
history.py for what a restoration checks and does."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.transaction import Transaction, check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import HistoryError
from .history import (
    deleted_records, history_models, restore_deleted, restore_versions)

# Fields a version's differences do not show
HIDDEN = {'id', 'create_uid', 'create_date', 'write_uid', 'write_date'}
MOMENT = '%Y-%m-%d %H:%M:%S.%f'


def _label(value, field):
    if value is None or value == '':
        return '—'
    if field._type == 'many2one':
        return value.rec_name if hasattr(value, 'rec_name') else str(value)
    if field._type in {'selection'}:
        selection = dict(field.selection) if isinstance(
            field.selection, (list, tuple)) else {}
        return str(selection.get(value, value))
    if isinstance(value, dt.datetime):
        return value.strftime('%d.%m.%Y %H:%M')
    if isinstance(value, dt.date):
        return value.strftime('%d.%m.%Y')
    if isinstance(value, bool):
        return gettext('copp.msg_history_yes' if value
            else 'copp.msg_history_no')
    return str(value)


def differences(Model, record_id, moment):
    """The fields whose value at the moment differs from now, as lines of
    «Field: now → then» (read as the user: rules apply to both)"""
    pool = Pool()
    Field = pool.get('ir.model.field')
    names = [n for n, f in Model._fields.items()
        if n not in HIDDEN and f.sql_type()
        and not isinstance(f, fields.Function) and f._type not in {
            'binary', 'one2many', 'many2many'}]
    current = Model(record_id)
    with Transaction().set_context(_datetime=moment):
        then = Model(record_id)
        old = {n: getattr(then, n, None) for n in names}
    lines = []
    for name in names:
        field = Model._fields[name]
        now, before = getattr(current, name, None), old[name]
        key = lambda v: v.id if hasattr(v, 'id') else v  # noqa: E731
        if key(now) != key(before):
            lines.append(gettext('copp.msg_history_difference',
                    field=Field.get_name(Model.__name__, name),
                    now=_label(now, field), then=_label(before, field)))
    return '\n'.join(lines)


class RestoreStart(ModelView):
    "Restore a Version"
    __name__ = 'copp.history.restore.start'
    __string__ = "Restore a Version"

    model = fields.Char("Model", readonly=True)
    record = fields.Integer("Record ID", readonly=True)
    record_name = fields.Char("Record", readonly=True)
    version = fields.Selection('get_versions', "Version", required=True,
        sort=False)
    changes = fields.Text("Differences", readonly=True,
        help="What the record had in this version, field by field.")

    @fields.depends('model', 'record')
    def get_versions(self):
        pool = Pool()
        if not self.model or not self.record:
            return []
        Model = pool.get(self.model)
        result = []
        revisions = Model.history_revisions([self.record])
        for index, (moment, _, user) in enumerate(revisions):
            if isinstance(moment, str):
                moment = dt.datetime.fromisoformat(moment)
            label = f'{moment:%d.%m.%Y %H:%M:%S} — {user or ""}'
            if index == 0:
                label += ' ' + gettext('copp.msg_history_current')
            result.append((moment.strftime(MOMENT), label))
        return result

    @fields.depends('model', 'record', 'version')
    def on_change_with_changes(self):
        pool = Pool()
        if not (self.model and self.record and self.version):
            return None
        Model = pool.get(self.model)
        moment = dt.datetime.strptime(self.version, MOMENT)
        return (differences(Model, self.record, moment)
            or gettext('copp.msg_history_no_difference'))


class Restore(Wizard):
    "Restore a Version"
    __name__ = 'copp.history.restore'

    start = StateView('copp.history.restore.start',
        'copp.history_restore_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Restore", 'restore', 'tryton-undo', default=True),
            ])
    restore = StateTransition()

    def default_start(self, fields):
        if not self.record or not getattr(self.model, '_history', False):
            raise HistoryError(gettext('copp.msg_history_none'))
        return {
            'model': self.model.__name__,
            'record': self.record.id,
            'record_name': self.record.rec_name,
            }

    def transition_restore(self):
        pool = Pool()
        Model = pool.get(self.start.model)
        moment = dt.datetime.strptime(self.start.version, MOMENT)
        # A wizard runs without access checks: the restoration is the
        # user's write
        with check_access():
            restore_versions(Model, [self.start.record], moment)
        return 'end'

    def end(self):
        return 'reload'


class DeletedStart(ModelView):
    "Deleted Records"
    __name__ = 'copp.history.deleted.start'
    __string__ = "Deleted Records"

    model = fields.Selection('get_models', "Kind of Record", required=True)
    since = fields.Date("Deleted Since", required=True)

    @classmethod
    def get_models(cls):
        pool = Pool()
        IrModel = pool.get('ir.model')
        ModelAccess = pool.get('ir.model.access')
        with check_access():
            names = [n for n in history_models()
                if ModelAccess.check(n, 'read', raise_exception=False)]
        return [(m.name, m.string) for m in IrModel.search(
                [('name', 'in', names)], order=[('string', 'ASC')])]

    @classmethod
    def default_since(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        return Date.today() - dt.timedelta(days=30)


class DeletedRecord(ModelView):
    "Deleted Record"
    __name__ = 'copp.history.deleted.record'
    __string__ = "Deleted Record"

    selected = fields.Boolean("Restore")
    record = fields.Integer("Record ID", readonly=True)
    name = fields.Char("Record", readonly=True)
    deleted_at = fields.DateTime("Deleted", readonly=True)
    deleted_by = fields.Char("Deleted By", readonly=True)


class DeletedList(ModelView):
    "Deleted Records"
    __name__ = 'copp.history.deleted.list'
    __string__ = "Deleted Records"

    model = fields.Char("Model", readonly=True)
    records = fields.One2Many('copp.history.deleted.record', None,
        "Deleted Records",
        help="Tick the records to restore as they were when deleted.")


class Deleted(Wizard):
    "Deleted Records"
    __name__ = 'copp.history.deleted'

    start = StateView('copp.history.deleted.start',
        'copp.history_deleted_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Find", 'list_', 'tryton-forward', default=True),
            ])
    list_ = StateView('copp.history.deleted.list',
        'copp.history_deleted_list_view_form', [
            Button("Back", 'start', 'tryton-back'),
            Button("Restore", 'restore', 'tryton-undo', default=True),
            ])
    restore = StateTransition()

    def default_list_(self, fields):
        pool = Pool()
        Model = pool.get(self.start.model)
        User = pool.get('res.user')
        since = dt.datetime.combine(self.start.since, dt.time())
        records = []
        for id_, deleted_at, user_id in deleted_records(Model, since=since):
            # Read as it was, through the access rights and record rules of
            # the user (a wizard runs without them)
            with Transaction().set_context(
                    _datetime=deleted_at - dt.timedelta(microseconds=1)), \
                    check_access():
                try:
                    name, = Model.read([id_], ['rec_name'])
                except AccessError:
                    continue
            records.append({
                    'selected': False,
                    'record': id_,
                    'name': name['rec_name'],
                    'deleted_at': deleted_at,
                    'deleted_by': User(user_id).rec_name if user_id else '',
                    })
        return {'model': Model.__name__, 'records': records}

    def transition_restore(self):
        pool = Pool()
        Model = pool.get(self.list_.model)
        ids = [r.record for r in self.list_.records if r.selected]
        if not ids:
            raise HistoryError(gettext('copp.msg_history_nothing_selected'))
        with check_access():
            restore_deleted(Model, ids)
        return 'end'
