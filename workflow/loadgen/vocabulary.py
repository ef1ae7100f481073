"""Words the generated data is made of: organisations, places, titles, descriptions.

Names follow the demo (``workflow/demo.py``) where they overlap, so a load on top of the demo
data reuses the demo's office, departments and third parties instead of duplicating them.
"""

OFFICE = ("海曙区政务服务办公室", "区政务服务办", "coordinator")

# name, short name, username stem, categories it usually answers for
DEPARTMENTS = [
    (
        "宁波市自然资源和规划局海曙分局",
        "资规局",
        "zigui",
        ["planning", "land", "utility_relocation"],
    ),
    ("海曙区住房和城乡建设局", "住建局", "zhujian", ["construction_permit", "municipal_works"]),
    ("海曙区综合行政执法局（城管局）", "城管局", "chengguan", ["municipal_works", "traffic"]),
    ("海曙区农业农村局（水利局）", "水利局", "shuili", ["utility_relocation", "environment"]),
    ("海曙区发展和改革局", "发改局", "fagai", ["approval", "policy_fulfilment"]),
    ("海曙区经济和信息化局", "经信局", "jingxin", ["policy_fulfilment", "approval"]),
    ("海曙区商务局", "商务局", "shangwu", ["policy_fulfilment", "other"]),
    ("海曙区科学技术局", "科技局", "keji", ["policy_fulfilment"]),
    ("海曙区财政局", "财政局", "caizheng", ["policy_fulfilment", "public_resource_trading"]),
    ("海曙区人力资源和社会保障局", "人社局", "renshe", ["employment"]),
    ("宁波市生态环境局海曙分局", "生态环境分局", "huanbao", ["environment"]),
    ("海曙区交通运输局", "交通局", "jiaotong", ["traffic", "municipal_works"]),
    ("海曙区市场监督管理局", "市场监管局", "shijian", ["approval", "other"]),
    ("海曙区应急管理局", "应急管理局", "yingji", ["fire_safety"]),
    ("宁波市海曙区消防救援大队", "消防大队", "xiaofang", ["fire_safety", "completion_acceptance"]),
    ("海曙区行政审批服务局", "审批局", "shenpi", ["approval", "construction_permit"]),
    ("海曙区公共资源交易中心", "交易中心", "jiaoyi", ["public_resource_trading"]),
    ("宁波市不动产登记中心海曙分中心", "不动产登记中心", "budongchan", ["property_registration"]),
    ("海曙区税务局", "税务局", "shuiwu", ["policy_fulfilment", "property_registration"]),
    ("海曙区教育局", "教育局", "jiaoyu", ["employment", "other"]),
    ("海曙区卫生健康局", "卫健局", "weijian", ["other"]),
    ("海曙区司法局", "司法局", "sifa", ["other", "approval"]),
    ("宁波市公安局海曙分局", "公安分局", "gongan", ["traffic", "other"]),
    ("海曙区望春街道办事处", "望春街道", "wangchun", ["municipal_works", "land"]),
    ("海曙区集士港镇人民政府", "集士港镇", "jishigang", ["land", "municipal_works"]),
    ("海曙区石碶街道办事处", "石碶街道", "shiqi", ["municipal_works", "environment"]),
]

THIRD_PARTIES = [
    ("宁波市海曙开发建设投资集团有限公司", "海曙开投集团", "kaitou", ["municipal_works", "land"]),
    ("宁波市自来水有限公司海曙分公司", "自来水公司", "water", ["utility_relocation"]),
    ("国网浙江省电力有限公司宁波市海曙区供电公司", "海曙供电公司", "power", ["utility_relocation"]),
    ("宁波华润兴光燃气有限公司", "兴光燃气", "gas", ["utility_relocation"]),
    ("宁波市排水有限公司", "排水公司", "drainage", ["municipal_works", "environment"]),
    ("中国电信股份有限公司宁波分公司", "宁波电信", "telecom", ["utility_relocation"]),
    ("宁波市轨道交通集团有限公司", "轨道交通集团", "metro", ["traffic", "land"]),
    ("宁波市海曙区城市建设发展有限公司", "海曙城建公司", "chengjian", ["municipal_works"]),
]

# username stem, display name, capacity
REPRESENTATIVES = [
    ("legal", "法律专家", "legal_expert"),
    ("deputy", "人大代表", "npc_deputy"),
    ("cppcc", "政协委员", "cppcc_member"),
    ("citizen", "群众代表", "citizen"),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红玲飞鹏辉斌宇浩凯健俊帆晨琳雪婷欣怡佳颖瑶"
)

# Enterprise names: place + brand + trade + form; the product of the lists is the name space.
PLACES = [
    "宁波",
    "海曙",
    "甬江",
    "望春",
    "集士港",
    "石碶",
    "高桥",
    "古林",
    "横街",
    "鄞江",
    "章水",
    "龙观",
    "洞桥",
    "月湖",
    "鼓楼",
    "南门",
]
BRANDS = [
    "精工",
    "恒信",
    "华泰",
    "博远",
    "天成",
    "中科",
    "瑞丰",
    "鑫达",
    "永盛",
    "宏图",
    "海天",
    "东方",
    "金鹰",
    "凯越",
    "新桥",
    "联创",
    "明峰",
    "广汇",
    "长荣",
    "立信",
    "星辰",
    "嘉禾",
    "泰和",
    "德润",
    "安捷",
    "百川",
    "鸿运",
    "远大",
    "汇通",
    "聚能",
    "智联",
    "云帆",
    "兴业",
    "锦程",
    "正泰",
    "卓越",
    "华翔",
    "晨光",
    "腾飞",
    "同创",
    "创元",
    "格林",
    "宝华",
    "信达",
    "银河",
    "环宇",
    "亿丰",
    "万向",
    "新海",
    "舜宇",
    "康达",
    "一诺",
    "三星",
    "九龙",
    "四明",
    "天童",
    "阿育",
    "东钱",
    "杭湾",
    "北仑",
    "镇海",
    "江北",
    "鄞州",
    "奉化",
]
TRADES = [
    "精密机械",
    "新材料科技",
    "电子科技",
    "智能装备",
    "汽车零部件",
    "模具",
    "光电科技",
    "生物医药",
    "液压机电",
    "电气",
    "纺织服饰",
    "塑胶制品",
    "工业互联网",
    "半导体",
    "新能源科技",
    "检测技术",
    "轴承",
    "五金工具",
    "环保科技",
    "化工",
    "食品",
    "文具",
    "家电",
    "软件",
]
FORMS = ["有限公司", "股份有限公司"]

STREETS = [
    "望春工业园区",
    "集士港镇",
    "石碶街道",
    "高桥镇",
    "古林镇",
    "横街镇",
    "鄞江镇",
    "章水镇",
    "龙观乡",
    "洞桥镇",
    "南门街道",
    "鼓楼街道",
    "段塘街道",
    "白云街道",
    "西门街道",
    "江厦街道",
]
PROJECTS = [
    "厂房扩建",
    "二期厂房",
    "研发中心",
    "智能制造基地",
    "总部大楼",
    "技改",
    "仓储物流中心",
    "产业园",
    "中试基地",
    "新生产线",
]

# category code -> titles; "{project}" and "{street}" are filled in.
TITLES = {
    "utility_relocation": [
        "{project}红线内自来水主管迁改",
        "{project}用地内高压线迁改",
        "{project}燃气管道迁改",
        "{project}通信光缆迁移",
        "{street}厂区电力增容接入",
    ],
    "municipal_works": [
        "{project}周边市政配套工程滞后",
        "{street}配套道路及雨污管网接入",
        "{project}门前道路未通",
        "{project}周边路灯及绿化配套",
        "{street}园区雨水管网排水不畅",
    ],
    "approval": [
        "{project}立项审批卡在部门之间",
        "{project}节能审查意见",
        "{project}环评与能评衔接",
    ],
    "public_resource_trading": ["设备采购进场交易咨询", "{project}工程招标方式确认"],
    "land": ["{project}用地指标调整", "{street}地块出让条件协调", "{project}临时用地审批"],
    "planning": ["{project}规划条件调整", "{project}容积率调整申请", "{street}地块规划许可协调"],
    "fire_safety": ["{project}消防设计审查", "{project}消防验收整改意见", "{project}消防通道协调"],
    "environment": ["{project}排污许可办理", "{project}环评批复协调", "{street}厂区噪声投诉整改"],
    "construction_permit": [
        "{project}施工许可办理",
        "{project}桩基先行施工许可",
        "{project}图审意见",
    ],
    "completion_acceptance": [
        "{project}竣工综合验收",
        "{project}联合验收缺项",
        "{project}人防验收",
    ],
    "property_registration": ["{project}不动产首次登记", "{project}分割登记", "{project}抵押登记"],
    "policy_fulfilment": ["{project}技改补助兑现", "专精特新奖励资金兑现", "研发费用补助兑现"],
    "traffic": ["{street}厂区出入口交通组织", "{project}施工期交通导改", "{street}货车通行证办理"],
    "employment": ["高层次人才公寓申请", "员工子女入学协调", "{street}用工招聘对接"],
    "other": ["{project}相关事项协调", "{street}厂区周边环境整治"],
}

DESCRIPTIONS = [
    "项目主体已完工，但该事项涉及多个部门，迟迟未能推进，影响项目按期投产。",
    "我司已多次与相关单位沟通，各方互为前置条件，已拖延一个多月，恳请协调。",
    "该事项直接影响企业年度产能计划，希望区里协调相关部门尽快办理。",
    "相关材料已齐全，申请协调加快办理，并明确各方办理时限。",
    "涉及相邻地块业主和管线产权单位，需多方共同研究解决方案。",
]

ITEM_TITLES = [
    "出具办理意见",
    "办理审批手续",
    "组织现场踏勘",
    "制定实施方案",
    "完成迁改施工",
    "答复企业诉求",
    "协调相关单位",
    "出具许可文件",
]

DELIVERABLES = ["书面答复", "审批文件", "实施方案", "现场踏勘记录", "许可证"]

AGENDA = ["企业陈述诉求", "各部门说明办理情况", "各方发表意见", "形成决议"]

PLACE_OF_SESSION = "海曙区行政服务中心 3 楼审联体会议室"

LEGAL_BASIS = "《优化营商环境条例》第四十一条；《浙江省优化营商环境条例》第五十二条"
