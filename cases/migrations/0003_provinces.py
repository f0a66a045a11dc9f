"""Cambodia's 25 provinces (the capital Phnom Penh counted among them), as reference data."""

from django.db import migrations

PROVINCES = [
    ("Banteay Meanchey", "បន្ទាយមានជ័យ"),
    ("Battambang", "បាត់ដំបង"),
    ("Kampong Cham", "កំពង់ចាម"),
    ("Kampong Chhnang", "កំពង់ឆ្នាំង"),
    ("Kampong Speu", "កំពង់ស្ពឺ"),
    ("Kampong Thom", "កំពង់ធំ"),
    ("Kampot", "កំពត"),
    ("Kandal", "កណ្ដាល"),
    ("Kep", "កែប"),
    ("Koh Kong", "កោះកុង"),
    ("Kratie", "ក្រចេះ"),
    ("Mondulkiri", "មណ្ឌលគិរី"),
    ("Oddar Meanchey", "ឧត្ដរមានជ័យ"),
    ("Pailin", "ប៉ៃលិន"),
    ("Phnom Penh", "ភ្នំពេញ"),
    ("Preah Sihanouk", "ព្រះសីហនុ"),
    ("Preah Vihear", "ព្រះវិហារ"),
    ("Prey Veng", "ព្រៃវែង"),
    ("Pursat", "ពោធិ៍សាត់"),
    ("Ratanakiri", "រតនគិរី"),
    ("Siem Reap", "សៀមរាប"),
    ("Stung Treng", "ស្ទឹងត្រែង"),
    ("Svay Rieng", "ស្វាយរៀង"),
    ("Takeo", "តាកែវ"),
    ("Tbong Khmum", "ត្បូងឃ្មុំ"),
]


def add_provinces(apps, schema_editor):
    Province = apps.get_model("cases", "Province")
    for name_en, name_km in PROVINCES:
        Province.objects.update_or_create(name_en=name_en, defaults={"name_km": name_km})


def remove_provinces(apps, schema_editor):
    Province = apps.get_model("cases", "Province")
    Province.objects.filter(name_en__in=[name for name, _ in PROVINCES]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [migrations.RunPython(add_provinces, remove_provinces)]
