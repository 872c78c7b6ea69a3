"""A cohort of copp_training is what the catalogue shows of a programme's
enrolment: any change refreshes the cached public pages and catalogue
lists (catalogue.public_cache)."""
from trytond.pool import PoolMeta

from .catalogue import clear_public_pages


class Cohort(metaclass=PoolMeta):
    __name__ = 'copp.training.cohort'

    @classmethod
    def on_modification(cls, mode, cohorts, field_names=None):
        super().on_modification(mode, cohorts, field_names=field_names)
        clear_public_pages()
