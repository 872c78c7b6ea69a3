"""The account's applications for training in the cabinet (copp_training,
an extra dependency): /cabinet/applications lists the applications the
account sent online (copp_training's apply_routes.py) with their stage,
/cabinet/applications/<id> shows one with its stage history, and
/cabinet/applications/<id>/withdraw withdraws it while the workflow of
the application allows it (new, documents checked, contract / referral).

Only the account's own applications (`portal_user`, in the query):
another account's id answers 404."""
from trytond.i18n import gettext

from copp_portal import forms
from copp_portal.portal import register_menu

from .routes import cabinet_route

MODEL = 'copp.training.application'
READ_FIELDS = ['number', 'date', 'program', 'cohort', 'state', 'funding',
    'stage_logs', 'reject_reason']

register_menu('cabinet', '/cabinet/applications',
    'copp_cabinet.msg_nav_applications', sequence=15)


class WithdrawForm(forms.Form):
    reason = forms.CharField(max_length=250)


def own_application(portal, application_id):
    "The account's application `application_id`, else 404"
    Application = portal.pool.get(MODEL)
    applications = Application.search([
            ('id', '=', application_id),
            ('portal_user', '=', portal.user.id),
            ], limit=1)
    if not applications:
        portal.not_found()
    return applications[0]


def _log_read(portal, applications):
    Log = portal.pool.get('copp.personal_data.log')
    Log.register_portal(portal.user, MODEL, applications, READ_FIELDS)


@cabinet_route('/cabinet/applications', model=MODEL)
def applications(portal):
    Application = portal.pool.get(MODEL)
    records = Application.search([('portal_user', '=', portal.user.id)],
        order=[('date', 'DESC'), ('id', 'DESC')])
    _log_read(portal, records)
    return portal.render('cabinet/applications.html', applications=records)


def _page(portal, record, form, status=200):
    Application = portal.pool.get(MODEL)
    stages = dict(Application.fields_get(['state'])['state']['selection'])
    return portal.render('cabinet/application.html', status=status,
        application=record, form=form, stages=stages)


@cabinet_route('/cabinet/applications/<int:application_id>', model=MODEL)
def application(portal, application_id):
    record = own_application(portal, application_id)
    _log_read(portal, [record])
    return _page(portal, record, WithdrawForm(portal, None))


@cabinet_route('/cabinet/applications/<int:application_id>/withdraw',
    methods=['POST'], model=MODEL)
def withdraw(portal, application_id):
    Application = portal.pool.get(MODEL)
    record = own_application(portal, application_id)
    form = WithdrawForm(portal)
    if not form.validate():
        return _page(portal, record, form, status=422)
    if not record.online_withdrawable:
        portal.flash(gettext('copp_cabinet.msg_application_not_withdrawable',
                number=record.number), 'error')
        return portal.redirect(f'/cabinet/applications/{record.id}')
    Application.withdraw_online(record, form.values.get('reason'))
    portal.log('state_changed', record=record, details='withdrawn')
    portal.flash(gettext('copp_cabinet.msg_application_withdrawn',
            number=record.number))
    return portal.redirect('/cabinet/applications')
