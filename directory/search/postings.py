"""Read a term's whole posting list block by block, for scoring every matching document.

Whoosh's matcher API yields one (docnum, value) pair at a time through several layers of
Python calls, and decodes each weight from its value: on broad terms that was most of a cold
query (bench/search_bench.py). The W3 codec stores postings in blocks of ids and weights;
reading those arrays whole is several times faster. Anything other than the W3 codec goes
through the public API instead.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence

from whoosh.codec.whoosh3 import W3LeafMatcher, W3TermsReader
from whoosh.reading import IndexReader, SegmentReader, TermNotFound

Postings = tuple[Sequence[int], Sequence[float]]  # docnums and weights, in docnum order


def _blocks(matcher: W3LeafMatcher) -> Iterator[Postings]:
    """Every block of a W3 posting list (whoosh-reloaded 2.7.5's private block state)."""
    while True:
        matcher._read_ids()  # noqa: SLF001 - block arrays have no public accessor
        matcher._read_weights()  # noqa: SLF001 - idem
        yield matcher._ids, matcher._weights  # noqa: SLF001 - idem
        if matcher._lastblock:  # noqa: SLF001 - idem
            return
        matcher._goto(matcher._nextoffset)  # noqa: SLF001 - idem


def _weights(weights: Sequence[float] | float | None, count: int) -> Sequence[float]:
    """Inlined postings store None when every weight is 1.0, or one float when all agree."""
    if weights is None:
        return [1.0] * count
    if isinstance(weights, float | int):
        return [float(weights)] * count
    return weights


def _segment_postings(segment: SegmentReader, field_name: str, text: str) -> Postings:
    terms = getattr(segment, "_terms", None)
    if not isinstance(terms, W3TermsReader):  # another codec: the public, slower way
        items = list(segment.postings(field_name, text).items_as("weight"))
        return [d for d, _ in items], [w for _, w in items]
    encoded = segment.schema[field_name].to_bytes(text)
    try:
        info = terms.term_info(field_name, encoded)
    except TermNotFound:
        return (), ()
    if info.is_inlined():
        ids, weights, _values = info.inlined_postings()
        return ids, _weights(weights, len(ids))
    matcher = terms.matcher(field_name, encoded, segment.schema[field_name].format)
    ids: array[int] = array("I")
    all_weights: list[float] = []
    for block_ids, block_weights in _blocks(matcher):
        ids.extend(block_ids)
        all_weights.extend(_weights(block_weights, len(block_ids)))
    return ids, all_weights


def postings(reader: IndexReader, field_name: str, text: str) -> Iterator[tuple[int, Postings]]:
    """(docnum offset, postings) of `text` in each segment, deleted documents included."""
    for segment, offset in reader.leaf_readers():
        if (field_name, text) in segment:
            yield offset, _segment_postings(segment, field_name, text)
