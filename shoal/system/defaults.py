"""Seeded Chinese defaults of the data dictionary (SYS-1) and the parameters (SYS-2)."""

DICTIONARY_DEFAULTS: dict[str, list[tuple[str, str]]] = {
    # ORG-5 (seed 004 §1.2.2)
    "employee_status": [
        ("working", "工作中"),
        ("studying", "学习"),
        ("visiting", "拜访客户"),
        ("complaint", "处理投诉"),
        ("leave", "请假"),
        ("business_trip", "出差"),
        ("requirements", "需求提交"),
    ],
    "customer_category": [
        ("enterprise", "企业客户"),
        ("government", "政府机构"),
        ("individual", "个人客户"),
        ("agent", "代理商"),
    ],
    "industry": [
        ("it", "信息技术"),
        ("manufacturing", "制造业"),
        ("retail", "批发零售"),
        ("finance", "金融"),
        ("education", "教育培训"),
        ("healthcare", "医疗健康"),
        ("construction", "建筑地产"),
        ("logistics", "交通物流"),
        ("catering", "餐饮酒店"),
        ("other", "其他"),
    ],
    "customer_level": [
        ("a", "A 重点客户"),
        ("b", "B 普通客户"),
        ("c", "C 一般客户"),
    ],
    # CUS-9 (seed 003 §1.1.4): six kinds of data source, 系统客户 by default.
    "customer_source": [
        ("system", "系统客户"),
        ("self_public", "个人查找（公共资源）"),
        ("self_social", "个人查找（个人社交）"),
        ("referral", "老客户转介绍"),
        ("company", "公司资源"),
        ("csc", "CSC网单"),
    ],
    "relation_type": [
        ("partner", "合作伙伴"),
        ("parent_company", "母公司"),
        ("subsidiary", "子公司"),
        ("client", "客户"),
        ("supplier", "供应商"),
        ("friend", "朋友"),
    ],
    "social_relation_type": [
        ("spouse", "配偶"),
        ("relative", "亲属"),
        ("friend", "朋友"),
        ("classmate", "同学"),
        ("former_colleague", "前同事"),
    ],
}

PARAMETER_DEFAULTS: dict[str, object] = {
    # SYS-2 上下级强制共享: superiors automatically see their subordinates' customers.
    "forced_hierarchy_sharing": True,
    # SYS-2 公开信息: the customer fields everyone sees in the pool (choices: CUSTOMER_PUBLIC_FIELDS).
    "public_fields": ["name", "category", "industry", "province", "city", "district", "stage"],
}

# Customer fields an administrator may make public in the pool (CUS-1, 公开信息).
CUSTOMER_PUBLIC_FIELDS: list[str] = [
    "name",
    "short_name",
    "category",
    "industry",
    "level",
    "stage",
    "intent_level",
    "source",
    "province",
    "city",
    "district",
    "address",
    "website",
    "created_at",
]
