"""Writing an evaluation's output files: all of them or none."""

from pathlib import Path


def write_all_or_none(out: Path, contents: dict[str, bytes]) -> list[Path]:
    """Write each ``name: bytes`` of ``contents`` into ``out``. Every file is written beside its
    target first and renamed only when all are written, so a failure leaves what was there
    before. Returns the paths written, in ``contents`` order."""
    partial = {name: out / f".{name}.partial" for name in contents}
    try:
        for name, data in contents.items():
            partial[name].write_bytes(data)
    except BaseException:
        for path in partial.values():
            path.unlink(missing_ok=True)
        raise
    for name in contents:
        partial[name].replace(out / name)
    return [out / name for name in contents]
