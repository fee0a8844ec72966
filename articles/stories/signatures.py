"""What makes two texts versions of one story, in plain functions (no Django): word shingles,
MinHash signatures (datasketch), their LSH band keys, and the test that confirms a candidate.

A text is the set of its 5-word shingles (lower-case words, punctuation dropped), each hashed to
64 bits. Two texts are versions when, filed within VERSION_WINDOW of each other, their shingle
sets overlap by a Jaccard similarity of at least JACCARD_MIN, or the smaller is almost wholly
inside the larger (a first take later extended, a trimmed copy): CONTAINMENT_MIN of its shingles,
and it has at least CONTAINED_MIN_SHINGLES of them, so that a sentence shared by two stories
does not make them one. Why these values: docs/stories.md; what they give: docs/performance.md.

Finding candidates without comparing every pair is MinHash LSH: a signature of NUM_PERM minimum
hashes, cut into BANDS bands of ROWS values; two texts are candidates when any band is equal,
which happens with probability 1 - (1 - J^ROWS)^BANDS (0.95 at J = 0.3, 1.0 at J = 0.5), so
that contained copies (low Jaccard, high containment) are found too. Candidates are confirmed on
the exact shingle sets, never on the estimate alone.
"""
import operator
import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from datasketch import MinHash

SHINGLE_WORDS = 5
NUM_PERM = 64
BANDS, ROWS = 32, 2
SEED = 26  # the permutations: changing it (or the numbers above) needs every signature made again
JACCARD_MIN = 0.5
CONTAINMENT_MIN = 0.8
CONTAINED_MIN_SHINGLES = 25
# A candidate whose estimated Jaccard is below this is not worth reading its text for: a contained
# copy at CONTAINMENT_MIN of a text four times its size has J = 0.2.
ESTIMATE_MIN = 0.1
VERSION_WINDOW = timedelta(days=7)
# A version with at least this share of the longest version's shingles is "full" (not a trimmed copy).
FULL_SHARE = 0.8

WORD = re.compile(r"\w+")
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit multiplier (the golden ratio's bits)
_LOW32 = np.uint64(0xFFFFFFFF)
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED).permutations


def shingles(text: str) -> np.ndarray:
    """The sorted, distinct 64-bit hashes of the text's 5-word shingles (a text shorter than
    five words is one shingle; a text without words, none)."""
    words = WORD.findall(text.lower())
    hashes = np.fromiter((zlib.crc32(word.encode()) for word in words), dtype=np.uint64, count=len(words))
    if not len(hashes):
        return hashes
    count = max(len(hashes) - SHINGLE_WORDS + 1, 1)
    padded = np.concatenate([hashes, np.zeros(SHINGLE_WORDS, dtype=np.uint64)])
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):  # arithmetic modulo 2^64 is the point
        for offset in range(min(SHINGLE_WORDS, len(hashes))):
            combined = combined * _MIX + padded[offset:offset + count]
    return np.unique(combined)


def signature(shingle_hashes: np.ndarray) -> np.ndarray:
    """The MinHash signature (NUM_PERM uint32 values) of a shingle set."""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_PERMUTATIONS, scheme="affine32",
                      hashfunc=operator.index)
    folded = (shingle_hashes ^ (shingle_hashes >> np.uint64(32))) & _LOW32
    minhash.update_batch(folded.tolist())
    return minhash.hashvalues


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (its ROWS values and its position), as stored and looked up."""
    pairs = sig[: BANDS * ROWS].astype(np.uint64).reshape(BANDS, ROWS)
    keys = np.zeros(BANDS, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for row in range(ROWS):
            keys = keys * _MIX + pairs[:, row]
        keys ^= np.arange(BANDS, dtype=np.uint64) * _MIX
    return keys.view(np.int64).tolist()


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<u4")


def estimated_jaccard(first: np.ndarray, second: np.ndarray) -> float:
    return float(np.count_nonzero(first == second)) / len(first)


@dataclass(frozen=True)
class Resemblance:
    jaccard: float
    containment: float  # the share of the smaller set inside the larger
    smaller: int  # shingles in the smaller set

    @property
    def versions(self) -> bool:
        return self.jaccard >= JACCARD_MIN or (
            self.containment >= CONTAINMENT_MIN and self.smaller >= CONTAINED_MIN_SHINGLES)


def resemblance(first: np.ndarray, second: np.ndarray) -> Resemblance:
    """How two shingle sets (from `shingles`) overlap."""
    if not len(first) or not len(second):
        return Resemblance(0.0, 0.0, 0)
    shared = len(np.intersect1d(first, second, assume_unique=True))
    smaller = min(len(first), len(second))
    return Resemblance(shared / (len(first) + len(second) - shared), shared / smaller, smaller)


def within_window(first: datetime | None, second: datetime | None) -> bool:
    """Filed close enough in time to be versions (an undated text can be a version of any)."""
    return first is None or second is None or abs(first - second) <= VERSION_WINDOW


def canonical(versions: list[tuple[int, datetime | None, int]]) -> int | None:
    """The canonical version among (id, published, shingle count): the earliest full one, where
    full means at least FULL_SHARE of the longest version's shingles, so a trimmed copy filed first
    does not stand for the story; undated versions come after dated ones, then by id."""
    if not versions:
        return None
    longest = max(size for _, _, size in versions)
    full = [v for v in versions if v[2] >= FULL_SHARE * longest]
    return min(full, key=lambda v: (v[1] is None, v[1].timestamp() if v[1] else 0.0, v[0]))[0]
