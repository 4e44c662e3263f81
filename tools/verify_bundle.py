#!/usr/bin/env python3
"""Verifies a Baomi evidence bundle offline, written from docs/audit-format.md alone.
Usage: verify_bundle.py BUNDLE.tar AUDIT.pub [KEPT-TREE-HEAD.json]   (exit 0 and a summary, or 1
and the first problem; with a tree-head.json kept from an earlier bundle, also proves the trail
only grew since). Needs only Python 3 and `cryptography` (Debian: python3-cryptography).
"""
import hashlib, json, re, struct, sys  # noqa: E401
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

class Bad(Exception): pass  # noqa: E701 (the first problem found)
field = lambda b: struct.pack(">I", len(b)) + b  # noqa: E731 (u32 big-endian length, then the bytes)

def hexof(v, n):  # strict lowercase hex of n bytes
    if not isinstance(v, str) or not re.fullmatch("[0-9a-f]{%d}" % (2 * n), v): raise ValueError  # noqa: E701
    return v
def signed(key, sig, message, problem):
    try: key.verify(sig, message)  # noqa: E701
    except InvalidSignature: raise Bad(problem)  # noqa: E701
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
        if len(data) - at < 1024: raise Bad("the archive is truncated")  # noqa: E701
        block = data[at:at + 512]
        if block == bytes(512): break  # noqa: E701
        name = block[:100].split(b"\0")[0]
        size = int(block[124:135], 8)  # ValueError: not octal
        if block != header(name, size): raise Bad("archive header %d is not in canonical form" % (len(files) + 1))  # noqa: E701,E501
        pad, name = -size % 512, name.decode()
        body = data[at + 512:at + 512 + size + pad]
        if len(body) != size + pad: raise Bad("the archive is truncated inside %s" % name)  # noqa: E701
        if body[size:] != bytes(pad): raise Bad("the padding after %s is not zero" % name)  # noqa: E701
        if name in files: raise Bad("duplicate file %s in the bundle" % name)  # noqa: E701
        files[name] = body[:size]
        at += 512 + size + pad
    if data[at:] != bytes(1024): raise Bad("bytes after the end of the archive")  # noqa: E701
    return files
def tree_head(data, what):  # a well-formed tree-head.json
    try:
        th = json.loads(data)
        hexof(th["root_hash"], 32), hexof(th["head"], 32), hexof(th["signature"], 64)
        assert type(th["tree_size"]) is int and type(th["time_us"]) is int and 0 <= th["tree_size"] < 2**64
        return th
    except (ValueError, KeyError, TypeError, AssertionError):
        raise Bad(what + " malformed")
def tree_head_message(th):
    return (field(b"baomi-tree-head-v1") + struct.pack(">Q", th["tree_size"]) + field(th["root_hash"].encode())
            + field(th["head"].encode()) + struct.pack(">Q", th["time_us"] & 0xFFFFFFFFFFFFFFFF))
def decode_entry(data):  # raw(prev_hash) || canonical_bytes(e) -> its seq, None if malformed
    at, parts = 32, []
    for width in (4, 8, 8, 4, 4, 4, 4, 4, 4, 4):
        if len(data) < at + width: return None  # noqa: E701
        n = int.from_bytes(data[at:at + width], "big")
        parts.append(n if width == 8 else data[at + 4:at + 4 + n])
        at += 8 if width == 8 else 4 + n
    return parts[1] if at == len(data) and parts[0] == b"baomi-audit-v1" else None
H = lambda a, b: hashlib.sha256(b"\x01" + a + b).digest()  # noqa: E731 (an RFC 9162 node hash)
def walk(fn, sn, fr, sr, path):  # the loop shared by RFC 9162 §2.1.3.2 (sr) and §2.1.4.2 (fr, sr)
    for c in path:
        if sn == 0: return None  # noqa: E701
        if fn & 1 or fn == sn:
            fr, sr = H(c, fr), H(c, sr)
            while not fn & 1 and fn != 0: fn, sn = fn >> 1, sn >> 1  # noqa: E701
        else:
            sr = H(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return (fr, sr) if sn == 0 else None
def consistent(m, n, proof, root_m, root_n):  # RFC 9162 §2.1.4.2, 0 < m < n
    proof = [root_m] + proof if m & (m - 1) == 0 else proof
    fn, sn = m - 1, n - 1
    while fn & 1: fn, sn = fn >> 1, sn >> 1  # noqa: E701
    return bool(proof) and walk(fn, sn, proof[0], proof[0], proof[1:]) == (root_m, root_n)
def check_kept(epochs, kept, th, proof):  # the bundle's trail is an append-only extension of `kept`
    k = tree_head(kept, "the kept tree head is")
    signed(key_at(epochs, k["tree_size"]), bytes.fromhex(k["signature"]), tree_head_message(k), "the kept tree head's signature is invalid (altered, or not signed by the audit key in force at its size)")  # noqa: E501
    m, n, since = k["tree_size"], th["tree_size"], "?since_tree_size=%d" % k["tree_size"]
    if m > n: raise Bad("the kept tree head (size %d) is newer than the bundle's (size %d): download the bundle with %s" % (m, n, since))  # noqa: E701,E501
    if m == n and k["root_hash"] != th["root_hash"]: raise Bad("FORKED TRAIL: the kept tree head and the bundle's both cover %d entries but their roots differ; the trail was rewritten" % n)  # noqa: E701,E501
    if m < n and (proof or {}).get("from_tree_size") != m: raise Bad("the bundle carries no consistency proof from tree size %d: download it with %s" % (m, since))  # noqa: E701,E501
    if m < n and not consistent(m, n, [bytes.fromhex(h) for h in proof["proof"]], bytes.fromhex(k["root_hash"]), bytes.fromhex(th["root_hash"])):  # noqa: E501
        raise Bad("FORKED TRAIL: the bundle's trail (size %d) is not an append-only extension of the kept tree head (size %d, root %s); the consistency proof fails" % (n, m, k["root_hash"]))  # noqa: E501
    return "; the trail only grew since the kept tree head of %d entries" % m
def follow(pub, files, th_size):  # key-transitions.json: the chain of keys from the supplied one
    epochs = [(0, pub)]
    if "key-transitions.json" not in files: return epochs  # noqa: E701
    try:
        ts = json.loads(files["key-transitions.json"])["transitions"]
        assert isinstance(ts, list) and 0 < len(ts) <= 4096
        ts = [(t["seq"], hexof(t["prev_hash"], 32), hexof(t["old_public_key"], 32), hexof(t["new_public_key"], 32), bytes.fromhex(hexof(t["signature"], 64)), bytes.fromhex(hexof(t["new_signature"], 64))) for t in ts]  # noqa: E501
        assert all(type(t[0]) is int and t[0] > 0 for t in ts)
    except (ValueError, KeyError, TypeError, AssertionError):
        raise Bad("key-transitions.json malformed")
    for seq, prev, old, new, sig, new_sig in ts:
        where = "key transition at seq %d" % seq
        if seq > th_size: raise Bad(where + " is beyond the tree head (size %d)" % th_size)  # noqa: E701
        if seq <= epochs[-1][0]: raise Bad(where + " does not come after the previous one (replayed or reordered transition)")  # noqa: E701,E501
        if old != epochs[-1][1].hex(): raise Bad(where + " hands over from a key that is not the audit key in force: forged transition")  # noqa: E701,E501
        msg = field(b"baomi-key-transition-v1") + struct.pack(">Q", seq) + field(prev.encode()) + field(old.encode()) + field(new.encode())  # noqa: E501
        signed(Ed25519PublicKey.from_public_bytes(epochs[-1][1]), sig, msg, where + " is not signed by the audit key in force: forged or altered transition")  # noqa: E501
        signed(Ed25519PublicKey.from_public_bytes(bytes.fromhex(new)), new_sig, msg, where + " is not countersigned by the new key it names: forged or altered transition")  # noqa: E501
        epochs.append((seq, bytes.fromhex(new)))
    return epochs
def key_at(epochs, size):  # the key in force for a tree head of `size`
    return Ed25519PublicKey.from_public_bytes([k for s, k in epochs if s <= size][-1])
def verify(data, pub, kept=None):
    files = untar(data)
    for n in ("tree-head.json", "signature.json", "manifest.json"):
        if n not in files: raise Bad(n + " is missing")  # noqa: E701
    th = tree_head(files["tree-head.json"], "tree-head.json")
    th_size, th_root = th["tree_size"], th["root_hash"]
    epochs = follow(pub, files, th_size)
    key, signer = key_at(epochs, th_size), epochs[-1][1]
    signed(key, bytes.fromhex(th["signature"]), tree_head_message(th), "tree head signature invalid")
    try:
        sig = json.loads(files["signature.json"])
        fp, sig_bytes = hexof(sig["public_key_fingerprint"], 32), bytes.fromhex(hexof(sig["signature"], 64))
    except (ValueError, KeyError, TypeError):
        raise Bad("signature.json malformed")
    if fp != hashlib.sha256(signer).hexdigest(): raise Bad("bundle names signing key %s, not the key in force" % fp)  # noqa: E701,E501
    signed(key, sig_bytes, field(b"baomi-evidence-v1") + field(files["manifest.json"]) + tree_head_message(th), "manifest signature invalid")  # noqa: E501
    try:
        manifest = json.loads(files["manifest.json"])
        seqs = manifest["audit_seqs"]
        assert manifest["format"] == "baomi-evidence-v1" and isinstance(seqs, list)
        assert all(type(s) is int and s > 0 for s in seqs) and seqs == sorted(set(seqs))
    except (ValueError, KeyError, TypeError, AssertionError):
        raise Bad("manifest.json malformed")
    if [s for s in seqs if s > th_size]: raise Bad("entry %d: beyond the tree head (size %d)" % (min(s for s in seqs if s > th_size), th_size))  # noqa: E701,E501
    extra = set(files) - {"manifest.json", "tree-head.json", "signature.json", "consistency.json", "key-transitions.json"} - {"entries/%d.bin" % s for s in seqs} - {"proofs/%d.json" % s for s in seqs}  # noqa: E501
    if extra: raise Bad("unexpected file %s in the bundle" % min(extra))  # noqa: E701
    for s in seqs:
        if "entries/%d.bin" % s not in files: raise Bad("entry %d: missing from the bundle" % s)  # noqa: E701
        entry, got = files["entries/%d.bin" % s], decode_entry(files["entries/%d.bin" % s])
        if got != s: raise Bad("entry %d: malformed" % s if got is None else "entry %d: the file holds entry %d" % (s, got))  # noqa: E701,E501
        if "proofs/%d.json" % s not in files: raise Bad("proof for entry %d: missing" % s)  # noqa: E701
        try:
            p = json.loads(files["proofs/%d.json" % s])
            path = [bytes.fromhex(hexof(h, 32)) for h in p["audit_path"]]
            assert (p["seq"], p["leaf_index"], p["tree_size"]) == (s, s - 1, th_size) and len(path) <= 64
        except (ValueError, KeyError, TypeError, AssertionError):
            raise Bad("proof for entry %d malformed" % s)
        h = hashlib.blake2b(entry, digest_size=32).digest()
        leaf = hashlib.sha256(b"\x00" + h).digest()
        if (walk(s - 1, th_size - 1, leaf, leaf, path) or (0, 0))[1] != bytes.fromhex(th_root):
            raise Bad("entry %d: not included in the tree head (size %d)" % (s, th_size))
        if s == th_size and h.hex() != th["head"]: raise Bad("entry %d: not the chain head that the tree head names" % s)  # noqa: E701,E501
    proof = None
    if "consistency.json" in files:  # checked for form even when no kept head is given
        try:
            proof = json.loads(files["consistency.json"])
            assert all(hexof(h, 32) for h in proof["proof"]) and len(proof["proof"]) <= 128
            assert type(proof["from_tree_size"]) is int and 0 < proof["from_tree_size"] <= th_size == proof["to_tree_size"]
        except (ValueError, KeyError, TypeError, AssertionError):
            raise Bad("consistency.json malformed")
    grew = check_kept(epochs, kept, th, proof) if kept is not None else ""
    return "ok: %d audit entries proven in the signed tree head of %d entries (root %s)%s" % (len(seqs), th_size, th_root, grew)  # noqa: E501
if __name__ == "__main__":
    if len(sys.argv) not in (3, 4): sys.exit(__doc__)  # noqa: E701
    try:  # a key, bundle or kept head that cannot even be decoded is a problem too
        pub = bytes.fromhex(open(sys.argv[2]).read().strip())
        kept = open(sys.argv[3], "rb").read() if len(sys.argv) == 4 else None
        print(verify(open(sys.argv[1], "rb").read(), pub, kept))
    except (Bad, ValueError, UnicodeDecodeError) as e:
        print("FAILED: %s" % (e if isinstance(e, Bad) else "malformed bundle or key (%s)" % e))
        sys.exit(1)
