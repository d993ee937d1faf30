from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("juries", "0002_member_sex"),
    ]

    operations = [
        migrations.AddField(
            model_name="jurysession",
            name="board_version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
    ]
