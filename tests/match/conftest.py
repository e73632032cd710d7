"""A realistic background list for matching tests: a few hundred distinct customers in five countries.

Matching estimates its parameters from the list itself (u from random pairs, m from the candidates),
so scenario rows are tested inside a population, as they would be in a real file.
"""

from __future__ import annotations

import random

import pytest

FIRST = ["Jean", "Marie", "Pierre", "Sophie", "Luc", "Camille", "Hans", "Anna", "Jürgen", "Greta", "Ion", "Elena",
         "Andrei", "Ioana", "Minh", "Lan", "Tuấn", "Hoa", "Carlos", "Lucía", "Javier", "Carmen", "Emily", "James",
         "Olivia", "Daniel", "Chloé", "Mathieu", "Bogdan", "Thảo"]
LAST = ["Martin", "Bernard", "Dubois", "Lefèvre", "Müller", "Schmidt", "Schneider", "Fischer", "Ionescu",
        "Dumitrescu", "Stan", "Trần", "Lê", "Phạm", "García", "López", "Fernández", "Johnson", "Williams", "Brown",
        "Moreau", "Girard", "Wagner", "Becker", "Constantin", "Hoàng", "Sánchez", "Taylor", "Davies", "Roux"]
STREETS = ["rue de la Paix", "avenue Victor Hugo", "Hauptstraße", "Bahnhofstraße", "Strada Lipscani",
           "Calea Victoriei", "đường Lê Lợi", "calle Mayor", "High Street", "Church Road", "boulevard Voltaire",
           "Gartenweg", "Strada Florilor", "calle de Alcalá", "Park Avenue"]
CITIES = [("75011", "Paris", "FR"), ("69003", "Lyon", "FR"), ("10115", "Berlin", "DE"), ("80331", "München", "DE"),
          ("010011", "București", "RO"), ("400001", "Cluj-Napoca", "RO"), ("700000", "Hồ Chí Minh", "VN"),
          ("28013", "Madrid", "ES"), ("SW1A 1AA", "London", "GB"), ("10001", "New York", "US")]
COLUMNS = ["first_name", "last_name", "email", "phone", "street", "postal_code", "city", "country", "birth_date"]


def background(n: int = 400, seed: int = 11) -> list[dict[str, str]]:
    """n distinct customers; every email, phone and birth date differs from the scenario rows."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        postal, city, country = rng.choice(CITIES)
        rows.append({
            "first_name": first, "last_name": last,
            "email": f"cust{i}.{rng.randint(100, 999)}@example.org" if rng.random() < 0.8 else "",
            "phone": f"+3{rng.randint(10, 99)}{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.7 else "",
            "street": f"{rng.randint(1, 300)} {rng.choice(STREETS)}", "postal_code": postal, "city": city,
            "country": country,
            "birth_date": f"{rng.randint(1940, 2003)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        })
    return rows


@pytest.fixture(scope="session")
def population() -> list[dict[str, str]]:
    return background()
