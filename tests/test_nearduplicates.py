from __future__ import annotations

from crawler import nearduplicates as nd

TEXT = " ".join(f"Sentence {i} about cotton yarn exports from Xinjiang mills in year {2000 + i}."
                for i in range(30))


def test_identical_texts_have_identical_signatures() -> None:
    assert nd.signature(TEXT) == nd.signature(TEXT)
    assert nd.similarity(nd.signature(TEXT), nd.signature(TEXT)) == 1.0


def test_one_reworded_sentence_stays_similar_and_shares_a_band() -> None:
    reworded = TEXT.replace("Sentence 7 about cotton yarn", "A rewritten line on polyester")
    a, b = nd.signature(TEXT), nd.signature(reworded)
    assert nd.similarity(a, b) >= 0.7
    assert set(nd.band_keys(a)) & set(nd.band_keys(b))


def test_unrelated_texts_are_not_similar() -> None:
    other = " ".join(f"Footwear fair {i} in Guangzhou drew buyers from {i} countries."
                     for i in range(30))
    assert nd.similarity(nd.signature(TEXT), nd.signature(other)) < 0.2


def test_signature_is_stable_across_processes_and_packs() -> None:
    sig = nd.signature("short text")
    assert nd.unpack(nd.pack(sig)) == sig
    assert len(sig) == nd.BINS
