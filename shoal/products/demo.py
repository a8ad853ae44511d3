"""Demo product catalogue of 星河贸易 (office equipment and supplies): ~20 products in a small
category tree, created through the services so their history is real."""

from decimal import Decimal

from django.db import transaction

from shoal.org.models import User
from shoal.products import services
from shoal.products.models import Product, ProductCategory

CATEGORIES = {  # name → parent
    "办公设备": None,
    "打印复印": "办公设备",
    "投影显示": "办公设备",
    "电脑及配件": None,
    "耗材": None,
    "服务": None,
}

# code, name, spec, unit, list price, cost, category
CATALOGUE = [
    ("XH-P100", "黑白激光打印机", "P100 / A4 30页/分", "台", "1580.00", "1050.00", "打印复印"),
    ("XH-P260", "彩色激光打印机", "P260 / A4 双面", "台", "3280.00", "2300.00", "打印复印"),
    ("XH-C450", "数码复合机", "C450 / A3 复印扫描", "台", "18800.00", "13200.00", "打印复印"),
    ("XH-S20", "高速扫描仪", "S20 / 双面 60页/分", "台", "4200.00", "2900.00", "打印复印"),
    ("XH-J500", "商务投影仪", "J500 / 4000流明", "台", "5600.00", "3900.00", "投影显示"),
    ("XH-J800", "激光工程投影仪", "J800 / 8000流明", "台", "26800.00", "19500.00", "投影显示"),
    ("XH-M65", "会议平板", "M65 / 65英寸 触控", "台", "12800.00", "8800.00", "投影显示"),
    ("XH-SC100", "电动投影幕", "100英寸 16:9", "幅", "980.00", "520.00", "投影显示"),
    ("XH-D14", "商务笔记本电脑", "D14 / i5 16G 512G", "台", "5999.00", "4600.00", "电脑及配件"),
    ("XH-T27", "27英寸显示器", "T27 / 2K IPS", "台", "1299.00", "860.00", "电脑及配件"),
    ("XH-K10", "无线键鼠套装", "K10", "套", "159.00", "72.00", "电脑及配件"),
    ("XH-U8", "扩展坞", "U8 / Type-C 八合一", "个", "329.00", "150.00", "电脑及配件"),
    ("XH-TN100", "原装硒鼓", "TN100 / 适用 P100", "支", "420.00", "210.00", "耗材"),
    ("XH-TN260", "彩色粉盒套装", "TN260 / 四色", "套", "1680.00", "980.00", "耗材"),
    ("XH-A4-70", "A4复印纸", "70g 500张/包 8包/箱", "箱", "168.00", "128.00", "耗材"),
    ("XH-LMP5", "投影仪灯泡", "LMP5 / 适用 J500", "个", "860.00", "430.00", "耗材"),
    ("XH-HDMI", "HDMI高清线", "5米", "条", "69.00", "18.00", "耗材"),
    ("XH-INST", "上门安装调试", "市内 每台", "次", "300.00", "120.00", "服务"),
    ("XH-CARE1", "一年延保服务", "整机 一年", "年", "880.00", "260.00", "服务"),
    ("XH-TRAIN", "操作培训", "2小时 现场", "次", "600.00", "200.00", "服务"),
    ("XH-P90", "旧款黑白打印机", "P90 / 已停产", "台", "1280.00", "900.00", "打印复印"),
]


@transaction.atomic
def demo_create() -> None:
    admin = User.objects.filter(username="wangzong").first()
    if admin is None or Product.objects.exists():
        return
    categories: dict[str, ProductCategory] = {}
    for position, (name, parent) in enumerate(CATEGORIES.items()):
        categories[name] = services.category_create(
            actor=admin, name=name, parent=categories.get(parent) if parent else None, position=position
        )
    for code, name, spec, unit, price, cost, category in CATALOGUE:
        services.product_create(
            actor=admin,
            data={
                "code": code,
                "name": name,
                "spec": spec,
                "unit": unit,
                "list_price": Decimal(price),
                "cost": Decimal(cost),
                "category": categories[category],
            },
        )
    old = Product.objects.get(code="XH-P90")
    services.product_set_active(actor=admin, ids=[old.pk], active=False)


def demo_delete() -> None:
    Product.history.all().delete()
    Product.objects.all().delete()
    ProductCategory.objects.filter(parent__isnull=False).delete()
    ProductCategory.objects.all().delete()
