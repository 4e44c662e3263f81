#!/usr/bin/env python3
"""Recomputes the Merkle tree and tree head test vectors of docs/audit-format.md.

Written from the RFC 9162 definitions (MTH, PATH, PROOF) with hashlib and `cryptography`,
independently of Baomi's C++ code, so the C++ unit tests that assert these outputs check the
implementation against the specification. Run: python3 tools/audit_vectors.py
"""
import hashlib
import struct

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def sha256(b):
    return hashlib.sha256(b).digest()


def leaf(entry_hash):          # RFC 9162 §2.1.1: leaf hash of the entry's 32-byte chain hash
    return sha256(b"\x00" + entry_hash)


def node(left, right):
    return sha256(b"\x01" + left + right)


def split(n):                  # largest power of two smaller than n
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d):
    if not d:
        return sha256(b"")
    if len(d) == 1:
        return leaf(d[0])
    k = split(len(d))
    return node(mth(d[:k]), mth(d[k:]))


def path(m, d):
    if len(d) <= 1:
        return []
    k = split(len(d))
    if m < k:
        return path(m, d[:k]) + [mth(d[k:])]
    return path(m - k, d[k:]) + [mth(d[:k])]


def subproof(m, d, whole):
    if m == len(d):
        return [] if whole else [mth(d)]
    k = split(len(d))
    if m <= k:
        return subproof(m, d[:k], whole) + [mth(d[k:])]
    return subproof(m - k, d[k:], False) + [mth(d[:k])]


def field(s):
    b = s.encode()
    return struct.pack(">I", len(b)) + b


def u64(v):
    return struct.pack(">Q", v & 0xFFFFFFFFFFFFFFFF)


def tree_head_message(size, root_hex, head_hex, time_us):
    return field("baomi-tree-head-v1") + u64(size) + field(root_hex) + field(head_hex) + u64(time_us)


def main():
    doc1 = bytes.fromhex("3c9d0e01c7007e7819c431281d186d1203f447327989031b12ab0bdb2aab1a3c")
    doc2 = bytes.fromhex("a6b1cd8cbd41991b2690d15c44918b0fe924d5350016d843575cb42437ccce50")
    print("empty root", sha256(b"").hex())
    print("leaf(entry 1)", leaf(doc1).hex())
    print("leaf(entry 2)", leaf(doc2).hex())
    print("root(entries 1-2)", mth([doc1, doc2]).hex())
    d = [bytes([i]) * 32 for i in range(8)]  # entry hashes 00…00, 01…01, …, 07…07
    for n in range(1, 9):
        print("root", n, mth(d[:n]).hex())
    for m, n in ((0, 1), (2, 7), (6, 7), (5, 8)):
        print("path", m, n, [h.hex() for h in path(m, d[:n])])
    for m, n in ((3, 7), (4, 8), (1, 8), (6, 8), (7, 7)):
        print("proof", m, n, [h.hex() for h in subproof(m, d[:n], True)] if m < n else [])
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    root7 = mth(d[:7]).hex()
    msg = tree_head_message(7, root7, (bytes([6]) * 32).hex(), 1700000000500000)
    print("tree head message", msg.hex())
    print("tree head signature", key.sign(msg).hex())


if __name__ == "__main__":
    main()
