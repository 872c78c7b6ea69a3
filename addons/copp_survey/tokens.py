"""Personal links of the surveys.

Tokens are `<id>-<signature>` where the signature is an HMAC (SHA-256,
the portal's server secret) of the record id and a random nonce stored on
the record: not guessable, never stored, revoked by changing the nonce.
- invitation token: `/survey/i/<token>` (one answer per invitation);
- response token: `/survey/r/<token>/<page>` resumes a started answer;
- results key: `/survey/results/<survey id>/<key>`, the results page that
  the back office shows to the users who read the survey.
"""
import hmac
import re

from trytond.pool import Pool
from trytond.transaction import Transaction

from copp_portal.portal import get_secret, sign

TOKEN_PATTERN = re.compile(r'^(\d{1,12})-([0-9a-f]{32})$')
KEY_PATTERN = re.compile(r'^[0-9a-f]{32}$')


def _secret():
    return get_secret(Transaction().database.name)


def _token(purpose, record):
    signature = sign(_secret(), purpose,
        f'{record.id}:{record.nonce}')[:32]
    return f'{record.id}-{signature}'


def invitation_token(invitation):
    return _token('copp-survey-invitation', invitation)


def response_token(response):
    return _token('copp-survey-response', response)


def _record_of(model, purpose, token):
    match = TOKEN_PATTERN.match((token or '').strip())
    if not match:
        return None
    Model = Pool().get(model)
    records = Model.search([('id', '=', int(match.group(1)))])
    if not records or not records[0].nonce:
        return None
    if not hmac.compare_digest(_token(purpose, records[0]), token.strip()):
        return None
    return records[0]


def invitation_of_token(token):
    return _record_of('copp.survey.invitation', 'copp-survey-invitation',
        token)


def response_of_token(token):
    return _record_of('copp.survey.response', 'copp-survey-response', token)


def results_key(survey):
    return sign(_secret(), 'copp-survey-results',
        f'{survey.id}:{survey.results_nonce}')[:32]


def results_valid(survey, key):
    if not key or not KEY_PATTERN.match(key) or not survey.results_nonce:
        return False
    return hmac.compare_digest(results_key(survey), key)
