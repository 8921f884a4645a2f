"""py3langid's model, mapped from an uncompressed copy on disk instead of loaded into memory.

The packaged model (``py3langid/data/model.npz.xz``) unpacks into about 70 MB of arrays (the
naive Bayes table, float16, 100,053 features x 142 classes; the byte automaton, 9.8 million
uint32 entries), and loading it peaks 30 MB higher. A page's text touches only a few thousand
features and automaton rows, so every reading process (each pool worker, or the crawl itself
with the pool off) kept ~70 MB resident for a few MB it uses. Here the arrays are written once,
uncompressed, to the user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``, then
``textile-news-crawler/``) and memory-mapped read-only: only the pages text touches are
resident, they are the page cache's (shared by every process that maps them, given back under
memory pressure), and the answers are the packaged loader's bit for bit (the same arrays, the
same dtypes, py3langid's own scoring). The copy also holds each automaton state's depth, with
which the features are counted for all bytes of a text at once (``crawler.reader.fields.
langfeatures``). When the folder can not be written the model is loaded the packaged way.
"""

from __future__ import annotations

import logging
import mmap
import os
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

# The arrays py3langid's loader returns, in its order (py3langid.modelio.load_model).
ARRAYS = ("ptc", "pc", "classes", "nextmove", "row", "output")
CACHE_FOLDER = "textile-news-crawler"
# What the cached copy holds; a copy of another layout is left alone and a new one written.
CACHE_LAYOUT = "depth1"


def cache_root() -> Path:
    """The user's cache folder (XDG base directory spec)."""
    configured = os.environ.get("XDG_CACHE_HOME")
    return Path(configured) if configured else Path.home() / ".cache"


def load_identifier(root: Path | None = None) -> Any:
    """py3langid's ``LanguageIdentifier`` (probabilities normalised), its arrays mapped from
    the cache under ``root`` (default ``cache_root()``), written there first if missing."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    packaged = MODEL_DIR / MODEL_FILE
    folder = _model_folder(root or cache_root(), packaged)
    try:
        if not (folder / "ready").exists():
            _write_cache(packaged, folder)
        arrays = _mapped(folder)
    except (OSError, ValueError) as error:  # read-only home, full disk: load it as packaged
        logger.info("Language model not cached (%s): loaded into memory", error)
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ptc, pc, classes, nextmove, row, output, depth = arrays
    from crawler.reader.fields.langfeatures import SuffixIdentifier

    return SuffixIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row,
                            depth=depth)


def _model_folder(root: Path, packaged: Path) -> Path:
    """One folder per py3langid version and model file: an upgrade writes a new copy."""
    stat = packaged.stat()
    return (root / CACHE_FOLDER
            / f"py3langid-{version('py3langid')}-{stat.st_size}-{CACHE_LAYOUT}")


def _write_cache(packaged: Path, folder: Path) -> None:
    """Unpack the model into a fresh folder beside ``folder``, then rename it into place, so
    processes starting together never see half a copy (the loser of the race drops its own)."""
    from py3langid.modelio import load_model

    from crawler.reader.fields.langfeatures import node_depths

    ptc, pc, classes, nextmove, row, output = load_model(packaged)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    try:
        np.save(staging / "ptc.npy", np.asarray(ptc))
        np.save(staging / "pc.npy", np.asarray(pc))
        np.save(staging / "classes.npy", np.array(classes))
        np.save(staging / "nextmove.npy", np.frombuffer(nextmove, dtype=_dtype(nextmove)))
        np.save(staging / "row.npy", np.frombuffer(row, dtype=_dtype(row)))
        np.save(staging / "output.npy", np.asarray(output, dtype=np.int32))
        np.save(staging / "depth.npy", node_depths(nextmove, row))
        (staging / "ready").touch()
        staging.rename(folder)
    except OSError:
        if not (folder / "ready").exists():
            raise
        # another process renamed its copy first: use that one
    finally:
        if staging.exists():
            for path in staging.iterdir():
                path.unlink()
            staging.rmdir()


def _dtype(values: Any) -> np.dtype[Any]:
    """The numpy dtype of a stdlib ``array`` ('H', 'I', 'L')."""
    return np.dtype(f"u{values.itemsize}")


def _mapped(folder: Path) -> tuple[Any, ...]:
    """The arrays as py3langid uses them: the table mapped (numpy indexes it by feature), the
    automaton and its outputs as mapped memoryviews (indexed one byte of text at a time, which
    a memoryview answers with plain ints as fast as the stdlib array the loader gives)."""
    ptc = _map_npy(folder / "ptc.npy")
    pc = np.load(folder / "pc.npy")
    classes = np.load(folder / "classes.npy").tolist()
    nextmove, row, output = (_map_npy(folder / f"{name}.npy").data
                             for name in ("nextmove", "row", "output"))
    return ptc, pc, classes, nextmove, row, output, np.load(folder / "depth.npy")


def _map_npy(path: Path) -> np.ndarray[Any, Any]:
    """A read-only array over the ``.npy`` file's mapping, told the kernel it is read at random:
    no read-ahead, no neighbouring pages mapped on a fault, so a process holds the pages it
    reads (a feature's row is 284 bytes; one text reads a few thousand scattered rows)."""
    with path.open("rb") as file:
        major, minor = np.lib.format.read_magic(file)
        shape, fortran, dtype = (np.lib.format.read_array_header_1_0(file) if major == 1
                                 else np.lib.format.read_array_header_2_0(file))
        offset = file.tell()
        mapping = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    if hasattr(mmap, "MADV_RANDOM"):  # Linux, macOS; elsewhere the default read-ahead
        mapping.madvise(mmap.MADV_RANDOM)
    count = int(np.prod(shape))
    array = np.frombuffer(mapping, dtype=dtype, count=count, offset=offset)
    return array.reshape(shape, order="F" if fortran else "C")
