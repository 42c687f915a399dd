#!/usr/bin/env python3
"""Independent oracle for ShopPulse's RFM segments and K-Means clusters.

Reads the real samples in ../shared/data with pandas, applies the importer's
documented rules (docs/analytics.md) and the segment rules of docs/segments.md
written afresh here, clusters with scikit-learn, and writes the figures that
test/integration/segments-*.test.ts compare the API with:

    python3 -m venv /tmp/shoppulse-oracle
    /tmp/shoppulse-oracle/bin/pip install -r test/verify/requirements.txt
    /tmp/shoppulse-oracle/bin/python test/verify/rfm_kmeans_oracle.py            # writes test/verify/oracle-figures.json
    /tmp/shoppulse-oracle/bin/python test/verify/rfm_kmeans_oracle.py --check    # recomputes and compares with the committed file

Nothing here imports ShopPulse code: the point is a second implementation.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

REPO = Path(__file__).resolve().parents[2]
DAY_MS = 86_400_000

SEGMENTS = [  # (name, R high, F high, M high) in the classic order
    ("重要价值", True, True, True),
    ("重要发展", True, False, True),
    ("重要保持", False, True, True),
    ("重要挽留", False, False, True),
    ("一般价值", True, True, False),
    ("一般发展", True, False, False),
    ("一般保持", False, True, False),
    ("一般挽留", False, False, False),
]

FEATURES = ["recency_days", "frequency", "monetary", "avg_dwell_ms", "cart_rate", "favorite_rate", "category_breadth"]
LOG1P = {"frequency", "monetary", "avg_dwell_ms", "category_breadth"}
K_RANGE = range(2, 9)
SKLEARN_RUNS = 200


def js_round(x: float) -> int:
    """Math.round for the non-negative values used here (Python's round() is half-to-even)."""
    return int(math.floor(x + 0.5))


# ---------------------------------------------------------------- datasets

def online_retail(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Invoice lines → one paid order per invoice (docs/analytics.md, Online Retail)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = df.rename(columns=lambda c: c.strip())
    df["InvoiceNo"] = df["InvoiceNo"].str.strip()
    df["StockCode"] = df["StockCode"].str.strip()
    df = df[(df.InvoiceNo != "") & (df.StockCode != "")]
    df = df[~df.InvoiceNo.str.upper().str.startswith("C")]
    qty = pd.to_numeric(df.Quantity.str.strip(), errors="coerce")
    df = df[(qty == qty.round()) & (qty > 0) & (qty <= 100_000)].copy()
    df["qty"] = pd.to_numeric(df.Quantity.str.strip()).astype(int)
    price = pd.to_numeric(df.UnitPrice.str.strip(), errors="coerce")
    df = df[price.notna() & (price >= 0)].copy()
    df["price_cents"] = pd.to_numeric(df.UnitPrice.str.strip()).map(lambda p: js_round(p * 100))
    local = pd.to_datetime(df.InvoiceDate.str.strip(), format="%m/%d/%Y %H:%M")
    df["ts"] = local.dt.tz_localize("Europe/London").astype("int64") // 1_000_000
    customer = df.CustomerID.str.strip().str.replace(r"\.0+$", "", regex=True)
    guest = customer.isin(["", "NA", "na", "Na", "nA"])
    df["invoice_customer"] = np.where(guest, "guest-" + df.InvoiceNo, customer)
    df["cents"] = df.price_cents * df.qty
    # The invoice's customer is that of its first line in the file; its time the earliest line.
    invoices = df.groupby("InvoiceNo", sort=False).agg(user=("invoice_customer", "first"), ts=("ts", "min"), cents=("cents", "sum"))
    orders = invoices.reset_index()[["user", "ts", "cents"]]
    # Events for the clustering features: only orders, no views, carts, categories or dwell.
    activity = orders.groupby("user").agg(last_event_ms=("ts", "max"), frequency=("ts", "size"), monetary_cents=("cents", "sum"))
    for column in ["product_views", "cart_adds", "favorites", "category_breadth"]:
        activity[column] = 0
    activity["avg_dwell_ms"] = 0.0
    return orders, activity


def taobao_price_cents(item: str) -> int:
    u = int.from_bytes(hashlib.sha1(f"taobao-price:{item}".encode()).digest()[:4], "big") / 2**32
    return js_round(500 * (200_000 / 500) ** u)


def taobao(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """UserBehavior rows (docs/analytics.md, Taobao): buy = one paid order of one unit at the item's price."""
    df = pd.read_csv(path, header=None, names=["user", "item", "category", "behavior", "ts"], dtype=str)
    df["ts"] = df.ts.astype("int64") * 1000
    buys = df[df.behavior == "buy"].copy()
    buys["cents"] = buys.item.map(taobao_price_cents)
    orders = buys[["user", "ts", "cents"]]
    g = df.groupby("user")
    activity = pd.DataFrame({
        "last_event_ms": g.ts.max(),
        "frequency": g.behavior.apply(lambda s: int((s == "buy").sum())),
        "product_views": g.behavior.apply(lambda s: int((s == "pv").sum())),
        "cart_adds": g.behavior.apply(lambda s: int((s == "cart").sum())),
        "favorites": g.behavior.apply(lambda s: int((s == "fav").sum())),
        # pv/cart/fav carry the product's category, buy its order item's.
        "category_breadth": g.category.nunique(),
    })
    activity["monetary_cents"] = buys.groupby("user").cents.sum().reindex(activity.index).fillna(0).astype("int64")
    activity["avg_dwell_ms"] = 0.0
    return orders, activity


# ---------------------------------------------------------------- RFM

def quintile(values: pd.Series) -> pd.Series:
    """1 + ⌊5·(rank−1)/(n−1)⌋ capped at 5; rank ascending, ties share the lowest rank."""
    n = len(values)
    rank = values.rank(method="min").astype("int64")
    return (1 + (5 * (rank - 1)) // max(n - 1, 1)).clip(upper=5).astype(int)


def rfm(orders: pd.DataFrame, as_of_ms: int) -> tuple[pd.DataFrame, dict]:
    orders = orders[orders.ts < as_of_ms]
    u = orders.groupby("user").agg(last_order_ms=("ts", "max"), frequency=("ts", "size"), monetary_cents=("cents", "sum"))
    u["recency_days"] = (as_of_ms - u.last_order_ms) / DAY_MS
    u["r"] = quintile(u.last_order_ms)
    u["f"] = quintile(u.frequency)
    u["m"] = quintile(u.monetary_cents)
    means = {d: float(u[d].mean()) for d in ["r", "f", "m"]}
    high = {d: u[d] > means[d] for d in ["r", "f", "m"]}
    names = {(r, f, m): name for name, r, f, m in SEGMENTS}
    u["segment"] = [names[(bool(r), bool(f), bool(m))] for r, f, m in zip(high["r"], high["f"], high["m"])]
    n = len(u)
    total_cents = int(u.monetary_cents.sum())
    segments = []
    for name, *_ in SEGMENTS:
        s = u[u.segment == name]
        segments.append({
            "segment": name,
            "users": len(s),
            "share": round(len(s) / n, 4),
            "avg_recency_days": round(float(s.recency_days.mean()), 2) if len(s) else 0,
            "avg_frequency": round(float(s.frequency.mean()), 4) if len(s) else 0,
            "avg_monetary": round(float(s.monetary_cents.mean()) / 100, 2) if len(s) else 0,
            "monetary": int(s.monetary_cents.sum()) / 100,
            "monetary_share": round(int(s.monetary_cents.sum()) / total_cents, 4) if total_cents else 0,
        })
    summary = {
        "as_of_ms": as_of_ms,
        "users": n,
        "paid_orders": int(u.frequency.sum()),
        "monetary": total_cents / 100,
        "score_means": {d: round(means[d], 4) for d in ["r", "f", "m"]},
        "score_distribution": {d: [int((u[d] == s).sum()) for s in range(1, 6)] for d in ["r", "f", "m"]},
        "segments": segments,
    }
    return u, summary


# ---------------------------------------------------------------- K-Means

LABEL_RULES = [  # first match wins; z = the cluster centre in standardised units
    ("high_value_active", "高价值活跃", lambda z: (z["monetary"] >= 0.5 or z["frequency"] >= 0.5) and z["recency_days"] <= 0),
    ("high_value_at_risk", "高价值流失风险", lambda z: z["monetary"] >= 0.5 or z["frequency"] >= 0.5),
    ("dormant", "沉睡", lambda z: z["recency_days"] >= 0.5),
    ("high_intent", "高意向", lambda z: z["cart_rate"] >= 0.5 or z["favorite_rate"] >= 0.5),
    ("browser", "浏览型", lambda z: z["category_breadth"] >= 0.5 or z["avg_dwell_ms"] >= 0.5),
    ("low_activity", "低活跃", lambda z: True),
]


def label(centroids: list[dict]) -> list[str]:
    seen: dict[str, int] = {}
    labels = []
    for z in centroids:
        key, name, _ = next(rule for rule in LABEL_RULES if rule[2](z))
        seen[key] = seen.get(key, 0) + 1
        labels.append(name if seen[key] == 1 else f"{name} {seen[key]}")
    return labels


def kmeans(activity: pd.DataFrame, as_of_ms: int) -> tuple[pd.DataFrame, dict]:
    a = activity.sort_index().copy()
    views = a.product_views.astype(float)
    feats = pd.DataFrame(index=a.index)
    feats["recency_days"] = (as_of_ms - a.last_event_ms) / DAY_MS
    feats["frequency"] = a.frequency.astype(float)
    feats["monetary"] = a.monetary_cents / 100
    feats["avg_dwell_ms"] = a.avg_dwell_ms.astype(float)
    feats["cart_rate"] = np.where(views > 0, a.cart_adds / views.where(views > 0, 1), 0.0)
    feats["favorite_rate"] = np.where(views > 0, a.favorites / views.where(views > 0, 1), 0.0)
    feats["category_breadth"] = a.category_breadth.astype(float)
    x = feats.copy()
    for column in LOG1P:
        x[column] = np.log1p(x[column])
    std = x.std(ddof=0)
    z = (x - x.mean()) / std.where(std > 0, 1)
    z.loc[:, std == 0] = 0.0  # a constant feature carries no information: all zeros
    data = z[FEATURES].to_numpy()

    k_scores, fits = [], {}
    for k in K_RANGE:
        km = KMeans(n_clusters=k, init="k-means++", n_init=SKLEARN_RUNS, max_iter=300, tol=1e-10, random_state=0).fit(data)
        fits[k] = km
        k_scores.append({"k": k, "inertia": float(km.inertia_), "silhouette": float(silhouette_score(data, km.labels_)),
                         "sizes": sorted(np.bincount(km.labels_, minlength=k).tolist(), reverse=True)})
    best = max(k_scores, key=lambda s: (s["silhouette"], -s["k"]))
    km = fits[best["k"]]
    labels = km.labels_
    # Cluster 0 = the largest; equal sizes by centre, coordinate by coordinate.
    sizes = np.bincount(labels, minlength=best["k"])
    order = sorted(range(best["k"]), key=lambda c: (-sizes[c], *km.cluster_centers_[c]))
    renumber = {old: new for new, old in enumerate(order)}
    feats["cluster"] = [renumber[label_] for label_ in labels]
    z["cluster"] = feats.cluster
    centroids = [{f: float(z[z.cluster == c][f].mean()) for f in FEATURES} for c in range(best["k"])]
    names = label(centroids)
    profiles = []
    for c in range(best["k"]):
        members = feats[feats.cluster == c]
        profiles.append({
            "cluster": c,
            "label": names[c],
            "users": len(members),
            "means": {f: float(members[f].mean()) for f in FEATURES},
            "centroid_z": centroids[c],
        })
    return feats, {"as_of_ms": as_of_ms, "users": len(feats), "k": best["k"], "k_scores": k_scores, "clusters": profiles}


# ---------------------------------------------------------------- main

DATASETS = {
    # name: (file, reader, as-of for recency: the day after the data, UTC)
    "online_retail_sample_b": ("online_retail_sample_b.csv", online_retail, 1_323_475_200_000),  # 2011-12-10T00:00Z
    "taobao_c": ("taobao_c.csv", taobao, 1_512_316_800_000),  # 2017-12-04T00:00+08:00
}


def compute(data_dir: Path) -> dict:
    figures = {
        "generated_by": "test/verify/rfm_kmeans_oracle.py",
        "versions": {"pandas": pd.__version__, "numpy": np.__version__, "scikit-learn": __import__("sklearn").__version__},
        "kmeans": {"n_init": SKLEARN_RUNS, "random_state": 0, "k_range": [K_RANGE.start, K_RANGE.stop - 1]},
        "datasets": {},
    }
    for name, (file, reader, as_of_ms) in DATASETS.items():
        orders, activity = reader(data_dir / file)
        users, summary = rfm(orders, as_of_ms)
        feats, clusters = kmeans(activity, as_of_ms)
        figures["datasets"][name] = {
            "file": file,
            "rfm": summary,
            # user → [last order ms, frequency, monetary cents, r, f, m, segment]
            "rfm_users": {u: [int(r.last_order_ms), int(r.frequency), int(r.monetary_cents), int(r.r), int(r.f), int(r.m), r.segment]
                          for u, r in users.sort_index().iterrows()},
            "clusters": clusters,
            # user → [cluster, recency days, frequency, monetary, cart rate, favourite rate, category breadth]
            "cluster_users": {u: [int(r.cluster), round(float(r.recency_days), 6), int(r.frequency), round(float(r.monetary), 2),
                                  round(float(r.cart_rate), 9), round(float(r.favorite_rate), 9), int(r.category_breadth)]
                              for u, r in feats.iterrows()},
        }
    return figures


def to_text(figures: dict) -> str:
    """Indented JSON with every array of scalars on one line (one line per user)."""
    text = json.dumps(figures, ensure_ascii=False, indent=1)
    return re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]", text) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=REPO / "test" / "verify" / "oracle-figures.json")
    parser.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    args = parser.parse_args()
    figures = compute(args.data_dir)
    text = to_text(figures)
    if args.check:
        committed = json.loads(args.out.read_text(encoding="utf-8"))
        fresh = json.loads(text)
        committed.pop("versions", None)
        fresh.pop("versions", None)
        if committed != fresh:
            print(f"{args.out} differs from a fresh computation", file=sys.stderr)
            return 1
        print(f"{args.out} matches a fresh computation")
        return 0
    args.out.write_text(text, encoding="utf-8")
    for name, d in figures["datasets"].items():
        print(name, "RFM users", d["rfm"]["users"], {s["segment"]: s["users"] for s in d["rfm"]["segments"]})
        print(name, "k =", d["clusters"]["k"], [(c["label"], c["users"]) for c in d["clusters"]["clusters"]])
        for s in d["clusters"]["k_scores"]:
            print(f"  k={s['k']} inertia={s['inertia']:.4f} silhouette={s['silhouette']:.4f} sizes={s['sizes']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
