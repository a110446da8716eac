"""Reading an evaluation's YAML input file into a pydantic model, with errors that name the
file and the line or key."""

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)


def load_model(path: Path, model: type[Model], error: type[Exception]) -> Model:
    """``path`` parsed as YAML and validated as ``model``. Any problem raises ``error`` with a
    message naming the file and the line (bad YAML) or the first bad key."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as problem:
        raise error(f"{path}: cannot be read ({problem.strerror})") from None
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "somewhere"
        raise error(f"{path}: {where}: not valid YAML") from None
    try:
        return model.model_validate(data)
    except ValidationError as problem:
        first = problem.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise error(f"{path}: key '{key}': {first['msg']}") from None
