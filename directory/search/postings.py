"""Read Whoosh segments in bulk: a term's posting lists by blocks, a field's lengths whole.

Whoosh's matcher API yields one (docnum, value) pair at a time through several layers of
Python calls, and decodes each weight from its value: on broad terms that was most of a cold
query (bench/search_bench.py). The W3 codec stores postings in blocks of ids and weights;
reading those arrays whole is several times faster. Anything other than the W3 codec goes
through the public API instead.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, W3TermsReader
from whoosh.reading import IndexReader, SegmentReader, TermNotFound
from whoosh.util.numeric import byte_to_length

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
        inlined_ids, weights, _values = info.inlined_postings()
        return inlined_ids, _weights(weights, len(inlined_ids))
    matcher = terms.matcher(field_name, encoded, segment.schema[field_name].format)
    ids: array[int] = array("I")
    all_weights: list[float] = []
    for block_ids, block_weights in _blocks(matcher):
        ids.extend(block_ids)
        all_weights.extend(_weights(block_weights, len(block_ids)))
    return ids, all_weights


def segment_postings(segment: IndexReader, field_name: str, text: str) -> Postings:
    """Postings of `text` in one segment, deleted documents included."""
    if (field_name, text) not in segment:
        return (), ()
    return _segment_postings(segment, field_name, text)


def postings(reader: IndexReader, field_name: str, text: str) -> Iterator[tuple[int, Postings]]:
    """(docnum offset, postings) of `text` in each segment, deleted documents included."""
    for segment, offset in reader.leaf_readers():
        if (field_name, text) in segment:
            yield offset, _segment_postings(segment, field_name, text)


_LENGTHS = [0] + [byte_to_length(byte) for byte in range(1, 256)]  # stored as one byte


def _segment_lengths(segment: SegmentReader, field_name: str) -> list[int]:
    perdoc = getattr(segment, "_perdoc", None)
    count = segment.doc_count_all()
    if not isinstance(perdoc, W3PerDocReader):  # another codec: the public, slower way
        return [segment.doc_field_length(d, field_name, 0) or 0 for d in range(count)]
    column = perdoc._cached_reader(f"_{field_name}_len", LENGTHS_COLUMN)  # noqa: SLF001 - idem
    if column is None:
        return [0] * count
    stored = column._dbfile.get(column._basepos, column._count)  # noqa: SLF001 - idem
    return [_LENGTHS[byte] for byte in stored] + [0] * (count - len(stored))


def field_lengths(reader: IndexReader, field_name: str) -> list[int]:
    """The length of `field_name` in every document (as Whoosh stores it: one byte each)."""
    lengths: list[int] = []
    for segment, _offset in reader.leaf_readers():
        lengths += _segment_lengths(segment, field_name)
    return lengths


def deleted_documents(reader: IndexReader) -> frozenset[int]:
    """Deleted documents of every segment."""
    found: set[int] = set()
    for segment, offset in reader.leaf_readers():
        if segment.has_deletions():
            found.update(docnum + offset for docnum in segment.deleted_docs_set)
    return frozenset(found)
