"""The duplicate finder: paraphrases and translations found, officers' decisions kept, the evaluation command.

The texts here are written for these tests (the evaluation set in shared/testdata is only for scoring)."""

import io
import json

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from kelisim.accounts.tests.factories import UserFactory, make_staff
from kelisim.consultations import duplicates, services
from kelisim.consultations.duplicates import clusters, document_matrix, index_suggestion
from kelisim.consultations.models import PairDecision, Suggestion, SuggestionVector
from kelisim.consultations.selectors import possible_duplicates
from kelisim.consultations.tests import factories
from kelisim.consultations.text import shared_terms

pytestmark = pytest.mark.django_db

HOSTEL_RU = "Встречи с молодёжью нужно проводить не только в школах, но и в общежитиях колледжей."
HOSTEL_RU_REWORDED = "Профилактические беседы стоит вести и в студенческих общежитиях, а не одни школьные уроки."
HOSTEL_EN = "Prevention talks with young people should also be held in college dormitories, not only in schools."
HOSTEL_KK = "Жастармен кездесулерді тек мектептерде емес, колледж жатақханаларында да өткізу керек."
HOTLINE = "Горячая линия для родителей должна работать круглосуточно и анонимно."
VIDEOS = "Short videos for Instagram and YouTube should answer recruiters' arguments in plain words."


def _send(version, texts, capture):
    sent = []
    for text in texts:
        # The index is built by the task that runs after the submission commits.
        with capture(execute=True):
            sent.append(factories.suggestion(version, text=text))
    return sent


def test_rewordings_and_translations_are_found_after_submission(django_capture_on_commit_callbacks):
    version = factories.open_version()
    hostel, reworded, english, kazakh, hotline, videos = _send(
        version,
        [HOSTEL_RU, HOSTEL_RU_REWORDED, HOSTEL_EN, HOSTEL_KK, HOTLINE, VIDEOS],
        django_capture_on_commit_callbacks,
    )
    found = [pair.other for pair in possible_duplicates(hostel, threshold=-1.0)]
    # The three other hostel suggestions rank above both unrelated ones.
    assert set(found[:3]) == {reworded, english, kazakh}
    assert found.index(english) < found.index(hotline) if hotline in found else True
    for pair in possible_duplicates(hostel, threshold=-1.0):
        assert pair.score == pytest.approx(pair.semantic + duplicates.LEXICAL_WEIGHT * pair.lexical, abs=1e-5)
        assert pair.band in {"strong", "likely", "possible"}
    # Stored both ways with the same score.
    back = {pair.other: pair.score for pair in possible_duplicates(english, threshold=-1.0)}
    forward = {pair.other: pair.score for pair in possible_duplicates(hostel, threshold=-1.0)}
    assert back[hostel] == pytest.approx(forward[english])
    assert SuggestionVector.objects.filter(suggestion__in=[hostel, videos]).count() == 2


def test_the_version_threshold_decides_what_is_shown(django_capture_on_commit_callbacks):
    version = factories.open_version()
    first, second = _send(version, [HOSTEL_RU, HOSTEL_EN], django_capture_on_commit_callbacks)
    assert [pair.other for pair in possible_duplicates(first, threshold=-1.0)] == [second]
    officer = make_staff()
    services.set_duplicate_threshold(actor=officer, version=version, threshold=1.0)
    first.version.refresh_from_db()
    assert possible_duplicates(first) == []
    with pytest.raises(ValidationError):
        services.set_duplicate_threshold(actor=officer, version=version, threshold=0.05)
    with pytest.raises(PermissionDenied):
        services.set_duplicate_threshold(actor=UserFactory(), version=version, threshold=0.5)


def test_dismissed_pairs_stay_dismissed_and_confirmed_pairs_form_groups(django_capture_on_commit_callbacks):
    version = factories.open_version()
    hostel, english, hotline = _send(version, [HOSTEL_RU, HOSTEL_EN, HOTLINE], django_capture_on_commit_callbacks)
    officer = make_staff()
    services.decide_duplicate(actor=officer, suggestion=hostel, other=english, decision="dismissed")
    index_suggestion(hostel)  # indexing again does not bring it back
    index_suggestion(english)
    assert english not in [pair.other for pair in possible_duplicates(hostel, threshold=-1.0)]
    assert hostel not in clusters([hostel.pk, english.pk, hotline.pk])
    # The officer changes their mind: the pair is confirmed and groups the two, whatever the score.
    services.decide_duplicate(actor=officer, suggestion=english, other=hostel, decision="confirmed")
    assert PairDecision.objects.get().decision == "confirmed"
    assert clusters([hostel.pk, english.pk, hotline.pk]) == {hostel.pk: hostel.pk, english.pk: hostel.pk}
    confirmed = [pair for pair in possible_duplicates(hostel, threshold=-1.0) if pair.other == english]
    assert confirmed and confirmed[0].decision == "confirmed"
    with pytest.raises(ValidationError):
        services.decide_duplicate(actor=officer, suggestion=hostel, other=hostel, decision="confirmed")
    with pytest.raises(PermissionDenied):
        services.decide_duplicate(actor=UserFactory(), suggestion=hostel, other=english, decision="dismissed")


def test_reindexing_is_stable_and_the_matrix_follows_deletions(django_capture_on_commit_callbacks):
    version = factories.open_version()
    first, second, third = _send(version, [HOSTEL_RU, HOSTEL_KK, VIDEOS], django_capture_on_commit_callbacks)
    # Scores follow the language centres, which moved when the third was sent: the same state gives the same pairs.
    index_suggestion(second)
    before = [(p.other_id, round(p.score, 5)) for p in possible_duplicates(second, threshold=-1.0)]
    index_suggestion(second)
    assert [(p.other_id, round(p.score, 5)) for p in possible_duplicates(second, threshold=-1.0)] == before
    ids, _languages, vectors = document_matrix(version.document_id)
    assert sorted(ids.tolist()) == sorted([first.pk, second.pk, third.pk])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    SuggestionVector.objects.filter(suggestion=third).delete()
    ids, _languages, _vectors = document_matrix(version.document_id)
    assert sorted(ids.tolist()) == sorted([first.pk, second.pk])


def test_semantic_scores_equal_the_cosine_of_centred_vectors():
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(6, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    languages = np.array([0, 1, 2, 0, 1, 2], dtype=np.int8)
    offsets = (rng.normal(size=(3, 384)) * 0.1).astype(np.float32)
    query = vectors[0]
    scores = duplicates.semantic_scores(query, 0, languages, vectors, offsets)
    centred = vectors - offsets[languages]
    centred /= np.linalg.norm(centred, axis=1, keepdims=True)
    expected = centred @ centred[0]
    assert np.allclose(scores, expected, atol=1e-5)


def test_shared_terms_explain_a_match():
    terms = shared_terms(
        "Open youth clubs in every village of Karaganda region", "Youth clubs for villages near Karaganda"
    )
    assert terms == ["youth", "clubs", "village", "karaganda"]
    assert shared_terms("Колония", "Школа") == []


def test_eval_command_scores_a_folder(tmp_path):
    (tmp_path / "duplicate-pairs.tsv").write_text(
        "category\ta\tb\n"
        f"ru-en\t{HOSTEL_RU}\t{HOSTEL_EN}\n"
        "en\tThe hotline for parents must answer at night as well.\t"
        "Parents need a helpline that works around the clock.\n",
        encoding="utf-8",
    )
    (tmp_path / "distractors.txt").write_text(VIDEOS + "\n", encoding="utf-8")
    output = tmp_path / "out.json"
    call_command("eval_duplicates", dataset=str(tmp_path), output=str(output), threshold=0.2, stdout=io.StringIO())
    result = json.loads(output.read_text())
    assert set(result["recall_at_5"]) == {"ru-en", "en", "overall"}
    assert result["found"]["ru-en"][1] == 2
    assert 0 <= result["distractors_proposed"] <= 1
    assert "0.30" in result["by_threshold"]
    # With two pairs and one distractor, each text's partner is among its top 5 when nothing is cut off.
    assert result["by_threshold"]["0.20"]["recall_at_5"]["overall"] == result["recall_at_5"]["overall"]


def test_eval_command_reads_a_spreadsheet_export_with_a_byte_order_mark(tmp_path):
    (tmp_path / "duplicate-pairs.tsv").write_text(
        f"\ufeffcategory\ta\tb\r\nru-en\t{HOSTEL_RU}\t{HOSTEL_EN}\r\n", encoding="utf-8"
    )
    (tmp_path / "distractors.txt").write_text("\ufeff" + VIDEOS + "\r\n\r\n", encoding="utf-8")
    output = tmp_path / "out.json"
    call_command("eval_duplicates", dataset=str(tmp_path), output=str(output), stdout=io.StringIO())
    result = json.loads(output.read_text())
    assert set(result["found"]) == {"ru-en"}
    assert result["found"]["ru-en"][1] == 2
    assert result["distractors"] == 1


def test_eval_command_reports_every_bad_row_by_line_and_column_and_sends_nothing(tmp_path):
    too_long = "x" * 1501
    (tmp_path / "duplicate-pairs.tsv").write_text(
        "category\ta\tb\n"
        f"en\t{HOSTEL_EN}\n"
        f"ru\t{HOSTEL_RU}\t \n"
        "\n"
        f"en\t{too_long}\t{HOSTEL_EN}\n"
        f"ru-en\t{HOSTEL_RU}\t{HOSTEL_EN}\n"
        f"overall\t{HOSTEL_RU}\t{HOSTEL_EN}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as raised:
        call_command("eval_duplicates", dataset=str(tmp_path), output=str(tmp_path / "out.json"))
    message = str(raised.value)
    assert "line 2: empty or missing column b" in message
    assert "line 3: empty or missing column b" in message
    assert "line 5: column a longer than" in message
    assert "line 6" not in message
    assert 'line 7: the category "overall" is the total\'s name' in message
    assert not Suggestion.objects.exists()
    assert not (tmp_path / "out.json").exists()

    (tmp_path / "duplicate-pairs.tsv").write_bytes("category\ta\tb\nru\tПривет\tПривет\n".encode("cp1251"))
    with pytest.raises(CommandError, match="must be UTF-8"):
        call_command("eval_duplicates", dataset=str(tmp_path), output=str(tmp_path / "out.json"))


def test_background_is_the_mean_and_spread_of_the_other_scores(monkeypatch):
    monkeypatch.setattr(duplicates, "BACKGROUND_MINIMUM", 4)
    scores = np.array([0.1, 0.3, -np.inf, 0.2, 0.4], dtype=np.float32)
    mean, spread = duplicates.background(scores)
    assert mean == pytest.approx(0.25)
    assert spread == pytest.approx(np.std([0.1, 0.3, 0.2, 0.4]))
    # Too few others, or all alike: no background, so no standout and the band falls back to the score.
    assert duplicates.background(scores[:3]) == (None, None)
    assert duplicates.background(np.full(6, 0.3, dtype=np.float32))[1] is None


def test_standout_is_the_lower_of_both_suggestions_z_scores():
    # 0.6 is 4 spreads above a background of 0.2 ± 0.1, but only 2 above one of 0.4 ± 0.1.
    assert duplicates.standout(0.6, (0.2, 0.1), (0.4, 0.1)) == pytest.approx(2.0)
    assert duplicates.standout(0.6, (0.2, 0.1), (None, None)) is None


def test_bands_follow_the_standout_and_else_the_score():
    assert duplicates.band(0.36, 0.35, 3.2) == "strong"
    assert duplicates.band(0.9, 0.35, 2.4) == "likely"
    assert duplicates.band(0.9, 0.35, 1.0) == "possible"
    assert duplicates.band(0.55, 0.35, None) == "strong"
    assert duplicates.band(0.36, 0.35, None) == "possible"


# Suggestions of one consultation on youth and prevention: two pairs of the same proposal (one across languages)
# and others on the same subjects proposing something else.
CLUB = "Open a youth club with free sports sections in every village of the region."
CLUB_RU = "В каждом селе области нужен молодёжный клуб с бесплатными спортивными секциями."
CLUB_OTHER = "Youth clubs in villages should get fast internet so that teenagers can do their homework there."
MENTORS = "Released prisoners need a mentor from their own town for the first year after the colony."
MENTORS_KK = "Колониядан босаған адамға алғашқы жылы өз қаласынан тәлімгер бекіту керек."
BACKGROUND_TEXTS = [
    "Schools should teach pupils to check religious information they find online.",
    "Imams and priests should meet parents of teenagers in every district once a quarter.",
    "Colonies need more libraries with books in Kazakh and Russian.",
    "A film festival about tolerance could be held for students every spring.",
    "Local television should show stories of people who left radical groups.",
    "Бюджет программы нужно публиковать с отчетом по каждому мероприятию.",
]


def test_a_restated_proposal_stands_out_more_than_one_on_the_same_subject(
    django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(duplicates, "BACKGROUND_MINIMUM", 5)
    version = factories.open_version()
    sent = _send(
        version, [CLUB, CLUB_OTHER, MENTORS, *BACKGROUND_TEXTS, CLUB_RU, MENTORS_KK], django_capture_on_commit_callbacks
    )
    club, club_other, mentors, club_ru, mentors_kk = sent[0], sent[1], sent[2], sent[-2], sent[-1]
    shown = {pair.other: pair for pair in possible_duplicates(club_ru, threshold=-1.0, limit=20)}
    assert shown[club].standout is not None
    assert shown[club].standout > shown[club_other].standout
    assert shown[club].band in {"strong", "likely"}
    mentor_pairs = {pair.other: pair for pair in possible_duplicates(mentors_kk, threshold=-1.0, limit=20)}
    assert mentor_pairs[mentors].standout == max(pair.standout for pair in mentor_pairs.values())
    # The standout is the lower of both z-scores, from the backgrounds stored with the vectors.
    stored = {
        row.suggestion_id: (row.background_mean, row.background_spread)
        for row in SuggestionVector.objects.filter(suggestion__in=[club_ru, club])
    }
    expected = duplicates.standout(shown[club].semantic, stored[club_ru.pk], stored[club.pk])
    assert shown[club].standout == pytest.approx(expected, abs=1e-4)
