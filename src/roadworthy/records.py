"""`NamedTuple` for every record class: typing's to the type checker, a cheaper maker at run time.

typing's `NamedTuple` checks each field's annotation, and with `from __future__ import
annotations` every annotation is a string that it compiles into a `ForwardRef`: about 150 µs a
class, 16 ms of a 140 ms diff-mode run over the hundred record classes such a run imports.
Nothing in roadworthy reads a record's annotations at run time, so this maker keeps them as the
strings they are and otherwise builds what typing builds: `collections.namedtuple` with the
class body's defaults, methods, properties and docstring, the same names refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    import collections

    # What a record's body may not define (typing refuses the same names).
    _REFUSED = frozenset(
        {
            "__new__",
            "__init__",
            "__slots__",
            "__getnewargs__",
            "_fields",
            "_field_defaults",
            "_make",
            "_replace",
            "_asdict",
            "_source",
        }
    )
    # Set by namedtuple itself, not copied from the body.
    _OWN = frozenset({"__module__", "__name__", "__annotations__"})

    class _RecordMeta(type):
        def __new__(mcs, typename, bases, namespace):
            if bases != (_Record,):
                raise TypeError(f"{typename}: a record's only base is NamedTuple")
            if "__annotations__" not in namespace:
                # Python 3.14 evaluates a module's annotations lazily unless it has `from
                # __future__ import annotations`; every module of roadworthy has it, and a
                # record read without it would silently have no fields.
                raise TypeError(
                    f"{typename}: a record's module needs `from __future__ import annotations`"
                )
            fields = list(namespace["__annotations__"])
            defaults = []
            for name in fields:
                if name in namespace:
                    defaults.append(namespace[name])
                elif defaults:
                    raise TypeError(
                        f"{typename}: field {name} without a default follows one with a default"
                    )
            made = collections.namedtuple(
                typename, fields, defaults=defaults, module=namespace["__module__"]
            )
            made.__annotations__ = dict(namespace["__annotations__"])
            for key, value in namespace.items():
                if key in _REFUSED:
                    raise AttributeError(f"{typename}: a record cannot define {key}")
                if key not in _OWN and key not in made._fields:
                    setattr(made, key, value)
            return made

    _Record = type.__new__(_RecordMeta, "NamedTuple", (), {})

    class _Maker:
        """`class X(NamedTuple)` names this object; its `__mro_entries__` hands the class
        statement the base whose metaclass makes the record."""

        def __mro_entries__(self, bases):
            return (_Record,)

    NamedTuple = _Maker()
