"""An employer's training order accepted by the ЦОПП becomes a corporate
cohort: only that employer's staff take its seats, paid by the employer."""
from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase, with_transaction
from trytond.transaction import Transaction

from copp_employer.tests.tools import create_employer, create_order
from copp_portal.tests.tools import PortalTestMixin

from .tools import create_application, training_setup


class EmployerOrderTestCase(PortalTestMixin, RouteTestCase):
    "Training orders of employers become cohorts"
    module = 'copp_training'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pass

    @with_transaction()
    def test_make_cohort(self):
        "«Создать поток»: a corporate cohort with the order's seats"
        pool = Pool()
        Order = pool.get('copp.training.order')
        Cohort = pool.get('copp.training.cohort')
        Application = pool.get('copp.training.application')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        employer = create_employer("ООО «Рязанский станкозавод»",
            inn='7707083893')
        other = create_employer("АО «Приокский завод»")
        order = create_order(employer, quantity=4, program=ns.program.id)
        with self.assertRaises(UserError):
            Order.make_cohort([order])
        Order.review([order])
        Order.accept([order])
        Order.make_cohort([order])
        cohort = order.cohort
        self.assertEqual((cohort.seats, cohort.employer, cohort.program,
                cohort.company), (4, employer, ns.program, ns.copp))
        self.assertEqual(cohort.state, 'draft')
        Order.make_cohort([order])  # once only
        self.assertEqual(Cohort.search_count([('employer', '=',
                        employer.id)]), 1)

        with Transaction().set_context(company=ns.copp.id):
            Cohort.open([cohort])
            staff = create_application(ns.program, cohort, 0,
                funding='employer', employer=employer.id)
            stranger = create_application(ns.program, cohort, 1,
                funding='employer', employer=other.id)
            Application.check_documents([staff, stranger])
            Application.agree([staff])
            self.assertEqual(staff.contract.payer, employer.party)
            with self.assertRaises(UserError) as cm:
                Application.agree([stranger])
            self.assertIn(stranger.number, str(cm.exception))


del RouteTestCase
