"Static files of the portals (CSS, scripts, images) and the bare error page"
import mimetypes
from pathlib import Path

from werkzeug.security import safe_join
from werkzeug.utils import send_file

from trytond.protocols.wrappers import Response
from trytond.wsgi import app

from .templating import module_folders, render_template


# The Russian error pages served without the database (the server's own
# errors: a foreign Origin, a too large request, an unknown address…).
BARE_MESSAGES = {
    400: ("Неверный запрос",
        "Запрос не может быть обработан. Проверьте адрес и данные формы."),
    403: ("Доступ запрещён",
        "Запрос отклонён: он отправлен с другого сайта или у вас нет прав."),
    404: ("Страница не найдена", "Такой страницы нет. Проверьте адрес."),
    405: ("Действие недоступно",
        "Этот адрес не принимает такой запрос."),
    413: ("Слишком большой запрос",
        "Объём отправленных данных превышает допустимый."),
    415: ("Неподдерживаемый формат запроса",
        "Сервер не принимает данные в таком формате."),
    429: ("Слишком много запросов",
        "Подождите немного и повторите попытку."),
    500: ("Внутренняя ошибка",
        "Что-то пошло не так. Мы уже знаем об ошибке."),
    503: ("Портал временно недоступен",
        "Идут технические работы. Попробуйте зайти позже."),
    }


def _bare_error(code):
    "An error page rendered without the database (it is not reachable)"
    title, text = BARE_MESSAGES.get(code, BARE_MESSAGES[
            400 if 400 <= code < 500 else 500])
    try:
        html = render_template('error_bare.html', code=code, title=title,
            message=text)
    except Exception:
        html = f'<!doctype html><title>{title}</title><h1>{title}</h1>'
    return Response(html, status=code,
        content_type='text/html; charset=utf-8')


@app.route('/portal-static/<path:filename>', methods=['GET'])
def portal_static(request, filename):
    "CSS, scripts and images of the portals, from the modules' static/"
    for folder in module_folders('static'):
        path = safe_join(str(folder), filename)
        if path and Path(path).is_file():
            mimetype = mimetypes.guess_type(path)[0] or (
                'application/octet-stream')
            response = send_file(path, request.environ, mimetype=mimetype,
                max_age=3600, conditional=True)
            response.headers['X-Content-Type-Options'] = 'nosniff'
            return response
    return Response('Not Found', status=404, content_type='text/plain')
