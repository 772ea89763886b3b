//! `ringside serve` over real HTTP: the real server on an ephemeral port, a real test app
//! (an axum server serving TwiML and recording every request it gets), and a real client.
//!
//! Calls run with the fast clock against `fixtures/phonebook.json`:
//! 0100 person, 0101 person who answers menus (and says a line), 0102 voicemail with beep,
//! 0103 busy, 0104 rings forever, 0105 network failure, 0106 fax, 0109 a person who talks
//! 30 s into a record, 0110 dead air, 0121 an agent to dial (hangs up after 8 s), 0122 a
//! person who hangs up during a record, 0123 a person who presses * after 8 s.

mod api;
mod api2010;
mod calls;
mod connections;
mod dial;
mod lifecycle;
mod load;
mod play;
mod record;
mod sdk;
mod testapp;
mod verdicts;
mod webhooks;
mod wellformed;

use std::time::Duration;

use ringside_call::AccountSid;
use ringside_server::{Account, ClockMode, RunningServer, Server, ServerConfig, StoreLocation};

pub use testapp::TestApp;

/// The account of the 2008 documentation's examples.
pub const SID_A: &str = "AC309475e5fede1b49e100272a8640f438";
pub const TOKEN_A: &str = "token-a";
/// A second account, whose only verified caller id is 415-867-5309.
pub const SID_B: &str = "AC00000000000000000000000000000b0b";
pub const TOKEN_B: &str = "token-b";

pub fn accounts() -> Vec<Account> {
    let mut b = Account::new(AccountSid::parse(SID_B).unwrap(), TOKEN_B);
    b.caller_ids = Some(vec!["4158675309".into()]);
    vec![Account::new(AccountSid::parse(SID_A).unwrap(), TOKEN_A), b]
}

pub fn config(db: StoreLocation, clock: ClockMode) -> ServerConfig {
    let mut c = ServerConfig::new(accounts());
    c.listen = "127.0.0.1:0".parse().unwrap();
    c.phonebook = Some(crate::util::root().join("fixtures").join("phonebook.json"));
    c.clock = clock;
    c.db = db;
    c.app_timeout = Duration::from_millis(1500);
    c
}

/// A fast-clock server with an in-memory store.
pub async fn start() -> RunningServer {
    start_with(config(StoreLocation::Memory, ClockMode::Fast)).await
}

pub async fn start_with(config: ServerConfig) -> RunningServer {
    Server::bind(config).await.unwrap().spawn()
}

/// A client of one server, as account A unless told otherwise.
pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
}

/// A response: status and body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Api {
    pub fn new(server: &RunningServer) -> Self {
        Self::at(server.base_url())
    }

    /// A client of the server at `base` (`http://host:port`).
    pub fn at(base: String) -> Self {
        Api {
            base,
            http: reqwest::Client::new(),
        }
    }

    pub fn calls_url(&self, account: &str) -> String {
        format!("{}/2008-08-01/Accounts/{account}/Calls", self.base)
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Reply {
        let r = req.send().await.unwrap();
        Reply {
            status: r.status().as_u16(),
            body: r.text().await.unwrap(),
        }
    }

    /// `POST …/Calls` as account A with a raw form body (exactly as the 2008 documentation shows it).
    pub async fn create_raw(&self, body: &str) -> Reply {
        self.send(
            self.http
                .post(self.calls_url(SID_A))
                .basic_auth(SID_A, Some(TOKEN_A))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body.to_owned()),
        )
        .await
    }

    /// `POST …/Calls` as account A.
    pub async fn create(&self, params: &[(&str, &str)]) -> Reply {
        self.send(
            self.http
                .post(self.calls_url(SID_A))
                .basic_auth(SID_A, Some(TOKEN_A))
                .form(params),
        )
        .await
    }

    /// `GET` a path under the base URL with these credentials.
    pub async fn get_as(&self, path: &str, user: &str, token: &str) -> Reply {
        self.send(
            self.http
                .get(format!("{}{path}", self.base))
                .basic_auth(user, Some(token)),
        )
        .await
    }

    /// `GET` a path as account A.
    pub async fn get(&self, path: &str) -> Reply {
        self.get_as(path, SID_A, TOKEN_A).await
    }

    pub async fn call(&self, sid: &str) -> Reply {
        self.get(&format!("/2008-08-01/Accounts/{SID_A}/Calls/{sid}"))
            .await
    }

    /// Creates a call and returns its sid, asserting 201.
    pub async fn dial(&self, params: &[(&str, &str)]) -> String {
        let r = self.create(params).await;
        assert_eq!(r.status, 201, "{}", r.body);
        tag(&r.body, "Sid").unwrap()
    }

    /// Polls the call until its Status is final (2–5); returns its XML.
    /// The voicemail tape of a call (its first `RE…` recording), as WAV bytes.
    pub async fn tape(&self, sid: &str) -> Vec<u8> {
        let list = self
            .get(&format!(
                "/2008-08-01/Accounts/{SID_A}/Calls/{sid}/Recordings"
            ))
            .await;
        let rec = tags(&list.body, "Sid")
            .into_iter()
            .find(|s| s.starts_with("RE"))
            .unwrap_or_else(|| panic!("no recording: {}", list.body));
        let r = self
            .http
            .get(format!(
                "{}/2008-08-01/Accounts/{SID_A}/Recordings/{rec}.wav",
                self.base
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.bytes().await.unwrap().to_vec()
    }

    pub async fn wait_final(&self, sid: &str) -> String {
        for _ in 0..600 {
            let r = self.call(sid).await;
            assert_eq!(r.status, 200, "{}", r.body);
            let status = tag(&r.body, "Status").unwrap();
            if matches!(status.as_str(), "2" | "3" | "4" | "5") {
                return r.body;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("call {sid} never ended");
    }
}

/// Runs `program script` (a path under the repository) with `env` and `input` on stdin,
/// to its end.
pub fn run_with_stdin(
    program: &str,
    script: &str,
    env: &[(&str, &str)],
    input: &str,
) -> std::process::Output {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(program)
        .arg(crate::util::root().join(script))
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} {script}: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Asserts that `r` carries account A's signature of exactly what it asked for.
pub fn assert_signed(r: &testapp::Received) {
    let expected = ringside_server::signature::sign(TOKEN_A, &r.url, &r.form);
    assert_eq!(r.signature.as_deref(), Some(expected.as_str()), "{r:?}");
}

/// The text of the first `<name>…</name>` in `xml` (`Some("")` for `<name/>`).
pub fn tag(xml: &str, name: &str) -> Option<String> {
    if xml.contains(&format!("<{name}/>")) && !xml.contains(&format!("<{name}>")) {
        return Some(String::new());
    }
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    Some(xml[start..end].to_owned())
}

/// Every `<name>…</name>` text in `xml`.
pub fn tags(xml: &str, name: &str) -> Vec<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    xml.split(&open)
        .skip(1)
        .filter_map(|s| s.split(&close).next().map(str::to_owned))
        .collect()
}

/// An attribute of the first `<element …>`.
pub fn attr(xml: &str, element: &str, name: &str) -> Option<String> {
    let start = xml.find(&format!("<{element} "))?;
    let head = &xml[start..start + xml[start..].find('>')?];
    let key = format!("{name}=\"");
    let v = head.find(&key)? + key.len();
    Some(head[v..v + head[v..].find('"')?].to_owned())
}
