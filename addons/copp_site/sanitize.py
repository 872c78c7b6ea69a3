"""The text of a news item as safe HTML for the public pages.

sao's rich text widget stores HTML; a specialist may also type plain text.
clean_html keeps an allow-list of tags (paragraphs, line breaks, emphasis,
lists, headings, quotes, links to http(s) and mailto) without any
attribute except a link's href, drops <script>, <style> and the like with
their content, and escapes everything else; text_html turns plain text into
paragraphs. Both return markupsafe.Markup for the templates."""
import html
import re
from html.parser import HTMLParser

from markupsafe import Markup, escape

ALLOWED = {'p', 'div', 'br', 'b', 'strong', 'i', 'em', 'u', 's', 'ul', 'ol',
    'li', 'h2', 'h3', 'h4', 'blockquote', 'a'}
VOID = {'br'}
# Their content is dropped too (not text for a reader).
DROPPED = {'script', 'style', 'iframe', 'object', 'embed', 'template',
    'noscript', 'svg', 'math', 'head', 'title', 'textarea', 'select'}
# h1 is the page's title: a heading of the text is at most h2.
RENAMED = {'h1': 'h2', 'h5': 'h4', 'h6': 'h4'}
SAFE_SCHEMES = ('http://', 'https://', 'mailto:')
TAG = re.compile(r'<\s*/?\s*[a-zA-Z][^>]*>')


class _Cleaner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.open = []
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        tag = RENAMED.get(tag, tag)
        if tag in DROPPED:
            self.dropping += 1
            return
        if self.dropping or tag not in ALLOWED:
            return
        if tag in VOID:
            self.out.append('<br>')
            return
        if tag == 'a':
            href = (dict(attrs).get('href') or '').strip()
            # No control characters or spaces hiding «javascript:».
            compact = re.sub(r'[\x00-\x20]+', '', href).lower()
            if not compact.startswith(SAFE_SCHEMES):
                self.open.append(None)
                return
            self.out.append('<a href="%s" rel="nofollow noopener">'
                % escape(href))
        else:
            self.out.append(f'<{tag}>')
        self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        tag = RENAMED.get(tag, tag)
        if not self.dropping and tag in VOID:
            self.out.append('<br>')

    def handle_endtag(self, tag):
        tag = RENAMED.get(tag, tag)
        if tag in DROPPED:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in ALLOWED or tag in VOID:
            return
        wanted = 'a' if tag == 'a' else tag
        # Close what is open down to the matching tag (never more).
        for index in range(len(self.open) - 1, -1, -1):
            name = self.open[index]
            if name == wanted or (wanted == 'a' and name is None):
                for closing in reversed(self.open[index:]):
                    if closing is not None:
                        self.out.append(f'</{closing}>')
                del self.open[index:]
                return

    def handle_data(self, data):
        if not self.dropping:
            self.out.append(str(escape(data)))

    def close(self):
        super().close()
        for closing in reversed(self.open):
            if closing is not None:
                self.out.append(f'</{closing}>')
        self.open = []
        return ''.join(self.out)


def clean_html(value):
    "Safe HTML of an HTML fragment"
    parser = _Cleaner()
    parser.feed(value or '')
    return Markup(parser.close())


def text_html(value):
    "Paragraphs of a plain text (blank lines), line breaks kept"
    paragraphs = [p.strip() for p in re.split(r'\n\s*\n',
            (value or '').replace('\r\n', '\n')) if p.strip()]
    return Markup(''.join('<p>%s</p>' % Markup('<br>').join(
                escape(line) for line in p.split('\n'))
            for p in paragraphs))


def body_html(value):
    "The text of a news item as HTML: its own HTML cleaned, or plain text"
    if value and TAG.search(value):
        return clean_html(value)
    return text_html(value)


def plain_text(value, limit=None):
    "The text without tags (summaries, open data)"
    text = html.unescape(TAG.sub(' ', value or ''))
    text = re.sub(r'\s+', ' ', text).strip()
    if limit and len(text) > limit:
        text = text[:limit - 1].rsplit(' ', 1)[0] + '…'
    return text
