//! A real app for the server to call: an axum server that answers each path with the
//! TwiML it was given and records every request (method, path, parameters, signature,
//! credentials), over plain HTTP or over TLS with a self-signed certificate made on the
//! spot.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// One request the app received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// The full URL as the server signed it.
    pub url: String,
    /// Query and form parameters together.
    pub params: Vec<(String, String)>,
    /// Only the form parameters (what a POST signature covers).
    pub form: Vec<(String, String)>,
    pub signature: Option<String>,
    /// The `Authorization` header.
    pub authorization: Option<String>,
}

impl Received {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// How the app answers a path.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub content_type: &'static str,
    /// Bytes, so that an answer can be audio as well as TwiML.
    pub body: Vec<u8>,
    pub delay: Duration,
    /// Extra response headers.
    pub headers: Vec<(&'static str, String)>,
}

impl Answer {
    pub fn twiml(body: &str) -> Self {
        Answer {
            status: 200,
            content_type: "text/xml",
            body: body.as_bytes().to_vec(),
            delay: Duration::ZERO,
            headers: Vec::new(),
        }
    }

    /// A redirect to `location` with this status.
    pub fn redirect(status: u16, location: &str) -> Self {
        Answer {
            status,
            content_type: "text/plain",
            body: Vec::new(),
            delay: Duration::ZERO,
            headers: vec![("location", location.to_owned())],
        }
    }

    /// The bytes of a committed fixture file, served as `content_type`.
    pub fn file(path: &std::path::Path, content_type: &'static str) -> Self {
        Answer {
            status: 200,
            content_type,
            body: std::fs::read(path).unwrap(),
            delay: Duration::ZERO,
            headers: Vec::new(),
        }
    }
}

#[derive(Default)]
struct Inner {
    scheme: &'static str,
    answers: HashMap<String, Answer>,
    received: Vec<Received>,
}

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Inner>>);

/// The running test app.
pub struct TestApp {
    addr: SocketAddr,
    shared: Shared,
    /// The PEM certificate a TLS app serves (its own CA: self-signed).
    pub certificate: Option<String>,
}

impl TestApp {
    /// Starts an app that answers every path with `<Response><Say>Hello</Say></Response>`
    /// unless told otherwise with [`TestApp::answer`].
    pub async fn start() -> Self {
        let shared = Shared::default();
        shared.0.lock().unwrap().scheme = "http";
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TestApp {
            addr,
            shared,
            certificate: None,
        }
    }

    /// The same app over https, with a self-signed certificate for 127.0.0.1 generated
    /// here ([`TestApp::certificate`]).
    pub async fn start_tls() -> Self {
        let shared = Shared::default();
        shared.0.lock().unwrap().scheme = "https";
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let rcgen::CertifiedKey { cert, signing_key } =
            rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(signing_key.serialize_der().into());
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone()], key)
        .unwrap();
        let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = tcp.local_addr().unwrap();
        let listener = TlsListener {
            tcp,
            acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
        };
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TestApp {
            addr,
            shared,
            certificate: Some(cert.pem()),
        }
    }

    /// `scheme://127.0.0.1:port{path}`.
    pub fn url(&self, path: &str) -> String {
        let scheme = self.shared.0.lock().unwrap().scheme;
        format!("{scheme}://{}{path}", self.addr)
    }

    /// `host:port`.
    pub fn authority(&self) -> String {
        self.addr.to_string()
    }

    pub fn answer(&self, path: &str, answer: Answer) {
        self.shared
            .0
            .lock()
            .unwrap()
            .answers
            .insert(path.to_owned(), answer);
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.0.lock().unwrap().received.clone()
    }

    /// Requests made for one call.
    pub fn for_call(&self, sid: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.param("CallSid") == Some(sid))
            .collect()
    }

    /// Waits until `n` requests for `sid` have arrived (a notify request can land just
    /// after the call's status turns final).
    pub async fn wait_for(&self, sid: &str, n: usize) -> Vec<Received> {
        for _ in 0..200 {
            let got = self.for_call(sid);
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        self.for_call(sid)
    }
}

async fn handle(State(shared): State<Shared>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body: Bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let uri: &Uri = &parts.uri;
    let headers: &HeaderMap = &parts.headers;
    let mut params: Vec<(String, String)> =
        serde_urlencoded::from_str(uri.query().unwrap_or_default()).unwrap_or_default();
    let form: Vec<(String, String)> = if parts.method == Method::POST {
        serde_urlencoded::from_bytes(&body).unwrap_or_default()
    } else {
        Vec::new()
    };
    params.extend(form.iter().cloned());
    let host = headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let scheme = shared.0.lock().unwrap().scheme;
    let received = Received {
        method: parts.method.to_string(),
        path: uri.path().to_owned(),
        url: format!("{scheme}://{host}{uri}"),
        params,
        form,
        signature: headers
            .get("X-Twilio-Signature")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    let answer = {
        let mut inner = shared.0.lock().unwrap();
        inner.received.push(received);
        inner.answers.get(uri.path()).cloned()
    }
    .unwrap_or_else(|| Answer::twiml("<Response><Say>Hello</Say></Response>"));
    if !answer.delay.is_zero() {
        tokio::time::sleep(answer.delay).await;
    }
    let mut response = (
        StatusCode::from_u16(answer.status).unwrap(),
        [("content-type", answer.content_type)],
        answer.body,
    )
        .into_response();
    for (name, value) in answer.headers {
        response.headers_mut().insert(name, value.parse().unwrap());
    }
    response
}

/// TLS connections for `axum::serve`: each accepted TCP connection is handshaken before
/// it is handed over (failed handshakes are dropped).
struct TlsListener {
    tcp: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((tcp, addr)) = self.tcp.accept().await else {
                continue;
            };
            if let Ok(tls) = self.acceptor.accept(tcp).await {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}
