from trytond.tools import grouped_slice


def sliced(records, size=1000):
    """Lists of at most `size` records (grouped_slice without a size is
    deprecated in trytond 8 and slices one by one)"""
    for part in grouped_slice(list(records), size):
        yield list(part)
