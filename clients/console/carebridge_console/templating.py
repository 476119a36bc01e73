"""The console's Jinja environment: `record.name` on the plain dicts the
gateway hands the templates, read as a key without first failing as an
attribute."""
from __future__ import annotations

from flask import Flask
from flask.templating import Environment

# What `getattr` finds on a plain dict: its methods and object's. Anything
# else can only be a key, which is where Jinja looks next.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class ConsoleEnvironment(Environment):
    def getattr(self, obj, attribute):
        # Jinja tries getattr first and reads the key after its
        # AttributeError: on a worklist of 50 rows that is thousands of
        # exceptions raised and caught per page. Same answer, without them.
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class ConsoleFlask(Flask):
    jinja_environment = ConsoleEnvironment
