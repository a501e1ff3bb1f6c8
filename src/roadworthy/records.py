"""`NamedTuple` for every record class: typing's to the type checker, a cheaper maker at run time.

A hook imports a hundred record classes, and making them was a tenth of its run. typing's
`NamedTuple` checks each field's annotation, and with `from __future__ import annotations` every
annotation is a string that it compiles into a `ForwardRef` (about 150 µs a class); under it,
`collections.namedtuple` compiles a `__new__` from source for every class (about 35 µs).
Nothing in roadworthy reads a record's annotations at run time, so they stay the strings they
are; and `__new__` is one compiled function per number of fields, its parameters renamed to the
class's fields (a code object's names are data: `CodeType.replace`), with the class's defaults.
The class is what typing makes otherwise: a tuple with the fields as properties, `_make`,
`_replace`, `_asdict`, the repr, the body's methods, properties and docstring, the same names
refused. `tests/test_records.py` holds the two to the same behaviour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    import functools
    import types
    from operator import itemgetter

    try:
        from _collections import _tuplegetter  # what namedtuple's fields are (C)
    except ImportError:  # (another interpreter)

        def _tuplegetter(index, doc):
            return property(itemgetter(index), doc=doc)

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
    # Made here, not copied from the body.
    _OWN = frozenset({"__module__", "__name__", "__annotations__"})
    _NEW_CODE: dict[int, types.CodeType] = {}  # number of fields → a compiled __new__

    def _new(typename, fields, defaults):
        code = _NEW_CODE.get(len(fields))
        if code is None:
            # The one source compiled per number of fields; only its names change per class.
            names = "".join(f"_{i}, " for i in range(len(fields)))
            made = eval(f"lambda _cls, {names}: _tuple_new(_cls, ({names}))", {})
            code = _NEW_CODE[len(fields)] = made.__code__
        code = code.replace(co_varnames=("_cls", *fields), co_name="__new__")
        new = types.FunctionType(
            code, {"_tuple_new": tuple.__new__, "__builtins__": {}}, "__new__", defaults or None
        )
        new.__qualname__ = f"{typename}.__new__"
        return new

    @classmethod
    def _make(cls, iterable):
        result = tuple.__new__(cls, iterable)
        if len(result) != len(cls._fields):
            raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")
        return result

    def _replace(self, /, **changes):
        result = self._make(map(changes.pop, self._fields, self))
        if changes:
            raise ValueError(f"Got unexpected field names: {list(changes)!r}")
        return result

    def _repr(self):
        shown = ", ".join(
            f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True)
        )
        return f"{type(self).__name__}({shown})"

    def _asdict(self):
        return dict(zip(self._fields, self, strict=True))

    def _getnewargs(self):
        return tuple(self)

    @functools.cache
    def _alias(index):
        return f"Alias for field number {index}"

    def _tuple_class(typename, fields, defaults, module):
        fields = tuple(fields)
        for name in fields:
            if name.startswith("_"):
                raise ValueError(f"{typename}: a field name cannot start with '_': {name}")
        namespace = {
            "__doc__": f"{typename}({', '.join(fields)})",
            "__slots__": (),
            "_fields": fields,
            "_field_defaults": dict(
                zip(fields[len(fields) - len(defaults) :], defaults, strict=True)
            ),
            "__new__": _new(typename, fields, tuple(defaults)),
            "_make": _make,
            "_replace": _replace,
            "__repr__": _repr,
            "_asdict": _asdict,
            "__getnewargs__": _getnewargs,
            "__match_args__": fields,
        }
        for index, name in enumerate(fields):
            namespace[name] = _tuplegetter(index, _alias(index))
        made = type(typename, (tuple,), namespace)
        made.__module__ = module
        return made

    class _RecordMeta(type):
        def __new__(mcs, typename, bases, namespace):
            if bases != (_Record,):
                raise TypeError(f"{typename}: a record's only base is NamedTuple")
            if "__annotations__" not in namespace:
                # Python 3.14 evaluates a module's annotations lazily unless it has `from
                # __future__ import annotations`; every module of roadworthy has it, and a
                # record read without it would silently have no fields.
                needed = "from __future__ import annotations"
                raise TypeError(f"{typename}: a record's module needs `{needed}`")
            fields = list(namespace["__annotations__"])
            defaults = []
            for name in fields:
                if name in namespace:
                    defaults.append(namespace[name])
                elif defaults:
                    raise TypeError(
                        f"{typename}: field {name} without a default follows one with a default"
                    )
            made = _tuple_class(typename, fields, defaults, namespace["__module__"])
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
