"""The contingent in a real browser: a clerk writes an enrolment order for two
applicants in sao, signs it, and finds them in the group."""
import pytest

pytestmark = pytest.mark.browser

LOGIN, PASSWORD = 'uch1', 'uch1-demo-2026'


def test_clerk_enrols_two_applicants(sao, live_server):
    def rpc(method, *params):
        return live_server.rpc(f'model.{method}', [*params, {}],
            login=LOGIN, password=PASSWORD)['result']

    applicants = rpc('copp.student.search_read',
        [('state', '=', 'applicant')], 0, 2, [('id', 'ASC')], ['rec_name'])
    # The smallest first-course group: its whole list fits on the screen.
    # (not the journal group of a training cohort: no contingent there)
    groups = rpc('copp.study.group.search_read',
        [('course', '=', 1), ('cohort', '=', None)], 0, None,
        [('name', 'ASC')],
        ['name', 'student_count'])
    group = min(groups, key=lambda g: g['student_count'])
    assert len(applicants) == 2
    names = [a['rec_name'] for a in applicants]

    page = sao.page
    sao.login(LOGIN, PASSWORD)
    sao.open_menu('ЦОПП', 'Контингент', 'Приказы')
    page.locator('button#new_').first.click()
    sao.wait_idle()
    assert page.locator('select[name="kind"] option:checked').inner_text() == (
        'Зачисление')
    lines = page.locator('div.form-one2many:visible').filter(
        has=page.locator('label.form-one2many-string:text-is("Студенты")'))
    for name in names:
        lines.locator('.form-one2many-toolbar button[title="Создать"]').click()
        sao.wait_idle()
        row = lines.locator('tbody tr.selected')
        sao.pick_in_cell(row, 'Студент', name)
        sao.pick_in_cell(row, 'В группу', group['name'])
    sao.screenshot('contingent_01_enrolment_draft')

    page.locator('button#save').first.click()
    sao.wait_idle()
    page.locator('button[name="sign"]').click()
    sao.confirm("Подписать приказ?")
    page.wait_for_function(
        """() => {
            const s = document.querySelector('select[name="state"]');
            return s && s.selectedOptions[0].text === 'Подписан'; }""",
        timeout=15000)
    number = page.locator('input[name="number"]').input_value()
    assert number.endswith('-к'), number
    sao.screenshot('contingent_02_enrolment_signed')

    # The students are in the group, studying, through the order.
    enrolled = rpc('copp.student.search_read',
        [('id', 'in', [a['id'] for a in applicants])], 0, None, None,
        ['state', 'group', 'record_book'])
    assert {s['state'] for s in enrolled} == {'studying'}
    assert {s['group'] for s in enrolled} == {group['id']}
    assert all(s['record_book'] for s in enrolled)
    group_after, = rpc('copp.study.group.read', [group['id']],
        ['student_count'])
    assert group_after['student_count'] == group['student_count'] + 2

    sao.open_menu('ЦОПП', 'Контингент', 'Учебные группы')
    page.locator('div.treeview:visible td:visible').filter(
        has_text=group['name']).first.dblclick()
    sao.wait_idle()
    # sao shows the first rows of a long list: all of them, then the names
    # (the list is by name: the new students may be anywhere in it).
    students = page.locator('div.form-one2many:visible').filter(
        has=page.locator('label.form-one2many-string:text-is("Студенты")'))
    students.locator('tbody tr').first.wait_for(timeout=15000)
    sao.show_all_rows(students)
    assert students.locator('tbody tr:not(.more-row)').count() == (
        group['student_count'] + 2)
    shown = students.locator('td[data-title="ФИО: "]').all_inner_texts()
    for name in names:
        assert name in shown, (name, shown)
    students.locator('td[data-title="ФИО: "]').filter(
        has_text=names[-1]).first.scroll_into_view_if_needed()
    sao.screenshot('contingent_03_group_with_students')
