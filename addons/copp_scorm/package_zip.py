"""Safe unpacking of an uploaded SCORM zip (pure Python, no database).

A package is an archive written by somebody else: it is checked entry by
entry BEFORE anything is written to disk, and again while it is written
(the sizes in the zip directory can lie):
- the zip itself, the sum of the uncompressed sizes and the number of
  entries are limited, and so is the compression ratio (a zip bomb packs
  gigabytes of zeros in a few kilobytes);
- names are relative paths inside the package: no absolute path, no drive,
  no `..`, no control character, no duplicate;
- only regular files and folders: a symbolic link, a device, a FIFO or a
  socket entry is refused (a link would let the server serve any file);
- encrypted entries are refused (they cannot be checked);
- imsmanifest.xml must be at the root.

Errors are PackageError(message id, **values): the model turns them into
the Russian messages of message.xml, naming the entry.
"""
import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from io import BytesIO

MANIFEST = 'imsmanifest.xml'
CHUNK = 64 * 1024
MB = 1024 * 1024
# Below this size an entry's ratio says nothing (a small text file of
# spaces compresses a thousand times and harms nobody)
RATIO_MIN_SIZE = MB
# The manifest is read in memory: a real one is a few hundred kilobytes
MAX_MANIFEST_SIZE = 5 * MB


class PackageError(Exception):
    "A refused package: `message` is an ir.message id of copp_scorm"

    def __init__(self, message, **values):
        super().__init__(message, values)
        self.message = message
        self.values = values


@dataclass
class Limits:
    max_zip_size: int = 200 * MB
    max_total_size: int = 1024 * MB
    max_files: int = 10000
    max_ratio: int = 100

    @classmethod
    def from_config(cls):
        "The limits of `[copp_scorm]` in trytond's configuration (in MB)"
        from trytond import config
        default = cls()

        def get(name, scale=1):
            value = config.get('copp_scorm', name, default=None)
            if not value:
                return getattr(default, name)
            return int(value) * scale
        return cls(
            max_zip_size=get('max_zip_size', MB),
            max_total_size=get('max_total_size', MB),
            max_files=get('max_files'),
            max_ratio=get('max_ratio'))


def entry_path(name):
    """The normalised relative path of a zip entry name, or PackageError.

    Backslashes are separators (archives made on Windows); empty and `.`
    parts are dropped; the result never starts with / and has no `..`."""
    if any(ord(c) < 0x20 or ord(c) == 0x7f for c in name):
        raise PackageError('msg_entry_bad_name', entry=repr(name))
    name = name.replace('\\', '/')
    if name.startswith('/') or (len(name) > 1 and name[1] == ':'):
        raise PackageError('msg_entry_absolute', entry=name)
    parts = []
    for part in name.split('/'):
        if part in ('', '.'):
            continue
        if part == '..':
            raise PackageError('msg_entry_traversal', entry=name)
        parts.append(part)
    return '/'.join(parts)


def entry_kind(info):
    "'file', 'dir', or the refused kind ('symlink', 'special')"
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        return 'symlink'
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        return 'special'
    if info.is_dir() or kind == stat.S_IFDIR:
        return 'dir'
    return 'file'


@dataclass
class Entry:
    info: zipfile.ZipInfo
    path: str
    is_dir: bool


def check_archive(data, limits=None):
    """Check the zip `data` (bytes) without writing anything; return
    (ZipFile, [Entry]) of its files and folders"""
    limits = limits or Limits()
    if len(data) > limits.max_zip_size:
        raise PackageError('msg_zip_too_large', size=mb(len(data)),
            limit=mb(limits.max_zip_size))
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError,
            ValueError, EOFError):
        raise PackageError('msg_zip_invalid')
    if len(infos) > limits.max_files:
        raise PackageError('msg_zip_too_many_files', count=len(infos),
            limit=limits.max_files)
    entries, seen, total, compressed = [], {}, 0, 0
    for info in infos:
        path = entry_path(info.filename)
        kind = entry_kind(info)
        if kind == 'symlink':
            raise PackageError('msg_entry_symlink', entry=info.filename)
        if kind == 'special':
            raise PackageError('msg_entry_special', entry=info.filename)
        if info.flag_bits & 0x1:
            raise PackageError('msg_entry_encrypted', entry=info.filename)
        if not path:
            continue
        is_dir = kind == 'dir'
        previous = seen.get(path.casefold())
        if previous is not None and not (is_dir and previous):
            # Two entries for one file (or one name in two cases, which
            # would collide on a case-insensitive disk)
            raise PackageError('msg_entry_duplicate', entry=info.filename)
        seen[path.casefold()] = is_dir
        if not is_dir:
            if info.file_size >= RATIO_MIN_SIZE and (
                    info.file_size > limits.max_ratio * max(
                        info.compress_size, 1)):
                raise PackageError('msg_entry_ratio', entry=info.filename,
                    ratio=info.file_size // max(info.compress_size, 1),
                    limit=limits.max_ratio)
            total += info.file_size
            compressed += info.compress_size
            if total > limits.max_total_size:
                raise PackageError('msg_zip_total_too_large',
                    entry=info.filename, limit=mb(limits.max_total_size))
        entries.append(Entry(info, path, is_dir))
    if total >= RATIO_MIN_SIZE and total > limits.max_ratio * max(
            compressed, 1):
        raise PackageError('msg_zip_ratio', ratio=total // max(compressed, 1),
            limit=limits.max_ratio)
    if not any(e.path == MANIFEST and not e.is_dir for e in entries):
        raise PackageError('msg_manifest_missing')
    return archive, entries


def read_entry(archive, entry, limit):
    "The content of a (small) entry, at most `limit` bytes"
    if entry.info.file_size > limit:
        raise PackageError('msg_entry_too_large', entry=entry.info.filename,
            limit=mb(limit))
    try:
        with archive.open(entry.info) as source:
            content = source.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError,
            NotImplementedError):
        raise PackageError('msg_entry_corrupt', entry=entry.info.filename)
    if len(content) > limit:
        raise PackageError('msg_entry_too_large', entry=entry.info.filename,
            limit=mb(limit))
    return content


def read_manifest(archive, entries):
    for entry in entries:
        if entry.path == MANIFEST and not entry.is_dir:
            return read_entry(archive, entry, MAX_MANIFEST_SIZE)
    raise PackageError('msg_manifest_missing')


def extract(archive, entries, target, limits=None):
    """Write the checked `entries` into the new folder `target` (it must
    not exist). Written through a temporary sibling folder renamed at the
    end: a refused package leaves nothing. Returns (size, file count)."""
    limits = limits or Limits()
    parent = os.path.dirname(os.path.abspath(target))
    os.makedirs(parent, mode=0o750, exist_ok=True)
    work = tempfile.mkdtemp(prefix='.unpack-', dir=parent)
    root = os.path.realpath(work)
    total = count = 0
    try:
        for entry in entries:
            destination = os.path.realpath(os.path.join(root,
                    *entry.path.split('/')))
            # Defence in depth: entry_path() already refused `..`
            if os.path.commonpath([root, destination]) != root:
                raise PackageError('msg_entry_traversal',
                    entry=entry.info.filename)
            if entry.is_dir:
                os.makedirs(destination, mode=0o750, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(destination), mode=0o750,
                exist_ok=True)
            written = 0
            try:
                with archive.open(entry.info) as source, \
                        open(destination, 'xb') as output:
                    while True:
                        chunk = source.read(CHUNK)
                        if not chunk:
                            break
                        written += len(chunk)
                        total += len(chunk)
                        # The sizes of the directory can lie
                        if written > entry.info.file_size or (
                                total > limits.max_total_size):
                            raise PackageError('msg_zip_total_too_large',
                                entry=entry.info.filename,
                                limit=mb(limits.max_total_size))
                        output.write(chunk)
            except (zipfile.BadZipFile, EOFError, RuntimeError,
                    NotImplementedError, zipfile.LargeZipFile):
                raise PackageError('msg_entry_corrupt',
                    entry=entry.info.filename)
            except FileExistsError:
                raise PackageError('msg_entry_duplicate',
                    entry=entry.info.filename)
            count += 1
        os.rename(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return total, count


def unpack(data, target, parse, limits=None):
    """Check the zip `data`, parse its manifest with `parse(manifest bytes,
    set of file paths)` (which raises PackageError when it is refused), then
    unpack into `target`; return (parse's result, size, file count)"""
    archive, entries = check_archive(data, limits)
    with archive:
        result = parse(read_manifest(archive, entries),
            {e.path for e in entries if not e.is_dir})
        size, count = extract(archive, entries, target, limits)
    return result, size, count


def mb(size):
    "A size in MB for the messages (one decimal)"
    return f'{size / MB:.1f}'.replace('.', ',')
