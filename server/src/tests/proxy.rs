//! Tests of `proxy.rs`, kept apart from the code they test.
use super::*;
use axum::http::HeaderValue;

fn forwarded(values: &[&'static str]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for v in values {
        h.append("x-forwarded-for", HeaderValue::from_static(v));
    }
    h
}

fn ip(s: &str) -> IpAddr {
    s.parse().expect("ip")
}

#[test]
fn only_a_trusted_proxy_is_believed() {
    let proxies = TrustedProxies::parse(&["10.0.0.0/8".into(), "::1".into()]).expect("list");
    let h = forwarded(&["203.0.113.7"]);
    // Straight from the internet: the header is the client's own words.
    assert_eq!(proxies.client(ip("198.51.100.2"), &h), ip("198.51.100.2"));
    // Through the proxy: the address it forwards.
    assert_eq!(proxies.client(ip("10.1.2.3"), &h), ip("203.0.113.7"));
    assert_eq!(proxies.client(ip("::1"), &h), ip("203.0.113.7"));
    // No header: the proxy itself.
    assert_eq!(
        proxies.client(ip("10.1.2.3"), &HeaderMap::new()),
        ip("10.1.2.3")
    );
}

#[test]
fn a_client_cannot_choose_its_address() {
    let proxies = TrustedProxies::parse(&["10.0.0.1".into(), "10.0.0.2".into()]).expect("list");
    // The client wrote "1.2.3.4" itself; the proxies appended what they saw.
    let h = forwarded(&["1.2.3.4, 203.0.113.7", "10.0.0.1"]);
    assert_eq!(proxies.client(ip("10.0.0.2"), &h), ip("203.0.113.7"));
    // Garbage to the right of a real address stops the walk at the proxy.
    let h = forwarded(&["203.0.113.7, not-an-address"]);
    assert_eq!(proxies.client(ip("10.0.0.1"), &h), ip("10.0.0.1"));
    let h = forwarded(&["[2001:db8::5]:4711", "198.51.100.9:80"]);
    assert_eq!(proxies.client(ip("10.0.0.1"), &h), ip("198.51.100.9"));
}

#[test]
fn networks_and_mapped_addresses() {
    let net = Network::parse("192.168.0.0/16").expect("net");
    assert!(net.contains(ip("192.168.40.1")));
    assert!(net.contains(ip("::ffff:192.168.40.1")));
    assert!(!net.contains(ip("192.169.0.1")));
    assert!(
        Network::parse("0.0.0.0/0")
            .expect("all")
            .contains(ip("8.8.8.8"))
    );
    assert!(
        Network::parse("fd00::/8")
            .expect("v6")
            .contains(ip("fd12::1"))
    );
    for bad in [
        "",
        "10.0.0.0/33",
        "jalon.example.org",
        "10.0.0.0/x",
        "::/129",
    ] {
        assert!(Network::parse(bad).is_err(), "{bad}");
    }
    let none = TrustedProxies::default();
    assert_eq!(
        none.client(ip("::ffff:10.0.0.1"), &forwarded(&["1.2.3.4"])),
        ip("10.0.0.1")
    );
}
