//! Connections that never finish a request: with a header-read timeout and a connection
//! limit, 2,000 of them are all closed and the server still answers. Counted, not timed:
//! the server's own connection counters and each socket's end.

use std::time::Duration;

use ringside_server::Limits;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use super::*;

const HALF_OPEN: usize = 2000;
const MAX_CONNECTIONS: usize = 100;

/// 2,000 client sockets and the server's side of them need more than the usual 1,024
/// open files: raise the soft limit to the hard one.
fn raise_open_file_limit() {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Resource, getrlimit, setrlimit};
        let limit = getrlimit(Resource::Nofile);
        let _ = setrlimit(
            Resource::Nofile,
            rustix::process::Rlimit {
                current: limit.maximum,
                maximum: limit.maximum,
            },
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_half_open_connections_are_closed_and_the_api_still_answers() {
    raise_open_file_limit();
    let mut c = config(StoreLocation::Memory, ClockMode::Fast);
    c.limits = Limits {
        header_read_timeout: Duration::from_secs(1),
        max_connections: MAX_CONNECTIONS,
    };
    let server = start_with(c).await;
    let addr = server.local_addr();

    // Each connection sends the start of a request and never the blank line ending it.
    let mut sockets = Vec::with_capacity(HALF_OPEN);
    for _ in 0..HALF_OPEN {
        let mut s = TcpStream::connect(addr).await.unwrap();
        // The server may already have closed an over-limit connection: a failed write
        // is that, and is counted below like any close.
        let _ = s
            .write_all(b"GET /2008-08-01/Accounts HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .await;
        sockets.push(s);
        assert!(server.connections().open() <= MAX_CONNECTIONS);
    }

    // Every socket is closed by the server: reading ends (EOF or reset). The bound only
    // stops a broken server from hanging the test; it is not what is measured.
    let mut closed = 0;
    for mut s in sockets {
        let mut sink = Vec::new();
        let ended = tokio::time::timeout(Duration::from_secs(60), s.read_to_end(&mut sink)).await;
        if ended.is_ok() {
            closed += 1;
        }
    }
    assert_eq!(closed, HALF_OPEN);
    let stats = server.connections();
    assert!(stats.refused() >= HALF_OPEN - MAX_CONNECTIONS, "{stats:?}");

    // And the API answers a real client afterwards.
    let api = Api::new(&server);
    let r = api
        .get(&format!("/2008-08-01/Accounts/{SID_A}/Calls"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    server.stop().await.unwrap();
}

/// A client that sends its headers a byte at a time (slowloris) is closed too: the timeout
/// covers the whole header, not the gap between bytes. Counted in bytes sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_sent_a_byte_at_a_time_are_cut_off() {
    let mut c = config(StoreLocation::Memory, ClockMode::Fast);
    c.limits = Limits {
        header_read_timeout: Duration::from_secs(1),
        max_connections: MAX_CONNECTIONS,
    };
    let server = start_with(c).await;
    let mut s = TcpStream::connect(server.local_addr()).await.unwrap();
    let request = b"GET /2008-08-01/Accounts HTTP/1.1\r\nHost: x\r\n";
    let header = std::iter::repeat(b"X-Slow: y\r\n".iter()).flatten();
    let mut sent = 0;
    for &byte in request.iter().chain(header).take(400) {
        if s.write_all(&[byte]).await.is_err() {
            break;
        }
        sent += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // 400 bytes at one per 50 ms would take 20 s; the server cut it off well before.
    assert!(sent < 400, "the server took {sent} bytes of headers");
    // The connection's task counts it closed just after the socket goes.
    for _ in 0..100 {
        if server.connections().open() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(server.connections().open(), 0);
    server.stop().await.unwrap();
}
