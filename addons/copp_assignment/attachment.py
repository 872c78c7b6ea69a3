"""The files of a submission are attachments (ir.attachment) of the
submission: read with the submission's access (trytond's ResourceMixin),
downloaded by the teacher from the back office, by the learner from the
cabinet. Whatever adds them (the cabinet, sao, RPC), the assignment's
limits are checked here, on the server: stored data only (no links), the
allowed extensions, the size of each file and the number of files."""
from trytond.i18n import gettext
from trytond.pool import PoolMeta

from .exceptions import SubmissionFileError

SUBMISSION = 'copp.assignment.submission'


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'

    @classmethod
    def validate_fields(cls, attachments, field_names):
        super().validate_fields(attachments, field_names)
        if field_names and not {'data', 'resource', 'type', 'name'} & set(
                field_names):
            return
        counted = set()
        for attachment in attachments:
            resource = attachment.resource
            if not resource or resource.__name__ != SUBMISSION:
                continue
            assignment = resource.assignment
            if attachment.type != 'data':
                raise SubmissionFileError(gettext(
                        'copp_assignment.msg_file_link',
                        name=attachment.name,
                        submission=resource.rec_name))
            message = assignment.file_error(attachment.name,
                attachment.data_size or 0)
            if message:
                raise SubmissionFileError(message)
            if resource.id not in counted:
                counted.add(resource.id)
                count = cls.search_count([('resource', '=', str(resource))])
                if count > (assignment.max_files or 0):
                    raise SubmissionFileError(gettext(
                            'copp_assignment.msg_file_count',
                            submission=resource.rec_name,
                            limit=assignment.max_files or 0))
