"""Boards (dashboards) show only the actions the user may read.

A board view lists actions (`<action name="module.xml_id"/>`); sao opens
each of them and a window on a model the user cannot read ends in an access
error («У вас нет доступа к …») on the board. The board a user gets keeps
the actions of the models they read; a board left without actions is not
in the user's menu (copp/menu.py).
"""
from lxml import etree

from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


def readable_action(xml_id):
    "Whether the user may read the model of the board action `xml_id`"
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    ActWindow = pool.get('ir.action.act_window')
    ModelAccess = pool.get('ir.model.access')
    module, _, fs_id = xml_id.partition('.')
    try:
        action_id = ModelData.get_id(module, fs_id)
    except KeyError:
        return False
    windows = ActWindow.search([('action', '=', action_id)], limit=1)
    if not windows or not windows[0].res_model:
        return True
    return ModelAccess.check(windows[0].res_model, 'read',
        raise_exception=False)


def board_arch(arch):
    "The board's arch without the actions the user may not read"
    tree = etree.fromstring(arch)
    for element in list(tree.iter('action')):
        if not readable_action(element.get('name', '')):
            element.getparent().remove(element)
    return etree.tostring(tree, encoding='utf-8').decode('utf-8')


def board_actions(arch):
    "How many actions of the board the user may read"
    tree = etree.fromstring(arch)
    return sum(1 for e in tree.iter('action')
        if readable_action(e.get('name', '')))


class View(metaclass=PoolMeta):
    __name__ = 'ir.ui.view'

    def view_get(self, model=None):
        result = super().view_get(model=model)
        transaction = Transaction()
        if (result.get('type') == 'board' and transaction.user
                and transaction.check_access):
            result = dict(result, arch=board_arch(result['arch']))
        return result
