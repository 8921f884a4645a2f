"""A site's page class sent to a worker by its declarations, not by its module's name.

A site module (``spiders/<site>.py``) holds everything known of the site: its rules, its page
class, and its spider, which subclasses Scrapy's. Pickled by name, the page class makes a worker
import that module, hence Scrapy and Twisted (about 25 MB a worker), to read pages that never use
them. Most site page classes only declare data (``TIMEZONE``, ``LANGUAGE``, ``SITE_NAMES``,
``BOILERPLATE_LINES``...) over a base class the worker has anyway
(``crawler.reader.page``): such a class
is pickled as its name, bases and declarations, and rebuilt in the worker. A class that defines
methods (a site's own field reader) is pickled by name as before: it reads the same, its worker
just imports the site module.
"""

from __future__ import annotations

import io
import pickle
import re
from datetime import tzinfo
from typing import Any

# Declarations a page class may hold to travel by value; anything else (functions, fields,
# descriptors) keeps it pickled by name.
PLAIN = (str, bytes, int, float, bool, type(None), tzinfo, re.Pattern)
# Attributes every class has, made again by ``type()``.
CLASS_MACHINERY = frozenset({"__module__", "__qualname__", "__doc__", "__dict__", "__weakref__"})


def dumps(value: Any, page_base: type) -> bytes:
    """``pickle.dumps(value)``, with each plain subclass of ``page_base`` in it by value."""
    buffer = io.BytesIO()
    _PagePickler(buffer, page_base).dump(value)
    return buffer.getvalue()


def declarations(cls: type) -> dict[str, Any] | None:
    """The class's own declarations when all are plain data, else None."""
    own = {name: value for name, value in vars(cls).items() if name not in CLASS_MACHINERY}
    return own if all(_plain(value) for value in own.values()) else None


def rebuild(name: str, qualname: str, module: str, doc: str | None, bases: tuple[type, ...],
            declared: dict[str, Any]) -> type:
    """The page class again, from what ``dumps`` sent."""
    cls = type(name, bases, {**declared, "__module__": module, "__doc__": doc})
    cls.__qualname__ = qualname
    return cls


def _plain(value: Any) -> bool:
    if isinstance(value, tuple | frozenset):
        return all(_plain(item) for item in value)
    return isinstance(value, PLAIN)


class _PagePickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, page_base: type) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.page_base = page_base

    def reducer_override(self, obj: Any) -> Any:
        if not (isinstance(obj, type) and issubclass(obj, self.page_base)
                and obj is not self.page_base):
            return NotImplemented  # everything else as pickle does it
        declared = declarations(obj)
        if declared is None:
            return NotImplemented
        return rebuild, (obj.__name__, obj.__qualname__, obj.__module__, obj.__doc__,
                         obj.__bases__, declared)
