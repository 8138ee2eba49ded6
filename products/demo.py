"""A believable demo catalogue for a general store: categories two levels deep, a few hundred
products, a dozen suppliers with their catalogues. Deterministic (seeded)."""

import random
from decimal import Decimal

from django.db import transaction

from suppliers.models import Supplier, SupplierProduct

from .models import Category, Product, Tag

TREE = {
    "Food": {
        "Rice & Grains": ["Beras Premium", "Beras Merah", "Oat", "Jagung Pipil"],
        "Snacks": ["Keripik Singkong", "Kacang Atom", "Biskuit Kelapa", "Wafer Coklat"],
        "Instant Food": ["Mie Goreng", "Mie Kuah Soto", "Bubur Instan", "Sarden Kaleng"],
        "Cooking": ["Minyak Goreng", "Gula Pasir", "Garam", "Kecap Manis", "Saus Sambal"],
    },
    "Drinks": {
        "Coffee & Tea": ["Kopi Bubuk", "Kopi Sachet", "Teh Celup", "Teh Melati"],
        "Water & Juice": ["Air Mineral", "Jus Jeruk", "Minuman Isotonik", "Susu UHT"],
    },
    "Household": {
        "Cleaning": ["Sabun Cuci Piring", "Deterjen Bubuk", "Pembersih Lantai", "Pewangi Pakaian"],
        "Personal Care": ["Sabun Mandi", "Sampo", "Pasta Gigi", "Sikat Gigi"],
    },
    "Stationery": {
        "Writing": ["Pulpen", "Pensil 2B", "Spidol", "Penghapus"],
        "Paper": ["Buku Tulis", "Kertas HVS", "Amplop", "Map Plastik"],
    },
}
SIZES = {
    "Beras": [("5 kg", "kg", 75000), ("10 kg", "kg", 145000), ("25 kg", "kg", 350000)],
    "Minyak": [("1 L", "l", 18000), ("2 L", "l", 35000)],
    "Air": [("600 ml", "pcs", 3500), ("1.5 L", "pcs", 6500), ("Galon 19 L", "pcs", 20000)],
}
DEFAULT_SIZES = [("Kecil", "pcs", 5000), ("Sedang", "pcs", 12000), ("Besar", "pcs", 25000),
                 ("Pak isi 6", "pack", 60000)]  # fmt: skip
BRANDS = ["Nusantara", "Sari", "Mentari", "Cahaya", "Pelangi"]
SUPPLIERS = [
    ("PT Sumber Pangan Jaya", "Budi Santoso"), ("CV Maju Bersama", "Siti Rahma"),
    ("PT Segar Abadi", "Andi Wijaya"), ("UD Berkah Makmur", "Dewi Lestari"),
    ("PT Kopi Nusantara", "Rudi Hartono"), ("CV Bersih Sentosa", "Rina Kusuma"),
    ("PT Alat Tulis Prima", "Agus Salim"), ("UD Sembako Murah", "Yuni Astuti"),
    ("PT Minuman Sehat", "Hendra Gunawan"), ("CV Rumah Tangga", "Lina Marlina"),
    ("PT Distribusi Cepat", "Fajar Nugroho"), ("UD Toko Grosir", "Maya Sari"),
]  # fmt: skip
STREETS = ["Sudirman", "Thamrin", "Gatot Subroto", "Diponegoro"]
TAGS = ["promo", "best seller", "new", "local", "halal", "seasonal"]


@transaction.atomic
def catalogue_load(seed: int = 2026) -> int:
    """Create the demo catalogue; return how many products it made."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    tags = [Tag.objects.create(name=name) for name in TAGS]
    suppliers = [
        Supplier.objects.create(
            name=name,
            contact_person=person,
            phone=f"+62 21 {rng.randint(5000000, 5999999)}",
            email=f"sales@{name.split()[-1].lower()}{i}.example",
            address=f"Jl. {rng.choice(STREETS)} No. {i + 1}, Jakarta",
        )
        for i, (name, person) in enumerate(SUPPLIERS)
    ]
    products, links, offers = [], [], []
    for top, groups in TREE.items():
        parent = Category.objects.create(name=top)
        for group, items in groups.items():
            category = Category.objects.create(name=group, parent=parent)
            for item in items:
                sizes = next((s for k, s in SIZES.items() if item.startswith(k)), DEFAULT_SIZES)
                for brand in rng.sample(BRANDS, 3):
                    for size, unit, base in sizes:
                        price = Decimal(round(base * rng.uniform(0.8, 1.3), -2))
                        n = len(products) + 1
                        products.append(
                            Product(
                                sku=f"{top[:3].upper()}-{n:05d}",
                                barcode=f"899{n:010d}",
                                name=f"{item} {brand} {size}",
                                unit=unit,
                                category=category,
                                sale_price=price,
                                cost_price=(price * Decimal("0.72")).quantize(Decimal("0.01")),
                                tax_rate=Decimal("11"),
                                reorder_point=Decimal(rng.choice([5, 10, 20])),
                                reorder_quantity=Decimal(rng.choice([24, 48, 100])),
                                preferred_supplier=rng.choice(suppliers),
                                is_active=rng.random() > 0.03,
                            )
                        )
    Product.objects.bulk_create(products)
    for product in products:
        for tag in rng.sample(tags, rng.choice([0, 0, 1, 2])):
            links.append(Product.tags.through(product_id=product.pk, tag_id=tag.pk))
        for supplier in {product.preferred_supplier, rng.choice(suppliers)}:
            offers.append(
                SupplierProduct(
                    supplier=supplier,
                    product=product,
                    supplier_sku=f"{supplier.name.split()[-1][:3].upper()}-{product.pk}",
                    purchase_price=(product.cost_price * Decimal(rng.uniform(0.95, 1.05))).quantize(
                        Decimal("0.0001")
                    ),
                    lead_time_days=rng.choice([2, 3, 5, 7, 14]),
                    min_order_quantity=Decimal(rng.choice([1, 6, 12, 24])),
                )
            )
    Product.tags.through.objects.bulk_create(links)
    SupplierProduct.objects.bulk_create(offers)
    return len(products)
