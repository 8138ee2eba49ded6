from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("products", "0003_list_order_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("is_active", True)),
                fields=["name", "id"],
                name="products_product_active_name",
            ),
        ),
    ]
