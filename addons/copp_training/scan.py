"""Scans of an application's documents: attachments (ir.attachment) of the
application with their kind; only PDF, JPEG and PNG (recognised by their
first bytes, not by the name), each at most [copp] training_scan_max_size
bytes (default 5 MB), at most [copp] training_scan_max_count per
application (default 20). Read and written with the application's
access (trytond's ResourceMixin)."""
from trytond import config
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import PoolMeta

from .exceptions import ScanError

SCAN_KINDS = [
    (None, ""),
    ('passport', "Identity Document"),
    ('diploma', "Education Document"),
    ('snils', "SNILS"),
    ('name_change', "Certificate of Change of Name"),
    ('eligibility', "Document of the Federal Project Category"),
    ('other', "Other Document"),
    ]
MAGIC = [
    (b'%PDF-', 'application/pdf'),
    (b'\xff\xd8\xff', 'image/jpeg'),
    (b'\x89PNG\r\n\x1a\n', 'image/png'),
    ]
APPLICATION = 'copp.training.application'


def max_size():
    return config.getint('copp', 'training_scan_max_size',
        default=5 * 1024 * 1024)


def max_count():
    return config.getint('copp', 'training_scan_max_count', default=20)


def sniff(data):
    "The MIME type of an accepted scan, or None"
    head = bytes(data[:16]) if data else b''
    for magic, mime in MAGIC:
        if head.startswith(magic):
            return mime
    return None


def scan_problem(data, size=None):
    """What makes `data` no accepted scan: None, or (problem, values) with
    problem 'empty', 'too_large' (values: size and limit in MB) or 'type'.
    `size`: the size of a file not read yet (`data` None: too large)"""
    if size is None:
        size = len(data or b'')
    if not size:
        return 'empty', {}
    if size > max_size():
        return 'too_large', {
            'size': round(size / 1024 / 1024, 1),
            'limit': round(max_size() / 1024 / 1024, 1),
            }
    if not sniff(data):
        return 'type', {}
    return None


def check_scan(name, data, application_name=''):
    """Refuse a file that is not an accepted scan: too large or not a PDF,
    JPEG or PNG (the message names the file and the application)"""
    problem = scan_problem(data)
    if problem:
        kind, values = problem
        raise ScanError(gettext(f'copp_training.msg_scan_{kind}',
                name=name, application=application_name, **values))


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'

    copp_scan_kind = fields.Selection(SCAN_KINDS, "Scan of",
        help="What an application's scan is (applications for training).")

    @classmethod
    def validate_fields(cls, attachments, field_names):
        super().validate_fields(attachments, field_names)
        if field_names and not {'data', 'resource', 'type',
                'copp_scan_kind'} & set(field_names):
            return
        counted = set()
        for attachment in attachments:
            resource = attachment.resource
            if not resource or resource.__name__ != APPLICATION:
                continue
            if attachment.type != 'data':
                raise ScanError(gettext('copp_training.msg_scan_link',
                        name=attachment.name,
                        application=resource.rec_name))
            if not attachment.copp_scan_kind:
                raise ScanError(gettext('copp_training.msg_scan_kind',
                        name=attachment.name,
                        application=resource.rec_name))
            check_scan(attachment.name, attachment.data, resource.rec_name)
            if resource.id not in counted:
                counted.add(resource.id)
                if len(cls.search([('resource', '=', str(resource))])) > (
                        max_count()):
                    raise ScanError(gettext(
                            'copp_training.msg_scan_too_many',
                            application=resource.rec_name,
                            limit=max_count()))
