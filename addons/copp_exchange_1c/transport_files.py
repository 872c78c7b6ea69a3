"""Message files as stock 1C exchanges them through a shared folder or FTP
(ExchangeMessageTransport.Module.bsl, ИмяФайлаСообщенияОбмена): the file of
a message from the node <sender> to <recipient> is
`Message_<sender>_<recipient>`, zipped (`.zip` holding `<name>.xml`) or not
(`.xml`). We write `Message_<our code>_<1C code>.zip` and read
`Message_<1C code>_<our code>.zip` (or `.xml`); each side overwrites its
own file with its next message, the numbering of the messages tells what
was received.

A file is written under a temporary name and renamed, so that 1C never
reads half of it."""
import ftplib
import io
import os
import posixpath
import uuid
from urllib.parse import unquote, urlsplit

from .client import ExchangeClientError
from .i18n import gettext_safe

EXTENSIONS = ('.zip', '.xml')


def message_name(sender, recipient):
    "Message_<sender>_<recipient> (without extension), as 1C names it"
    return f'Message_{sender}_{recipient}'


def _error(msg, /, **variables):
    return ExchangeClientError(
        gettext_safe(f'copp_exchange_1c.{msg}', **variables))


class FolderTransport:
    "A folder shared with 1C (its «Каталог обмена информацией»)"

    def __init__(self, folder):
        self.folder = folder

    def _path(self, name):
        return os.path.join(self.folder, name)

    def get(self, base):
        "(name, bytes) of the file base.zip or base.xml, else None"
        try:
            names = {n.lower(): n for n in os.listdir(self.folder)}
            for extension in EXTENSIONS:
                name = names.get((base + extension).lower())
                if name:
                    with open(self._path(name), 'rb') as file:
                        return name, file.read()
        except OSError as exc:
            raise _error('msg_transport_folder', folder=self.folder,
                error=exc.strerror or exc)
        return None

    def put(self, name, data):
        tmp = self._path(f'.{name}.{uuid.uuid4().hex}.tmp')
        try:
            with open(tmp, 'wb') as file:
                file.write(data)
            os.replace(tmp, self._path(name))
        except OSError as exc:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise _error('msg_transport_folder', folder=self.folder,
                error=exc.strerror or exc)


class FtpTransport:
    """An FTP folder: url ftp://host[:port]/path (1C's «Путь» and «Порт»),
    the peer's login and password, passive mode or not"""

    def __init__(self, url, login=None, password=None, passive=True,
            timeout=60):
        parts = urlsplit(url)
        if parts.scheme.lower() != 'ftp' or not parts.hostname:
            raise _error('msg_transport_ftp_url', url=url)
        self.url = url
        self.host = parts.hostname
        self.port = parts.port or 21
        self.path = unquote(parts.path or '/') or '/'
        self.login = login or parts.username or 'anonymous'
        self.password = password or parts.password or ''
        self.passive = passive
        self.timeout = timeout

    def _run(self, action):
        try:
            ftp = ftplib.FTP(timeout=self.timeout, encoding='utf-8')
            ftp.connect(self.host, self.port)
        except (OSError, ftplib.Error, EOFError) as exc:
            raise _error('msg_transport_ftp', url=self.url, error=exc)
        try:
            try:
                ftp.login(self.login, self.password)
            except ftplib.error_perm as exc:
                raise _error('msg_transport_ftp_login', url=self.url,
                    error=str(exc))
            ftp.set_pasv(self.passive)
            ftp.cwd(self.path)
            return action(ftp)
        except (OSError, ftplib.Error, EOFError) as exc:
            raise _error('msg_transport_ftp', url=self.url, error=exc)
        finally:
            try:
                ftp.quit()
            except (OSError, ftplib.Error, EOFError):
                ftp.close()

    def get(self, base):
        "(name, bytes) of the file base.zip or base.xml, else None"
        def action(ftp):
            names = {posixpath.basename(n).lower(): posixpath.basename(n)
                for n in ftp.nlst()}
            for extension in EXTENSIONS:
                name = names.get((base + extension).lower())
                if name:
                    buffer = io.BytesIO()
                    ftp.retrbinary(f'RETR {name}', buffer.write)
                    return name, buffer.getvalue()
            return None
        return self._run(action)

    def put(self, name, data):
        def action(ftp):
            tmp = f'.{name}.{uuid.uuid4().hex}.tmp'
            ftp.storbinary(f'STOR {tmp}', io.BytesIO(data))
            try:
                ftp.delete(name)
            except ftplib.error_perm:
                pass  # no previous file
            ftp.rename(tmp, name)
        self._run(action)


def transport_of(peer):
    "The file transport of a peer"
    if peer.transport == 'folder':
        return FolderTransport(peer.folder)
    return FtpTransport(peer.url, peer.login, peer.password,
        passive=peer.ftp_passive, timeout=peer.timeout or 60)
