//! A real HTTP server on a free loopback port that records every POST and
//! answers with the statuses it is given, in turn: the stand-in for an SMS
//! gateway and for a webhook's receiving system.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;

/// One request the receiver got: its headers and body.
#[derive(Clone, Debug)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

#[derive(Clone, Default)]
struct Recorder {
    received: Arc<Mutex<Vec<Received>>>,
    /// The statuses to answer with, in turn; 200 once they run out.
    replies: Arc<Mutex<Vec<StatusCode>>>,
}

pub struct Receiver {
    /// Where to POST: `http://127.0.0.1:PORT/receive`.
    pub url: String,
    recorder: Recorder,
    server: tokio::task::JoinHandle<()>,
}

impl Receiver {
    pub async fn start(replies: &[StatusCode]) -> Self {
        let recorder = Recorder {
            received: Arc::default(),
            replies: Arc::new(Mutex::new(replies.iter().rev().copied().collect())),
        };
        async fn receive(
            State(recorder): State<Recorder>,
            headers: HeaderMap,
            body: String,
        ) -> StatusCode {
            recorder
                .received
                .lock()
                .unwrap()
                .push(Received { headers, body });
            recorder
                .replies
                .lock()
                .unwrap()
                .pop()
                .unwrap_or(StatusCode::OK)
        }
        let router = axum::Router::new()
            .route("/receive", post(receive))
            .with_state(recorder.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/receive", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Self {
            url,
            recorder,
            server,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.recorder.received.lock().unwrap().clone()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.server.abort();
    }
}
