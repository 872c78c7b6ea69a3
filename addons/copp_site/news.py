"""News of the public site (copp.news): written by the ЦОПП's specialists
in the back office, shown on /news and on the home page once published.

The text is either plain text (paragraphs separated by blank lines) or the
HTML of sao's rich text widget; the public pages show it through
sanitize.clean_html (an allow-list of tags, links only to http(s)/mailto).
The optional picture is kept in the file store, limited in size and type
(PNG, JPEG, WebP recognised by their first bytes, not by the name)."""

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from copp_portal.portal import invalidate_public_pages

from .exceptions import NewsValidationError

IMAGE_MAX_BYTES = 2 * 1024 * 1024
SUMMARY_MAX = 400
# The most characters of the title and of the picture's description
TEXT_MAX = {'title': 200, 'image_alt': 250}
IMAGE_TYPES = {
    'image/png': b'\x89PNG\r\n\x1a\n',
    'image/jpeg': b'\xff\xd8\xff',
    }


def image_type(data):
    "The MIME type of a PNG, JPEG or WebP picture, else None"
    if not data:
        return None
    data = bytes(data[:16])
    for mime, magic in IMAGE_TYPES.items():
        if data.startswith(magic):
            return mime
    if data[:4] == b'RIFF' and data[8:12] == b'WEBP':
        return 'image/webp'
    return None


class News(ModelSQL, ModelView):
    "News Item"
    __name__ = 'copp.news'
    __string__ = "News Item"
    _rec_name = 'title'

    # The lengths are checked in validate_fields, not by `size`: sao would
    # make the input (size + 5) characters wide, past the screen.
    title = fields.Char("Title", required=True)
    date = fields.Date("Date", required=True)
    summary = fields.Text("Summary",
        help="One or two sentences shown in the lists and on the home "
        "page (up to 400 characters).")
    body = fields.Text("Text",
        help="Plain text (paragraphs separated by an empty line) or "
        "formatted text.")
    image = fields.Binary("Picture", filename='image_name',
        file_id='image_id')
    image_id = fields.Char("Picture ID", readonly=True)
    image_name = fields.Char("Picture File Name")
    image_alt = fields.Char("Picture Description",
        help="What the picture shows, for blind visitors (alt text).")
    published = fields.Boolean("Published",
        help="Published news are shown on the public site and to every "
        "user.")
    company = fields.Many2One('company.company', "Provider", required=True,
        ondelete='RESTRICT', help="The organization that publishes the news.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.add(Index(t,
                (t.published, Index.Equality(cardinality='low')),
                (t.date, Index.Range(order='DESC'))))

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_published(cls):
        return False

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def validate_fields(cls, news, field_names):
        super().validate_fields(news, field_names)
        for item in news:
            for name, most in TEXT_MAX.items():
                value = getattr(item, name)
                if ((field_names is None or name in field_names)
                        and value and len(value) > most):
                    raise NewsValidationError(gettext(
                            'copp_site.msg_news_text_long',
                            news=item.rec_name,
                            field=cls.fields_get([name])[name]['string'],
                            size=len(value), max=most))
            if field_names is None or 'summary' in field_names:
                if item.summary and len(item.summary) > SUMMARY_MAX:
                    raise NewsValidationError(gettext(
                            'copp_site.msg_news_summary_long',
                            news=item.rec_name, size=len(item.summary),
                            max=SUMMARY_MAX))
            if field_names is None or 'image' in field_names:
                item.check_image()

    def check_image(self):
        data = self.image
        if not data:
            return
        if len(data) > IMAGE_MAX_BYTES:
            raise NewsValidationError(gettext(
                    'copp_site.msg_news_image_size', news=self.rec_name,
                    size=round(len(data) / 1024 / 1024, 1),
                    max=IMAGE_MAX_BYTES // 1024 // 1024))
        if image_type(data) is None:
            raise NewsValidationError(gettext(
                    'copp_site.msg_news_image_type', news=self.rec_name,
                    name=self.image_name or ''))

    @classmethod
    def on_modification(cls, mode, news, field_names=None):
        super().on_modification(mode, news, field_names=field_names)
        invalidate_public_pages()

    @classmethod
    def public_domain(cls, date=None):
        "The news the public sees: published, not dated in the future"
        date = date or Pool().get('ir.date').today()
        return [('published', '=', True), ('date', '<=', date)]
