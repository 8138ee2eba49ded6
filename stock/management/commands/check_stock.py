from django.core.management.base import BaseCommand, CommandError

from stock.selectors import stock_mismatches, stock_total_mismatches


class Command(BaseCommand):
    help = (
        "Prove that every stock level equals the sum of its ledger, that no reservation "
        "exceeds what is on hand, and that each product's stock total equals the sum of its "
        "levels; exit non-zero and list the mismatches otherwise."
    )

    def handle(self, *args, **options):
        mismatches = stock_mismatches()
        for m in mismatches:
            self.stderr.write(
                f"product {m.product_id} at location {m.location_id}: on hand {m.on_hand}, "
                f"ledger {m.ledger}, reserved {m.reserved}"
            )
        totals = stock_total_mismatches()
        for t in totals:
            self.stderr.write(
                f"product {t.product_id}: stock total {t.total}, levels available {t.levels}; "
                f"reorder point {t.reorder_point} (product {t.product_reorder_point}), "
                f"active {t.is_active} (product {t.product_is_active})"
            )
        if mismatches:
            raise CommandError(f"{len(mismatches)} stock level(s) disagree with the ledger.")
        if totals:
            raise CommandError(f"{len(totals)} stock total(s) disagree with the levels.")
        self.stdout.write(self.style.SUCCESS("Stock levels agree with the ledger."))
