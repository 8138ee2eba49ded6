"""The fields of a sales line, and which file column is probably which (English, Indonesian)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inventory_site.spreadsheets import normalise_header


@dataclass(frozen=True)
class Field:
    key: str
    label: str | Promise
    required: bool
    # Normalised header names, best first; a header containing one of them is a weaker match.
    names: tuple[str, ...]


FIELDS = (
    Field(
        "date",
        _("Date"),
        True,
        ("date", "tanggal", "tgl", "sale_date", "invoice_date", "tanggal_faktur", "tgl_faktur",
         "tanggal_transaksi", "transaction_date", "tanggal_jual", "waktu"),
    ),
    Field(
        "document",
        _("Document number"),
        False,
        ("no_faktur", "nomor_faktur", "faktur", "invoice_no", "invoice_number", "invoice",
         "document", "document_number", "doc_no", "no_invoice", "no_nota", "nota", "no_bukti",
         "receipt", "no_transaksi", "number", "nomor", "no"),
    ),
    Field(
        "code",
        _("Product code"),
        True,
        ("kode", "code", "sku", "kode_barang", "kode_produk", "kode_item", "product_code",
         "item_code", "article", "plu", "part_number"),
    ),
    Field(
        "description",
        _("Description"),
        False,
        ("description", "nama_barang", "nama_produk", "nama_item", "product_name", "item_name",
         "deskripsi", "keterangan", "uraian", "product", "item", "barang", "nama", "name"),
    ),
    Field(
        "quantity",
        _("Quantity"),
        True,
        ("qty", "quantity", "kuantitas", "jumlah", "jml", "banyak", "qty_sold", "pcs"),
    ),
    Field(
        "price",
        _("Unit price"),
        True,
        ("harga", "harga_satuan", "unit_price", "price", "harga_jual", "sale_price", "rate"),
    ),
    Field(
        "customer",
        _("Customer"),
        False,
        ("pelanggan", "customer", "nama_pelanggan", "customer_name", "konsumen", "pembeli",
         "client", "buyer"),
    ),
    Field(
        "location",
        _("Location"),
        False,
        ("lokasi", "location", "gudang", "toko", "store", "warehouse", "cabang", "branch",
         "outlet"),
    ),
)  # fmt: skip
FIELDS_BY_KEY = {field.key: field for field in FIELDS}
REQUIRED = tuple(field.key for field in FIELDS if field.required)


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """Return field key -> column index for the headers that look like a field.

    Exact names win over partial ones ("harga" over "total_harga"); each column serves one field.
    """
    normalised = [normalise_header(header) for header in headers]
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for exact in (True, False):
        for field in FIELDS:
            if field.key in mapping:
                continue
            for name in field.names:
                column = _find(normalised, name, exact, taken)
                if column is not None:
                    mapping[field.key] = column
                    taken.add(column)
                    break
    return mapping


def _find(headers: list[str], name: str, exact: bool, taken: set[int]) -> int | None:
    for column, header in enumerate(headers):
        if column in taken or not header:
            continue
        if exact:
            if header == name:
                return column
        elif len(name) > 2 and f"_{name}_" in f"_{header}_":
            return column
    return None
