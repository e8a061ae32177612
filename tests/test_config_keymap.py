"""`[keys]` is checked against the binding ids the app declares."""
from config.keymap import split_keys, validate_keymap

KNOWN = ["refresh", "add_symbol", "remove_symbol", "move_down", "move_up", "help"]


def test_good_keymap_has_no_problems():
    assert validate_keymap({"refresh": "f5,r", "add_symbol": "a, insert", "help": "question_mark"}, KNOWN) == []


def test_unknown_id_gets_a_suggestion():
    [problem] = validate_keymap({"refesh": "f5"}, KNOWN)
    assert "keys.refesh" in problem and "did you mean `refresh`" in problem


def test_unknown_id_without_a_close_match_lists_ids():
    [problem] = validate_keymap({"zzz": "f5"}, KNOWN)
    assert "known ids" in problem and "add_symbol" in problem


def test_empty_and_malformed_keys():
    problems = validate_keymap({"refresh": " , ", "help": "ctrl+ +x"}, KNOWN)
    assert any("no key given" in p for p in problems)
    assert any("'ctrl+ +x'" in p for p in problems)


def test_one_key_for_two_bindings():
    [problem] = validate_keymap({"move_down": "j", "move_up": "j"}, KNOWN)
    assert "keys.move_up" in problem and "`move_down`" in problem and problem.binding_id == "move_up"


def test_split_keys():
    assert split_keys("f5, r,,ctrl+r") == ["f5", "r", "ctrl+r"]


def test_dotted_ids_are_quoted_as_in_toml():
    [problem] = validate_keymap({"app.refesh": "f5"}, ["app.refresh"])
    assert problem.startswith('`keys."app.refesh"`') and "did you mean `app.refresh`" in problem
