"""Seeded defaults of the call page (ACT-4, seed 003 §1): the two classifications as dictionary
kinds, the daily phone-claim quota as a parameter, and a starter set of talk scripts."""

from shoal.system.defaults import DICTIONARY_DEFAULTS, PARAMETER_DEFAULTS

NEEDS_KIND = "promotion_need"  # 客户推广需求分类
AWARENESS_KIND = "network_awareness"  # 网络意识分类

DICTIONARY = {
    NEEDS_KIND: [
        ("brand", "品牌推广需求"),
        ("leads", "获取客户/询盘需求"),
        ("sales", "直接销售需求"),
        ("recruit", "招商加盟需求"),
        ("unclear", "需求不明确"),
    ],
    AWARENESS_KIND: [
        ("strong", "网络意识强（已在做网络推广）"),
        ("medium", "有一定网络意识（有网站未推广）"),
        ("weak", "网络意识弱（未接触网络推广）"),
        ("negative", "排斥网络推广"),
    ],
}

# SYS-2 电话申领: how many numbers one rep may take from the pool per day.
PARAMETERS = {"call_daily_quota": 30}


def register_defaults() -> None:
    for kind, items in DICTIONARY.items():
        DICTIONARY_DEFAULTS.setdefault(kind, items)
    for key, value in PARAMETERS.items():
        PARAMETER_DEFAULTS.setdefault(key, value)


# (kind, category, title, content): a starter set managers edit on the scripts page.
TALK_SCRIPTS = [
    (
        "needs",
        "brand",
        "品牌推广引导",
        "您的同行里已经有不少企业通过网络把品牌做出去了。客户在网上搜您的行业时，第一眼看到的是谁，"
        "谁就先赢得信任。我们可以先帮您看看现在网上搜您公司的结果是什么样的。",
    ),
    (
        "needs",
        "leads",
        "询盘获取引导",
        "您现在的新客户主要从哪里来？如果每天能多几个主动打电话来咨询的客户，对您的业务帮助大不大？"
        "我们的方式是按效果付费，客户点击了才收费。",
    ),
    (
        "needs",
        "sales",
        "直接销售引导",
        "您的产品如果直接在网上展示价格和案例，客户看完就能下单或来电。我们可以先从一两个主打产品试起，"
        "投入可控，效果看得见。",
    ),
    (
        "needs",
        "recruit",
        "招商加盟引导",
        "想加盟的人一般都会先上网搜品牌和加盟条件。您把招商信息放在他们搜索的地方，代理商会自己找上门。",
    ),
    (
        "needs",
        "unclear",
        "挖掘需求",
        "冒昧问一下，您目前最想解决的是知名度、客户来源还是销量？先把最急的一件事说清楚，我再给您建议。",
    ),
    (
        "awareness",
        "strong",
        "网络意识强",
        "您已经在做网络推广，说明您很清楚它的价值。我们可以对比一下现在的投入和效果，看看有没有更省钱、更精准的方式。",
    ),
    (
        "awareness",
        "medium",
        "有网站未推广",
        "您的网站做得不错，可惜客户搜不到就等于没有。网站是门面，推广是把客户带到门口的路。",
    ),
    (
        "awareness",
        "weak",
        "网络意识弱",
        "现在客户找供应商，十个里有八个先上网搜。您不在网上，这些客户就都去了同行那里。我先给您讲一个同行的例子。",
    ),
    (
        "awareness",
        "negative",
        "排斥网络推广",
        "理解您的顾虑，很多老板一开始也这样想。不着急做决定，我先把同行的真实效果发给您看看，您觉得有用我们再聊。",
    ),
    ("objection", "", "太贵了/没预算", "费用是按效果算的，可以先小预算试一个月，看到效果再追加，风险完全可控。"),
    (
        "objection",
        "",
        "以前做过没效果",
        "能说说当时是怎么做的吗？多数没效果是因为关键词和落地页没做好，我们会有专人帮您优化，并每周给您报告。",
    ),
    (
        "objection",
        "",
        "我们不需要/客户都是老客户",
        "老客户很重要。那新客户从哪里来呢？市场在变，提前布局新渠道总是主动的。",
    ),
    (
        "objection",
        "",
        "再考虑考虑",
        "好的，您主要考虑的是哪一点？是费用、效果还是时间？我把相关资料发给您，明天再跟您确认。",
    ),
    (
        "objection",
        "",
        "发资料看看",
        "没问题。为了发给您最合适的资料，我想先了解两点：您主要做哪些产品？客户主要在哪些地区？",
    ),
]
