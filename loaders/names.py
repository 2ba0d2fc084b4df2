"""Names of municipalities and regions: normalising, matching to the reference, nominative forms.

Documents name the same municipality in many ways: «Кемеровский городской округ», «Кемеровского
городского округа», «город Кемерово», «г. Кемерово». They meet in one place through a *key*: the
stem of the distinctive words plus the type group. Stems drop Russian case endings and a final
«ск», so the adjective «Беловский» and the town «Белово» share the stem «белов».
"""

from __future__ import annotations

import csv
import dataclasses
import re
from concurrent.futures import Future
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"

# Type groups: what must agree for two names to be the same municipality.
TYPE_GROUP = {
    "городской округ": "go",
    "город": "go",
    "зато": "go",
    "муниципальный округ": "mo",
    "муниципальный район": "mr",
    "район": "mr",
    "городское поселение": "gp",
    "сельское поселение": "sp",
}
CANONICAL_TYPE = {
    "go": "городской округ",
    "mo": "муниципальный округ",
    "mr": "муниципальный район",
    "gp": "городское поселение",
    "sp": "сельское поселение",
}
# Longest first: the first match wins.
_TYPE_RES = [
    ("городское поселение", re.compile(r"\bгородск\w*\s+поселени\w*|\bгп\b|\bг\.\s*п\.")),
    ("сельское поселение", re.compile(r"\bсельск\w*\s+поселени\w*|\bсп\b|\bс\.\s*п\.|\bс/п\b")),
    # «г.о.» before «г.»: the city okrug, not the city.
    ("городской округ", re.compile(r"\bгородск\w*\s+округ\w*|\bго\b|\bг\.\s*о\.")),
    ("муниципальный округ", re.compile(r"\bмуниципальн\w*\s+округ\w*|\bмо\b(?!\s*[«\"])")),
    ("муниципальный район", re.compile(r"\b(?:муниципальн\w*|мун\.)\s*(?:район\w*|р-н\w*)|\bмр\b|\bм\.\s*р\.")),
    ("зато", re.compile(r"\bзато\b")),
    # «город» and its cases only: «Городецкий», «Городищенский» are names, not the type word.
    ("город", re.compile(r"\bгород(?:а|е|у|ом)?\b|\bг\.\s*|\bг\s+(?=[а-я])")),
    # «р-н» is how registries shorten «район».
    ("район", re.compile(r"\bрайон\w*\b|\bр-н\w*")),
]
# Any municipality type word: a written form with one can only name a municipality of that type.
_ANY_TYPE = re.compile(r"городск\w*\s+округ|муниципальн\w*\s+(округ|район)|поселени|\bрайон|\bр-н|\bгород\b|\bг\.|\bзато\b")
_BUCKET_SKIP = frozenset(
    "город г зато мо го мр гп сп р-н мун муниципальное муниципальный муниципального образование администрация городской городского "
    "городское сельское сельского поселение поселения округ округа район района".split()
)


_WORD_RE = re.compile(r"[а-яa-z0-9]+(?:-[а-яa-z0-9]+)*")


def _bucket_key(text: str, normalised: bool = False) -> str:
    """The first three letters of the first word that is not a type or noise word."""
    for word in _WORD_RE.findall(text.lower().replace("ё", "е") if not normalised else text):
        # Single letters are the rest of abbreviations («г.о.», «с/п»), never the start of a name.
        if len(word) > 1 and word not in _BUCKET_SKIP:
            return word[:3]
    return ""


def has_type_word(text: str) -> bool:
    """Whether a text mentions a municipality type («… район», «городской округ», «город …»)."""
    return bool(_ANY_TYPE.search(norm_text(text)))


_NOISE_RE = re.compile(
    r"\bмуниципальн\w*\s+образовани\w*|\bадминистраци\w*|\bмуниципалитет\w*|\bтерритори\w*\b"
)
_REGION_TAIL_RE = re.compile(
    r"\b[а-я-]+(ской|ского|ская|ский|ском)\s+(област\w*|обл\b\.?|кра\w*)(\s*[-–—]\s*кузбасс\w*)?"
    r"|\bреспублик\w*\s+[а-я-]+|\b[а-я-]+\s+республик\w*|\bкузбасс\w*"
)
_ENDINGS = sorted(
    "ого его ому ему ыми ими ой ей ий ый ая яя ое ее ую юю ом ем ых их ым им ам ям ах ях а я у ю е и ы о".split(),
    key=len,
    reverse=True,
)
_QUOTES_RE = re.compile(r"[«»\"“”„'`]")

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),
        strict=True,
    )
)


_NORM_TABLE = str.maketrans(
    {"\u00a0": " ", "\u202f": " ", "ё": "е", **dict.fromkeys("«»\"“”„'`(),;:", " "), **dict.fromkeys("‐‑‒–—―", "-")}
)


# Any character _NORM_TABLE changes: most names have none, and translate is the slow part.
_NORM_CHARS = re.compile("[" + re.escape("".join(map(chr, _NORM_TABLE))) + "]")


def norm_text(text: str) -> str:
    """Lower-case, «ё» → «е», quotes dropped, dashes unified, spaces collapsed."""
    low = str(text).lower()
    if _NORM_CHARS.search(low):
        low = low.translate(_NORM_TABLE)
    # split() and \s agree on what whitespace is (str.isspace); join collapses runs and strips.
    return " ".join(low.split())


_ENDING_RE = re.compile(rf"^(.{{3,}}?)(?:{'|'.join(_ENDINGS)})$")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem of a Russian word for matching: case ending dropped, then a final «ск»."""
    word = word.lower().replace("ё", "е")
    parts = word.split("-")
    # The longest ending that leaves at least three letters (the lazy prefix finds it).
    m = _ENDING_RE.match(parts[-1])
    last = m.group(1) if m else parts[-1]
    if len(last) > 4 and last.endswith("ск"):
        last = last[:-2]
    parts[-1] = last
    # Hyphenated names inflect only the last part, but a stemmed «-ск» may sit in the first too.
    parts = [p[:-2] if (len(p) > 4 and p.endswith("ск")) else p for p in parts[:-1]] + [parts[-1]]
    return "-".join(parts)


_SLUG_TABLE = str.maketrans({ch: ("" if t == "-" else t) for ch, t in _TRANSLIT.items()})
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A readable ASCII id from a Russian name: «Борисоглебский городской округ» → borisoglebskiy-gorodskoy-okrug."""
    return _NOT_SLUG.sub("-", norm_text(text).translate(_SLUG_TABLE)).strip("-")


def by_distinct(values, fn):
    """`fn` (a column-wise function of each value alone) worked out once per distinct value.

    Project sheets repeat each TOS name and title many times; missing values count as one value.
    """
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    if len(uniques) > 0.8 * len(values):
        return fn(values)
    done = fn(pd.Series(uniques, dtype=values.dtype))
    return pd.Series(done.array.take(codes), index=values.index, name=values.name, dtype=done.dtype)


def slug_series(texts):
    """`slug` for a whole pandas Series at once (the registry loader slugs every TOS name)."""
    return by_distinct(texts, _slug_series)


def _slug_series(texts):
    import pandas as pd

    low = texts.astype("string").str.lower().str.replace("ё", "е", regex=False)
    low = low.str.replace(r"[«»\"“”„'`]", " ", regex=True).str.replace(r"[‐‑‒–—―]", "-", regex=True)
    # Transliteration is the one Python-only step; the rest runs in Arrow (its regex is ~3× faster
    # than re.sub per value on 200 000 project titles).
    words = low.to_numpy(dtype=object, na_value=None)
    done = pd.Series([None if v is None else v.translate(_SLUG_TABLE) for v in words], index=texts.index, dtype="string", name=texts.name)
    return done.str.replace(_NOT_SLUG.pattern, "-", regex=True).str.strip("-")


@dataclass(frozen=True)
class NameParts:
    """A municipality name taken apart."""

    core: tuple[str, ...]  # distinctive words as written (case kept)
    type: str | None  # a key of TYPE_GROUP
    parent: NameParts | None = None

    @property
    def group(self) -> str | None:
        return TYPE_GROUP.get(self.type) if self.type else None

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(stem(w) for w in self.core)


def _split_words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s]+", text) if w and re.search(r"[а-яa-z0-9]", w.lower())]


def parse_name(text: str) -> NameParts:
    """Split a municipality name into its distinctive words and its type.

    «Мариинское городское поселение Мариинского муниципального района» gives core («Мариинское»,),
    type «городское поселение» and a parent with core («Мариинского»,) of type «муниципальный район».
    """
    raw = str(text)
    raw = _QUOTES_RE.sub(" ", raw.replace("\u00a0", " "))
    raw = re.sub(r"[‐‑‒–—―]", "-", raw)
    low = raw.lower().replace("ё", "е")
    # Blank out the region tail («… Смоленской области») and noise words in both strings,
    # keeping offsets aligned (slices, not a pass per character: this runs for every known name).
    for rx in (_REGION_TAIL_RE, _NOISE_RE):
        low_parts: list[str] = []
        raw_parts: list[str] = []
        last = 0
        for m in rx.finditer(low):
            pad = " " * (m.end() - m.start())
            low_parts += [low[last : m.start()], pad]
            raw_parts += [raw[last : m.start()], pad]
            last = m.end()
        if raw_parts:
            low = "".join(low_parts) + low[last:]
            raw = "".join(raw_parts) + raw[last:]
    # Find type phrases in order of appearance (earlier patterns win overlaps).
    spans: list[tuple[int, int, str]] = []
    for type_name, rx in _TYPE_RES:
        for m in rx.finditer(low):
            if any(start < m.end() and m.start() < end for start, end, _ in spans):
                continue
            spans.append((m.start(), m.end(), type_name))
    spans.sort()

    def words_between(a: int, b: int) -> tuple[str, ...]:
        return tuple(w.strip(".,") for w in _split_words(raw[a:b]) if w.strip(".,-"))

    if not spans:
        return NameParts(core=words_between(0, len(raw)), type=None)
    # The first type phrase belongs to the main name; a second one starts the parent
    # («… поселение Мариинского муниципального района»).
    first = spans[0]
    if len(spans) >= 2:
        second = spans[1]
        before_first = words_between(0, first[0])
        between = words_between(first[1], second[0])
        if first[2] == "город":
            # «город Десногорск»: the name follows the word «город».
            return NameParts(core=between or before_first, type="город")
        if not before_first and not between:
            # Two type words in a row: «МО город Белово», «Городской округ город Белово», «ЗАТО г. Шиханы».
            kind = second[2] if second[2] in ("город", "зато") else first[2]
            end = spans[2][0] if len(spans) > 2 else len(raw)
            return NameParts(core=words_between(second[1], end), type=kind)
        main_core = before_first or between
        parent_core = between if before_first else words_between(second[1], len(raw))
        parent = NameParts(core=parent_core, type=second[2]) if parent_core else None
        return NameParts(core=main_core, type=first[2], parent=parent)
    before = words_between(0, first[0])
    after = words_between(first[1], len(raw))
    if first[2] in ("город", "зато"):
        return NameParts(core=after or before, type=first[2])
    return NameParts(core=before or after, type=first[2])


def _cap(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))


_NUMBER_SUFFIX_RE = re.compile(r"-\d+$")


def _adjective_stem(word: str) -> str | None:
    """The stem of an adjective with its case ending dropped («Аннинского» → «Аннинск»); None for a noun."""
    w = _NUMBER_SUFFIX_RE.sub("", word)  # «Первомайское-2» declines as «Первомайское»
    lw = w.lower()
    for ending in _ENDINGS:
        if len(lw) - len(ending) >= 3 and lw.endswith(ending):
            w = w[: -len(ending)]
            lw = lw[: -len(ending)]
            break
    return w if re.search(r"(ск|цк|н|ов|ев|ин)$", lw) else None


def _adjective(word: str, gender: str) -> str:
    """Put an adjective into the nominative: m «-ский», n «-ское», f «-ская»; a noun stays as written."""
    w = _adjective_stem(word)
    if w is None:
        return word  # not an adjective («Калтан», «Тольятти»): kept as written, ending and all
    lw = w.lower()
    hard = lw[-1:] in "кгхжшчщ"
    endings = {"m": "ий" if hard else "ый", "n": "ое", "f": "ая"}
    if lw.endswith("н") and not hard:
        endings["m"] = "ый"
    number = _NUMBER_SUFFIX_RE.search(word)
    return w + endings[gender] + (number.group() if number else "")


def _noun_nominative(word: str) -> str:
    """«Десногорска» → «Десногорск», «Кемерово» stays: drop a genitive «-а» after «-ск»/«-рг»."""
    if re.search(r"(ск|цк|рг|рд|ль)а$", word.lower()):
        return word[:-1]
    return word


_GENDER = {
    "городской округ": "m",
    "муниципальный округ": "m",
    "муниципальный район": "m",
    "район": "m",
    "городское поселение": "n",
    "сельское поселение": "n",
}


def nominative(parts: NameParts) -> str:
    """Build the canonical nominative name from parsed parts (for names not in the reference)."""
    if parts.type in ("город", "зато"):
        prefix = "город" if parts.type == "город" else "ЗАТО"
        return f"{prefix} {' '.join(_cap(_noun_nominative(w)) for w in parts.core)}".strip()
    type_name = CANONICAL_TYPE.get(TYPE_GROUP.get(parts.type or "", ""), parts.type or "")
    gender = _GENDER.get(type_name, "m")
    if type_name and parts.core and all(_adjective_stem(w) is None for w in parts.core):
        # A noun names it: «городской округ Тольятти», not «Тольятти городской округ».
        name = f"{type_name} {' '.join(_cap(w) for w in parts.core)}"
    else:
        words = [_cap(_adjective(w, gender)) for w in parts.core]
        name = " ".join(words + ([type_name] if type_name else []))
    if parts.parent is not None and parts.parent.core:
        parent_type = CANONICAL_TYPE.get(parts.parent.group or "", parts.parent.type or "")
        # Parent in the genitive: «… Мариинского муниципального района».
        gen_words = [_cap(w) for w in parts.parent.core]
        gen_type = {
            "муниципальный район": "муниципального района",
            "городской округ": "городского округа",
            "муниципальный округ": "муниципального округа",
        }.get(parent_type, parent_type)
        name = f"{name} {' '.join(gen_words)} {gen_type}".strip()
    return name


# --------------------------------------------------------------------------- reference


@dataclass(frozen=True)
class Region:
    """One federal subject from the bundled reference."""

    region_id: str
    name: str
    oktmo_prefix: str


@dataclass(frozen=True)
class Municipality:
    """One municipality from the reference (or the store)."""

    municipality_id: str
    name: str
    type: str
    region_id: str | None
    parent_id: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass
class Match:
    """The result of matching a name: the municipality, and a note when the match was not exact."""

    municipality_id: str
    name: str
    type: str | None
    region_id: str | None
    known: bool  # found in the reference
    note: str | None = None
    parent_id: str | None = None


@lru_cache(maxsize=1)
def load_regions() -> tuple[Region, ...]:
    with open(REFERENCE_DIR / "regions.csv", encoding="utf-8") as fh:
        return tuple(Region(r["region_id"], r["name"], r["oktmo_prefix"]) for r in csv.DictReader(fh))


@lru_cache(maxsize=1)
def load_municipalities() -> tuple[Municipality, ...]:
    path = REFERENCE_DIR / "municipalities.csv"
    if not path.exists():
        return ()
    with open(path, encoding="utf-8") as fh:
        return tuple(
            Municipality(
                r["municipality_id"],
                r["name"],
                r["type"],
                r["region_id"] or None,
                r["parent_id"] or None,
                tuple(a for a in r["aliases"].split("|") if a),
            )
            for r in csv.DictReader(fh)
        )


def region_name(region_id: str | None) -> str | None:
    for r in load_regions():
        if r.region_id == region_id:
            return r.name
    return None


def _region_patterns() -> list[tuple[str, re.Pattern[str]]]:
    pats = []
    for r in load_regions():
        n = norm_text(r.name).split(" - ")[0].split(" — ")[0]
        words = n.split()
        if "область" in words or "край" in words:
            adj = words[0]
            # «Курская обл.», «Краснодарский кр.»: registries shorten the kind.
            kind = r"(?:област\w*|обл\b)" if "область" in words else r"(?:кра\w*|кр\b)"
            pats.append((r.region_id, re.compile(rf"\b{stem(adj)}\w*\s+{kind}")))
        elif "республика" in words:
            other = [w for w in words if w != "республика"][0].strip("()")
            pats.append((r.region_id, re.compile(rf"\b(?:республик\w*|респ\b\.?)\s*{stem(other)}\w*|\b{stem(other)}\w*\s+(?:республик\w*|респ\b)")))
        elif "автономный" in words or "автономная" in words:
            pats.append((r.region_id, re.compile(rf"\b{stem(words[0])}\w*\s+автономн\w*")))
        else:
            pats.append((r.region_id, re.compile(rf"\b{stem(words[0])}\w*\b")))
    pats.append(("RU-KEM", re.compile(r"\bкузбасс\w*")))
    pats.append(("RU-KHM", re.compile(r"\bюгр[аыуе]\b")))
    return pats


@lru_cache(maxsize=1)
def _compiled_region_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(_region_patterns())


# Every region pattern needs one of these words; most municipality names have none of them.
_REGION_HINT = re.compile(r"област|\bобл\b|\bкр\b|\bресп\b|кра[йяюе]|республик|автономн|москв|петербург|севастопол|кузбасс|югр|якути|чуваш|удмурт")


def find_regions(text: str) -> list[str]:
    """Region ids mentioned in a text, in order of first mention, without repeats."""
    low = norm_text(text)
    if not _REGION_HINT.search(low):
        return []
    hits: list[tuple[int, str]] = []
    for region_id, rx in _compiled_region_patterns():
        m = rx.search(low)
        if m:
            hits.append((m.start(), region_id))
    seen: list[str] = []
    for _, rid in sorted(hits):
        if rid not in seen:
            seen.append(rid)
    return seen


class MunicipalityMatcher:
    """Matches any written form of a municipality name to one canonical municipality."""

    def __init__(self, municipalities: tuple[Municipality, ...] | list[Municipality] | None = None):
        self.municipalities = tuple(municipalities if municipalities is not None else load_municipalities())
        self.by_id = {m.municipality_id: m for m in self.municipalities}
        self._memo: dict[tuple[str, str | None], Match | None] = {}
        self._issued: dict[str, str | None] = {}  # ids given to unknown municipalities → their region
        # Exact written forms that name one municipality only (the fast path). A bare adjective
        # («Беловский») stays out: it is ambiguous, and the slow path says so.
        exact: dict[str, dict[str, Municipality]] = {}
        for m in self.municipalities:
            for form in (m.name, *m.aliases):
                written = norm_text(form)
                if _ANY_TYPE.search(written):
                    exact.setdefault(written, {})[m.municipality_id] = m
        self._exact = {k: next(iter(v.values())) for k, v in exact.items() if len(v) == 1}
        # For inflected forms: known names bucketed by the first letters of their first
        # distinctive word, which every case form keeps («Кемеровского…», «город Кемерово»).
        # Stems are computed only for the bucket a missed name falls in, so three odd names in a
        # national registry do not cost a stem index of all 18 000 municipalities.
        self._buckets: dict[str, dict[str, Municipality]] = {}
        for m in self.municipalities:
            for form in (m.name, *m.aliases):
                self._add(self._buckets, _bucket_key(form, normalised=False), m)
        self._indexed: set[str] = set()
        self._index: dict[tuple[tuple[str, ...], str | None], dict[str, Municipality]] = {}
        self._by_core: dict[tuple[str, ...], dict[str, Municipality]] = {}

    def _index_bucket(self, text: str) -> None:
        """Add the stems of the known names that share `text`'s bucket to the indexes (once)."""
        bucket = _bucket_key(text)
        if bucket in self._indexed:
            return
        self._indexed.add(bucket)
        for m in self._buckets.get(bucket, {}).values():
            for form in (m.name, *m.aliases):
                if _bucket_key(form) != bucket:
                    continue
                parts = parse_name(form)
                if not parts.core:
                    continue
                group = parts.group or TYPE_GROUP.get(m.type)
                key = parts.key
                self._add(self._index, (key, group), m)
                self._add(self._by_core, key, m)

    @staticmethod
    def _add(index: dict, key, m: Municipality) -> None:
        # Keyed by id: membership tests on lists of thousands would make building quadratic.
        index.setdefault(key, {})[m.municipality_id] = m

    def match(self, text: str, region_id: str | None = None, *, region_stated: bool = False) -> Match | None:
        """Match a written name; None when it holds no name at all.

        `region_id` is where the document is about. `region_stated`: the row itself names it (a
        «Регион» column), so a namesake in another region is not this municipality; otherwise (a
        region in the title) it may be, and the match says so in its note.
        """
        if text is None or not str(text).strip():
            return None
        key = (text, region_id, region_stated)
        if key not in self._memo:
            if len(self._memo) > 200_000:
                self._memo.clear()
            result = self._match(text, region_id, region_stated)
            if result is not None and region_id and result.known and result.region_id not in (None, region_id) and result.note is None:
                result = dataclasses.replace(
                    result,
                    note=f"«{text}» сопоставлено с «{result.name}» ({region_name(result.region_id)}), "
                    f"хотя документ относится к региону «{region_name(region_id)}»",
                )
            self._memo[key] = result
        return self._memo[key]

    def _match(self, text: str, region_id: str | None, stated: bool) -> Match | None:
        exact = self._exact.get(norm_text(text))
        # The canonical name or a known alias, as most registries write it; a namesake in another
        # region than the one stated is looked up further.
        if exact is not None and not (stated and region_id and exact.region_id not in (None, region_id)):
            return self._result(exact)
        self._index_bucket(text)
        parts = parse_name(text)
        if not parts.core:
            return None
        regions = find_regions(str(text))
        if regions:
            region_id, stated = regions[0], True
        group = parts.group

        def pick(cands: list[Municipality]) -> list[Municipality]:
            if region_id:
                in_region = [c for c in cands if c.region_id == region_id]
                if in_region:
                    return in_region
                if stated:  # «Советский район» of Kursk oblast is not Saratov's
                    return [c for c in cands if c.region_id is None]
            return cands

        if parts.parent is not None and group in ("gp", "sp"):
            parent = self.match(" ".join(parts.parent.core) + " " + (parts.parent.type or ""), region_id)
            cands = pick(list(self._index.get((parts.key, group), {}).values()))
            if parent and parent.known:
                cands = [c for c in cands if c.parent_id == parent.municipality_id] or cands
            if len(cands) == 1:
                return self._result(cands[0])
            if parent and parent.known:
                # A settlement of a known district: short name, linked to its parent.
                name = nominative(NameParts(core=parts.core, type=parts.type))
                return Match(
                    municipality_id=f"{parent.municipality_id}-{slug(name)}",  # the parent's id tells them apart
                    name=name,
                    type=CANONICAL_TYPE.get(group or ""),
                    region_id=parent.region_id or region_id,
                    known=False,
                    parent_id=parent.municipality_id,
                )
            name = nominative(parts)
            return Match(
                municipality_id=self._unknown_id(slug(name), region_id),
                name=name,
                type=CANONICAL_TYPE.get(group or ""),
                region_id=region_id,
                known=False,
            )
        if group:
            cands = pick(list(self._index.get((parts.key, group), {}).values()))
            if len(cands) == 1:
                return self._result(cands[0])
            if not cands and group in ("mo", "mr"):
                # Many municipal districts became municipal okrugs after 2019: same place, new type.
                other = "mr" if group == "mo" else "mo"
                cands = pick(list(self._index.get((parts.key, other), {}).values()))
                if len(cands) == 1:
                    return self._result(
                        cands[0],
                        note=f"«{text}» сопоставлено с «{cands[0].name}»: в документе указан другой тип "
                        "муниципального образования (район/округ)",
                    )
        else:
            cands = pick(list(self._by_core.get(parts.key, {}).values()))
            if len(cands) == 1:
                return self._result(cands[0])
            if len(cands) > 1:
                # «Беловский» alone: the city okrug and the district share the name.
                go = [c for c in cands if TYPE_GROUP.get(c.type) == "go"]
                if len(go) == 1:
                    return self._result(
                        go[0],
                        note=f"«{text}»: тип не указан, выбран «{go[0].name}» (есть и одноимённый район)",
                    )
        name = nominative(parts)
        return Match(
            municipality_id=self._unknown_id(slug(name), region_id),
            name=name,
            type=CANONICAL_TYPE.get(group or "") if group else None,
            region_id=region_id,
            known=False,
        )

    def _unknown_id(self, base: str, region_id: str | None) -> str:
        """The id of a municipality missing from the reference: its slug, made unique per region.

        Two regions' unknown «Советский район» would otherwise share one id and their TOS would add
        up as one place. The first region to use a slug keeps it (ids stored earlier stay valid);
        another region's namesake gets its region code appended.
        """
        owner = self.by_id.get(base)
        first_region = owner.region_id if owner is not None else self._issued.setdefault(base, region_id)
        if region_id and first_region and first_region != region_id:
            return f"{base}-{region_id.lower()}"
        return base

    def _result(self, m: Municipality, note: str | None = None) -> Match:
        return Match(m.municipality_id, m.name, m.type, m.region_id, True, note, m.parent_id)


@lru_cache(maxsize=1)
def default_matcher() -> MunicipalityMatcher:
    return MunicipalityMatcher()


def resolve_matcher(matcher) -> MunicipalityMatcher | None:
    """A matcher, or one still being built in another thread (a Future): wait for it here.

    The store builds its matcher while the workbook is read (calamine releases the GIL), so the
    parsers ask for it only when they first need it.
    """
    return matcher.result() if isinstance(matcher, Future) else matcher
