"""The dedup stage: one story under many URLs is one article; one happening in many stories is one cluster.

Two levels, as in GDELT (one event, many mentions):

- articles: ``canonical_url`` folds the URL variants of one page (tracking parameters,
  AMP copies, ``www.``, fragments) into one key; ``content_key`` hashes the text with case,
  punctuation and spacing folded, for exact copies under unrelated URLs; ``fingerprint``
  is a MinHash of word shingles, for wire copies that differ in a byline, a headline or a
  trailing paragraph (``NearDuplicateIndex`` finds them with locality-sensitive hashing).
- events: ``same_happening`` links two events of the same type and modality with an actor
  in common, located within 50 km of each other and dated within a day; ``cluster_events``
  takes the connected components of those links.

Everything here is plain functions over text and schema v1 records; the store keeps
the results (``whimbrel.storage.sources`` and ``whimbrel.storage.clusters``).
"""
from __future__ import annotations

import base64
import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

# -- URLs ----------------------------------------------------------------------------------

# Query parameters that never change which article a page shows. courlan drops the common
# trackers (utm_*, fbclid, ref, source ...); these are the ones it keeps that news sites use
# for AMP and mobile variants and for share and campaign tagging.
VARIANT_PARAMS = {"amp", "outputtype", "output", "mobile", "m", "platform", "cmpid", "cmp", "ito",
                  "smid", "smtyp", "taid", "traffic_source", "ns_mchannel", "ns_source", "ns_campaign",
                  "ns_linkname", "ns_fee", "share", "at_medium", "at_campaign", "rss", "feed"}
AMP_PATH = re.compile(r"/(?:amp|amp\.html)/?$")


def canonical_url(url: str) -> str:
    """The one URL standing for every variant address of a page.

    >>> canonical_url("HTTPS://www.Example.com:443/world/story-1/amp/?utm_source=rss&id=7#comments")
    'https://example.com/world/story-1?id=7'
    """
    from courlan import normalize_url

    text = url.strip()
    try:
        normal = normalize_url(text, trailing_slash=False)
    except ValueError:  # courlan refuses some malformed ports and language params; keep ours
        normal = text
    parts = urlsplit(normal)
    host = (parts.hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    host = host[4:] if host.startswith("amp.") else host
    host = host[2:] if host.startswith("m.") and host.count(".") >= 2 else host
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = AMP_PATH.sub("", parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    query = urlencode(sorted((key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
                             if key.lower() not in VARIANT_PARAMS))
    # http and https copies of a page are the same article; https is what they become.
    scheme = "https" if parts.scheme in ("http", "https") else parts.scheme
    return urlunsplit((scheme, host, path, query, ""))


def url_host(url: str | None) -> str | None:
    """The outlet of a URL: its host without ``www.`` (used to count distinct sources)."""
    if not url or "://" not in url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host or None


# -- text ------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)
SHINGLE_WORDS = 5  # five-word shingles: long enough that unrelated stories share few of them
NUM_PERM = 128
MINHASH_SCHEME = "affine32"  # datasketch's scheme; stored with the signatures implicitly
NEAR_DUPLICATE_THRESHOLD = 0.6  # estimated shingle Jaccard; benchmarks/dedup.py: distinct LGL stories reach 0.49


def words(text: str) -> list[str]:
    """Lower-cased words with accents and typographic quotes folded."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(folded.lower())


def content_key(text: str) -> str:
    """A hash of the words of a text: exact copies match however they are spaced or punctuated.

    >>> content_key("Rebels took  Konna.") == content_key("rebels took Konna")
    True
    """
    return hashlib.sha256(" ".join(words(text)).encode("utf-8")).hexdigest()[:32]


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    tokens = words(text)
    if len(tokens) < size:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i:i + size]).encode() for i in range(len(tokens) - size + 1)}


def fingerprint(text: str):
    """A MinHash signature of the text's word shingles (a ``datasketch.LeanMinHash``)."""
    from datasketch import LeanMinHash, MinHash

    signature = MinHash(num_perm=NUM_PERM)
    signature.update_batch(sorted(shingles(text)))
    return LeanMinHash(signature)


def encode_fingerprint(signature) -> str:
    """A signature as text (base64 of its 32-bit hash values), for either database."""
    return base64.b64encode(np.asarray(signature.hashvalues, dtype="<u4").tobytes()).decode("ascii")


def decode_fingerprint(text: str):
    from datasketch import LeanMinHash

    values = np.frombuffer(base64.b64decode(text), dtype="<u4").astype(np.uint32)
    return LeanMinHash(seed=1, hashvalues=values, scheme=MINHASH_SCHEME)


class NearDuplicateIndex:
    """Articles by MinHash, to find the one a new text nearly copies.

    >>> index = NearDuplicateIndex()
    >>> index.add("a1", fingerprint(story))
    >>> index.find(fingerprint(story + " (Reuters)"))
    'a1'
    """

    def __init__(self, threshold: float = NEAR_DUPLICATE_THRESHOLD):
        from datasketch import MinHashLSH

        self.threshold = threshold
        # LSH bands tuned a little below the threshold so that true matches are rarely
        # missed; every candidate is then checked against the threshold itself.
        self.lsh = MinHashLSH(threshold=max(0.05, threshold - 0.1), num_perm=NUM_PERM)
        self.signatures: dict[str, object] = {}

    def __len__(self) -> int:
        return len(self.signatures)

    def add(self, key: str, signature) -> None:
        if key in self.signatures:
            return
        self.signatures[key] = signature
        self.lsh.insert(key, signature)

    def find(self, signature) -> str | None:
        """The most similar stored key at or above the threshold (ties: the smallest key)."""
        best: tuple[float, str] | None = None
        for key in self.lsh.query(signature):
            similarity = self.signatures[key].jaccard(signature)
            if similarity >= self.threshold and (best is None or (-similarity, key) < (-best[0], best[1])):
                best = (similarity, key)
        return best[1] if best else None


# -- events ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClusterRule:
    """When two event mentions are taken for the same happening."""

    max_km: float = 50.0
    max_days: int = 1


DEFAULT_RULE = ClusterRule()
EARTH_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def date_span(record: dict) -> tuple[date, date] | None:
    """First and last day of an event's date; None when undated or only known to the year.

    A year says too little to tell two happenings apart, so such events stay unclustered.
    """
    from whimbrel.storage.rows import date_range

    when = record.get("date") or {}
    if not when.get("value") or when.get("precision") == "year":
        return None
    try:
        start, end = date_range(when["value"], when.get("precision"))
    except ValueError:
        return None
    return start, end


def actor_keys(record: dict) -> set[tuple]:
    """What identifies the event's actors (either side): names, country+sector, bare text.

    A missing sector matches any sector of the same country (``(country, None)`` is added
    for every coded actor), since "France" and "French officials" are one actor at this grain.
    """
    keys: set[tuple] = set()
    for actor in (record.get("source") or []) + (record.get("target") or []):
        if actor.get("name"):
            keys.add(("name", actor["name"].lower()))
        if actor.get("country"):
            keys.add(("code", actor["country"], actor.get("sector")))
            keys.add(("code", actor["country"], None))
        elif not actor.get("name") and actor.get("text"):
            keys.add(("text", actor["text"].lower(), actor.get("sector")))
    return keys


def _actors_overlap(a: dict, b: dict) -> bool:
    keys_a, keys_b = actor_keys(a), actor_keys(b)
    for key in keys_a & keys_b:
        if key[0] != "code" or key[2] is not None:
            return True
        # A country alone matches when one side has no sector for it.
        sectors_a = {k[2] for k in keys_a if k[0] == "code" and k[1] == key[1] and k[2]}
        sectors_b = {k[2] for k in keys_b if k[0] == "code" and k[1] == key[1] and k[2]}
        if not sectors_a or not sectors_b:
            return True
    return False


def same_happening(a: dict, b: dict, rule: ClusterRule = DEFAULT_RULE) -> bool:
    """Whether two schema v1 records report the same happening.

    Same type and modality, an actor in common, places within ``rule.max_km`` and dates
    within ``rule.max_days``; an event without a place, a date or actors links to nothing.
    """
    if a["event_type"] != b["event_type"] or (a.get("modality") or "asserted") != (b.get("modality") or "asserted"):
        return False
    where_a, where_b = a.get("location") or {}, b.get("location") or {}
    if None in (where_a.get("lat"), where_a.get("lon"), where_b.get("lat"), where_b.get("lon")):
        return False
    span_a, span_b = date_span(a), date_span(b)
    if span_a is None or span_b is None:
        return False
    gap = max(span_a[0], span_b[0]) - min(span_a[1], span_b[1])
    if gap > timedelta(days=rule.max_days):
        return False
    if haversine_km(where_a["lat"], where_a["lon"], where_b["lat"], where_b["lon"]) > rule.max_km:
        return False
    return _actors_overlap(a, b)


def cluster_key_box(record: dict, rule: ClusterRule = DEFAULT_RULE) -> tuple | None:
    """The search window around an event for candidate matches (for blocking in SQL).

    (event_type, modality, min_lat, max_lat, min_lon, max_lon, first_day, last_day), or None
    when the event cannot be clustered.
    """
    where = record.get("location") or {}
    span = date_span(record)
    if where.get("lat") is None or where.get("lon") is None or span is None or not actor_keys(record):
        return None
    dlat = math.degrees(rule.max_km / EARTH_KM)
    dlon = dlat / max(math.cos(math.radians(where["lat"])), 0.01)
    pad = timedelta(days=rule.max_days)
    return (record["event_type"], record.get("modality") or "asserted",
            where["lat"] - dlat, where["lat"] + dlat, where["lon"] - dlon, where["lon"] + dlon,
            span[0] - pad, span[1] + pad)


class _Components:
    """Union-find over event ids; a component is named by its smallest id, so that the
    clusters are the same whatever order the events came in."""

    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = sorted((ra, rb))
            self.parent[high] = low


def cluster_events(records: Iterable[dict], rule: ClusterRule = DEFAULT_RULE) -> dict[str, str]:
    """event_id -> cluster id (the smallest event id of its cluster) for every record.

    Events are blocked by type, modality and day before comparing, so the cost grows with
    the size of each block, not with the square of the whole batch.
    """
    records = list(records)
    components = _Components()
    blocks: dict[tuple, list[dict]] = {}
    for record in records:
        components.find(record["event_id"])
        span = date_span(record)
        if span is None:
            continue
        blocks.setdefault((record["event_type"], record.get("modality") or "asserted"), []).append(record)
    for members in blocks.values():
        members.sort(key=lambda r: date_span(r)[0])
        for i, first in enumerate(members):
            first_end = date_span(first)[1]
            for second in members[i + 1:]:
                if date_span(second)[0] - first_end > timedelta(days=rule.max_days):
                    break
                if same_happening(first, second, rule):
                    components.union(first["event_id"], second["event_id"])
    return {record["event_id"]: components.find(record["event_id"]) for record in records}
