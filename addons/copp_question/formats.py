"""What the import formats share: the error an import raises and the
conversion of the texts of a file to the texts of the question bank.

The parsers are pure functions (bytes → question dicts of structure.py);
an error names the question (its title, else its number in the file) and
the line of the file, and the wizard translates it (gettext) before
anything is saved."""
from copp_site.sanitize import clean_html, plain_text, text_html

from . import structure


class FormatError(Exception):
    """A refused file: `message` is the name of an ir.message of
    copp_question (without `msg_`), `params` its parameters (always `line`
    and `question`)"""

    def __init__(self, message, line, question, **params):
        self.message = message
        self.params = dict(params, line=line, question=question)
        super().__init__(message, self.params)


def question_label(name, number):
    "The name of a question in an error: its title, else «№ n»"
    name = (name or '').strip()
    return name if name else f'№ {number}'


def html_value(text, fmt):
    """Safe HTML of a question's text in the format of the file: HTML is
    cleaned (copp_site's allow-list), anything else is plain text made
    into paragraphs"""
    text = text or ''
    if not text.strip():
        return ''
    if (fmt or 'html') == 'html':
        return str(clean_html(text)).strip()
    return str(text_html(text))


def plain_value(text, fmt):
    "An answer's text or feedback: plain text (HTML stripped)"
    text = text or ''
    if (fmt or '') == 'html':
        return plain_text(text)
    return text.strip()


def check(data, line, number):
    "Raise the FormatError of the first broken rule of a question dict"
    broken = structure.errors(data)
    if broken:
        message, params = broken
        raise FormatError(message, line,
            question_label(data.get('name'), number), **params)
