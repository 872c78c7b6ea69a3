"Pagination of the portal lists"
import urllib.parse


class Page:
    "One page of a search, with the links of the neighbouring pages"

    def __init__(self, items, number, size, total, args=None, path=''):
        self.items = items
        self.number = number
        self.size = size
        self.total = total
        self.args = dict(args or {})
        self.path = path

    @property
    def pages(self):
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.pages

    @property
    def first_index(self):
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last_index(self):
        return min(self.number * self.size, self.total)

    def url(self, number):
        args = {k: v for k, v in self.args.items()
            if v not in (None, '') and k != 'page'}
        if number > 1:
            args['page'] = number
        query = urllib.parse.urlencode(args)
        return self.path + ('?' + query if query else '')

    def window(self, around=2):
        "Page numbers to show, None for a gap: 1 … 4 5 [6] 7 8 … 20"
        pages = self.pages
        shown = {1, pages} | set(range(
                max(1, self.number - around),
                min(pages, self.number + around) + 1))
        result, previous = [], 0
        for number in sorted(shown):
            if number - previous > 1:
                result.append(None)
            result.append(number)
            previous = number
        return result

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


def page_number(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return max(1, min(number, 100000))
