"""Property tests: the parts that meet arbitrary input never raise, and keep
their promises on every input hypothesis can think of."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract import extract_page
from pipeline.extract.facts import NUMBER_WORDS, hold_range, hold_seconds, reps, rest_seconds, sets
from pipeline.urls import BadURL, canonical_url

hosts = st.from_regex(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?(\.[a-zA-Z]{2,6}){1,2}", fullmatch=True)
paths = st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8), max_size=4).map("/".join)
queries = st.lists(st.tuples(st.sampled_from(["a", "b", "utm_source", "id", "fbclid", "q", "Z"]),
                             st.text(max_size=6)), max_size=4)
urls = st.builds(
    lambda scheme, host, port, path, query, fragment: (
        f"{scheme}://{host}{':' + str(port) if port else ''}/{path}"
        + ("?" + "&".join(f"{k}={v}" for k, v in query) if query else "") + (f"#{fragment}" if fragment else "")),
    st.sampled_from(["http", "https", "HTTP", "Https"]), hosts, st.one_of(st.none(), st.integers(1, 65535)),
    paths, queries, st.text(max_size=5))


@given(st.one_of(urls, st.text(max_size=80)))
@settings(max_examples=400, deadline=None)
def test_canonical_url_is_idempotent_and_raises_only_badurl(url):
    try:
        once = canonical_url(url)
    except BadURL:
        return
    assert canonical_url(once) == once
    assert once.startswith(("http://", "https://"))
    assert "#" not in once and "utm_source=" not in once


@given(st.text(max_size=300))
@settings(max_examples=500, deadline=None)
def test_fact_parsers_never_raise(text):
    for parse in (hold_seconds, rest_seconds, sets):
        value = parse(text)
        assert value is None or isinstance(value, int)
    low, high = hold_range(text)
    assert (low is None) == (high is None)
    assert reps(text, text[:20]) is None or reps(text, text[:20]) >= 0


SMALL_WORDS = {w: int(v) for w, v in NUMBER_WORDS.items() if float(v).is_integer() and v >= 2 and w.isascii()
               and w not in ("a", "an") and v < 60}


@given(st.integers(1, 3599), st.sampled_from([
    "Hold this position for {n} seconds.", "Hold for about {n} seconds, then relax.", "Try a {n}-second hold.",
    "Stay here for {n} seconds.", "Hold the stretch for {n} seconds on each side.",
]))
def test_hold_seconds_round_trips_digits(n, template):
    assert hold_seconds(template.format(n=n)) == n


@given(st.sampled_from(sorted(SMALL_WORDS)), st.sampled_from(["seconds", "minutes"]))
def test_hold_seconds_round_trips_number_words(word, unit):
    expected = SMALL_WORDS[word] * (60 if unit == "minutes" else 1)
    assert hold_seconds(f"Hold this position for {word} {unit}, then rest for 10 seconds.") == expected


@given(st.binary(max_size=3000))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_extraction_of_arbitrary_bytes_never_raises(data):
    record = extract_page(data, "https://example.org/x")
    assert record["status"] in ("article", "not_article", "failed")
    assert isinstance(record["treatments"], list) and isinstance(record["exercises"], list)


@given(st.text(max_size=2000))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_extraction_of_arbitrary_text_never_raises(text):
    record = extract_page("<html><body><article>" + text + "</article></body></html>", "https://example.org/y")
    assert record["status"] in ("article", "not_article", "failed")
