"""Every field of every component's Args dataclass says in one line what it is: a comment on the field
(on its line, or the line above it), or the class docstring naming the field in backticks. An Args class
is a component's whole contract, as terraform-aws-modules documents every input."""

from __future__ import annotations

import ast

from offline.stack_files import REPO_ROOT

COMPONENTS = REPO_ROOT / "components"


def undocumented_fields(source: str) -> list[str]:
    """`Class.field` for each field of an `...Args` class that carries no line of documentation."""
    lines = source.splitlines()
    missing = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.ClassDef) and node.name.endswith("Args")):
            continue
        docstring = ast.get_docstring(node) or ""
        for field in node.body:
            if not (isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)):
                continue
            name = field.target.id
            trailing = "#" in lines[field.end_lineno - 1].split(":", 1)[-1] or "#" in lines[field.lineno - 1]
            above = lines[field.lineno - 2].strip().startswith("#")
            if not (trailing or above or f"`{name}`" in docstring):
                missing.append(f"{node.name}.{name}")
    return missing


def test_every_component_args_field_is_documented() -> None:
    missing = {
        str(path.relative_to(REPO_ROOT)): found
        for path in sorted(COMPONENTS.rglob("*.py"))
        if (found := undocumented_fields(path.read_text()))
    }
    assert not missing, f"give each Args field a line of documentation: {missing}"


def test_the_reader_finds_an_undocumented_field_and_accepts_the_three_ways_of_documenting() -> None:
    source = (
        "from dataclasses import dataclass\n"
        "@dataclass\n"
        "class ThingArgs:\n"
        '    """Made of `listed`."""\n'
        "    listed: int\n"
        "    trailing: int  # says what it is\n"
        "    # says what it is\n"
        "    above: int\n"
        "    bare: int\n"
        "class Settings:\n"
        "    ignored: int\n"
    )
    assert undocumented_fields(source) == ["ThingArgs.bare"]
