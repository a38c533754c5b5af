"""The text stage: blocks to sentences with names, and the parse only where asked."""
from whimbrel import Article
from whimbrel.pipeline.ingest import body_blocks
from whimbrel.pipeline.text import parse_articles

STORY = ("It was a cold morning in Bamako, the capital of Mali.\n\n"
         "French jets bombed rebel positions near Konna on Friday. Officials in Paris gave no figures.")


def parse(nlp, texts, select=None):
    pairs = [(Article(text, id=str(i)), body_blocks(text)) for i, text in enumerate(texts)]
    return list(parse_articles(nlp, pairs, batch_size=2, select=select))


def bombing(span):
    return any(t.lower_ == "bombed" for t in span)


def test_every_sentence_is_parsed_by_default(nlp):
    (parsed,) = parse(nlp, [STORY])
    assert len(parsed.sentences) == 3
    assert all(s.parsed and any(t.dep_ for t in s.span) for s in parsed.sentences)


def test_only_selected_sentences_are_tagged_and_parsed(nlp):
    (parsed,) = parse(nlp, [STORY], select=bombing)
    flags = [s.parsed for s in parsed.sentences]
    assert flags == [False, True, False]
    chosen = parsed.sentences[1]
    assert {t.dep_ for t in chosen.span} >= {"nsubj", "dobj"}
    assert [t.lemma_ for t in chosen.span if t.text == "bombed"] == ["bomb"]
    assert not any(t.dep_ or t.lemma_ for t in parsed.sentences[0].span)


def test_offsets_and_names_are_kept_either_way(nlp):
    for select in (None, bombing):
        (parsed,) = parse(nlp, [STORY], select=select)
        for sentence in parsed.sentences:
            assert STORY[sentence.start:sentence.end] == sentence.text
        names = {(ent.text, ent.label_) for ent, _ in parsed.entities()}
        assert {("Bamako", "GPE"), ("Mali", "GPE"), ("Konna", "GPE"), ("Paris", "GPE")} <= names
        for ent, sentence in parsed.entities():
            start, end = sentence.char_span(ent)
            assert STORY[start:end] == ent.text


def test_articles_come_back_in_input_order(nlp):
    texts = [STORY, "", "Police arrested ten men.", STORY, "   ", "Rebels bombed a bridge."] * 3
    for select in (None, bombing):
        parsed = parse(nlp, texts, select=select)
        assert [p.article.id for p in parsed] == [str(i) for i in range(len(texts))]
        assert [p.article.text for p in parsed] == texts
