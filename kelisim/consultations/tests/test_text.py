from kelisim.consultations.text import cosine, detect_language, grams, parse_markdown, tfidf_vector


def test_language_is_detected_from_the_script_and_kazakh_letters():
    assert detect_language("Жастармен кездесулерді ауылдарда да өткізу керек") == "kk"
    assert detect_language("Встречи с молодёжью нужно проводить и в сёлах") == "ru"
    assert detect_language("Meetings with young people should be held in villages") == "en"
    # One Kazakh letter in a long Russian text is a typo, not Kazakh.
    assert detect_language("Встречи с молодёжью нужно проводить и в сёлах, и в городах, и в посёлках і") == "ru"


def test_markdown_headings_become_sections_and_blocks_or_list_items_paragraphs():
    sections = parse_markdown(
        "Preamble line one\nline two\n\n# First {#s-0000aaaa}\nPara one.\n\n- item a\n- item b\n## Second\nPara two."
    )
    assert [section.heading for section in sections] == ["", "First", "Second"]
    assert sections[0].paragraphs[0].text == "Preamble line one line two"
    assert sections[1].key == "s-0000aaaa"
    assert [p.text for p in sections[1].paragraphs] == ["Para one.", "item a", "item b"]
    assert sections[2].level == 2


def test_near_duplicates_score_higher_than_unrelated_text_across_kazakh_and_russian_spelling():
    texts = [
        "Встречи с молодёжью нужно проводить в общежитиях колледжей",
        "Встречи с молодежью надо проводить в общежитиях колледжа",
        "Горячая линия должна работать круглосуточно",
    ]
    counts = [grams(text) for text in texts]
    frequencies = {}
    for count in counts:
        for gram in count:
            frequencies[gram] = frequencies.get(gram, 0) + 1
    vectors = [tfidf_vector(count, frequencies, len(texts)) for count in counts]
    assert cosine(vectors[0], vectors[1]) > 0.5
    assert cosine(vectors[0], vectors[2]) < 0.2
    # Kazakh letters fold onto Russian ones: "қ" and "к" share grams.
    assert grams("қала") == grams("кала")
