"""Declared fields of a page object (as web-poet's ``@field`` and Fundus's ``@attribute``).

Each field is a small pure function of the page, optionally paired with a generic ``fallback``
used when the page's own reading gives nothing (or nothing ``accept`` takes). The record is built
from the declared fields, and which fields fell back is derived from how each was resolved: no
field function keeps a list as a side effect. A site module overrides a field by declaring it
again under the same name. No Scrapy here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache, partial
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")
Reader = Callable[[Any], T]
# A fallback is a function of the page, or the name of a page method (a site may override it).
Fallback = Reader[Any] | str


def is_empty(value: Any) -> bool:
    """None, '' and empty lists are "nothing read"; 0 and False are values."""
    return value is None or value == "" or value == []


class Field(Generic[T]):
    """One declared field: ``page.<name>()`` gives its value (computed once per page)."""

    def __init__(self, read: Reader[T], fallback: Fallback | None = None,
                 accept: Callable[[Any, T], bool] | None = None, name: str | None = None) -> None:
        self.read = read
        self.fallback = fallback
        self.accept = accept
        self.attr = read.__name__
        self.name = name or read.__name__  # the record's key
        self.__doc__ = read.__doc__

    def __set_name__(self, owner: type, attr: str) -> None:
        self.attr = attr

    @overload
    def __get__(self, page: None, owner: type) -> Field[T]: ...
    @overload
    def __get__(self, page: object, owner: type) -> Callable[[], T]: ...
    def __get__(self, page: object | None, owner: type) -> Field[T] | Callable[[], T]:
        if page is None:
            return self
        return partial(self.value, page)

    def value(self, page: Any) -> T:
        return self.resolve(page)[0]

    def resolve(self, page: Any) -> tuple[T, bool]:
        """The field's value and whether the generic fallback gave it; cached on the page."""
        cache: dict[str, tuple[Any, bool]] = page.__dict__.setdefault("_resolved_fields", {})
        if self.attr not in cache:
            cache[self.attr] = self._compute(page)
        return cache[self.attr]

    def _compute(self, page: Any) -> tuple[T, bool]:
        own = self.read(page)
        good = self.accept(page, own) if self.accept is not None else not is_empty(own)
        if good or self.fallback is None:
            return own, False
        generic = getattr(page, self.fallback)() if isinstance(self.fallback, str) else (
            self.fallback(page))
        return (own, False) if is_empty(generic) else (generic, True)


@overload
def field(read: Reader[T], /) -> Field[T]: ...
@overload
def field(*, fallback: Fallback | None = ..., accept: Callable[[Any, Any], bool] | None = ...,
          name: str | None = ...) -> Callable[[Reader[T]], Field[T]]: ...
def field(read: Reader[T] | None = None, /, *, fallback: Fallback | None = None,
          accept: Callable[[Any, Any], bool] | None = None, name: str | None = None
          ) -> Field[T] | Callable[[Reader[T]], Field[T]]:
    """Declare a page method a record field: ``@field`` or ``@field(fallback=..., name=...)``."""
    def declare(fn: Reader[T]) -> Field[T]:
        return Field(fn, fallback=fallback, accept=accept, name=name)
    return declare(read) if read is not None else declare


def declared_fields(cls: type) -> Iterator[Field[Any]]:
    """The fields of a page class in declaration order, base classes first; a field declared
    again in a subclass keeps its place and uses the subclass's functions."""
    return iter(_declared_fields(cls))


# Page classes whose fields are remembered (a run reads a few: one per site, and the generic).
PAGE_CLASSES_REMEMBERED = 256


@lru_cache(maxsize=PAGE_CLASSES_REMEMBERED)
def _declared_fields(cls: type) -> tuple[Field[Any], ...]:
    """``declared_fields``, found once per class (its whole MRO's attributes are looked at)."""
    return tuple(_find_fields(cls))


def _find_fields(cls: type) -> Iterator[Field[Any]]:
    order: dict[str, Field[Any]] = {}
    for klass in reversed(cls.__mro__):
        for attr, value in vars(klass).items():
            if isinstance(value, Field):
                order.setdefault(attr, value)
    for attr, first in order.items():
        value = getattr(cls, attr)
        # a plain method overriding a declared field is that field, without a fallback
        yield value if isinstance(value, Field) else Field(value, name=first.name)


def build_record(page: Any) -> dict[str, Any]:
    """Every declared field of ``page`` by its record name, and the sorted names of the fields
    the generic fallback gave (``fallback_fields``)."""
    record: dict[str, Any] = {}
    fell_back: list[str] = []
    for declared in declared_fields(type(page)):
        value, generic = declared.resolve(page)
        record[declared.name] = value
        if generic:
            fell_back.append(declared.name)
    record["fallback_fields"] = sorted(fell_back)
    return record
