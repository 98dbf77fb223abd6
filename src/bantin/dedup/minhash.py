"""MinHash signatures and LSH band keys for near-duplicate detection. Pure.

Shingles are runs of ``SHINGLE`` syllables (not words: word segmentation is ~140× slower and buys nothing
here) of the text in its comparison form — NFC, lower case, one tone-mark style, punctuation as a separator,
diacritics kept. Hashing is vectorised over a batch of texts with numpy: one pass over the code points gives
every syllable's polynomial hash (prefix sums modulo 2^64), syllable hashes are mixed (splitmix64) and combined
into shingle hashes. The MinHash step itself is rensa's ``digest_matrix_from_flat_token_hashes`` (Rust), which
takes the flat array of shingle hashes as it is.

Signatures are stored with ``SCHEME`` beside them; a signature made under another scheme (another shingle
size, permutation count, seed, or a rensa release that changed its algorithm) is never compared with a new
one — the dedup step recomputes it from the stored text.

LSH: ``BANDS`` bands of ``ROWS`` rows. Each band of a signature becomes one 63-bit key (band number mixed in);
articles sharing any key are candidates, and a candidate pair is a near-duplicate when the share of equal
signature positions (the Jaccard estimate) reaches the threshold (0.8 by default). With 16 × 8 a pair at
Jaccard 0.8 is a candidate with probability 0.95, at 0.9 with 0.9999, at 0.5 with 0.06.
"""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Sequence

import numpy as np

from bantin.clean.fold import _IS_ALNUM, _canonical_codes

SHINGLE = 3
NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SEED = 20240516
SHINGLE_VERSION = "sh-1"
DEFAULT_THRESHOLD = 0.8

_U = np.uint64


def _rensa():
    try:
        import rensa
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise ImportError("near-duplicate detection needs rensa: pip install 'rensa>=0.5'") from e
    return rensa


def scheme() -> str:
    """The hashing scheme's version, stored beside every signature."""
    r = _rensa()
    algo = getattr(r.RMinHash, "ALGORITHM_VERSION", "?")
    return f"{SHINGLE_VERSION}/k{SHINGLE}/p{NUM_PERM}/s{SEED}/rensa-a{algo}"


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, in place on a uint64 array."""
    x ^= x >> _U(30)
    x *= _U(0xBF58476D1CE4E5B9)
    x ^= x >> _U(27)
    x *= _U(0x94D049BB133111EB)
    x ^= x >> _U(31)
    return x


def _inverse(a: int) -> int:
    """Multiplicative inverse of an odd number modulo 2^64 (Newton's iteration)."""
    x = a
    for _ in range(6):
        x = (x * (2 - a * x)) % (1 << 64)
    return x


_P = 0x100000001B3
_P_INV = _inverse(_P)
_POW: np.ndarray = np.ones(1, dtype=np.uint64)
_IPOW: np.ndarray = np.ones(1, dtype=np.uint64)


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    global _POW, _IPOW
    if len(_POW) < n:
        size = 1 << max(16, (n - 1).bit_length())

        def table(p: int) -> np.ndarray:
            out = np.empty(size, dtype=np.uint64)
            out[0] = 1
            out[1:] = p
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                np.cumprod(out, out=out)
            return out

        _POW, _IPOW = table(_P), table(_P_INV)
    return _POW[:n], _IPOW[:n]


def _lower_table() -> np.ndarray:
    t = np.arange(0x10000, dtype=np.uint32)
    for cp in range(0x10000):
        lo = chr(cp).lower()
        if len(lo) == 1:
            t[cp] = ord(lo)
    return t


_LOWER = _lower_table()


def shingle_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Flat uint64 shingle hashes of every text and the row offsets (``len(texts) + 1``) into them.

    A text with fewer than ``SHINGLE`` syllables gets one shingle (all its syllables); one without any
    letter or digit gets none.
    """
    n_docs = len(texts)
    if n_docs == 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.uint64)
    joined = "\x00".join(t if unicodedata.is_normalized("NFC", t) else unicodedata.normalize("NFC", t)
                         for t in texts)
    c = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    if len(c) and int(c.max()) < 0x10000:  # the usual case: no clipped copies for the tables, nothing to exclude
        c = _canonical_codes(_LOWER.take(c), bmp=True)  # take: faster than c[...]
        alnum = _IS_ALNUM.take(c)  # the separator (0) is no letter or digit
    else:
        bmp = c < 0x10000
        c = np.where(bmp, _LOWER.take(np.where(bmp, c, 0xFFFF)), c)
        c = _canonical_codes(c)
        alnum = _IS_ALNUM.take(np.minimum(c, 0xFFFF)) & bmp
        alnum[c == 0] = False
    n = len(c)
    padded = np.zeros(n + 2, dtype=bool)
    padded[1:-1] = alnum
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    starts, ends = edges[0::2], edges[1::2]
    seps = np.flatnonzero(c == 0)
    tdoc = np.searchsorted(seps, starts)  # document of each syllable
    pw, ipw = _powers(n + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(c.astype(np.uint64) * pw[:n], out=prefix[1:])
        tok = (prefix[ends] - prefix[starts]) * ipw[starts]
        tok += (ends - starts).astype(np.uint64) * _U(0x9E3779B97F4A7C15)
        tok = _mix(tok)
        ntok = np.bincount(tdoc, minlength=n_docs)
        k = SHINGLE
        if len(tok) >= k:
            sh = tok[: len(tok) - k + 1].copy()
            for j, mult in zip(range(1, k), (0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5)):
                sh = sh * _U(mult) + tok[j: len(tok) - k + 1 + j]
            sh = _mix(sh)
            same = tdoc[: len(tok) - k + 1] == tdoc[k - 1:]
            sh, sdoc = sh[same], tdoc[: len(tok) - k + 1][same]
        else:
            sh, sdoc = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
        short = np.flatnonzero((ntok > 0) & (ntok < k))
        if len(short):  # one shingle for each text shorter than a shingle: the sum of its mixed syllables
            tstart = np.concatenate([[0], np.cumsum(ntok)])
            extra = np.array([_mix(np.array([tok[tstart[d]:tstart[d + 1]].sum(dtype=np.uint64)]))[0]
                              for d in short], dtype=np.uint64)
            sh = np.concatenate([sh, extra])
            sdoc = np.concatenate([sdoc, short])
            order = np.argsort(sdoc, kind="stable")
            sh, sdoc = sh[order], sdoc[order]
    counts = np.bincount(sdoc, minlength=n_docs)
    offsets = np.zeros(n_docs + 1, dtype=np.uint64)
    np.cumsum(counts, out=offsets[1:])
    return sh, offsets


EMPTY = np.uint32(0xFFFFFFFF)


def signatures(texts: Sequence[str]) -> np.ndarray:
    """(len(texts), NUM_PERM) uint32 MinHash signatures. A text without shingles gets all ``EMPTY``."""
    if not texts:
        return np.zeros((0, NUM_PERM), dtype=np.uint32)
    sh, off = shingle_hashes(texts)
    m = _rensa().RMinHash.digest_matrix_from_flat_token_hashes(sh, off, NUM_PERM, SEED)
    rows = m.to_rows()
    return np.array(rows, dtype=np.uint32).reshape(len(rows), NUM_PERM)


def is_empty(sig: np.ndarray) -> bool:
    return bool((sig == EMPTY).all())


def bands_for(threshold: float) -> int:
    """Number of bands for a threshold: the default 16 × 8 for 0.8; more, shorter bands for lower thresholds,
    so pairs at the threshold stay candidates with high probability."""
    for b in (8, 16, 32, 64):
        r = NUM_PERM // b
        if 1 - (1 - threshold ** r) ** b >= 0.94:
            return b
    return 128


def band_keys(sigs: np.ndarray, bands: int = BANDS) -> np.ndarray:
    """(n, bands) int64 LSH keys: each band's values and the band's number (and count) hashed together."""
    rows = NUM_PERM // bands
    s = np.ascontiguousarray(sigs, dtype=np.uint32)[:, : bands * rows].reshape(len(sigs), bands, rows)
    s = s.astype(np.uint64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        h = np.broadcast_to((np.arange(1, bands + 1, dtype=np.uint64) + _U(bands << 16)) * _U(0x9E3779B97F4A7C15),
                            (len(sigs), bands)).copy()
        for r in range(rows):
            h = _mix(h ^ (s[:, :, r] + _U(0x632BE59BD9B4E019) * _U(r + 1)))
    return (h >> _U(1)).astype(np.int64)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard estimate: the share of equal positions of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def to_blob(sig: np.ndarray) -> bytes:
    return np.ascontiguousarray(sig, dtype="<u4").tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4")
