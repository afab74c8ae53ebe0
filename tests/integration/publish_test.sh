#!/usr/bin/env bash
# The public follow-up through the real binary (DOMAIN.md §11) over a generated world paid through
# 2024: the manifest checks against the files (sha256sum) and against the FollowUpPublished event
# in the log; publishing again at the same K gives byte-identical files and no second event; the
# CSV parses with Python's csv module, shows no band count from 1 to 4, and sums to the annual
# report; bad arguments are refused with exit 2 and nothing written.
source "$(dirname "$0")/lib.sh"

SEED="${CAPLEDGER_PUBLISH_SEED:-$(( $(date +%s) % 1000 ))}"
echo "publish_test: seed $SEED (rerun with CAPLEDGER_PUBLISH_SEED=$SEED)"
"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --years 2 --seed "$SEED" > "$SCRATCH/world.jsonl"
"$CAPLEDGER_SOURCE_DIR/tools/walk" "$CAPLEDGER_BIN" "$SCRATCH/store" "$SCRATCH/world.jsonl" 2023-01 2024-12 "$SCRATCH/runs"
PY=/usr/bin/python3  # Debian's, whatever else is first on PATH

head_seq() { cl --json verify | grep -o '"head_seq": [0-9]*' | grep -o '[0-9]*$'; }

echo "-- publish, and the manifest checks against the files and the log"
k=$(head_seq)
cl publish --year 2024 --through 2024-12 --out "$SCRATCH/site" > "$SCRATCH/publish.out"
for f in manifest.json index.html open-data/README.txt open-data/ersattning.csv open-data/ersattning.json style.css sort.js; do
  [ -s "$SCRATCH/site/$f" ] || fail "publish wrote no $f"
done
"$PY" - "$SCRATCH/site" "$k" <<'PYTHON'
import hashlib, json, os, sys
site, k = sys.argv[1], int(sys.argv[2])
manifest = json.load(open(os.path.join(site, "manifest.json")))
assert manifest["year"] == 2024 and manifest["through"] == "2024-12", manifest
assert manifest["known_at_seq"] == k, (manifest["known_at_seq"], k)
listed = sorted(f["path"] for f in manifest["files"])
on_disk = sorted(os.path.relpath(os.path.join(d, n), site) for d, _, ns in os.walk(site) for n in ns)
on_disk.remove("manifest.json")
assert listed == on_disk, (listed, on_disk)
for f in manifest["files"]:
    data = open(os.path.join(site, f["path"]), "rb").read()
    assert len(data) == f["bytes"], f
    assert hashlib.sha256(data).hexdigest() == f["sha256"], f
PYTHON
manifest_sha=$(sha256sum "$SCRATCH/site/manifest.json" | cut -d' ' -f1)
event=$(cl log --from-seq $((k + 1)) | grep '"type":"FollowUpPublished"')
echo "$event" | grep -q "\"id\":\"F-2024-12-$k\"" || fail "the event's id names the month and K: $event"
echo "$event" | grep -q "\"manifest_sha256\":\"$manifest_sha\"" || fail "the event holds the manifest's SHA-256: $event"
echo "$event" | grep -q "\"known_at_seq\":$k" || fail "the event holds K: $event"
head_hash=$(cl log --from-seq "$k" --limit 1 | grep -o '"hash":"[0-9a-f]*"' | cut -d'"' -f4)
grep -q "\"head_hash\": \"$head_hash\"" "$SCRATCH/site/manifest.json" || fail "the manifest holds the chain's hash at K"
expect_eq "$(head_seq)" "$((k + 1))" "the head after publishing: one event more"

echo "-- publishing again at the same K writes the same bytes and records nothing new"
cl publish --year 2024 --through 2024-12 --known-at "seq:$k" --out "$SCRATCH/again" > "$SCRATCH/again.out"
diff -r "$SCRATCH/site" "$SCRATCH/again" > /dev/null || fail "the second publication differs: $(diff -r "$SCRATCH/site" "$SCRATCH/again" | head -c 400)"
grep -q "recorded before" "$SCRATCH/again.out" || fail "the second publication says it was recorded before: $(cat "$SCRATCH/again.out")"
expect_eq "$(head_seq)" "$((k + 1))" "the head after publishing again"

echo "-- the CSV parses, suppresses counts from 1 to 4, and sums to the annual report"
cl --json annual-report --year 2024 --known-at "seq:$k" > "$SCRATCH/annual.json"
"$PY" - "$SCRATCH/site/open-data/ersattning.csv" "$SCRATCH/annual.json" <<'PYTHON'
import csv, json, sys
from decimal import Decimal
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
annual = json.load(open(sys.argv[2]))
assert rows, "no rows"
bands = [c for c in rows[0] if c.startswith("listed_age_")]
components = ["capitation", "performance", "visits", "start_grant", "cni_supplement", "distance_supplement", "missions"]
suppressed = 0
for r in rows:
    for c in bands:
        v = r[c]
        if v == "<5":
            suppressed += 1
        elif v != "":
            assert int(v) == 0 or int(v) >= 5, (r["clinic"], r["month"], c, v)
    assert sum(Decimal(r[c]) for c in components) == Decimal(r["total"]), r
total = sum(Decimal(r["total"]) for r in rows)
want = Decimal(annual["total"]["fixed"]) + Decimal(annual["total"]["variable"])
assert total == want, (total, want)
print(f"  {len(rows)} rows, {suppressed} band cells suppressed, total {total} = annual report")
PYTHON

echo "-- the pages: one per clinic, linked from the index, no script but sort.js, relative links only"
"$PY" - "$SCRATCH/site" <<'PYTHON'
import html.parser, json, os, sys
site = sys.argv[1]
class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.scripts, self.open = [], [], []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "href" in a: self.links.append(a["href"])
        if tag == "script": self.scripts.append(a.get("src"))
        for k, v in a.items():
            assert not k.startswith("on"), (tag, k)
            if k in ("href", "src"):
                assert "://" not in v and not v.startswith("/"), (tag, v)  # relative: files or served alike
manifest = json.load(open(os.path.join(site, "manifest.json")))
pages = [f["path"] for f in manifest["files"] if f["path"].endswith(".html")]
clinic_pages = sorted(p for p in pages if p.startswith("clinics/"))
csv_clinics = sorted({line.split(",")[0] for line in open(os.path.join(site, "open-data/ersattning.csv"), encoding="utf-8").read().splitlines()[1:]})
assert clinic_pages == sorted(f"clinics/{c}.html" for c in csv_clinics), (clinic_pages, csv_clinics)
for path in pages:
    p = Page()
    p.feed(open(os.path.join(site, path), encoding="utf-8").read())
    assert all(s and s.endswith("sort.js") for s in p.scripts), (path, p.scripts)
    for link in p.links:
        target = os.path.normpath(os.path.join(os.path.dirname(os.path.join(site, path)), link))
        assert os.path.exists(target), (path, link)
    if path == "index.html":
        assert sorted(l for l in p.links if l.startswith("clinics/")) == clinic_pages, p.links
print(f"  {len(pages)} pages, every link resolves")
PYTHON

echo "-- bad arguments: exit 2, nothing written"
before=$(head_seq)
expect_exit 2 cl publish --year 2024 --through 2025-01 --out "$SCRATCH/bad1"
expect_exit 2 cl publish --year 2021 --through 2021-12 --out "$SCRATCH/bad2"
expect_exit 2 cl publish --year 2024 --through 2024-13 --out "$SCRATCH/bad3"
for d in bad1 bad2 bad3; do [ ! -e "$SCRATCH/$d" ] || fail "a refused publication wrote $d"; done
expect_eq "$(head_seq)" "$before" "the head after refused publications"
echo "publish_test: passed"
