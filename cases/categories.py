"""The problem categories a district starts with: (code, 中文, English)."""

INITIAL_CATEGORIES = [
    ("utility_relocation", "水电气管线迁改", "Utility relocation"),
    ("municipal_works", "市政配套", "Supporting municipal works"),
    ("approval", "审批", "Approvals"),
    ("public_resource_trading", "公共资源交易", "Public resource trading"),
    ("land", "用地", "Land use"),
    ("planning", "规划", "Planning"),
    ("fire_safety", "消防", "Fire safety"),
    ("environment", "环保", "Environmental protection"),
    ("construction_permit", "施工许可", "Construction permits"),
    ("completion_acceptance", "竣工综合验收", "Completion acceptance"),
    ("property_registration", "不动产登记", "Property registration"),
    ("policy_fulfilment", "惠企政策兑现", "Business support policies"),
    ("traffic", "交通组织", "Traffic arrangements"),
    ("employment", "人才与用工", "Talent and employment"),
    ("other", "其他", "Other"),
]
