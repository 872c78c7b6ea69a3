"""Certificates of participation (PDF) for the participants who attended.

The PDF is drawn with fpdf2 (pure Python) and the DejaVu Serif font shipped
in fonts/ (Cyrillic, embedded and subset): no office suite is needed on the
server, unlike a .fodt report converted by LibreOffice. The certificate
carries a QR code of its verification page on the portal.
"""
import datetime as dt
from pathlib import Path

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.report import Report

from .exceptions import EventError
from .tokens import qr_png, ticket_token, to_local

FONTS = Path(__file__).parent / 'fonts'
MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля",
    "августа", "сентября", "октября", "ноября", "декабря"]
KIND_TEXT = {
    'career_guidance': "в профориентационном мероприятии",
    'job_fair': "в ярмарке вакансий",
    'open_day': "в дне открытых дверей",
    'championship': "в чемпионате профессионального мастерства",
    'master_class': "в мастер-классе",
    'webinar': "в вебинаре",
    }


def date_text(date):
    return f'{date.day} {MONTHS[date.month - 1]} {date.year} г.'


def dates_text(event):
    days = sorted({to_local(s.start, event.timezone).date()
            for s in event.sessions})
    if not days:
        return ''
    if len(days) == 1:
        return date_text(days[0])
    first, last = days[0], days[-1]
    if first.year == last.year and first.month == last.month:
        return f'{first.day}–{last.day} {MONTHS[last.month - 1]} ' \
            f'{last.year} г.'
    return f'{date_text(first)} – {date_text(last)}'


def certificate_pdf(registrations):
    """One A4 landscape page per registration; raise EventError for a
    registration without attendance"""
    from fpdf import FPDF

    from copp_portal.mail import portal_url

    pdf = FPDF(orientation='L', unit='mm', format='A4')
    pdf.set_auto_page_break(False)
    pdf.add_font('DejaVuSerif', '', str(FONTS / 'DejaVuSerif.ttf'))
    pdf.add_font('DejaVuSerif', 'B', str(FONTS / 'DejaVuSerif-Bold.ttf'))
    pdf.set_title("Сертификат участника")
    pdf.set_creator("ГИС ЦОПП Рязанской области")
    pdf.set_lang('ru')
    for registration in registrations:
        if not registration.attended:
            raise EventError(gettext('copp_event.msg_certificate_absent',
                    participant=registration.rec_name))
        event = registration.event
        organizer = event.company
        pdf.add_page()
        width, height = pdf.w, pdf.h
        pdf.set_draw_color(11, 79, 138)
        pdf.set_line_width(2.5)
        pdf.rect(8, 8, width - 16, height - 16)
        pdf.set_line_width(0.6)
        pdf.rect(13, 13, width - 26, height - 26)

        pdf.set_text_color(27, 31, 36)
        pdf.set_font('DejaVuSerif', '', 12)
        pdf.set_xy(25, 22)
        pdf.multi_cell(width - 50, 6, organizer.party.name, align='C')

        pdf.set_text_color(11, 79, 138)
        pdf.set_font('DejaVuSerif', 'B', 34)
        pdf.set_xy(20, 45)
        pdf.cell(width - 40, 16, "СЕРТИФИКАТ", align='C')
        pdf.set_font('DejaVuSerif', '', 16)
        pdf.set_xy(20, 62)
        pdf.cell(width - 40, 8, "участника", align='C')

        pdf.set_text_color(27, 31, 36)
        pdf.set_font('DejaVuSerif', '', 13)
        pdf.set_xy(20, 80)
        pdf.cell(width - 40, 7, "подтверждает, что", align='C')
        pdf.set_font('DejaVuSerif', 'B', 24)
        pdf.set_xy(20, 90)
        pdf.multi_cell(width - 40, 11, registration.rec_name, align='C')
        y = pdf.get_y() + 4
        pdf.set_font('DejaVuSerif', '', 13)
        pdf.set_xy(20, y)
        pdf.cell(width - 40, 7, "принял(а) участие " + KIND_TEXT.get(
                event.kind, "в мероприятии"), align='C')
        pdf.set_font('DejaVuSerif', 'B', 16)
        pdf.set_xy(30, y + 10)
        pdf.multi_cell(width - 60, 8, f"«{event.name}»", align='C')
        pdf.set_font('DejaVuSerif', '', 12)
        pdf.set_xy(20, pdf.get_y() + 3)
        venue = event.venue_text
        pdf.multi_cell(width - 40, 6, ', '.join(p for p in [
                    dates_text(event), venue] if p), align='C')

        # Signature and number
        head = organizer.head.name if organizer.head else ''
        position = organizer.head_position or "Руководитель"
        pdf.set_font('DejaVuSerif', '', 11)
        pdf.set_xy(25, height - 45)
        pdf.cell(110, 6, position)
        pdf.set_xy(25, height - 38)
        pdf.cell(110, 6, "____________________  " + head)
        today = dt.date.today()
        pdf.set_xy(25, height - 30)
        pdf.set_font('DejaVuSerif', '', 9)
        number = f'{event.id}-{registration.id:06d}'
        pdf.cell(150, 5, f"Сертификат № {number} · выдан {date_text(today)}")

        token = ticket_token(registration)
        url = portal_url(f'/events/certificate/{token}')
        size = 30
        pdf.image(qr_png(url, scale=4), x=width - 25 - size,
            y=height - 25 - size - 4, w=size, h=size)
        pdf.set_font('DejaVuSerif', '', 7)
        pdf.set_xy(width - 25 - size - 15, height - 27)
        pdf.cell(size + 15, 4, "проверка подлинности", align='C')
    return bytes(pdf.output())


class CertificateReport(Report):
    "Certificate of Participation"
    __name__ = 'copp.event.certificate'

    @classmethod
    def execute(cls, ids, data):
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        Registration = pool.get('copp.event.registration')
        action_reports = ActionReport.search([
                ('report_name', '=', cls.__name__)])
        action = action_reports[0]
        cls.check_access(action, 'copp.event.registration', ids)
        registrations = Registration.browse(ids)
        content = certificate_pdf(registrations)
        if len(registrations) == 1:
            name = f'{action.name}-{registrations[0].rec_name}'
        else:
            name = action.name
        return ('pdf', content, False, name)
