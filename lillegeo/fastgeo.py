"""Vectorised geometry helpers for large layers: a content digest (cache key) and queen contiguity.

Queen contiguity here is the vertex rule libpysal's ``Queen`` applies (two polygons are neighbours
when they share at least one vertex), computed with NumPy on all vertices at once: the 48,600
national IRIS (8 million vertices) take ~3 s instead of ~21 s. Tests compare the neighbours with
``libpysal.weights.Queen`` on the demo and on the real MEL contours.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import shapely
from scipy import sparse

__all__ = ["geometry_digest", "queen_adjacency"]


def geometry_digest(geoms) -> str:
    """A 128-bit digest of geometries' content (their WKB): equal layers give equal digests.

    >>> from shapely.geometry import box
    >>> geometry_digest([box(0, 0, 1, 1)]) == geometry_digest([box(0, 0, 1, 1)])
    True
    >>> geometry_digest([box(0, 0, 1, 1)]) == geometry_digest([box(0, 0, 1, 2)])
    False
    """
    h = hashlib.blake2b(digest_size=16)
    for w in shapely.to_wkb(np.asarray(geoms, dtype=object)):
        h.update(w or b"\0")
    return h.hexdigest()


def queen_adjacency(geoms) -> sparse.csr_matrix:
    """Binary symmetric adjacency (n x n) of polygons sharing at least one vertex.

    >>> from shapely.geometry import box
    >>> a = queen_adjacency([box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 1, 3, 2), box(5, 5, 6, 6)])
    >>> a.toarray().astype(int).tolist()
    [[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]]
    """
    arr = np.asarray(geoms, dtype=object)
    n = len(arr)
    coords, idx = shapely.get_coordinates(arr, return_index=True)
    # exact vertex identity: each (x, y) pair read as one complex number, hashed by pandas
    key = pd.factorize(np.ascontiguousarray(coords).view(np.complex128).ravel())[0]
    if len(key) == 0:
        return sparse.csr_matrix((n, n))
    shared = np.bincount(key)[key] > 1
    k, i = key[shared], idx[shared]
    order = np.argsort(k, kind="stable")
    k, i = k[order], i[order]
    rows, cols = [], []
    d = 1
    while d < len(k):
        same = k[d:] == k[:-d]  # members of one vertex group are consecutive after the sort
        if not same.any():
            break
        rows.append(i[:-d][same])
        cols.append(i[d:][same])
        d += 1
    if not rows:
        return sparse.csr_matrix((n, n))
    r, c = np.concatenate(rows), np.concatenate(cols)
    keep = r != c  # a ring's closing vertex repeats its first one
    a = sparse.coo_matrix((np.ones(int(keep.sum())), (r[keep], c[keep])), shape=(n, n)).tocsr()
    a = ((a + a.T) > 0).astype(np.float64)
    a.eliminate_zeros()
    return a
