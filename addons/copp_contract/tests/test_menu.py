"""The menu of each role: no empty folders, no entries of another role,
no board the role can read nothing of (and boards without the actions of
models the role does not read).

copp_contract fills «Финансы» for the accountant, the college administrator,
the registrar and the ministry; copp_contingent's import and course transfer
wizards belong to the registrar and the college administrator."""
from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_college, create_user


class MenuTestCase(CompanyTestMixin, _DBTestCase):
    "The back-office menu of each role"
    module = 'copp_contract'

    def visible(self, user):
        "The xml ids of the copp menus the user sees, folders expanded"
        pool = Pool()
        Menu = pool.get('ir.ui.menu')
        ModelData = pool.get('ir.model.data')
        with Transaction().set_user(user.id), check_access():
            # The client asks for the top level, then each folder's entries.
            seen = []
            level = Menu.search([('parent', '=', None)])
            while level:
                seen.extend(level)
                level = Menu.search(
                    [('parent', 'in', [m.id for m in level])])
            ids = {m.id for m in seen}
            self.assertEqual(Menu.search_count([('id', 'in', list(ids))]),
                len(ids))
        data = ModelData.search([('model', '=', 'ir.ui.menu'),
                ('db_id', 'in', list(ids))])
        return {f'{d.module}.{d.fs_id}' for d in data}

    @with_transaction()
    def test_menus_of_roles(self):
        "The teacher has no «Финансы»; the accountant has no contingent wizards"
        college = create_college("Колледж экономики", "РКЭ")
        teacher = create_user('teacher', [college], ['group_teacher'])
        accountant = create_user('accountant', [college], ['group_accountant'])
        registrar = create_user('registrar', [college], ['group_registrar'])
        teacher_menus = self.visible(teacher)
        accountant_menus = self.visible(accountant)
        registrar_menus = self.visible(registrar)

        self.assertIn('copp.menu_copp', teacher_menus)
        self.assertNotIn('copp.menu_finance', teacher_menus)
        self.assertNotIn('copp_contract.menu_contract', teacher_menus)

        self.assertIn('copp.menu_finance', accountant_menus)
        self.assertIn('copp_contract.menu_contract', accountant_menus)
        self.assertNotIn('copp_contingent.menu_import', accountant_menus)
        self.assertNotIn('copp_contingent.menu_course_transfer',
            accountant_menus)

        self.assertIn('copp_contingent.menu_import', registrar_menus)
        self.assertIn('copp_contingent.menu_course_transfer',
            registrar_menus)
        self.assertIn('copp.menu_finance', registrar_menus)

        # Every folder a role sees has an entry under it.
        pool = Pool()
        Menu = pool.get('ir.ui.menu')
        ModelData = pool.get('ir.model.data')
        for user, menus in [(teacher, teacher_menus),
                (accountant, accountant_menus),
                (registrar, registrar_menus)]:
            for xml_id in menus:
                menu = Menu(ModelData.get_id(*xml_id.split('.')))
                if menu.action_keywords:
                    continue
                with self.subTest(user=user.login, folder=xml_id):
                    entries = [c for c in Menu.search([
                                ('parent', 'child_of', [menu.id]),
                                ]) if c.action_keywords]
                    self.assertTrue({f'{d.module}.{d.fs_id}'
                            for d in ModelData.search([
                                    ('model', '=', 'ir.ui.menu'),
                                    ('db_id', 'in', [e.id for e in entries]),
                                    ])} & menus)

    @with_transaction()
    def test_boards_of_roles(self):
        """The contingent board keeps the actions each role reads; the
        teacher, who reads none of them, has no such menu entry"""
        from lxml import etree
        pool = Pool()
        View = pool.get('ir.ui.view')
        ModelData = pool.get('ir.model.data')
        college = create_college("Колледж экономики", "РКЭ")
        users = {role: create_user(role, [college], [f'group_{role}'])
            for role in ['teacher', 'accountant', 'registrar']}
        board = View(ModelData.get_id('copp_contingent',
                'contingent_board_view'))
        graphs = {'copp_contingent.act_contingent_graph_course',
            'copp_contingent.act_contingent_graph_form',
            'copp_contingent.act_contingent_graph_college'}
        expected = {
            'teacher': set(),
            'accountant': {'copp_contingent.act_order'},
            'registrar': graphs | {'copp_contingent.act_order'},
            }
        for role, user in users.items():
            with self.subTest(role=role):
                with Transaction().set_user(user.id), check_access():
                    arch = etree.fromstring(board.view_get()['arch'])
                self.assertEqual(
                    {a.get('name') for a in arch.iter('action')},
                    expected[role])
                self.assertEqual(
                    'copp_contingent.menu_contingent_board'
                    in self.visible(user), bool(expected[role]))
