"""Accepted origins, request filters and frame sets (security.md, "Accepted origins")."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wwe_host import catalog
from wwe_host.security import (
    OriginEntry,
    OriginPolicy,
    OriginPolicyError,
    frame_allowed,
    normalize_origin,
    not_allowed_message,
)

ALL = frozenset(catalog.REQUESTS)
GUIDE_EXAMPLE = (
    "http://my-web-server0, http://my-web-server1 (*), http://my-web-server2 (agent.*, voice.dial),"
    " http://my-web-server3 (agent.*, interaction.*)"
)


def namespace(ns: str) -> frozenset[str]:
    return frozenset(r for r in catalog.REQUESTS if r.split(".")[0] == ns)


# --- the guide's example -------------------------------------------------------------------


def test_guide_example_expands_exactly() -> None:
    policy = OriginPolicy.parse(GUIDE_EXAMPLE)
    assert policy.allowed("http://my-web-server0") == ALL
    assert policy.allowed("http://my-web-server1") == ALL
    assert policy.allowed("http://my-web-server2") == frozenset(
        {
            "agent.get",
            "agent.getState",
            "agent.getStateList",
            "agent.setState",
            "voice.dial",
        }
    )
    server3 = policy.allowed("http://my-web-server3")
    assert server3 == namespace("agent") | namespace("interaction")
    assert server3 is not None
    assert {"interaction.markdone", "interaction.setUserData", "agent.setState"} <= server3
    assert "voice.dial" not in server3
    assert policy.allowed("http://my-web-server4") is None


def test_guide_example_entries_and_origins() -> None:
    policy = OriginPolicy.parse(GUIDE_EXAMPLE)
    assert policy.origins() == tuple(f"http://my-web-server{i}" for i in range(4))
    assert policy.entries[0] == OriginEntry("http://my-web-server0", (), ALL)
    assert policy.entries[1].filters == ("*",)
    assert policy.entries[2].filters == ("agent.*", "voice.dial")
    assert policy.entries[3].filters == ("agent.*", "interaction.*")


# --- normalisation and exact matching ----------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("http://A:80", "http://a"),
        ("HTTP://Example.COM", "http://example.com"),
        ("https://x:443", "https://x"),
        ("https://x:80", "https://x:80"),
        ("http://x:443", "http://x:443"),
        ("http://x:8080", "http://x:8080"),
        ("http://x:0080", "http://x"),
        ("http://127.0.0.1:9001", "http://127.0.0.1:9001"),
        ("http://[0:0:0:0:0:0:0:1]:8080", "http://[::1]:8080"),
        ("null", "null"),
    ],
)
def test_normalize_origin(written: str, normal: str) -> None:
    assert normalize_origin(written) == normal


@pytest.mark.parametrize(
    "bad",
    [
        "http://x/",
        "http://x/path",
        "http://x?q=1",
        "http://x#frag",
        "http://user:pw@x",
        "ftp://x",
        "file://x",
        "x.com",
        "http://",
        "http://x:",
        "http://x:0",
        "http://x:65536",
        "http://x:8o",
        "http://x:" + "9" * 5000,
        "http://a b",
        "http://[::1",
        "http://[zz]",
        "NULL",
        "",
    ],
)
def test_normalize_origin_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="'"):
        normalize_origin(bad)


def test_listed_origin_is_normalised() -> None:
    policy = OriginPolicy.parse("HTTP://A:80 (voice.dial), https://B.example:443")
    assert policy.origins() == ("http://a", "https://b.example")
    assert policy.allowed("http://a") == frozenset({"voice.dial"})
    assert policy.allowed("https://b.example") == ALL
    assert policy.allowed("http://b.example") is None


@pytest.mark.parametrize(
    "other",
    [
        "http://a.com.evil.net",
        "http://evil.a.com",
        "http://a.co",
        "http://a.com:8080",
        "https://a.com",
        "http://xa.com",
        "null",
    ],
)
def test_no_prefix_suffix_or_port_matching(other: str) -> None:
    policy = OriginPolicy.parse("http://a.com")
    assert policy.allowed("http://a.com") == ALL
    assert policy.allowed(other) is None


def test_star_allows_every_origin_but_null() -> None:
    policy = OriginPolicy.parse("*")
    assert policy.allowed("http://anything.example:1234") == ALL
    assert policy.allowed("null") is None
    assert frame_allowed(policy, "null", agent_level=False, dial_only=False) is None


def test_star_with_filter() -> None:
    policy = OriginPolicy.parse("* (agent.getState)")
    assert policy.allowed("https://x") == frozenset({"agent.getState"})


def test_specific_entry_wins_over_star() -> None:
    policy = OriginPolicy.parse("* (agent.*), http://crm (voice.dial)")
    assert policy.allowed("http://crm") == frozenset({"voice.dial"})
    assert policy.allowed("http://other") == namespace("agent")
    policy = OriginPolicy.parse("http://crm (voice.dial), *")
    assert policy.allowed("http://crm") == frozenset({"voice.dial"})
    assert policy.allowed("http://other") == ALL


@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_option_allows_nothing(value: str | None) -> None:
    policy = OriginPolicy.parse(value)
    assert policy.entries == ()
    assert policy.origins() == ()
    assert policy.allowed("http://a") is None
    assert frame_allowed(policy, "http://a", agent_level=False, dial_only=False) is None


def test_filters_accept_aliases_and_store_canonical_names() -> None:
    policy = OriginPolicy.parse(
        "http://a (sipEndpoint.muteMicrophone, interaction.unlockMarkdone, voice.dial)"
    )
    assert policy.allowed("http://a") == frozenset(
        {
            "voice.muteMicrophone",
            "interaction.unblockMarkdone",
            "voice.dial",
        }
    )
    assert policy.entries[0].filters == (
        "sipEndpoint.muteMicrophone",
        "interaction.unlockMarkdone",
        "voice.dial",
    )


def test_whitespace_is_optional() -> None:
    policy = OriginPolicy.parse("http://a(voice.dial,agent.get),http://b (  * )")
    assert policy.allowed("http://a") == frozenset({"voice.dial", "agent.get"})
    assert policy.allowed("http://b") == ALL


def test_every_namespace_wildcard_expands() -> None:
    for ns in catalog.NAMESPACES:
        policy = OriginPolicy.parse(f"http://a ({ns}.*)")
        expected = namespace(ns)
        assert expected
        assert policy.allowed("http://a") == expected


# --- malformed options -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "quoted", "why"),
    [
        ("http://a, http://x/path", "http://x/path", "is not an origin"),
        ("http://x/", "http://x/", "is not an origin"),
        ("http://a (voice.dail)", "http://a (voice.dail)", "unknown request 'voice.dail'"),
        ("http://a (Voice.Dial)", "http://a (Voice.Dial)", "unknown request"),
        ("http://a (foo.*)", "http://a (foo.*)", "unknown namespace 'foo.*'"),
        ("http://a (agent.*", "http://a (agent.*", "without a matching ')'"),
        ("http://a (agent.*, voice.dial", "http://a (agent.*, voice.dial", "matching ')'"),
        ("http://b, http://a agent.*)", "http://a agent.*)", "without a matching '('"),
        ("http://a ((agent.*))", "http://a ((agent.*)", "nested"),
        ("http://a ()", "http://a ()", "empty filter list"),
        ("http://a ( )", "http://a ( )", "empty filter list"),
        ("http://a (agent.*, )", "http://a (agent.*, )", "empty item"),
        ("http://a (*) x", "http://a (*) x", "text after"),
        ("(voice.dial)", "(voice.dial)", "no origin"),
        ("http://a,, http://b", "", "empty"),
        ("http://a,", "", "empty"),
        (", http://a", "", "empty"),
        ("http://a, http://A:80", "http://A:80", "again"),
        ("*, * (agent.*)", "* (agent.*)", "again"),
        ("null", "null", "never allowed"),
        ("ftp://a", "ftp://a", "scheme 'ftp'"),
        ("http://u@a", "http://u@a", "user name"),
        ("http://a:99999", "http://a:99999", "port"),
    ],
)
def test_malformed_option_quotes_the_entry(value: str, quoted: str, why: str) -> None:
    with pytest.raises(OriginPolicyError) as info:
        OriginPolicy.parse(value)
    message = str(info.value)
    assert message.startswith(f"service-client-api.accepted-web-content-origins: entry '{quoted}'")
    assert why in message
    assert info.value.entry == quoted


def test_error_message_format_from_the_brief() -> None:
    with pytest.raises(OriginPolicyError) as info:
        OriginPolicy.parse("http://x/path")
    assert str(info.value) == (
        "service-client-api.accepted-web-content-origins: entry 'http://x/path' "
        "is not an origin (scheme://host[:port], no path)"
    )
    assert isinstance(info.value, ValueError)


# --- frames ------------------------------------------------------------------------------------


def test_dial_only_for_agent_level_frames() -> None:
    policy = OriginPolicy.parse(GUIDE_EXAMPLE)
    dial = frozenset({"voice.dial", "system.getAllowedServices"})
    for origin in ("http://my-web-server0", "http://my-web-server2"):
        assert frame_allowed(policy, origin, agent_level=True, dial_only=True) == dial
    # server3 has no voice.dial: only the discovery request remains.
    assert frame_allowed(
        policy, "http://my-web-server3", agent_level=True, dial_only=True
    ) == frozenset({"system.getAllowedServices"})
    # dial-only switched off, or an interaction-level frame: the origin's own filter.
    server2 = policy.allowed("http://my-web-server2")
    assert server2 is not None
    expected = server2 | {"system.getAllowedServices"}
    assert frame_allowed(policy, "http://my-web-server2", agent_level=True, dial_only=False) == (
        expected
    )
    assert frame_allowed(policy, "http://my-web-server2", agent_level=False, dial_only=True) == (
        expected
    )
    assert frame_allowed(policy, "http://my-web-server0", agent_level=False, dial_only=True) == ALL


def test_get_allowed_services_is_answered_for_every_listed_origin() -> None:
    policy = OriginPolicy.parse("http://a (voice.dial), http://b (agent.*), * (email.create)")
    for origin in ("http://a", "http://b", "http://c"):
        for agent_level in (False, True):
            for dial_only in (False, True):
                got = frame_allowed(policy, origin, agent_level=agent_level, dial_only=dial_only)
                assert got is not None
                assert "system.getAllowedServices" in got
    assert frame_allowed(policy, "http://c", agent_level=False, dial_only=False) == frozenset(
        {
            "email.create",
            "system.getAllowedServices",
        }
    )
    assert frame_allowed(policy, "http://c", agent_level=True, dial_only=True) == frozenset(
        {"system.getAllowedServices"}
    )
    assert frame_allowed(policy, "null", agent_level=False, dial_only=False) is None
    no_star = OriginPolicy.parse("http://a (voice.dial)")
    assert frame_allowed(no_star, "http://b", agent_level=False, dial_only=False) is None


def test_not_allowed_message() -> None:
    assert not_allowed_message("http://crm.example", "voice.dial") == (
        "The origin 'http://crm.example' is not allowed to use the request 'voice.dial'."
    )


# --- properties --------------------------------------------------------------------------------

_label = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-",
    min_size=1,
    max_size=8,
)


@st.composite
def written_origins(draw: st.DrawFn) -> str:
    """An origin as an administrator might write it (mixed case, sometimes the default port)."""
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "Https"]))
    host = ".".join(draw(st.lists(_label, min_size=1, max_size=3)))
    port = draw(st.one_of(st.none(), st.just("default"), st.integers(1, 65535)))
    if port is None:
        return f"{scheme}://{host}"
    if port == "default":
        return f"{scheme}://{host}:{80 if scheme.lower() == 'http' else 443}"
    return f"{scheme}://{host}:{port}"


FILTER_NAMES = (
    *catalog.REQUESTS,
    *catalog.ALIASES,
    *(f"{ns}.*" for ns in catalog.NAMESPACES),
)


def model_expand(filters: list[str] | None) -> frozenset[str]:
    if filters is None or "*" in filters:
        return ALL
    out: set[str] = set()
    for name in filters:
        if name.endswith(".*"):
            out |= {r for r in catalog.REQUESTS if r.startswith(name[:-1])}
        else:
            out.add(catalog.ALIASES.get(name, name))
    return frozenset(out)


filter_lists = st.one_of(
    st.none(),
    st.just(["*"]),
    st.lists(st.sampled_from((*FILTER_NAMES, "*")), min_size=1, max_size=5),
)


def _model_key(pair: tuple[str, list[str] | None]) -> str:
    return normalize_origin(pair[0])


@settings(max_examples=100, deadline=None)
@given(
    listed=st.lists(st.tuples(written_origins(), filter_lists), max_size=5, unique_by=_model_key),
    star=st.one_of(st.none(), st.tuples(filter_lists)),
    others=st.lists(written_origins(), max_size=4),
    spaces=st.sampled_from(["", " ", "  "]),
)
def test_parse_matches_model(
    listed: list[tuple[str, list[str] | None]],
    star: tuple[list[str] | None] | None,
    others: list[str],
    spaces: str,
) -> None:
    entries: list[tuple[str, list[str] | None]] = list(listed)
    if star is not None:
        entries.append(("*", star[0]))
    text = f",{spaces}".join(
        origin if filters is None else f"{origin}{spaces}({', '.join(filters)})"
        for origin, filters in entries
    )
    policy = OriginPolicy.parse(text)
    expected = {normalize_origin(o): model_expand(f) for o, f in listed}
    for origin, requests in expected.items():
        assert policy.allowed(origin) == requests
        framed = frame_allowed(policy, origin, agent_level=True, dial_only=True)
        assert framed == (requests & {"voice.dial"}) | {"system.getAllowedServices"}
    star_set = None if star is None else model_expand(star[0])
    for other in others:
        normal = normalize_origin(other)
        if normal not in expected:
            assert policy.allowed(normal) == star_set
    assert policy.allowed("null") is None
    assert len(policy.entries) == len(entries)


@settings(max_examples=200, deadline=None)
@given(st.one_of(written_origins(), st.text(max_size=30)))
def test_normalize_origin_is_idempotent(origin: str) -> None:
    try:
        normal = normalize_origin(origin)
    except ValueError:
        return
    assert normalize_origin(normal) == normal
    assert normal == normal.strip()


@settings(max_examples=200, deadline=None)
@given(written_origins())
def test_generated_origins_always_normalise(origin: str) -> None:
    normal = normalize_origin(origin)
    assert normal == normal.lower()
    assert not (normal.startswith("http://") and normal.endswith(":80"))
    assert not (normal.startswith("https://") and normal.endswith(":443"))
    assert OriginPolicy.parse(origin).origins() == (normal,)


_grammar_chars = "(),* .:/aAz09-_?#@[]\t"


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40),
        st.text(alphabet=_grammar_chars, max_size=40),
        st.lists(
            st.one_of(
                st.sampled_from(
                    ["http://a", "https://B:443", "*", "null", "(", ")", ",", " ", "agent.*"]
                ),
                st.sampled_from(FILTER_NAMES),
                st.text(alphabet=_grammar_chars, max_size=5),
            ),
            max_size=10,
        ).map("".join),
    )
)
def test_random_text_parses_or_raises_policy_error(text: str) -> None:
    try:
        policy = OriginPolicy.parse(text)
    except OriginPolicyError as exc:
        assert str(exc).startswith("service-client-api.accepted-web-content-origins: entry '")
        return
    for entry in policy.entries:
        assert entry.origin == "*" or normalize_origin(entry.origin) == entry.origin
        assert entry.requests <= ALL
        assert entry.requests
