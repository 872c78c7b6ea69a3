"Progress bars of the `copp` command (tqdm, in Russian)"
import logging
import sys

from tqdm import tqdm


class LineBar(tqdm):
    """The bar for a log (stderr is not a terminal: CI, docker, a file): a
    whole line every half minute and at the end, not carriage returns"""

    def display(self, msg=None, pos=None):
        self.fp.write(self.format_meter(**self.format_dict) + '\n')
        self.fp.flush()
        return True


def bar(iterable=None, total=None, desc='', unit='шт.'):
    if sys.stderr.isatty():
        return tqdm(iterable, total=total, desc=desc, unit=unit,
            file=sys.stderr, dynamic_ncols=True, leave=True)
    return LineBar(iterable, total=total, desc=desc, unit=unit,
        file=sys.stderr, ncols=100, ascii=True, leave=True, mininterval=30,
        maxinterval=60)


class ModuleLoadProgress(logging.Handler):
    "Advances a bar each time trytond starts loading another module"

    def __init__(self, total, desc):
        super().__init__(logging.INFO)
        self.bar = bar(total=total, desc=desc, unit='мод.')
        self.seen = set()

    def emit(self, record):
        msg = record.msg
        if msg in {'%s load', '%s load %s'} and record.args:
            module = record.args[0]
            if module not in self.seen:
                self.seen.add(module)
                self.bar.set_postfix_str(module)
                self.bar.update(1)

    def __enter__(self):
        logger = logging.getLogger('trytond.modules')
        self._level = logger.level
        logger.setLevel(logging.INFO)
        logger.addHandler(self)
        return self

    def __exit__(self, *exc):
        logger = logging.getLogger('trytond.modules')
        logger.removeHandler(self)
        logger.setLevel(self._level)
        self.bar.close()
