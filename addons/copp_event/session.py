"""Sessions of an event: the dates and times (an event may have several).

Creating, changing or deleting a session keeps the event's `begin` and
`end` (see `copp.event.update_bounds`).
"""
from sql.aggregate import Count

from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.model.fields import SQL_OPERATORS
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from copp_portal.portal import invalidate_public_pages

from .event import DEFAULT_TIMEZONE, MAX_PARAMS

class Session(ModelSQL, ModelView):
    "Event Session"
    __name__ = 'copp.event.session'
    __string__ = "Event Session"

    event = fields.Many2One('copp.event', "Event", required=True,
        ondelete='CASCADE')
    name = fields.Char("Title",
        help="E.g. «День 1» or «Секция „Сварка“»; may stay empty.")
    start = fields.DateTime("Start", required=True)
    end = fields.DateTime("End", required=True,
        domain=[('end', '>=', Eval('start'))])
    room = fields.Char("Room",
        help="Where this session is, when it differs from the event's.")
    attendances = fields.One2Many('copp.event.attendance', 'session',
        "Attendance")
    attendance_count = fields.Function(fields.Integer("Present"),
        'get_attendance_count')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('event')
        t = cls.__table__()
        cls._order = [('start', 'ASC'), ('id', 'ASC')]
        cls._sql_indexes.add(Index(t, (t.event, Index.Range()),
                (t.start, Index.Range())))

    def get_rec_name(self, name):
        start = self.local_start()
        text = start.strftime('%d.%m.%Y %H:%M') if start else ''
        if self.name:
            return f'{self.name} ({text})'
        return text

    def local_start(self):
        from .tokens import to_local
        return to_local(self.start, self.event.timezone if self.event
            else DEFAULT_TIMEZONE)

    def local_end(self):
        from .tokens import to_local
        return to_local(self.end, self.event.timezone if self.event
            else DEFAULT_TIMEZONE)

    @classmethod
    def get_attendance_count(cls, sessions, name):
        pool = Pool()
        Attendance = pool.get('copp.event.attendance')
        attendance = Attendance.__table__()
        cursor = Transaction().connection.cursor()
        result = {s.id: 0 for s in sessions}
        for sub_ids in grouped_slice(list(result), MAX_PARAMS):
            cursor.execute(*attendance.select(attendance.session,
                    Count(attendance.id),
                    where=SQL_OPERATORS['in'](attendance.session, list(sub_ids)),
                    group_by=[attendance.session]))
            result.update(dict(cursor))
        return result

    @classmethod
    def on_modification(cls, mode, sessions, field_names=None):
        pool = Pool()
        Event = pool.get('copp.event')
        super().on_modification(mode, sessions, field_names=field_names)
        invalidate_public_pages()  # the dates shown on the public pages
        if mode in {'create', 'write'}:
            Event.update_bounds(list({s.event for s in sessions}))

    @classmethod
    def on_delete(cls, sessions):
        pool = Pool()
        Event = pool.get('copp.event')
        callback = super().on_delete(sessions)
        events = list({s.event for s in sessions})
        callback.append(lambda: Event.update_bounds(
                Event.browse([e.id for e in events])))
        return callback
