import json
from datetime import date

from whimbrel.pipeline.ingest import (InputProblem, body_blocks, decode, read_inputs, read_stream,
                                      split_long_block)
from whimbrel.records import Article


def articles_and_problems(items):
    items = list(items)
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, InputProblem)]


def test_plain_text_keeps_text_exactly_and_drops_furniture():
    text = ("Rebels Seize Town As Army Retreats\n\nA photo of the square in Gao\n\n"
            "Rebels seized the town of Douentza on Monday, residents said.\n\nShare Update\n")
    blocks = [text[s:e] for s, e in body_blocks(text)]
    assert blocks == ["Rebels seized the town of Douentza on Monday, residents said."]


def test_furniture_kinds_are_dropped():
    text = "\n".join([
        "Police arrested ten protesters in the capital on Sunday.",
        "By John Smith, Associated Press",
        "Photo: Soldiers at a checkpoint",
        "Tweet Email Print",
        "Related Stories",
        "Reporting by Jane Doe; Editing by Tom Brown",
        "The army said it had killed three militants.",
    ])
    blocks = [text[s:e] for s, e in body_blocks(text)]
    assert blocks == ["Police arrested ten protesters in the capital on Sunday.",
                      "The army said it had killed three militants."]


def test_a_sole_headline_is_coded():
    text = "Warplanes raid rebel positions near Idlib"
    assert body_blocks(text) == [(0, len(text))]


def test_byline_rule_does_not_eat_prose():
    text = "Intro line here.\nBy Thursday, rebels had taken the town of Konna and were heading south."
    assert len(body_blocks(text)) == 2


def test_long_blocks_split_at_sentence_ends():
    sentence = "The army shelled the town again. "
    text = sentence * 2000
    pieces = split_long_block(text, 0, len(text), limit=1000)
    assert all(e - s <= 1000 for s, e in pieces)
    assert "".join(text[s:e] for s, e in pieces).replace(" ", "") == text.replace(" ", "")
    assert all(text[s:e].rstrip().endswith(".") for s, e in pieces[:-1])


def test_jsonl_bad_lines_name_file_and_line(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "a", "text": "Troops fired on protesters."}),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": "x y", "published": "12/01/2013"}),
        json.dumps({"id": "d", "text": "Police arrested a man.", "published": "2013-01-12"}),
    ]), encoding="utf-8")
    articles, problems = articles_and_problems(read_inputs([str(path)]))
    assert [a.id for a in articles] == ["a", "d"]
    assert articles[1].published == date(2013, 1, 12)
    wheres = [p.where for p in problems]
    assert wheres[0] == f"{path}:2"
    assert wheres[1] == f"{path}:3: field 'text'"
    assert wheres[2] == f"{path}:4: field 'published'"
    assert all(p.hint for p in problems)


def test_binary_empty_and_missing_inputs(tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x00\x00\x00")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    _, problems = articles_and_problems(read_inputs([str(binary), str(empty), str(tmp_path / "nope.txt")]))
    messages = [str(p) for p in problems]
    assert "binary" in messages[0] and str(binary) in messages[0]
    assert "empty" in messages[1]
    assert "no such file" in messages[2]


def test_windows_1252_and_latin1_are_decoded():
    assert decode("Sévaré “quoted”".encode("cp1252")) == "Sévaré “quoted”"
    assert decode("Sévaré".encode("latin-1")) == "Sévaré"
    assert decode("Sévaré".encode("utf-8")) == "Sévaré"


def test_html_goes_through_trafilatura():
    html = ("<html><head><title>Clashes</title></head><body><nav>Home | World</nav><article><h1>Clashes"
            "</h1><p>" + "Government troops clashed with rebels near the border on Tuesday, officials said. " * 4
            + "</p></article><footer>Share</footer></body></html>")
    [article] = list(read_stream(html.encode(), "page.html", None, ".html"))
    assert isinstance(article, Article)
    assert "clashed with rebels" in article.text and "Home | World" not in article.text


def test_unreachable_url_is_a_problem_not_a_crash():
    [problem] = list(read_inputs(["http://127.0.0.1:9/story"]))
    assert isinstance(problem, InputProblem) and problem.where == "http://127.0.0.1:9/story"


def test_folder_is_read_in_order(tmp_path):
    (tmp_path / "b.txt").write_text("Police detained two men.")
    (tmp_path / "a.txt").write_text("Rebels attacked a convoy.")
    articles, _ = articles_and_problems(read_inputs([str(tmp_path)], published=date(2020, 1, 1)))
    assert [a.text for a in articles] == ["Rebels attacked a convoy.", "Police detained two men."]
    assert all(a.published == date(2020, 1, 1) for a in articles)
