#!/usr/bin/env python3
"""Verifies a Baomi evidence bundle offline, written from docs/audit-format.md alone.
Usage: verify_bundle.py BUNDLE.tar AUDIT.pub   (exit 0 and a summary, or 1 and the first problem)
Needs only Python 3 and `cryptography` (Debian: python3-cryptography).
"""
import hashlib, json, re, struct, sys  # noqa: E401
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

class Bad(Exception): pass  # noqa: E701 (the first problem found)

def field(b):  # u32 big-endian length, then the bytes
    return struct.pack(">I", len(b)) + b

def hexof(v, n):  # strict lowercase hex of n bytes
    if not isinstance(v, str) or not re.fullmatch("[0-9a-f]{%d}" % (2 * n), v):
        raise ValueError
    return v

def header(name, size):  # the canonical ustar header of one file
    h = bytearray(512)
    h[0:len(name)] = name
    h[100:108], h[108:116], h[116:124] = b"0000644\0", b"0000000\0", b"0000000\0"
    h[124:136], h[136:148] = b"%011o\0" % size, b"00000000000\0"
    h[148:156], h[156], h[257:265] = b" " * 8, ord("0"), b"ustar\x0000"
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)

def untar(data):
    files, at = {}, 0
    while True:
        if len(data) - at < 1024:
            raise Bad("the archive is truncated")
        block = data[at:at + 512]
        if block == bytes(512):
            break
        name = block[:100].split(b"\0")[0]
        size = int(block[124:135], 8)  # ValueError: not octal
        if block != header(name, size):
            raise Bad("archive header %d is not in canonical form" % (len(files) + 1))
        pad = -size % 512
        body = data[at + 512:at + 512 + size + pad]
        if len(body) != size + pad:
            raise Bad("the archive is truncated inside %s" % name.decode())
        if body[size:] != bytes(pad):
            raise Bad("the padding after %s is not zero" % name.decode())
        if name.decode() in files:
            raise Bad("duplicate file %s in the bundle" % name.decode())
        files[name.decode()] = body[:size]
        at += 512 + size + pad
    if data[at:] != bytes(1024):
        raise Bad("bytes after the end of the archive")
    return files

def tree_head_message(th):
    return (field(b"baomi-tree-head-v1") + struct.pack(">Q", th["tree_size"]) + field(th["root_hash"].encode())
            + field(th["head"].encode()) + struct.pack(">Q", th["time_us"] & 0xFFFFFFFFFFFFFFFF))

def decode_entry(data):  # raw(prev_hash) || canonical_bytes(e) -> its seq, None if malformed
    at, parts = 32, []
    for width in (4, 8, 8, 4, 4, 4, 4, 4, 4, 4):
        if len(data) < at + width:
            return None
        n = int.from_bytes(data[at:at + width], "big")
        parts.append(n if width == 8 else data[at + 4:at + 4 + n])
        at += 8 if width == 8 else 4 + n
    return parts[1] if at == len(data) and parts[0] == b"baomi-audit-v1" else None

def included(index, size, leaf, path, root):  # RFC 9162 §2.1.3.2; the caller checked index < size
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = hashlib.sha256(b"\x01" + p + r).digest()
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = hashlib.sha256(b"\x01" + r + p).digest()
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root

def verify(data, pub):
    key, files = Ed25519PublicKey.from_public_bytes(pub), untar(data)
    for n in ("tree-head.json", "signature.json", "manifest.json"):
        if n not in files: raise Bad(n + " is missing")  # noqa: E701
    try:
        th = json.loads(files["tree-head.json"])
        th_size, th_root, th_head = th["tree_size"], hexof(th["root_hash"], 32), hexof(th["head"], 32)
        th_sig = bytes.fromhex(hexof(th["signature"], 64))
        assert type(th_size) is int and type(th["time_us"]) is int and 0 <= th_size < 2**64
    except (ValueError, KeyError, TypeError, AssertionError):
        raise Bad("tree-head.json malformed")
    try:
        key.verify(th_sig, tree_head_message(th))
    except InvalidSignature:
        raise Bad("tree head signature invalid")
    try:
        sig = json.loads(files["signature.json"])
        fp, sig_bytes = hexof(sig["public_key_fingerprint"], 32), bytes.fromhex(hexof(sig["signature"], 64))
    except (ValueError, KeyError, TypeError):
        raise Bad("signature.json malformed")
    if fp != hashlib.sha256(pub).hexdigest():
        raise Bad("bundle names signing key %s, not the supplied key" % fp)
    try:
        key.verify(sig_bytes, field(b"baomi-evidence-v1") + field(files["manifest.json"]) + tree_head_message(th))
    except InvalidSignature:
        raise Bad("manifest signature invalid")
    try:
        manifest = json.loads(files["manifest.json"])
        seqs = manifest["audit_seqs"]
        assert manifest["format"] == "baomi-evidence-v1" and isinstance(seqs, list)
        assert all(type(s) is int and s > 0 for s in seqs) and seqs == sorted(set(seqs))
    except (ValueError, KeyError, TypeError, AssertionError):
        raise Bad("manifest.json malformed")
    if [s for s in seqs if s > th_size]: raise Bad("entry %d: beyond the tree head (size %d)" % (min(s for s in seqs if s > th_size), th_size))  # noqa: E701,E501
    extra = set(files) - {"manifest.json", "tree-head.json", "signature.json"} - {"entries/%d.bin" % s for s in seqs} - {"proofs/%d.json" % s for s in seqs}
    if extra: raise Bad("unexpected file %s in the bundle" % min(extra))  # noqa: E701
    for s in seqs:
        if "entries/%d.bin" % s not in files:
            raise Bad("entry %d: missing from the bundle" % s)
        entry, got = files["entries/%d.bin" % s], decode_entry(files["entries/%d.bin" % s])
        if got != s:
            raise Bad("entry %d: malformed" % s if got is None else "entry %d: the file holds entry %d" % (s, got))
        if "proofs/%d.json" % s not in files: raise Bad("proof for entry %d: missing" % s)  # noqa: E701
        try:
            p = json.loads(files["proofs/%d.json" % s])
            path = [bytes.fromhex(hexof(h, 32)) for h in p["audit_path"]]
            assert (p["seq"], p["leaf_index"], p["tree_size"]) == (s, s - 1, th_size) and len(path) <= 64
        except (ValueError, KeyError, TypeError, AssertionError):
            raise Bad("proof for entry %d malformed" % s)
        h = hashlib.blake2b(entry, digest_size=32).digest()
        if not included(s - 1, th_size, hashlib.sha256(b"\x00" + h).digest(), path, bytes.fromhex(th_root)):
            raise Bad("entry %d: not included in the tree head (size %d)" % (s, th_size))
        if s == th_size and h.hex() != th_head:
            raise Bad("entry %d: not the chain head that the tree head names" % s)
    return "ok: %d audit entries proven in the signed tree head of %d entries (root %s)" % (len(seqs), th_size, th_root)

def main():
    if len(sys.argv) != 3: sys.exit(__doc__)  # noqa: E701
    try:  # a key or bundle that cannot even be decoded is a problem too
        pub = bytes.fromhex(open(sys.argv[2]).read().strip())
        print(verify(open(sys.argv[1], "rb").read(), pub))
    except (Bad, ValueError, UnicodeDecodeError) as e:
        print("FAILED: %s" % (e if isinstance(e, Bad) else "malformed bundle or key (%s)" % e))
        sys.exit(1)

if __name__ == "__main__":
    main()
