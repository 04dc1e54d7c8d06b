"""The demo world: 38 district unions, a few hundred grassroots unions, valid members."""

from laurel.core.identity import id_card_normalise, mobile_normalise
from laurel.demo.world import (
    DISTRICTS,
    FEDERATION,
    INDUSTRIES,
    INDUSTRY_UNIONS,
    grassroots_units,
    members,
)


def test_districts_are_the_38_with_the_bulletins_four():
    assert len(DISTRICTS) == 38
    codes = {code for code, *_rest in DISTRICTS}
    assert {"cq/yongchuan", "cq/fengjie", "cq/yunyang", "cq/wansheng"} <= codes
    assert ("cq/wansheng", "万盛经开区总工会", "zone", "500110") in DISTRICTS
    for code, name, kind, area in DISTRICTS:
        assert code.startswith("cq/")
        assert code.isascii()
        assert code == code.lower()
        assert name.endswith("总工会")
        assert kind in {"district", "zone"}
        assert len(area) == 6
        assert area.startswith("50")


def test_unit_codes_are_unique_and_every_parent_exists():
    units = grassroots_units()
    codes = [FEDERATION[0]]
    codes += [code for code, *_rest in DISTRICTS]
    codes += [code for code, *_rest in INDUSTRY_UNIONS]
    codes += [code for code, *_rest in units]
    assert len(codes) == len(set(codes))
    for code, _name, _kind, parent, industry in units:
        assert parent in codes
        assert code.startswith(f"{parent}/")
        assert industry in INDUSTRIES
    for _code, _name, kind, industry in INDUSTRY_UNIONS:
        assert kind == "industry"
        assert industry in INDUSTRIES


def test_grassroots_are_many_and_keep_the_bulletins_codes():
    units = grassroots_units()
    assert 300 <= len(units) <= 450
    by_code = {code: (name, kind, parent) for code, name, kind, parent, _industry in units}
    assert by_code["cq/yongchuan/factory3"] == (
        "永川区第三机械厂工会",
        "grassroots",
        "cq/yongchuan",
    )
    assert by_code["cq/yongchuan/organs"] == ("机关工会", "grassroots", "cq/yongchuan")
    assert by_code["cq/fengjie/organs"] == ("机关工会", "grassroots", "cq/fengjie")
    assert by_code["cq/yunyang/education"] == ("云阳县教育工会", "industry", "cq/yunyang")
    assert by_code["cq/culture-palace"] == ("市劳动人民文化宫", "grassroots", "cq")
    organs_parents = {
        parent for _code, name, _kind, parent, _industry in units if name == "机关工会"
    }
    assert len(organs_parents) >= 30
    for district_code, *_rest in DISTRICTS:
        children = [unit for unit in units if unit[3] == district_code]
        assert 5 <= len(children) <= 12, district_code
    for union_code, *_rest in INDUSTRY_UNIONS:
        assert 3 <= sum(unit[3] == union_code for unit in units) <= 6, union_code


def test_members_have_unique_valid_ids_and_mobiles():
    units = grassroots_units()
    people = members(units, 3000)
    assert len(people) == 3000
    ids = [person["id_card"] for person in people]
    mobiles = [person["mobile"] for person in people]
    assert len(set(ids)) == 3000
    assert len(set(mobiles)) == 3000
    unit_codes = {code for code, *_rest in units}
    for person in people:
        assert id_card_normalise(person["id_card"]) == person["id_card"]
        assert mobile_normalise(person["mobile"]) == person["mobile"]
        assert person["mobile"][:2] in {"13", "15", "17", "18", "19"}
        assert person["gender"] == ("男" if int(person["id_card"][16]) % 2 else "女")
        assert 1966 <= int(person["id_card"][6:10]) <= 2004
        assert person["unit_code"] in unit_codes
        assert person["name"]
        assert person["job_title"]
    assert {person["unit_code"] for person in people} == unit_codes


def test_members_land_in_their_districts_area():
    units = grassroots_units()
    people = members(units, 500)
    yongchuan = [p for p in people if p["unit_code"].startswith("cq/yongchuan/")]
    assert yongchuan
    assert all(p["id_card"].startswith("500118") for p in yongchuan)


def test_the_world_is_deterministic_per_seed():
    assert grassroots_units() == grassroots_units()
    assert grassroots_units(1) != grassroots_units(2)
    units = grassroots_units()
    assert members(units, 3000) == members(units, 3000)
    assert members(units, 3000) != members(units, 3000, seed=7)


def test_names_match_gender():
    from faker.providers.person.zh_CN import Provider

    people = members(grassroots_units(), 300)
    for person in people:
        given = (
            Provider.first_names_male if person["gender"] == "男" else Provider.first_names_female
        )
        assert any(person["name"].endswith(name) for name in given), person
