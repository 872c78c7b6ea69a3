"""SCORM 1.2 packages: the uploaded zip, checked and unpacked to disk.

The zip is a Binary stored in trytond's filestore (file_id); its unpacked
files go to a folder of the data path (storage.py), one folder per
version: each upload (or «Распаковать») makes version N+1, and the folder
of version N is removed once the transaction is committed. A package that
breaks a limit or an unsafe rule (package_zip.py) or whose manifest is not
SCORM 1.2 (manifest.py) is refused with a Russian message naming the entry,
and nothing is kept on disk."""
import os
import secrets

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.transaction import Transaction

from . import manifest, package_zip, storage
from .exceptions import PackageUnpackError
from .package_zip import Limits, PackageError

# Values kept from the last unpacking (reset on a copy)
UNPACKED_FIELDS = ['folder', 'title', 'launch', 'identifier', 'size',
    'file_count', 'mastery_score', 'launch_data']


class Package(ModelSQL, ModelView):
    "SCORM Package"
    __name__ = 'copp.scorm.package'
    __string__ = "SCORM Package"

    company = fields.Many2One('company.company', "Company", required=True,
        ondelete='RESTRICT')
    name = fields.Char("Name", required=True)
    zip_file = fields.Binary("Zip File", filename='zip_filename',
        file_id='zip_file_id',
        help="A SCORM 1.2 package (zip with imsmanifest.xml at its root). "
        "It is checked and unpacked when saved.")
    zip_file_id = fields.Char("Zip File ID", readonly=True)
    zip_filename = fields.Char("Zip File Name")
    folder = fields.Char("Storage Folder", readonly=True,
        help="The folder of the unpacked files, relative to the SCORM "
        "storage of the server.")
    title = fields.Char("Title", readonly=True,
        help="The title of the default organization of the manifest.")
    launch = fields.Char("Launch File", readonly=True,
        help="The address the player opens, from imsmanifest.xml.")
    identifier = fields.Char("Identifier", readonly=True)
    size = fields.Integer("Size, bytes", readonly=True,
        help="The total size of the unpacked files.")
    file_count = fields.Integer("Files", readonly=True)
    version = fields.Integer("Version", readonly=True,
        help="Increased at each unpacking; 0: not unpacked.")
    mastery_score = fields.Numeric("Mastery Score", digits=(5, 2),
        readonly=True,
        help="adlcp:masteryscore of the manifest: with a raw score, the "
        "status becomes passed or failed by it.")
    launch_data = fields.Text("Launch Data", readonly=True,
        help="adlcp:datafromlms of the manifest (cmi.launch_data).")
    lessons = fields.One2Many('copp.course.lesson', 'scorm_package',
        "Lessons", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('name', 'ASC'), ('id', 'DESC')]
        cls._sql_indexes.add(Index(t, (t.company, Index.Range())))
        cls._buttons.update({
                'unpack': {'depends': ['zip_file_id']},
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_version(cls):
        return 0

    @property
    def unpacked_folder(self):
        "The absolute folder of the unpacked files, or None"
        return storage.absolute(self.folder)

    @classmethod
    def copy(cls, packages, default=None):
        default = default.copy() if default is not None else {}
        for name in UNPACKED_FIELDS + ['lessons']:
            default.setdefault(name, None)
        default.setdefault('version', 0)
        # The copy is unpacked into its own folder when created
        return super().copy(packages, default=default)

    @classmethod
    def on_modification(cls, mode, packages, field_names=None):
        super().on_modification(mode, packages, field_names=field_names)
        if mode == 'delete':
            for package in packages:
                folder = package.unpacked_folder
                if folder:
                    storage.remove_after_commit(os.path.dirname(folder))
        elif mode == 'create' or 'zip_file' in (field_names or ()):
            cls.unpack([p for p in packages if p.zip_file_id])

    @classmethod
    @ModelView.button
    def unpack(cls, packages):
        "Check the zip, parse its manifest and unpack it as a new version"
        if not packages:
            return
        limits = Limits.from_config()
        for package in packages:
            values = package._unpack(limits)
            cls.write([package], values)

    def _zip_size(self):
        "The size of the stored zip, read without loading it"
        with Transaction().set_context(**{
                    f'{self.__name__}.zip_file': 'size'}):
            return self.__class__(self.id).zip_file

    def _unpack(self, limits):
        size = self._zip_size() if self.zip_file_id else None
        if not size:
            raise PackageUnpackError(gettext('copp_scorm.msg_zip_empty',
                    package=self.rec_name))
        if size > limits.max_zip_size:
            raise self._error(PackageError('msg_zip_too_large',
                    size=package_zip.mb(size),
                    limit=package_zip.mb(limits.max_zip_size)))
        data = bytes(self.zip_file)
        version = (self.version or 0) + 1
        # A folder of its own even when two authors unpack the package at
        # once: the transaction that fails removes only its folder
        relative = storage.relative_folder(Transaction().database.name,
            self.id, version, secrets.token_hex(4))
        target = storage.absolute(relative)
        try:
            info, total, count = package_zip.unpack(data, target,
                manifest.parse, limits)
        except PackageError as exc:
            raise self._error(exc) from exc
        storage.remove_after_abort(target)
        if self.folder and self.folder != relative:
            storage.remove_after_commit(self.unpacked_folder)
        return {
            'folder': relative,
            'version': version,
            'title': info.title,
            'launch': info.launch,
            'identifier': info.identifier,
            'size': total,
            'file_count': count,
            'mastery_score': info.mastery_score,
            'launch_data': info.launch_data,
            }

    def _error(self, exc):
        return PackageUnpackError(gettext('copp_scorm.' + exc.message,
                package=self.rec_name, **exc.values))

    def content_file(self, path):
        """The absolute path of the unpacked file `path` of the package
        (a URL path), or None when it is not one of its files"""
        if not self.version or not self.folder:
            return None
        return storage.served_file(self.unpacked_folder, path)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('name', operator, operand, *extra),
            ('title', operator, operand, *extra),
            ]
