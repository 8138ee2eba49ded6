from django.core.management.base import BaseCommand, CommandError

from stock.selectors import stock_mismatches


class Command(BaseCommand):
    help = (
        "Prove that every stock level equals the sum of its ledger and that no reservation "
        "exceeds what is on hand; exit non-zero and list the mismatches otherwise."
    )

    def handle(self, *args, **options):
        mismatches = stock_mismatches()
        for m in mismatches:
            self.stderr.write(
                f"product {m.product_id} at location {m.location_id}: on hand {m.on_hand}, "
                f"ledger {m.ledger}, reserved {m.reserved}"
            )
        if mismatches:
            raise CommandError(f"{len(mismatches)} stock level(s) disagree with the ledger.")
        self.stdout.write(self.style.SUCCESS("Stock levels agree with the ledger."))
