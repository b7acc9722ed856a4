#!/usr/bin/env python3
"""Makes the commune table alimap embeds from the reference data.

Usage: python3 data/communes/extraire.py <dossier shared/data>

Keeps the columns alimap reads: INSEE code, name and postal codes of every
commune and municipal arrondissement (communes.csv); the centre of the
communes of Île-de-France and how far their territory reaches from it, in
km, the farthest vertex of their outline (centres-ile-de-france.csv).
"""
import csv, json, math, sys
from pathlib import Path

src = Path(sys.argv[1])
here = Path(__file__).parent

with open(src / "communes/communes-france.csv", newline="") as f, open(here / "communes.csv", "w", newline="") as out:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["code_insee", "nom", "codes_postaux"])
    for r in csv.DictReader(f):
        w.writerow([r["code_insee"], r["nom"], r["codes_postaux"]])

def km(a, b):
    (la1, lo1), (la2, lo2) = map(lambda p: map(math.radians, p), (a, b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))

shapes = json.load(open(src / "geo/ile-de-france/communes-ile-de-france.geojson"))["features"]
rings = {}
for feat in shapes:
    g = feat["geometry"]
    polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
    rings[feat["properties"]["code"]] = [p for poly in polys for ring in poly for p in ring]
with open(src / "communes/centres-ile-de-france.csv", newline="") as f, open(here / "centres-ile-de-france.csv", "w", newline="") as out:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["code_insee", "latitude", "longitude", "rayon_km"])
    for r in csv.DictReader(f):
        c = (float(r["latitude"]), float(r["longitude"]))
        reach = max(km(c, (p[1], p[0])) for p in rings[r["code_insee"]])
        w.writerow([r["code_insee"], r["latitude"], r["longitude"], f"{math.ceil(reach * 10) / 10:.1f}"])
