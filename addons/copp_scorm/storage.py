"""Where the unpacked packages live: files on disk, never rows.

The root is `[copp_scorm] storage` of trytond's configuration, else
`<[database] path>/scorm`. A package's version N of database D is the
folder `<root>/D/<package id>/N-<random token>` (stored relative to the root on the
package, so that the data folder can move). Folders change with the
transaction: a new version unpacked in a transaction that rolls back is
removed; an old version (or a deleted package) is removed only after the
commit, so that the learners of the old version are served until then.
"""
import logging
import os
import shutil

from werkzeug.security import safe_join

from trytond import config
from trytond.transaction import Transaction

logger = logging.getLogger(__name__)


def root():
    folder = config.get('copp_scorm', 'storage', default=None)
    if not folder:
        folder = os.path.join(config.get('database', 'path'), 'scorm')
    return os.path.abspath(folder)


def relative_folder(database, package_id, version, token):
    "`<database>/<package id>/<version>-<token>`"
    safe = database.replace(os.sep, '_').replace('..', '_') or 'memory'
    if safe == ':memory:':
        safe = 'memory'
    if not token.isalnum():
        raise ValueError(token)
    return f'{safe}/{int(package_id)}/{int(version)}-{token}'


def absolute(relative):
    "The absolute folder of a stored relative folder (inside the root only)"
    if not relative:
        return None
    path = safe_join(root(), relative)
    return os.path.abspath(path) if path else None


def served_file(folder, path):
    """The absolute path of the regular file `path` (from a URL) inside
    `folder`, or None: no `..`, no absolute path, no link leading out"""
    if not folder or not path or '\0' in path or '\\' in path:
        return None
    candidate = safe_join(folder, path)
    if candidate is None:
        return None
    real_folder = os.path.realpath(folder)
    real = os.path.realpath(candidate)
    if os.path.commonpath([real_folder, real]) != real_folder:
        return None
    if not os.path.isfile(real):
        return None
    return real


class FolderManager:
    """Trytond data manager of the transaction: removes the folders of
    `after_commit` once the commit is done, and those of `after_abort` when
    the transaction is rolled back"""

    def __init__(self):
        self.after_commit = set()
        self.after_abort = set()

    def __eq__(self, other):
        return isinstance(other, FolderManager)

    def __hash__(self):
        return hash(FolderManager)

    @staticmethod
    def _remove(folders):
        for folder in folders:
            if folder and os.path.isdir(folder):
                shutil.rmtree(folder, ignore_errors=True)
            parent = os.path.dirname(folder or '')
            # The package's folder goes with its last version
            try:
                if parent and os.path.isdir(parent) and not os.listdir(
                        parent):
                    os.rmdir(parent)
            except OSError:
                pass

    def tpc_begin(self, transaction):
        pass

    def commit(self, transaction):
        pass

    def tpc_vote(self, transaction):
        pass

    def tpc_finish(self, transaction):
        self._remove(self.after_commit)
        self.after_commit.clear()
        self.after_abort.clear()

    def tpc_abort(self, transaction):
        self._remove(self.after_abort)
        self.after_commit.clear()
        self.after_abort.clear()


def manager():
    return Transaction().join(FolderManager())


def remove_after_commit(folder):
    if folder:
        manager().after_commit.add(folder)


def remove_after_abort(folder):
    if folder:
        manager().after_abort.add(folder)
