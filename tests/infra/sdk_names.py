"""The engine (camelCase) property names of a resource type, read from its Pulumi SDK classes, and a
mapping that records which property paths a policy reads."""

from __future__ import annotations

import importlib
import typing
from typing import Any

import pulumi._types as pulumi_types

Path = tuple[str, ...]


def sdk_classes(resource_type: str) -> tuple[type, type]:
    """(resource class, its Args class) for "aws:s3/bucket:Bucket" or "pulumi:providers:aws"."""
    package, module_path, name = resource_type.split(":")
    if package == "pulumi" and module_path == "providers":
        sdk = importlib.import_module(f"pulumi_{name.replace('-', '_')}")
        return sdk.Provider, sdk.ProviderArgs
    module = module_path.split("/")[0]
    sdk = importlib.import_module(f"pulumi_{package}" if module == "index" else f"pulumi_{package}.{module}")
    return getattr(sdk, name), getattr(sdk, f"{name}Args")


def _fields(args_class: type) -> dict[str, Any]:
    """camelCase name -> declared type, for an Args or input type class."""
    names = pulumi_types.input_type_py_to_pulumi_names(args_class)
    types = pulumi_types.input_type_types(args_class)
    return {camel: types.get(camel, types.get(py)) for py, camel in names.items()}


def _input_class(annotation: Any) -> type | None:
    """The input type class inside Optional[Input[Sequence[...X...]]], if any."""
    if isinstance(annotation, type) and pulumi_types.is_input_type(annotation):
        return annotation
    for argument in typing.get_args(annotation):
        found = _input_class(argument)
        if found is not None:
            return found
    return None


def output_names(resource_class: type) -> set[str]:
    return {
        getattr(member.fget, "_pulumi_name", "")
        for member in vars(resource_class).values()
        if isinstance(member, property)
    }


def unknown_part(resource_type: str, path: Path) -> str | None:
    """The first segment of `path` the SDK does not know, or None when every one is an engine name."""
    resource_class, args_class = sdk_classes(resource_type)
    fields = _fields(args_class)
    if path[0] not in fields and path[0] not in output_names(resource_class):
        return path[0]
    current = _input_class(fields.get(path[0]))
    for segment in path[1:]:
        if current is None:  # a map or JSON value: its keys are data, not schema
            return None
        nested = _fields(current)
        if segment not in nested:
            return segment
        current = _input_class(nested[segment])
    return None


class Recorder(dict):  # type: ignore[type-arg]
    """A dict that logs every key read (with its path), wrapping what it hands out."""

    def __init__(self, data: dict[str, Any], path: Path, log: set[Path]) -> None:
        super().__init__(data)
        self._path, self._log = path, log

    def _wrap(self, key: str, value: Any) -> Any:
        path = (*self._path, key)
        if isinstance(value, dict):
            return Recorder(value, path, self._log)
        if isinstance(value, list):
            return [Recorder(v, path, self._log) if isinstance(v, dict) else v for v in value]
        return value

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self._log.add((*self._path, key))
        return self._wrap(key, super().__getitem__(key)) if super().__contains__(key) else default

    def __getitem__(self, key: str) -> Any:
        self._log.add((*self._path, key))
        return self._wrap(key, super().__getitem__(key))

    def __contains__(self, key: object) -> bool:
        self._log.add((*self._path, str(key)))
        return super().__contains__(key)
