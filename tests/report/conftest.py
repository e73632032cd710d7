"""A realistic multilingual report folder, written by hand, so report.html is tested without the pipeline.

`write_report_folder(path, scale=..., hostile=...)` writes every report file a `clean` run can produce
(summary.json, changes.csv, issues.csv, pairs.csv, review.csv, clusters.csv, merges.csv,
suppressed.csv, quarantine.csv, incomplete.csv) in the shapes report/files.py writes: UTF-8 with BOM,
formula-looking cells guarded with a leading quote.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

HOSTILE = '<script>document.title="pwned"</script>'
HOSTILE_IMG = '"><img src=x onerror="document.title=\'pwned\'">'

# (column, old, new, step, rule): the kinds of edits a clean run makes on a FR/RO/VI/EN/DE/ES list
EDIT_KINDS = [
    ("Pays", "Etats Unis", "US", "country", "country.alias"),
    ("Pays", "Hoa Kỳ", "US", "country", "country.alias"),
    ("Pays", "Frnace", "FR", "country", "country.typo"),
    ("Pays", "Statele Unite ale Americii", "US", "country", "country.alias"),
    ("Prénom", "jean-pierre", "Jean-Pierre", "name", "name.case"),
    ("Nom", "ĐỖ", "Đỗ", "name", "name.case"),
    ("Nom", "NGUYỄN VĂN", "Nguyễn Văn", "name", "name.case"),
    ("Prénom", "ȘTEFAN", "Ștefan", "name", "name.case"),
    ("Téléphone", "06 12 34 56 78", "+33612345678", "phone", "phone.e164"),
    ("Téléphone", "0907670440", "+84907670440", "phone", "phone.e164"),
    ("Téléphone", "0721 234 567", "+40721234567", "phone", "phone.e164"),
    ("Email", "Marie.Curie@GMAIL.COM", "marie.curie@gmail.com", "email", "email.case"),
    ("Email", "hans.mueller@gmial.com", "hans.mueller@gmail.com", "email", "email.typo_domain"),
    ("Adresse", "12 bd. Saint-Germain", "12 boulevard Saint-Germain", "address", "address.street_type"),
    ("Adresse", "Str. Mihai Eminescu nr. 5", "Strada Mihai Eminescu nr. 5", "address", "address.street_type"),
    ("Adresse", "C/ Mayor 7", "Calle Mayor 7", "address", "address.street_type"),
    ("Code postal", "7030", "07030", "postal_code", "postal_code.zero_pad"),
    ("Code postal", "13 001", "13001", "postal_code", "postal_code.spaces"),
    ("Date de naissance", "19/1/1950", "1950-01-19", "date", "date.iso"),
    ("Ville", "  Düsseldorf ", "Düsseldorf", "text", "text.strip"),
]
COLUMNS = ["ID", "Prénom", "Nom", "Email", "Téléphone", "Société", "Adresse", "Code postal", "Ville", "Pays",
           "Date de naissance", "Désinscrit", "Notes"]
PEOPLE = [
    ("Jérôme", "Faure", "jfaure@hotmail.fr", "+33778907661", "Marseille", "FR"),
    ("Hoàng Nam", "Đỗ", "hdo@gmail.com", "+84907670440", "TP. Hồ Chí Minh", "VN"),
    ("Ștefan", "Popescu", "stefan.popescu@yahoo.ro", "+40721234567", "București", "RO"),
    ("Jürgen", "Müller", "j.mueller@web.de", "+4915112345678", "München", "DE"),
    ("María José", "García López", "mj.garcia@telefonica.es", "+34612345678", "Sevilla", "ES"),
    ("William", "Wilson", "wilson.william76@hotmail.com", "+16172073884", "Boston", "US"),
]


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([[str(c) for c in row] for row in rows])


def _changes(scale: int, hostile: bool) -> list[list[object]]:
    rows = []
    for i in range(scale * len(EDIT_KINDS)):
        column, old, new, step, rule = EDIT_KINDS[(i * 7) % len(EDIT_KINDS)]
        rows.append([1 + (i * 13) % (scale * 40), column, old, new, step, rule])
    if hostile:
        rows.insert(0, [3, "Notes", HOSTILE, HOSTILE_IMG, "text", "text.strip"])
        rows.insert(1, [4, "Société", "'=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")", "text", "text.nfc"])
    return rows


def _issues(scale: int, hostile: bool) -> list[list[object]]:
    kinds = [
        ("Email", "jean.dupont@@orange.fr", "error", "email.invalid", "not a valid email address"),
        ("Téléphone", "12345", "error", "phone.invalid", "too short to be a phone number"),
        ("Code postal", "7500", "warning", "postal_code.bad_format", "does not match the FR postal code format"),
        ("Pays", "Congo", "warning", "country.ambiguous", "could be several countries; left as written"),
        ("", "", "error", "required.contact", "no way to reach this customer: needs an email or a phone"),
        ("Date de naissance", "31/02/1980", "warning", "date.invalid", "not a real date"),
        ("Société", "SARL", "info", "company.legal_form_only", "only a legal form, no company name"),
    ]
    rows = [[1 + (i * 17) % (scale * 40), *kinds[i % len(kinds)]] for i in range(scale * 12)]
    if hostile:
        rows.append([5, "Notes", HOSTILE, "warning", "text.control", HOSTILE_IMG])
    return rows


MERGE_FIELDS = ["Prénom", "Nom", "Email", "Téléphone", "Ville", "Pays"]


def _member_values(person: tuple[str, ...], k: int, c: int, hostile: bool) -> dict[str, str]:
    """Member k of cluster c as it was in the file: the survivor (k = 0) or a messier copy."""
    first, last, email, phone, city, country = person
    if k == 0:
        return dict(zip(MERGE_FIELDS, [first, last, "" if c % 3 == 1 else email, phone, city, country], strict=True))
    return {
        "Prénom": first.upper() if k % 2 else first, "Nom": HOSTILE if hostile and c == 0 else last,
        "Email": email if c % 3 == 1 and k == 1 else email.upper() if k == 1 else "",
        "Téléphone": phone[:-1] + str(k), "Ville": city, "Pays": country,
    }


def _golden(members: list[dict[str, str]]) -> dict[str, str]:
    """Survivorship as the merge step does it: the survivor's filled value, else the first filled one."""
    return {f: next((m[f] for m in members if m[f]), "") for f in MERGE_FIELDS}


def _matches(scale: int, hostile: bool) -> tuple[list, list, list, list]:
    """clusters.csv, merges.csv (wide, with won/lost columns), pairs.csv, review.csv as match and merge write them."""
    clusters, merges, pairs, review = [], [], [], []
    row = 1
    for c in range(scale * 6):
        size = 2 + (c % 4 == 0) + (c % 9 == 0) * 2
        cid = f"c{row:06d}"
        members = [_member_values(PEOPLE[c % len(PEOPLE)], k, c, hostile) for k in range(size)]
        golden = _golden(members)
        for k, values in enumerate(members):
            key = row + k
            clusters.append([key, cid, "0.97"])
            won = [f for f in MERGE_FIELDS if values[f] and values[f] == golden[f]]
            lost = [f for f in MERGE_FIELDS if values[f] and values[f] != golden[f]]
            merges.append([cid, key, *values.values(), "; ".join(won), "; ".join(lost)])
            if k:
                pairs.append([row, key, f"{0.99 - k * 0.01:.6f}", "11.2", "4.1", "3.2", "exact", "exact"])
        row += size
    for p in range(scale * 8):
        first, last, email, *_ = PEOPLE[p % len(PEOPLE)]
        score = f"{0.89 - (p % 20) * 0.01:.4f}"
        review.append([f"{900 + p}-{950 + p}", 900 + p, 950 + p, score, first, first[0] + ".", last, last, email,
                       email.upper(), "nickname", ""])
        pairs.append([900 + p, 950 + p, score, "1.2", "1.2", "0.4", "jaro_winkler_0.80", "exact"])
    return clusters, merges, pairs, review


def write_report_folder(folder: Path, scale: int = 3, hostile: bool = False) -> Path:
    """Every report file of a `clean` run over a multilingual list; `scale` grows every table."""
    folder.mkdir(parents=True, exist_ok=True)
    changes, issues = _changes(scale, hostile), _issues(scale, hostile)
    clusters, merges, pairs, review = _matches(scale, hostile)
    _write_csv(folder / "changes.csv", ["row", "column", "old", "new", "step", "rule"], changes)
    _write_csv(folder / "issues.csv", ["row", "column", "value", "severity", "code", "message"], issues)
    _write_csv(folder / "clusters.csv", ["row", "cluster_id", "probability"], clusters)
    _write_csv(folder / "merges.csv", ["cluster_id", "row", *MERGE_FIELDS, "won_columns", "lost_columns"], merges)
    _write_csv(folder / "pairs.csv", ["row_l", "row_r", "probability", "match_weight", "w_first_name", "w_email",
                                      "level_first_name", "level_email"], pairs)
    _write_csv(folder / "review.csv", ["pair_key", "row_l", "row_r", "probability", "first_name_l", "first_name_r",
                                       "last_name_l", "last_name_r", "email_l", "email_r", "level_first_name",
                                       "decision"], review)
    reasons = ["opt-out list (optouts.csv)", "Désinscrit = oui", "no postal address (--for-mailing postal)"]
    _write_csv(folder / "suppressed.csv", ["row", "reason", "Prénom", "Email"],
               [[700 + i, reasons[i % 3], PEOPLE[i % 6][0], PEOPLE[i % 6][2]] for i in range(scale * 4)])
    _write_csv(folder / "quarantine.csv", ["row", "Prénom", "Nom", "Email", "Téléphone"],
               [[800 + i, "Lan", "Trần Thị", "", "12345"] for i in range(scale)])
    _write_csv(folder / "incomplete.csv", ["row", "missing"], [[810 + i, "Code postal"] for i in range(scale * 2)])
    rows_in = scale * 80
    summary = {
        "command": "clean", "rows_in": rows_in, "rows_out": rows_in - (len(clusters) - scale * 6) - scale * 5,
        "edits": len(changes), "findings": {s: sum(1 for r in issues if r[3] == s) for s in ("error", "warning",
                                                                                             "info")},
        "quarantined": scale, "clusters": scale * 6, "records_in_clusters": len(clusters),
        "review_pairs": len(review), "merged": len(merges), "suppressed": scale * 4, "seconds": 2.417,
        "stats": {"match": {"candidate_pairs": len(pairs), "blocks": 14}, "suppress": {"optouts": 3}},
        "timings": {"text": 0.05, "country": 0.11, "name": 0.31, "phone": 0.42, "email": 0.08, "address": 0.25,
                    "postal_code": 0.02, "date": 0.06, "validate": 0.19, "match": 0.83, "merge": 0.12,
                    "suppress": 0.05},
        "config": {"normalize": {"phone_format": "e164", "skip": []}, "match": {"threshold": 0.92,
                                                                              "review_threshold": 0.7}},
        "columns": COLUMNS,
    }
    (folder / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def report_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full report folder with hostile cells, shared read-only by the HTML tests."""
    return write_report_folder(tmp_path_factory.mktemp("report"), scale=3, hostile=True)
