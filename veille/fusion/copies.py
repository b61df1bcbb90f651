"""Near-copies: syndicated and lightly rewritten articles, found with MinHash LSH.

Each article's text is cut into word shingles (folded: case and accents aside)
and summarised by a MinHash signature (datasketch). The signature is split into
bands; two articles that share a band are candidates, and a candidate pair whose
estimated Jaccard similarity reaches the named threshold is a near-copy pair.
Copy groups are the connected components of those pairs, so they depend only on
the set of articles, never on the order they came in.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

import numpy as np

from veille.fusion.data import config, folded

_WORD = re.compile(r"\w+", re.UNICODE)


def _settings() -> dict:
    return config()["copies"]


def shingles(text: str, size: int | None = None) -> set[str]:
    """The set of `size`-word shingles of a text, case and accents aside.

    >>> sorted(shingles("Pékin et Moscou", 2))
    ['et moscou', 'pekin et']
    """
    size = size or int(_settings()["shingle_words"])
    words = _WORD.findall(folded(text))
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text's shingles (datasketch, fixed seed: stable across runs)."""
    from datasketch import MinHash

    m = MinHash(num_perm=int(_settings()["num_perm"]), seed=1)
    grams = shingles(text)
    if grams:
        m.update_batch([g.encode("utf-8") for g in sorted(grams)])
    return np.asarray(m.hashvalues, dtype=np.uint64)


def bands(sig: np.ndarray) -> list[tuple[int, int]]:
    """(band number, band hash) of a signature: the LSH buckets the article falls in."""
    rows = int(_settings()["band_rows"])
    out = []
    for b in range(len(sig) // rows):
        chunk = np.ascontiguousarray(sig[b * rows:(b + 1) * rows], dtype=np.uint64).tobytes()
        out.append((b, int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little")))
    return out


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(np.asarray(a) == np.asarray(b))) if len(a) else 0.0


def near_copies(a: str, b: str) -> bool:
    """True when two texts are near-copies (estimated Jaccard at or above the threshold).

    A dispatch reprinted with a new first sentence is a near-copy of the original;
    the same story told by another outlet in its own words is not.
    """
    return similarity(signature(a), signature(b)) >= float(_settings()["jaccard"])


@dataclass
class _Components:
    """Union-find over article ids; the initial components come from the database."""

    parent: dict[str, str] = field(default_factory=dict)

    def find(self, x: str) -> str:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while self.parent.get(x, x) != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def link(new: Mapping[str, np.ndarray], buckets: Mapping[tuple[int, int], Iterable[str]],
         old_group: Mapping[str, str], old_signature: Callable[[list[str]], dict]) -> list[tuple[set[str], set[str]]]:
    """The components the new articles form: (new article ids, stored copy groups they join).

    `new` maps each new article id to its signature; `buckets` maps every LSH
    bucket of a new article to the article ids (new and old) in it; `old_group`
    gives the stored copy group of each old article there; `old_signature(ids)`
    returns stored signatures, read once for every stored article that shares a bucket with a new one. A new article joins a
    component when it is a near-copy of any member sharing a bucket with it; each
    component is tried member by member until one matches, so the result is the
    connected components of the near-copy pairs whatever the order of arrival.
    """
    threshold = float(_settings()["jaccard"])
    uf = _Components()
    for aid, gid in old_group.items():
        uf.union(f"group:{gid}", aid)
    sigs: dict[str, np.ndarray] = dict(new)
    # the stored articles a new one shares a bucket with, read in one query
    wanted = {y for members in buckets.values() if len(set(members)) > 1 for y in members if y not in sigs}
    if wanted:
        sigs.update(old_signature(sorted(wanted)))

    def sig_of(aid: str) -> np.ndarray:
        if aid not in sigs:
            sigs.update(old_signature([aid]))
        return sigs[aid]

    for key in sorted(buckets):
        members = sorted(set(buckets[key]))
        if len(members) < 2:
            continue
        comps: dict[str, list[str]] = {}
        for y in members:
            comps.setdefault(uf.find(y), []).append(y)
        for x in members:
            if x not in new:
                continue
            for root, ys in list(comps.items()):
                if uf.find(root) == uf.find(x):
                    continue
                if any(similarity(sig_of(x), sig_of(y)) >= threshold for y in ys):
                    uf.union(x, root)
            merged: dict[str, list[str]] = {}
            for root, ys in comps.items():
                merged.setdefault(uf.find(root), []).extend(ys)
            comps = merged
    found: dict[str, tuple[set[str], set[str]]] = {}
    for aid in new:
        found.setdefault(uf.find(aid), (set(), set()))[0].add(aid)
    for aid, gid in old_group.items():
        root = uf.find(aid)
        if root in found:
            found[root][1].add(gid)
    return list(found.values())
