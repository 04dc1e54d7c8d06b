from laurel.core.passwords import PasswordRule, character_classes


def test_character_classes():
    assert character_classes("aB3!") == {"lower", "upper", "digit", "symbol"}
    assert character_classes("密码abc") == {"lower", "symbol"}


def test_rule_reports_each_problem():
    rule = PasswordRule(min_length=8, min_classes=3)
    assert rule.problems("Abc-1234") == []
    assert rule.problems("abc") == ["too_short", "too_few_classes"]
