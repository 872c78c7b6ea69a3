"""Versions of the records that matter, and their restoration.

A model mixes in HistoryMixin (trytond's `_history`): every create, write
and delete keeps a version in `<table>__history`; when the mixin is added
to a table that has records, their current state becomes the first version
(trytond does it).

`restore_versions` puts records back as they were at a moment, through the
same checks as a write by the user (model access, record rules before and
after, the model's own checks and hooks: a mark is not restored into a
closed month, the journal's totals follow) and with the children of the
record that keep their history (the lines of a sheet or a diploma).
The wizards of history_wizard.py offer it from a record («Восстановить
версию») and for the deleted records of a model («Удалённые записи»).
"""
import datetime as dt
from collections import defaultdict

from sql import Column, Literal, Null, Window
from sql.aggregate import Max
from sql.conditionals import Coalesce
from sql.functions import RowNumber
from sql.operators import Exists

from trytond.model import ModelSQL, fields
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction



def _in(column, ids):
    return fields.SQL_OPERATORS['in'](column, list(ids))


class HistoryMixin:
    """Keep the versions of the records (the history table of trytond;
    when added to a table that has records, trytond makes their current
    state the first version)"""
    __slots__ = ()
    _history = True


def history_models():
    "The models of the pool that keep their versions, by name"
    pool = Pool()
    return sorted(name for name, Model in pool.iterobject()
        if issubclass(Model, HistoryMixin))


def record_missing_versions():
    """Make the current state of the records that have no version their
    first version, one INSERT … SELECT a model: records written in bulk by
    SQL (the demo, a region's load) bypass trytond's history, and their
    first change would leave nothing to go back to. The version has no
    write date, as trytond's own when `_history` is added to a table."""
    cursor = Transaction().connection.cursor()
    for name in history_models():
        Model = Pool().get(name)
        table = Model.__table__()
        history = Model.__table_history__()
        columns = [n for n, f in Model._fields.items()
            if f.sql_type() and not isinstance(f, fields.Function)
            and n != 'write_date']
        cursor.execute(*history.insert(
                [Column(history, c) for c in columns]
                + [history.write_date],
                table.select(*(Column(table, c) for c in columns),
                    Literal(None),
                    # NOT EXISTS: an anti-join, where NOT IN (…) over
                    # millions of marks hashes the whole history first
                    where=~Exists(history.select(history.id,
                            where=history.id == table.id)))))


def _moment(value):
    "SQLite gives the timestamps of the history as text"
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value


def deleted_records(Model, since=None, ids=None, limit=200):
    """[(id, deleted at, user id)] of the deleted records of the model
    (among `ids`), the latest first"""
    table = Model.__table__()
    history = Model.__table_history__()
    cursor = Transaction().connection.cursor()
    # A deletion leaves a version with nothing but id, write_date, write_uid
    where = (history.create_date == Null) & ~history.id.in_(
        table.select(table.id))
    if since:
        where &= history.write_date >= since
    if ids is not None:
        where &= _in(history.id, list(ids))
    cursor.execute(*history.select(history.id, Max(history.write_date),
            where=where, group_by=[history.id],
            order_by=[Max(history.write_date).desc], limit=limit))
    deleted = [(i, _moment(d)) for i, d in cursor]
    users = {}
    for sub in grouped_slice(deleted, 1000):
        sub = list(sub)
        cursor.execute(*history.select(history.id, history.write_date,
                history.write_uid,
                where=_in(history.id, [i for i, _ in sub])
                & (history.create_date == Null)))
        for id_, date, user in cursor:
            users[(id_, _moment(date))] = user
    return [(i, d, users.get((i, d))) for i, d in deleted]


def versions(Model, record_id):
    """[(moment, user name)] of the versions of a record, the latest first
    (trytond's history_revisions without its RPC checks)"""
    return [(_moment(d), name)
        for d, _, name in Model.history_revisions([record_id])]


def _children(Model):
    "(field, Target, reverse field) of the One2Many that keep history"
    result = []
    for name, field in Model._fields.items():
        if (isinstance(field, fields.One2Many) and field.field
                and not isinstance(field, fields.Function)):
            Target = field.get_target()
            if getattr(Target, '_history', False) and issubclass(
                    Target, ModelSQL):
                result.append((name, Target, field.field))
    return result


def _child_ids(Target, reverse, parent_ids, moment):
    """The children of the parents now and at the moment (also those
    deleted since)"""
    table = Target.__table__()
    history = Target.__table_history__()
    cursor = Transaction().connection.cursor()
    ids = set()
    for sub in grouped_slice(parent_ids, 1000):
        sub = list(sub)
        cursor.execute(*table.select(table.id,
                where=_in(getattr(table, reverse), sub)))
        ids.update(i for i, in cursor)
        column = Coalesce(history.write_date, history.create_date)
        cursor.execute(*history.select(history.id,
                where=_in(getattr(history, reverse), sub)
                & (column <= moment)))
        ids.update(i for i, in cursor)
    return ids


def _stored_names(Model):
    return sorted(n for n, f in Model._fields.items()
        if f.sql_type() and not isinstance(f, fields.Function))


def _changes(Model, ids, moment, before):
    """{name: value of the version} of the fields that differ between the
    records now and their version at the moment (as trytond restores it)"""
    table = Model.__table__()
    history = Model.__table_history__()
    names = [n for n in _stored_names(Model) if n not in {
            'id', 'create_uid', 'create_date', 'write_uid', 'write_date'}]
    column = Coalesce(history.write_date, history.create_date)
    ranked = history.select(history.id,
        *[getattr(history, n) for n in names],
        RowNumber(window=Window([history.id],
                order_by=[column.desc, Column(history, '__id').desc])
            ).as_('rank'),
        where=((column < moment) if before else (column <= moment))
        & _in(history.id, list(ids)))
    cursor = Transaction().connection.cursor()
    cursor.execute(*ranked.select(*[Column(ranked, n) for n in ['id']
                + names], where=ranked.rank == 1))
    then = {row[0]: row[1:] for row in cursor}
    cursor.execute(*table.select(table.id,
            *[getattr(table, n) for n in names],
            where=_in(table.id, list(ids))))
    changes = {}
    for row in cursor:
        version = then.get(row[0])
        if version is None:
            continue
        for name, now, old in zip(names, row[1:], version):
            if now != old:
                changes[name] = old
    return changes


def _existing(Model, ids):
    table = Model.__table__()
    cursor = Transaction().connection.cursor()
    found = set()
    for sub in grouped_slice(list(ids), 1000):
        cursor.execute(*table.select(table.id,
                where=_in(table.id, list(sub))))
        found.update(i for i, in cursor)
    return found


def restore_versions(Model, ids, moment, before=False, _depth=2):
    """Put the records back as they were at `moment` (the last version
    before it with `before`), with their children, as a write (or a create
    for a deleted record) of the user: access, rules and checks of the
    models. Returns the records that exist afterwards."""
    pool = Pool()
    ModelAccess = pool.get('ir.model.access')
    Rule = pool.get('ir.rule')
    transaction = Transaction()
    checked = bool(transaction.user and transaction.check_access)
    ids = sorted(set(ids))
    existing = sorted(_existing(Model, ids))
    callbacks = []
    if existing:
        records = Model.browse(existing)
        # What changes, checked as a write of these values by the user
        values = _changes(Model, existing, moment, before)
        if checked:
            ModelAccess.check(Model.__name__, 'write')
            Rule.check(Model.__name__, existing, 'write')
        if values:
            Model.check_modification('write', records, values=values,
                external=checked)
            callbacks.extend(Model.on_write(records, values))
    if checked and set(ids) - set(existing):
        ModelAccess.check(Model.__name__, 'create')
    children = {}
    if _depth:
        for name, Target, reverse in _children(Model):
            children[Target] = _child_ids(Target, reverse, ids, moment)
    if before:
        Model.restore_history_before(ids, moment)
    else:
        Model.restore_history(ids, moment)
    after = sorted(_existing(Model, ids))
    restored = Model.browse(after)
    created = [r for r in restored if r.id not in existing]
    kept = [r for r in restored if r.id in existing]
    if checked:
        if kept:
            Rule.check(Model.__name__, [r.id for r in kept], 'write')
        if created:
            Rule.check(Model.__name__, [r.id for r in created], 'create')
    if created:
        Model.check_modification('create', created, external=checked)
    Model._validate(restored)
    if kept:
        Model.on_modification('write', kept, field_names=None)
    if created:
        Model.on_modification('create', created)
    for callback in callbacks:
        callback()
    for Target, child_ids in children.items():
        if child_ids:
            restore_versions(Target, child_ids, moment, before=before,
                _depth=_depth - 1)
    return restored


def restore_deleted(Model, ids):
    """Restore deleted records as they were just before their deletion
    (with the children deleted with them)"""
    by_moment = defaultdict(list)
    for id_, deleted_at, _ in deleted_records(Model, ids=ids, limit=None):
        by_moment[deleted_at].append(id_)
    restored = []
    for moment, moment_ids in sorted(by_moment.items()):
        restored += restore_versions(Model, moment_ids, moment, before=True)
    return restored
