"""The SCORM 1.2 data model (cmi.core.*) on the server: validation of the
values a player posts, and the conversions (pure Python, no database).

The browser's API object (static/scorm/scorm_api.js) checks the values
already, but the server never trusts it: a posted value outside the
vocabulary, a score that is not a CMIDecimal, a session time that is not a
CMITimespan or a text over its SCORM length is refused with a Russian
message (CMIError carries the message id).
"""
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

STATUSES = ['passed', 'completed', 'failed', 'incomplete', 'browsed',
    'not attempted']
EXITS = ['', 'time-out', 'suspend', 'logout']
ENTRIES = ['ab-initio', 'resume', '']
MAX_LOCATION = 255
MAX_SUSPEND_DATA = 4096
# CMIDecimal: an optional sign, digits, an optional fraction (bounded here
# so that the database's Numeric keeps it)
DECIMAL = re.compile(r'^-?\d{1,10}(\.\d{1,10})?$')
# CMITimespan: HHHH:MM:SS.SS (2 to 4 digits of hours, 1 or 2 decimals)
TIMESPAN = re.compile(r'^(\d{2,4}):([0-5]\d):([0-5]\d)(\.\d{1,2})?$')
SESSION = re.compile(r'^[0-9a-f]{16,64}$')
TEXT_FIELDS = {'lesson_location': MAX_LOCATION,
    'suspend_data': MAX_SUSPEND_DATA}
SCORE_FIELDS = ['score_raw', 'score_min', 'score_max']
FIELDS = {'session', 'finish', 'lesson_status', 'lesson_location',
    'session_time', 'exit', 'suspend_data', *SCORE_FIELDS}
HUNDRED = Decimal(100)


class CMIError(Exception):
    "A refused value: `message` is an ir.message id of copp_scorm"

    def __init__(self, message, **values):
        super().__init__(message, values)
        self.message = message
        self.values = values


def parse_timespan(value):
    "CMITimespan → timedelta, CMIError when it is not one"
    match = TIMESPAN.match(value or '')
    if not match:
        raise CMIError('msg_cmi_timespan', value=short(value))
    hours, minutes, seconds, fraction = match.groups()
    hundredths = int((fraction or '.0')[1:].ljust(2, '0'))
    return dt.timedelta(hours=int(hours), minutes=int(minutes),
        seconds=int(seconds), milliseconds=hundredths * 10)


def format_timespan(value):
    "timedelta → CMITimespan (HHHH:MM:SS.SS, hours capped at 9999)"
    if not value:
        return '0000:00:00.00'
    hundredths = max(0, round(value.total_seconds() * 100))
    seconds, hundredths = divmod(hundredths, 100)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours > 9999:
        return '9999:59:59.99'
    return f'{hours:04d}:{minutes:02d}:{seconds:02d}.{hundredths:02d}'


def parse_decimal(name, value):
    "CMIDecimal or CMIBlank ('') → Decimal or None"
    if value == '':
        return None
    if not isinstance(value, str) or not DECIMAL.match(value):
        raise CMIError('msg_cmi_decimal', element=element_name(name),
            value=short(value))
    try:
        return Decimal(value)
    except InvalidOperation:
        raise CMIError('msg_cmi_decimal', element=element_name(name),
            value=short(value))


def element_name(name):
    "The SCORM name of a posted key, for the messages"
    if name == 'suspend_data':
        return 'cmi.suspend_data'
    return 'cmi.core.' + name.replace('score_', 'score.')


def short(value):
    text = str(value)
    return text if len(text) <= 40 else text[:40] + '…'


def validate(payload):
    """The posted values checked and converted: {'session', 'finish',
    'lesson_status', 'lesson_location', 'score_raw', 'score_min',
    'score_max' (Decimal or None), 'session_time' (timedelta or None),
    'exit', 'suspend_data'}; CMIError on the first refused value"""
    if not isinstance(payload, dict):
        raise CMIError('msg_cmi_payload')
    unknown = set(payload) - FIELDS
    if unknown:
        raise CMIError('msg_cmi_unknown', element=short(sorted(unknown)[0]))
    session = payload.get('session')
    if not isinstance(session, str) or not SESSION.match(session):
        raise CMIError('msg_cmi_session')
    result = {'session': session, 'finish': payload.get('finish') is True}
    for name in ['lesson_status', 'lesson_location', 'session_time', 'exit',
            'suspend_data', *SCORE_FIELDS]:
        value = payload.get(name, '')
        if not isinstance(value, str):
            raise CMIError('msg_cmi_type', element=element_name(name))
        payload_value = value
        if name in TEXT_FIELDS and len(value) > TEXT_FIELDS[name]:
            raise CMIError('msg_cmi_too_long', element=element_name(name),
                limit=TEXT_FIELDS[name], length=len(value))
        if name == 'lesson_status':
            if value not in STATUSES:
                raise CMIError('msg_cmi_status', value=short(value))
        elif name == 'exit':
            if value not in EXITS:
                raise CMIError('msg_cmi_exit', value=short(value))
        elif name == 'session_time':
            payload_value = parse_timespan(value) if value else None
        elif name in SCORE_FIELDS:
            payload_value = parse_decimal(name, value)
        result[name] = payload_value
    if not result['lesson_status']:
        raise CMIError('msg_cmi_status', value='')
    return result


def score_percent(raw, minimum=None, maximum=None):
    """The score in percent: raw placed between min and max when the SCO
    gave a range, else raw itself when it is within 0..100, else None"""
    if raw is None:
        return None
    if maximum is not None and maximum > (minimum or 0):
        low = minimum or Decimal(0)
        percent = (raw - low) * HUNDRED / (maximum - low)
        return min(HUNDRED, max(Decimal(0), percent)).quantize(
            Decimal('0.01'))
    if 0 <= raw <= HUNDRED:
        return raw.quantize(Decimal('0.01'))
    return None


def effective_status(status, raw, mastery_score, finish):
    """The status the LMS keeps (SCORM 1.2 RTE): with a mastery score in
    the manifest and a raw score, passed or failed by the score; a SCO that
    finishes without telling anything is «incomplete» (never completed for
    just opening it)"""
    if mastery_score is not None and raw is not None:
        return 'passed' if raw >= mastery_score else 'failed'
    if finish and status == 'not attempted':
        return 'incomplete'
    return status


def progress_state(status):
    "The state of copp.course.progress for a lesson status"
    if status in ('passed', 'completed'):
        return 'completed'
    if status == 'failed':
        return 'failed'
    return 'in_progress'


def next_entry(session_count, exit, suspend_data):
    """cmi.core.entry of the next session: ab-initio at the first one,
    resume after a suspended session (or one that left suspend data
    without saying how it exited), else empty"""
    if not session_count:
        return 'ab-initio'
    if exit == 'suspend' or (not exit and suspend_data):
        return 'resume'
    return ''
