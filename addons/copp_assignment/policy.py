"""The rules of an assignment as pure functions of explicit values (no
clock, no database): the late policy, the penalty, the rubric's scaling,
the file limits and the «осталось …» of the cabinet. The models call them
with their fields; the tests call them with fixed datetimes.

Datetimes are naive UTC, as Tryton stores them."""
import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

DAY = dt.timedelta(days=1)
CENT = Decimal('0.01')
HUNDRED = Decimal(100)


def quantize(value):
    "Two decimals, half up (the grades shown and stored)"
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def days_late(deadline, when):
    """The started days after `deadline` at `when`: 1 second late is day
    1, exactly 24 hours late is still day 1, 24 h 1 s is day 2"""
    if deadline is None or when <= deadline:
        return 0
    return math.ceil((when - deadline) / DAY)


def lateness(when, deadline, cutoff, policy, per_day=None, cap=None):
    """What happens to a work handed in at `when`:
    (accepted, late, days late, penalty in percent).

    - after the cut-off nothing is accepted, whatever the policy;
    - after the deadline: 'refuse' refuses, 'mark' accepts it marked late,
      'penalty' accepts it with `per_day` % per started day, at most
      `cap` % (no cap: at most 100 %)."""
    if cutoff is not None and when > cutoff:
        return False, deadline is not None and when > deadline, days_late(
            deadline, when), Decimal(0)
    days = days_late(deadline, when)
    if not days:
        return True, False, 0, Decimal(0)
    if policy == 'refuse':
        return False, True, days, Decimal(0)
    if policy == 'penalty':
        return True, True, days, penalty(days, per_day, cap)
    return True, True, days, Decimal(0)


def penalty(days, per_day, cap=None):
    "`per_day` % per started day, capped at `cap` % and at 100 %"
    value = Decimal(days) * Decimal(per_day or 0)
    limit = HUNDRED if cap is None else min(Decimal(cap), HUNDRED)
    return max(min(value, limit), Decimal(0))


def apply_penalty(grade, percent):
    "The grade less `percent` % of it (two decimals)"
    if grade is None:
        return None
    return quantize(Decimal(grade) * (HUNDRED - Decimal(percent or 0))
        / HUNDRED)


def rubric_grade(chosen, maxima, max_grade):
    """The grade of a rubric: the points of the chosen levels over the
    best points the criteria allow, scaled to `max_grade`:

        grade = max_grade × Σ chosen points / Σ (best level of each criterion)

    e.g. criteria of 4 and 6 points, levels chosen 3 and 6, max_grade 100:
    100 × 9 / 10 = 90. None when the rubric gives no points at all."""
    total = sum((Decimal(m or 0) for m in maxima), Decimal(0))
    if total <= 0:
        return None
    points = sum((Decimal(p or 0) for p in chosen), Decimal(0))
    return quantize(Decimal(max_grade) * points / total)


def percent(grade, max_grade):
    "The grade as a percent of max_grade (the course progress' score)"
    if grade is None or not max_grade:
        return None
    return quantize(Decimal(grade) * HUNDRED / Decimal(max_grade))


def extensions(text):
    "'pdf, .DOCX; zip' -> ['pdf', 'docx', 'zip'] (empty: any file)"
    result = []
    for part in (text or '').replace(';', ',').replace(' ', ',').split(','):
        part = part.strip().lstrip('.').lower()
        if part and part not in result:
            result.append(part)
    return result


def extension(filename):
    "The extension of a file name in lower case, without the dot"
    name = (filename or '').rsplit('/', 1)[-1]
    if '.' not in name.strip('.'):
        return ''
    return name.rsplit('.', 1)[-1].lower()


def file_problem(filename, size, allowed, max_mb):
    """Why a file is refused: None, or (problem, values) with problem
    'empty', 'extension' (values: allowed) or 'size' (size and limit in MB)"""
    if not size:
        return 'empty', {}
    allowed = extensions(allowed)
    if allowed and extension(filename) not in allowed:
        return 'extension', {'allowed': ', '.join(allowed)}
    if max_mb and size > Decimal(max_mb) * 1024 * 1024:
        return 'size', {
            'size': _mb(size),
            'limit': _mb(Decimal(max_mb) * 1024 * 1024),
            }
    return None


def _mb(size):
    text = f'{Decimal(size) / 1024 / 1024:.1f}'
    return text.replace('.', ',')


def _plural(number, one, few, many):
    number = abs(int(number))
    if number % 10 == 1 and number % 100 != 11:
        return one
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return few
    return many


def duration_text(delta):
    "«2 дня 3 часа», «5 часов 10 минут», «менее минуты» (Russian)"
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(f"{days} {_plural(days, 'день', 'дня', 'дней')}")
    if hours:
        parts.append(f"{hours} {_plural(hours, 'час', 'часа', 'часов')}")
    if minutes and not days:
        parts.append(
            f"{minutes} {_plural(minutes, 'минута', 'минуты', 'минут')}")
    return ' '.join(parts) or 'менее минуты'


def time_left(deadline, now):
    "«осталось 2 дня 3 часа» before the deadline, «срок прошёл …» after"
    if deadline is None:
        return ''
    if now <= deadline:
        return 'осталось ' + duration_text(deadline - now)
    return 'срок прошёл ' + duration_text(now - deadline) + ' назад'
