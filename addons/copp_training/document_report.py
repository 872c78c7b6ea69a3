"""The printed documents of the learners (document.fodt): the
удостоверение, the диплом, the свидетельство and the справка об обучении,
each with the QR code of its verification page. The template only places
what `doc(document)` gives; printing is registered in the personal data
log by copp's report mixin (action «print»)."""
from trytond.i18n import gettext
from trytond.report import Report

from copp_contingent.student_report import college, fmt_date

TITLES = {
    'qualification_certificate': ("УДОСТОВЕРЕНИЕ",
        "о повышении квалификации"),
    'retraining_diploma': ("ДИПЛОМ", "о профессиональной переподготовке"),
    'profession_certificate': ("СВИДЕТЕЛЬСТВО",
        "о профессии рабочего, должности служащего"),
    'study_certificate': ("СПРАВКА", "об обучении"),
    }


def full_name(document):
    return ' '.join(p for p in [document.last_name, document.first_name,
            document.patronymic] if p)


class DocumentReport(Report):
    "Document on Qualification"
    __name__ = 'copp.training.document.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['doc'] = cls.document
        return context

    @classmethod
    def document(cls, document):
        title, subtitle = TITLES[document.kind]
        qr = document.qr_png()
        kind = document.kind
        if kind == 'study_certificate':
            body = gettext('copp_training.msg_doc_body_left',
                name=full_name(document), program=document.program_name,
                hours=document.hours or '',
                start=fmt_date(document.start_date),
                end=fmt_date(document.learner.leave_date))
        else:
            body = gettext(f'copp_training.msg_doc_body_{kind}',
                name=full_name(document), program=document.program_name,
                hours=document.hours or '',
                start=fmt_date(document.start_date),
                end=fmt_date(document.end_date),
                qualification=document.qualification or '',
                rank=document.rank or '')
        return {
            'organization': college(document.company),
            'title': title,
            'subtitle': subtitle,
            'body': body,
            'registration_number': document.registration_number or '',
            'number': ' '.join(p for p in [document.series,
                    document.number] if p),
            'issue_date': fmt_date(document.issue_date),
            'city': college(document.company)['city'],
            'qr': (qr, 'image/png') if qr else None,
            'verify_url': document.verify_url() or '',
            'cancelled': document.state == 'cancelled',
            }
