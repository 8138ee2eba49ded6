from django.db import migrations

# The ledger is history: PostgreSQL itself refuses to change or remove a row of it, whoever
# asks (ORM, raw SQL, admin). TRUNCATE, a whole-table administrative act used by test flushes,
# is not a row change and stays possible for the table owner.
APPEND_ONLY = """
CREATE FUNCTION stock_movement_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'stock_stockmovement is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER stock_movement_append_only
    BEFORE UPDATE OR DELETE ON stock_stockmovement
    FOR EACH ROW EXECUTE FUNCTION stock_movement_append_only();
"""
REMOVE = """
DROP TRIGGER stock_movement_append_only ON stock_stockmovement;
DROP FUNCTION stock_movement_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("stock", "0001_initial")]

    operations = [migrations.RunSQL(APPEND_ONLY, REMOVE)]
