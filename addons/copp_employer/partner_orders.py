"""The training orders of the partner portal (/partner/orders…): every query
is filtered by the portal user's employer (another organization's record
answers 404)."""
from trytond.exceptions import UserError
from trytond.i18n import gettext

from copp_portal import forms

from .partner_routes import (
    PAGE_SIZE, contact_choices, partner_route, program_choices,
    selection, specialty_choices, today)
from .training_order import STAGE_PATH


# Training orders ---------------------------------------------------------

class OrderForm(forms.Form):
    specialty = forms.ChoiceField(coerce=int)
    program = forms.ChoiceField(coerce=int)
    quantity = forms.IntegerField(required=True, min=1, max=1000)
    deadline = forms.DateField(required=True, min=lambda: today())
    comment = forms.TextField(max_length=5000)
    contact = forms.ChoiceField(coerce=int)

    def clean(self):
        if (not self.values.get('specialty') and not self.values.get(
                    'program') and 'specialty' not in self.errors
                and 'program' not in self.errors):
            self.add_error('specialty',
                gettext('copp_employer.msg_form_order_subject'))


def order_form(portal, employer, order=None):
    initial = {}
    if order:
        initial = {name: getattr(order, name) for name in OrderForm.field_names()}
        for name in ['specialty', 'program', 'contact']:
            initial[name] = initial[name].id if initial[name] else None
    return OrderForm(portal, initial=initial, choices={
            'specialty': specialty_choices(),
            'program': program_choices(),
            'contact': contact_choices(employer),
            })


@partner_route('/partner/orders')
def orders(portal, employer):
    state = portal.request.args.get('state')
    domain = [('employer', '=', employer.id)]
    states = selection('copp.training.order', 'state')
    if state in dict(states):
        domain.append(('state', '=', state))
    else:
        state = None
    page = portal.paginate('copp.training.order', domain, size=PAGE_SIZE)
    return portal.render('partner/orders.html', page=page, state=state,
        states=states)


@partner_route('/partner/orders/new', methods=['GET', 'POST'])
def order_new(portal, employer):
    Order = portal.pool.get('copp.training.order')
    form = order_form(portal, employer)
    if form.submitted and form.validate():
        try:
            order, = Order.create([dict(form.values, employer=employer.id)])
        except UserError as exc:
            form.add_error(None, exc.message)
        else:
            portal.log('record_created', record=order)
            portal.flash(gettext('copp_employer.msg_order_created',
                    number=order.number))
            return portal.redirect(f'/partner/orders/{order.id}')
    return portal.render('partner/order_form.html',
        status=422 if form.submitted else 200, form=form, order=None)


@partner_route('/partner/orders/<int:order_id>')
def order(portal, employer, order_id):
    record = portal.owned('copp.training.order', order_id, field='employer',
        value=employer)
    states = dict(selection('copp.training.order', 'state'))
    return portal.render('partner/order.html', order=record, states=states,
        stage_path=STAGE_PATH)


@partner_route('/partner/orders/<int:order_id>/edit', methods=['GET', 'POST'])
def order_edit(portal, employer, order_id):
    Order = portal.pool.get('copp.training.order')
    record = portal.owned('copp.training.order', order_id, field='employer',
        value=employer)
    if not record.editable:
        portal.flash(gettext('copp_employer.msg_order_not_editable'),
            'error')
        return portal.redirect(f'/partner/orders/{record.id}')
    form = order_form(portal, employer, record)
    if form.submitted and form.validate():
        try:
            Order.write([record], dict(form.values))
        except UserError as exc:
            form.add_error(None, exc.message)
        else:
            portal.log('record_changed', record=record)
            portal.flash(gettext('copp_employer.msg_order_saved'))
            return portal.redirect(f'/partner/orders/{record.id}')
    return portal.render('partner/order_form.html',
        status=422 if form.submitted else 200, form=form, order=record)
