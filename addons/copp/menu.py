"""The menu a user sees: no empty folders, no entries they cannot run.

Tryton hides a menu entry whose window the user may not read and the
entries of menu groups (ir.ui.menu-res.group) the user is not in. Two more
rules here, so each role sees only what it can use:
- an entry whose action has groups (ir.action-res.group: a wizard of the
  registrar) is hidden from users outside those groups;
- a folder (an entry without an action) is hidden when nothing under it is
  visible (the teacher's «Финансы»);
- a board none of whose actions the user may read is hidden (board.py).
"""
from trytond.cache import Cache
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .board import board_actions

PLAIN = '_copp_menu_plain'


class Menu(metaclass=PoolMeta):
    __name__ = 'ir.ui.menu'

    # The folders with something visible under them, per user and groups:
    # one search of the whole menu instead of one per folder and call
    # (a menu is read folder by folder); kept 5 minutes, reset when a
    # menu changes.
    _nonempty_cache = Cache('ir.ui.menu.copp_nonempty', context=False,
        duration=300)

    @classmethod
    def search(cls, domain, offset=0, limit=None, order=None, count=False,
            query=False):
        transaction = Transaction()
        plain = transaction.context.get(PLAIN)
        # Tryton's own filter searches the parents again: plainly.
        with transaction.set_context(**{PLAIN: True}):
            menus = super().search(domain, offset=offset, limit=limit,
                order=order, count=False, query=query)
        if query or not menus or not transaction.check_access or (
                not transaction.user):
            return len(menus) if count else menus
        menus = cls._runnable(menus)
        if not plain:
            nonempty = cls._nonempty_folders()
            menus = [m for m in menus
                if m.action_keywords or m.id in nonempty]
        return len(menus) if count else menus

    @classmethod
    def _runnable(cls, menus):
        "The menus whose action the user's groups may run"
        pool = Pool()
        User = pool.get('res.user')
        groups = set(User.get_groups())
        result = []
        for menu in menus:
            allowed = True
            for keyword in menu.action_keywords:
                action_groups = {g.id for g in keyword.action.groups}
                if action_groups and not (action_groups & groups):
                    allowed = False
                    break
                if not cls._board_readable(keyword.action):
                    allowed = False
                    break
            if allowed:
                result.append(menu)
        return result

    @classmethod
    def _board_readable(cls, action):
        """False for a window of boards only (no model) of which the user
        may read no action (copp/board.py)"""
        pool = Pool()
        ActWindow = pool.get('ir.action.act_window')
        if action.type != 'ir.action.act_window':
            return True
        windows = ActWindow.search([('action', '=', action.id)], limit=1)
        if not windows or windows[0].res_model:
            return True
        views = [v.view for v in windows[0].act_window_views]
        if not views or any(v.type != 'board' for v in views):
            return True
        return any(board_actions(v.view_get()['arch']) for v in views)

    @classmethod
    def _nonempty_folders(cls):
        "Ids of the folders the user sees an entry under"
        pool = Pool()
        User = pool.get('res.user')
        transaction = Transaction()
        key = (transaction.user, tuple(sorted(User.get_groups())))
        nonempty = cls._nonempty_cache.get(key)
        if nonempty is not None:
            return nonempty
        with transaction.set_context(**{PLAIN: True}):
            visible = cls.search([])
        parent_of = {m.id: (m.parent.id if m.parent else None)
            for m in visible}
        nonempty = set()
        for menu in visible:
            if not menu.action_keywords:
                continue
            parent = parent_of.get(menu.id)
            while parent is not None and parent not in nonempty:
                nonempty.add(parent)
                parent = parent_of.get(parent)
        cls._nonempty_cache.set(key, nonempty)
        return nonempty

    @classmethod
    def on_modification(cls, mode, menus, field_names=None):
        super().on_modification(mode, menus, field_names=field_names)
        cls._nonempty_cache.clear()
