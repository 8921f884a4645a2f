"""The language model mapped from the user's cache (crawler.reader.fields.langmodel): the packaged
loader's answers exactly, written once, safe when the cache can not be written; its features
counted for all bytes at once (crawler.reader.fields.langfeatures) as py3langid's walk counts
them."""

from __future__ import annotations

import gzip
import random
from pathlib import Path
from typing import Any

import pytest
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier, visit_counts

from crawler.cleaning import normalize_space
from crawler.reader.document import parse_html
from crawler.reader.fields import langmodel
from crawler.reader.fields.langfeatures import SuffixIdentifier
from crawler.reader.fields.langmodel import CACHE_FOLDER, cache_root, load_identifier

FIXTURES = Path(__file__).parent / "fixtures"

TEXTS = (
    "The mill is open and the looms are running again after the summer break. " * 4,
    "Die Spinnerei hat ihre Produktion im dritten Quartal deutlich erhöht, berichtet der Verband.",
    "La fábrica textil aumentó sus exportaciones de algodón a Europa durante el último año.",
    "纺织品服装出口稳中有升，订单回暖迹象明显，企业信心逐步恢复。",
    "Экспорт текстиля вырос на десять процентов за первое полугодие.",
    "Cotton 2024: 12 / 14 / 16",
    "",
)


@pytest.fixture(scope="module")
def packaged() -> Any:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


def test_mapped_model_answers_as_the_packaged_one(packaged: Any, cache: Path) -> None:
    mapped = load_identifier(cache)
    for text in TEXTS:
        assert mapped.classify(text) == packaged.classify(text)
        assert mapped.rank(text) == packaged.rank(text)


def page_texts() -> list[str]:
    """The shown text of every stored page, as the language field's samples cut it."""
    texts = []
    for path in sorted(FIXTURES.rglob("page.html*")):
        raw = path.read_bytes()
        html = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8", "replace")
        texts.append(normalize_space(parse_html(html).text_content())[:3000])
    return texts


def random_bytes(seed: int, count: int) -> list[bytes]:
    """Texts of random bytes, and of the bytes of random letters (deep trie nodes)."""
    rng = random.Random(seed)
    letters = "etaoin shrdlu cmfwyp,.ä é ß ñ 中文纺织 текст"
    return [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))) for _ in range(count)
            ] + ["".join(rng.choice(letters) for _ in range(300)).encode() for _ in range(count)]


def test_features_are_counted_as_the_walk_counts_them(cache: Path) -> None:
    mapped = load_identifier(cache)
    assert isinstance(mapped, SuffixIdentifier)
    samples = [mapped._encode(t) for t in (*TEXTS, *page_texts())] + random_bytes(7, 50)
    for sample in samples:
        walked = visit_counts(mapped.tk_nextmove, mapped._rowbase, mapped.tk_output, sample)
        assert list(mapped.visits(sample).items()) == list((walked or {}).items())


def test_page_texts_get_the_packaged_answers(packaged: Any, cache: Path) -> None:
    mapped = load_identifier(cache)
    for text in page_texts():
        assert mapped.classify(text) == packaged.classify(text)


def test_model_is_written_once_and_mapped_after(cache: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    load_identifier(cache)
    (folder,) = (cache / CACHE_FOLDER).iterdir()
    assert (folder / "ready").exists()
    assert not [p for p in folder.parent.iterdir() if p != folder]  # no staging left behind

    def unpack_again(*args: Any) -> None:
        raise AssertionError("the model was unpacked again")

    monkeypatch.setattr(langmodel, "_write_cache", unpack_again)
    assert load_identifier(cache).classify(TEXTS[0])[0] == "en"


def test_unwritable_cache_loads_the_packaged_model(tmp_path: Path, packaged: Any) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")  # the cache folder can not be made under a file
    identifier = load_identifier(blocked)
    assert identifier.classify(TEXTS[1]) == packaged.classify(TEXTS[1])
    assert not (blocked.parent / CACHE_FOLDER).exists()


def test_a_copy_another_process_finished_first_is_kept(cache: Path) -> None:
    load_identifier(cache)
    (folder,) = (cache / CACHE_FOLDER).iterdir()
    langmodel._write_cache(MODEL_DIR / MODEL_FILE, folder)  # loses the race: drops its own copy
    assert [p.name for p in (cache / CACHE_FOLDER).iterdir()] == [folder.name]
    assert load_identifier(cache).classify(TEXTS[2])[0] == "es"


def test_cache_root_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_root() == tmp_path
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_root() == Path.home() / ".cache"
