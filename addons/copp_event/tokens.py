"""Tickets, check-in links and QR codes.

A ticket token is `<registration id>-<signature>`: the signature is an HMAC
(SHA-256, the portal's server secret) of the registration id and a random
nonce kept on the registration. It cannot be guessed from the id, it is
never stored, and changing the nonce revokes it. The QR code of the ticket
carries the absolute URL of the ticket page, so a phone camera opens it and
the check-in page (BarcodeDetector) reads the token out of it.

A check-in link is `/events/<event id>/checkin/<key>` where the key is the
HMAC of the event id and the event's own nonce: whoever holds the link may
check participants of that event in, while the event is published and up to
a day after its end. The organizer gives it to the staff at the entrance
(the back office shows it to the users who can read the event) and
revokes it with «New Check-in Link».
"""
import base64
import datetime as dt
import hmac
import io
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from trytond.pool import Pool
from trytond.transaction import Transaction

from copp_portal.portal import get_secret, sign

TOKEN_PATTERN = re.compile(r'^(\d{1,12})-([0-9a-f]{32})$')
KEY_PATTERN = re.compile(r'^[0-9a-f]{32}$')
# A ticket token inside a scanned URL or typed text.
TOKEN_SEARCH = re.compile(r'(\d{1,12}-[0-9a-f]{32})')


def _secret():
    return get_secret(Transaction().database.name)


def ticket_token(registration):
    signature = sign(_secret(), 'copp-event-ticket',
        f'{registration.id}:{registration.ticket_nonce}')[:32]
    return f'{registration.id}-{signature}'


def registration_of_token(token):
    "The registration of a ticket token, or None for a forged one"
    Registration = Pool().get('copp.event.registration')
    match = TOKEN_PATTERN.match((token or '').strip())
    if not match:
        return None
    registrations = Registration.search([('id', '=', int(match.group(1)))])
    if not registrations:
        return None
    registration, = registrations
    if not registration.ticket_nonce:
        return None
    if not hmac.compare_digest(ticket_token(registration),
            f'{match.group(1)}-{match.group(2)}'):
        return None
    return registration


def find_token(text):
    "The ticket token in a scanned QR content or a typed text"
    match = TOKEN_SEARCH.search(text or '')
    return match.group(1) if match else None


def checkin_key(event):
    return sign(_secret(), 'copp-event-checkin',
        f'{event.id}:{event.checkin_nonce}')[:32]


def checkin_valid(event, key, now=None):
    "Whether `key` opens the check-in page of `event` now"
    now = now or dt.datetime.now()
    if not key or not KEY_PATTERN.match(key) or not event.checkin_nonce:
        return False
    if not hmac.compare_digest(checkin_key(event), key):
        return False
    if event.state != 'published':
        return False
    if event.end and now > event.end + dt.timedelta(days=1):
        return False
    return True


def to_local(value, timezone):
    "A naive UTC datetime (as Tryton stores it) in the local time"
    if value is None:
        return None
    try:
        zone = ZoneInfo(timezone or 'Europe/Moscow')
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo('Europe/Moscow')
    return value.replace(tzinfo=dt.timezone.utc).astimezone(zone).replace(
        tzinfo=None)


def to_utc(value, timezone):
    "A naive local datetime as the naive UTC Tryton stores"
    if value is None:
        return None
    try:
        zone = ZoneInfo(timezone or 'Europe/Moscow')
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo('Europe/Moscow')
    return value.replace(tzinfo=zone).astimezone(dt.timezone.utc).replace(
        tzinfo=None)


def qr_code(content):
    import segno
    return segno.make(content, error='m')


def qr_svg_data_uri(content, scale=6):
    "The QR code as an SVG data URI (allowed by the portal's CSP)"
    buffer = io.BytesIO()
    qr_code(content).save(buffer, kind='svg', scale=scale, border=2,
        xmldecl=False, svgns=True, title=None)
    return 'data:image/svg+xml;base64,' + base64.b64encode(
        buffer.getvalue()).decode('ascii')


def qr_png(content, scale=6):
    buffer = io.BytesIO()
    qr_code(content).save(buffer, kind='png', scale=scale, border=2)
    return buffer.getvalue()
